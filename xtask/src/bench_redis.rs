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
//!
//! Server section (`--server-only` runs just it, `--no-server` skips it):
//! the same EVALSHA sent by `redis-benchmark -c 50`, without and with
//! `-P 16`, to a redis-server directly and to the `ferrous-redis` binary
//! (release) in front of another redis-server, alternating, medians of the
//! rounds; written to the "ferrous-redis server" section.

use std::path::Path;
use std::process::Command;

use crate::conformance_redis::redis_server;
use crate::util;

const DOC: crate::util::DocSection = crate::util::DocSection {
    heading: "## Redis EVALSHA overhead",
    begin: "<!-- bench:redis:begin -->",
    end: "<!-- bench:redis:end -->",
    command: "cargo xtask bench-redis",
};
const SERVER_DOC: crate::util::DocSection = crate::util::DocSection {
    heading: "## ferrous-redis server",
    begin: "<!-- bench:redis-server:begin -->",
    end: "<!-- bench:redis-server:end -->",
    command: "cargo xtask bench-redis",
};
const SCRIPT: &str = "return redis.call('GET', KEYS[1])";
const KEY: &str = "key:000000000001";

pub(crate) fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        0.0
    } else {
        v[v.len() / 2]
    }
}

pub(crate) fn redis_cli(port: u16, args: &[&str]) -> Result<String, String> {
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

/// Requests per second and mean latency (ms) of one redis-benchmark run
/// with 50 clients, pipelining `pipeline` requests.
pub(crate) fn benchmark_server(
    port: u16,
    requests: usize,
    pipeline: usize,
    args: &[&str],
) -> Result<(f64, f64), String> {
    let out = Command::new("redis-benchmark")
        .args(["-p", &port.to_string(), "-n", &requests.to_string()])
        .args(["-P", &pipeline.to_string(), "-c", "50", "-q", "--csv"])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run redis-benchmark (apt-get install redis-tools): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('"') && !l.starts_with("\"test\""))
        .ok_or_else(|| format!("unexpected redis-benchmark output: {text}"))?;
    let fields: Vec<f64> = line
        .split("\",\"")
        .skip(1)
        .filter_map(|f| f.trim_matches('"').parse().ok())
        .collect();
    match fields.as_slice() {
        [rps, avg, ..] => Ok((*rps, *avg)),
        _ => Err(format!("unexpected redis-benchmark line: {line}")),
    }
}

/// The server section: redis-server directly vs through ferrous-redis.
fn server_section(rounds: usize) -> Result<String, String> {
    util::run_cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "ferrous-redis",
            "--bin",
            "ferrous-redis",
        ],
    )?;
    let exe = util::target_dir().join("release/ferrous-redis");
    let bin = redis_server::find_redis_server()?;
    let dir = redis_server::TempDir::new("bench-redis-server")?;
    let direct = redis_server::start_redis(&bin, "direct", &dir.0)?;
    let upstream = redis_server::start_redis(&bin, "upstream", &dir.0)?;
    let proxy = redis_server::start_ferrous(&exe, upstream.port, &dir.0)?;
    let mut sha = String::new();
    for port in [direct.port, proxy.port] {
        redis_cli(port, &["SET", KEY, "value"])?;
        sha = redis_cli(port, &["SCRIPT", "LOAD", SCRIPT])?;
        if sha.len() != 40 {
            return Err(format!("SCRIPT LOAD failed on port {port}: {sha}"));
        }
    }
    let args = ["EVALSHA", sha.as_str(), "1", KEY];
    // [side][pipeline] -> (rps, latency) samples
    let mut samples: Vec<Vec<Vec<(f64, f64)>>> = vec![vec![Vec::new(); 2]; 2];
    let ports = [direct.port, proxy.port];
    for round in 0..rounds {
        eprintln!("bench-redis: server round {}/{rounds}", round + 1);
        for k in 0..2 {
            let side = (k + round) % 2;
            samples[side][0].push(benchmark_server(ports[side], 100_000, 1, &args)?);
            samples[side][1].push(benchmark_server(ports[side], 400_000, 16, &args)?);
        }
    }
    drop((direct, proxy, upstream));
    let med = |v: &[(f64, f64)]| {
        let mut r: Vec<f64> = v.iter().map(|x| x.0).collect();
        let mut l: Vec<f64> = v.iter().map(|x| x.1).collect();
        (median(&mut r), median(&mut l))
    };
    let fig: Vec<Vec<(f64, f64)>> = samples
        .iter()
        .map(|side| side.iter().map(|s| med(s)).collect())
        .collect();
    let date = crate::util::today();
    let mut r = String::new();
    r.push_str(&format!(
        "Measured {date} with `cargo xtask bench-redis --rounds {rounds}`: `redis-benchmark -c 50` \
         sending `EVALSHA` of `{SCRIPT}` with 1 key to a redis-server directly and to \
         `ferrous-redis` (release) in front of another redis-server on the same machine; \
         medians of {rounds} rounds, the two sides alternating.\n\n"
    ));
    r.push_str("| server | requests/s | mean latency (ms) | requests/s, `-P 16` | mean latency (ms), `-P 16` |\n");
    r.push_str("|---|---:|---:|---:|---:|\n");
    for (name, f) in [
        ("redis-server", &fig[0]),
        ("ferrous-redis (proxy)", &fig[1]),
    ] {
        r.push_str(&format!(
            "| {name} | {:.0} | {:.3} | {:.0} | {:.3} |\n",
            f[0].0, f[0].1, f[1].0, f[1].1
        ));
    }
    r.push_str(&format!(
        "\nferrous-redis / redis-server: **{:.2}** without pipelining (goal: at least 0.40), \
         **{:.2}** with `-P 16`.\n",
        fig[1][0].0 / fig[0][0].0,
        fig[1][1].0 / fig[0][1].0
    ));
    Ok(r)
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
    let (mut engine, mut server, mut module) = (true, true, true);
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
            "--no-server" => server = false,
            "--server-only" => {
                engine = false;
                module = false;
            }
            "--no-module" => module = false,
            "--module-only" => {
                engine = false;
                server = false;
            }
            other => {
                return Err(format!(
                    "unknown argument {other}\nusage: cargo xtask bench-redis [--rounds N] [--no-write] [--no-server | --server-only] [--no-module | --module-only]"
                ))
            }
        }
    }
    if server {
        let r = server_section(rounds)?;
        println!("{r}");
        if write {
            crate::util::write_performance_doc(&SERVER_DOC, &r)?;
            eprintln!("bench-redis: wrote docs/performance.md (server section)");
        }
    }
    if module {
        crate::bench_module::run(rounds, write)?;
    }
    if !engine {
        return Ok(());
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
    let exe = util::target_dir().join("release/examples/bench_evalsha");

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
