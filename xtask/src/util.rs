//! Helpers shared by the tasks.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Civil-from-days (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A generated block of docs/performance.md: the heading of its section,
/// the markers around the block and the command that regenerates it.
pub struct DocSection {
    pub heading: &'static str,
    pub begin: &'static str,
    pub end: &'static str,
    pub command: &'static str,
}

/// Puts `report` between the section's markers in docs/performance.md;
/// without markers, replaces the section's body (adding them), and
/// without the section, appends it.
pub fn write_performance_doc(section: &DocSection, report: &str) -> Result<(), String> {
    write_doc_section(&root().join("docs/performance.md"), section, report)
}

fn write_doc_section(path: &Path, section: &DocSection, report: &str) -> Result<(), String> {
    let DocSection {
        heading,
        begin,
        end,
        command,
    } = section;
    let doc = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let block = format!("{begin}\n{report}{end}\n");
    let new = if let (Some(b), Some(e)) = (doc.find(begin), doc.find(end)) {
        if e < b {
            return Err(format!("{}: markers {begin} out of order", path.display()));
        }
        let after = &doc[e + end.len()..];
        let after = after.strip_prefix('\n').unwrap_or(after);
        format!("{}{block}{after}", &doc[..b])
    } else if let Some(s) = doc.find(heading) {
        let body_start = doc[s..].find('\n').map(|i| s + i + 1).unwrap_or(doc.len());
        let body_end = doc[body_start..]
            .find("\n## ")
            .map(|i| body_start + i + 1)
            .unwrap_or(doc.len());
        format!("{}\n{block}\n{}", &doc[..body_start], &doc[body_end..])
    } else {
        format!("{doc}\n{heading} (`{command}`)\n\n{block}")
    };
    std::fs::write(path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The workspace root (the parent of xtask/).
/// Cargo's target folder (`CARGO_TARGET_DIR`, relative to the root, or
/// `target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => {
            let t = PathBuf::from(t);
            if t.is_absolute() {
                t
            } else {
                root().join(t)
            }
        }
        None => root().join("target"),
    }
}

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
        ("tclsh", "tcl"),
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
/// on), then the Lua conformance suite (as source, then as luac5.1's
/// binary chunks) and the Redis one against the release binaries, then Redis's own scripting test units (redis-suite) against
/// stock redis-server and the Ferrous targets.
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
            "ferrous-lua-cli",
            "-p",
            "ferrous-redis",
            "--bins",
        ],
    )?;
    crate::conformance_lua::run(Vec::new())?;
    crate::conformance_lua::run(vec!["--luac".into()])?;
    crate::conformance_redis::run(Vec::new())?;
    crate::conformance_redis::run(vec!["--module".into()])?;
    crate::conformance_suite::run(vec!["--profile".into(), "release".into()])?;
    eprintln!(
        "xtask: all tests passed in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
