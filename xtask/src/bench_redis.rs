//! `cargo xtask bench-redis [--rounds N] [--no-write]`: the cost of one
//! EVALSHA in ferrous-redis's engine next to Redis's own per-script
//! overhead, measured in the same run.
//!
//! * Ferrous: `crates/redis/examples/bench_evalsha.rs` (release) runs
//!   `EVALSHA <sha> 1 key` of `return redis.call('GET', KEYS[1])` in
//!   process against a trivial host: script lookup, KEYS/ARGV set-up, the
//!   Lua call, one `redis.call` through the host, the reply converted and
//!   encoded. It prints the median nanoseconds per EVALSHA.
//! * Redis: a redis-server (the Debian package) and `redis-benchmark`,
//!   pipelined (`-P 32`), measuring the same EVALSHA and a plain `GET` of
//!   the same key. Redis's per-script overhead is the time per EVALSHA
//!   minus the time per GET: what running the command through a script
//!   adds to running it directly.
//!
//! The two alternate for N rounds (default 5) and the medians are
//! reported; the "Redis EVALSHA overhead" section of docs/performance.md
//! is rewritten unless `--no-write`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::conformance_redis::redis_server;
use crate::util;

const DOC: crate::util::DocSection = crate::util::DocSection {
    heading: "## Redis EVALSHA overhead",
    begin: "<!-- bench:redis:begin -->",
    end: "<!-- bench:redis:end -->",
    command: "cargo xtask bench-redis",
};
const SCRIPT: &str = "return redis.call('GET', KEYS[1])";
const KEY: &str = "key:000000000001";

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => {
            let p = PathBuf::from(d);
            if p.is_absolute() {
                p
            } else {
                util::root().join(p)
            }
        }
        None => util::root().join("target"),
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        0.0
    } else {
        v[v.len() / 2]
    }
}

fn redis_cli(port: u16, args: &[&str]) -> Result<String, String> {
    let out = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run redis-cli: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Nanoseconds per request of one redis-benchmark run.
fn benchmark(port: u16, requests: usize, args: &[&str]) -> Result<f64, String> {
    let out = Command::new("redis-benchmark")
        .args(["-p", &port.to_string(), "-n", &requests.to_string()])
        .args(["-P", "32", "-c", "50", "-q", "--csv"])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run redis-benchmark (apt-get install redis-tools): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "NAME","RPS",... (the last line holds the figures).
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('"') && !l.starts_with("\"test\""))
        .ok_or_else(|| format!("unexpected redis-benchmark output: {text}"))?;
    let rps: f64 = line
        .split("\",\"")
        .nth(1)
        .and_then(|f| f.trim_matches('"').parse().ok())
        .ok_or_else(|| format!("unexpected redis-benchmark line: {line}"))?;
    Ok(1e9 / rps)
}

fn ferrous_ns(exe: &Path) -> Result<f64, String> {
    let out = Command::new(exe)
        .args(["200000", "5"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("evalsha_ns "))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("unexpected bench_evalsha output: {text}"))
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let mut rounds = 5usize;
    let mut write = true;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--rounds needs a number")?
            }
            "--no-write" => write = false,
            other => {
                return Err(format!(
                    "unknown argument {other}\nusage: cargo xtask bench-redis [--rounds N] [--no-write]"
                ))
            }
        }
    }
    util::run_cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "ferrous-redis",
            "--example",
            "bench_evalsha",
        ],
    )?;
    let exe = target_dir().join("release/examples/bench_evalsha");

    let bin = redis_server::find_redis_server()?;
    let dir = redis_server::TempDir::new("bench-redis")?;
    let server = redis_server::start_redis(&bin, "bench", &dir.0)?;
    let port = server.port;
    redis_cli(port, &["SET", KEY, "value"])?;
    let sha = redis_cli(port, &["SCRIPT", "LOAD", SCRIPT])?;
    if sha.len() != 40 {
        return Err(format!("SCRIPT LOAD failed: {sha}"));
    }
    let version = redis_cli(port, &["INFO", "server"])?
        .lines()
        .find_map(|l| {
            l.strip_prefix("redis_version:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();

    let (mut ours, mut get, mut evalsha) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        eprintln!("bench-redis: round {}/{rounds}", round + 1);
        // Alternate which side goes first.
        if round % 2 == 0 {
            ours.push(ferrous_ns(&exe)?);
        }
        get.push(benchmark(port, 1_000_000, &["GET", KEY])?);
        evalsha.push(benchmark(port, 500_000, &["EVALSHA", &sha, "1", KEY])?);
        if round % 2 == 1 {
            ours.push(ferrous_ns(&exe)?);
        }
    }
    drop(server);
    let ours = median(&mut ours);
    let get_ns = median(&mut get);
    let evalsha_ns = median(&mut evalsha);
    let overhead = evalsha_ns - get_ns;
    let ratio = ours / overhead;

    let date = crate::util::today();
    let mut r = String::new();
    r.push_str(&format!(
        "Measured {date} with `cargo xtask bench-redis --rounds {rounds}` (redis-server {version}; \
         medians of {rounds} rounds, the two sides alternating).\n\n"
    ));
    r.push_str("| figure | ns per request |\n|---|---:|\n");
    r.push_str(&format!(
        "| redis-server: `GET key` (redis-benchmark -P 32 -c 50) | {get_ns:.0} |\n"
    ));
    r.push_str(&format!(
        "| redis-server: `EVALSHA` of `{SCRIPT}` with 1 key | {evalsha_ns:.0} |\n"
    ));
    r.push_str(&format!(
        "| **redis-server: per-script overhead (EVALSHA - GET)** | **{overhead:.0}** |\n"
    ));
    r.push_str(&format!(
        "| **ferrous-redis engine: one EVALSHA in process** | **{ours:.0}** |\n"
    ));
    r.push_str(&format!(
        "\nFerrous / Redis overhead: **{ratio:.2}** (goal: at most 0.50).\n\n"
    ));
    r.push_str(
        "The Ferrous figure is the whole scripting path of an embedding server, in process: \
         command dispatch, script lookup by SHA-1, KEYS and ARGV tables, the Lua call, one \
         `redis.call('GET', KEYS[1])` through a trivial host (its reply converted to a Lua \
         string), the result converted and encoded as RESP (`crates/redis/examples/\
         bench_evalsha.rs`). Redis's overhead is what running GET through a script adds to \
         running it directly, both pipelined on one connection set, so network and protocol \
         costs cancel out.\n",
    );
    println!("{r}");
    if write {
        crate::util::write_performance_doc(&DOC, &r)?;
        eprintln!("bench-redis: wrote docs/performance.md");
    }
    Ok(())
}
