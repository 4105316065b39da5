//! The criterion glue of the criterion benches (`sockets`, `batch`,
//! `text`): their settings, and a [`Visit`](crate::common::Visit)or that
//! benchmarks every implementation of a group. Kept out of `common`, which
//! the criterion-free instruction harness (`benches/instr`) shares.

/// The criterion settings every bench file uses: short warm-up and
/// measurement, so that the whole `cargo bench` stays within about ten
/// minutes on a two-core machine (see BENCHMARKS.md).
pub fn config() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4))
        .sample_size(50)
}

/// Runs every implementation of a group as one criterion benchmark each,
/// built once, before its measurement.
pub struct Bench<'a, 'c>(pub &'a mut criterion::BenchmarkGroup<'c, criterion::measurement::WallTime>);

impl crate::common::Visit for Bench<'_, '_> {
    fn visit<P: crate::common::Pair>(&mut self, name: &str, make: impl FnOnce() -> P) {
        let mut p = make();
        self.0.bench_function(name, |b| b.iter(|| p.pair()));
    }
}
