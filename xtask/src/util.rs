//! Helpers shared by the tasks.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The workspace root (the parent of xtask/).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Runs a command in the workspace root, failing on a non-zero exit status.
pub fn run_cmd(program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: running {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} {} failed with {status}", args.join(" ")))
    }
}

/// Checks that the reference programs the tests compare against exist.
fn require_oracles() -> Result<(), String> {
    let mut missing = Vec::new();
    for (prog, pkg) in [
        ("lua5.1", "lua5.1"),
        ("luac5.1", "lua5.1"),
        ("redis-server", "redis-server"),
    ] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {prog}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !found && !missing.contains(&pkg) {
            missing.push(pkg);
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the reference programs are missing: run `apt-get install -y {}` (or .ci/run, which does it)",
            missing.join(" ")
        ))
    }
}

/// `cargo xtask test`: everything `.ci/run` checks, in order: the
/// workspace's tests (unit, integration, differential against luac5.1 and
/// redis-server, doc tests) under the `ci` profile (optimised, assertions
/// on), then the Lua and Redis conformance suites against the release
/// binaries.
pub fn test_all(_args: Vec<String>) -> Result<(), String> {
    require_oracles()?;
    let start = Instant::now();
    run_cmd("cargo", &["test", "--workspace", "--profile", "ci"])?;
    run_cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "ferrous-lua",
            "-p",
            "ferrous-redis",
            "--bins",
        ],
    )?;
    crate::conformance_lua::run(Vec::new())?;
    crate::conformance_redis::run(Vec::new())?;
    eprintln!(
        "xtask: all tests passed in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
