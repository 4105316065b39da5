//! The package's examples built for a test to run as processes.

use std::process::{Command, Stdio};

/// Builds example `name` (`cargo build --example NAME`) and returns the
/// path of its executable, read from cargo's JSON messages.
pub fn build_example(name: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--manifest-path",
            manifest,
            "--example",
            name,
            "--message-format=json",
        ])
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("run cargo build --example {name}: {e}"));
    assert!(out.status.success(), "cargo build --example {name} failed");
    let artifact = format!("\"name\":\"{name}\"");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"reason\":\"compiler-artifact\"") && l.contains(&artifact))
        .find_map(|l| Some(l.split("\"executable\":\"").nth(1)?.split('"').next()?.to_owned()))
        .unwrap_or_else(|| panic!("no {name} executable in cargo's output"))
}
