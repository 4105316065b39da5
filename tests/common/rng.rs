//! A seeded pseudo-random generator for generated test inputs.

/// splitmix64: small, fast, seeded, so a failing case can be replayed from
/// its seed.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `0..n`, for callers that count in `u64`.
    pub fn below_u64(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in `1..=max`.
    pub fn upto(&mut self, max: usize) -> usize {
        self.below(max) + 1
    }

    /// True once in `n` draws on average.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below_u64(100) < percent
    }

    /// One of `from`, chosen uniformly.
    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }

    /// Fills `out` with random bytes.
    pub fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            *b = self.next() as u8;
        }
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// The number of cases from the environment variable `var`, or `default`.
pub fn cases_from_env(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The property-test runner: calls `check` `cases` times (the environment
/// variable `cases_var` overrides the count), each with a generator seeded
/// for that case from `ZEROSOCK_SEED` (default fixed, so runs repeat). A
/// failing case prints its seed; `ZEROSOCK_SEED=<seed> ZEROSOCK_CASES_ONE=1`
/// replays just that case.
#[track_caller]
pub fn check_cases(cases_var: &str, default: usize, mut check: impl FnMut(&mut Rng)) {
    let base: u64 = std::env::var("ZEROSOCK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x2545_f491_4f6c_dd1d);
    let cases = if std::env::var_os("ZEROSOCK_CASES_ONE").is_some() {
        1
    } else {
        cases_from_env(cases_var, default)
    };
    /// Prints the failing case's seed if `check` panics.
    struct Reporter(u64);
    impl Drop for Reporter {
        fn drop(&mut self) {
            if std::thread::panicking() {
                eprintln!(
                    "failing case: replay with ZEROSOCK_SEED={} ZEROSOCK_CASES_ONE=1",
                    self.0
                );
            }
        }
    }
    let mut seeds = Rng(base);
    for case in 0..cases {
        let seed = if case == 0 { base } else { seeds.next() };
        let reporter = Reporter(seed);
        check(&mut Rng(seed));
        std::mem::forget(reporter);
    }
}
