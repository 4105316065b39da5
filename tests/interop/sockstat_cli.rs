//! The sockstat example's command line: a bad argument says what was wrong
//! and shows the usage (exit 2); `--help` shows the usage (exit 0); a
//! process that does not exist is named by its path, `/proc/<pid>/fd`
//! (exit 1); no argument lists its own sockets.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::example::build_example;

/// Builds the example once (`cargo build --example sockstat`) and returns
/// its executable, read from cargo's JSON messages.
fn sockstat() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| build_example("sockstat"))
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(sockstat())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run sockstat");
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[test]
fn a_bad_argument_says_what_was_wrong_then_the_usage() {
    for (args, why) in [
        (&["abc"][..], "sockstat: 'abc' is not a process id"),
        (&["-5"][..], "sockstat: '-5' is not a process id"),
        (&["4294967296"][..], "sockstat: '4294967296' is not a process id"),
        (&["1", "2"][..], "sockstat: unexpected argument '2'"),
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        let mut lines = stderr.lines();
        assert!(lines.next().unwrap_or("").starts_with(why), "{args:?}: {stderr}");
        assert_eq!(lines.next(), Some("usage: sockstat [PID]"), "{args:?}: {stderr}");
    }
}

#[test]
fn help_is_the_usage_on_stdout() {
    for flag in ["-h", "--help"] {
        let (code, stdout, stderr) = run(&[flag]);
        assert_eq!(code, Some(0));
        assert!(stdout.starts_with("usage: sockstat [PID]\n"), "{stdout}");
        assert!(stderr.is_empty(), "{stderr}");
    }
}

#[test]
fn a_missing_process_is_named_by_its_path() {
    // A pid with no /proc entry, looked for within a bounded range.
    let pid = (999_999..1_000_999u32)
        .find(|pid| !Path::new(&format!("/proc/{pid}")).exists())
        .expect("a free pid");
    let (code, stdout, stderr) = run(&[&pid.to_string()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(
        stderr.trim_end(),
        format!("sockstat: /proc/{pid}/fd: ENOENT: No such file or directory")
    );
}

#[test]
fn without_arguments_it_lists_its_own_sockets() {
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("Netid"), "{stdout}");
    // The demo's TCP listener on 127.0.0.1 and its abstract Unix listener.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("tcp") && l.contains("LISTEN") && l.contains("127.0.0.1:")),
        "{stdout}"
    );
    assert!(stdout.contains("@zerosock-sockstat-"), "{stdout}");
}
