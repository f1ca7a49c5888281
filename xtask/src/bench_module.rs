//! The module section of `cargo xtask bench-redis`: one redis-server
//! binary started twice, stock (Redis's own Lua) and with the Ferrous
//! module, the same EVALSHA sent to both by `redis-benchmark -c 50`,
//! without and with `-P 16`, alternating rounds; medians of the rounds.
//!
//! Scripts: one `redis.call` (`return redis.call('GET', KEYS[1])`) and
//! ten (`GET` ten times, the last value returned). A plain `GET` of the
//! same key (no script) runs in the same rounds: on stock it is the
//! ceiling of any script engine's EVALSHA of one GET at that pipeline
//! depth; on the module server it shows what the command filter costs
//! every command.

use crate::bench_redis::{benchmark_server, median, redis_cli};
use crate::conformance_redis::redis_server;
use crate::util;

const DOC: util::DocSection = util::DocSection {
    heading: "## Redis module",
    begin: "<!-- bench:redis-module:begin -->",
    end: "<!-- bench:redis-module:end -->",
    command: "cargo xtask bench-redis",
};
const KEY: &str = "key:000000000001";
const SCRIPTS: [(&str, &str); 2] = [
    ("1 call", "return redis.call('GET', KEYS[1])"),
    (
        "10 calls",
        "local v for i = 1, 10 do v = redis.call('GET', KEYS[1]) end return v",
    ),
];
const REQUESTS: usize = 200_000;

/// Builds the module (release), measures, returns the report.
pub fn section(rounds: usize) -> Result<String, String> {
    util::run_cmd(
        "cargo",
        &["build", "--release", "-p", "ferrous-redis-module"],
    )?;
    let so = util::target_dir().join("release/libferrous_redis_module.so");
    let so = so.to_str().ok_or("non-UTF-8 target path")?.to_string();
    let bin = redis_server::find_redis_server()?;
    let dir = redis_server::TempDir::new("bench-redis-module")?;
    let stock = redis_server::start_redis(&bin, "stock", &dir.0)?;
    let module = redis_server::start_redis_with(&bin, "module", &dir.0, &["--loadmodule", &so])?;
    let mut shas = Vec::new();
    for (_, body) in SCRIPTS {
        let mut sha = String::new();
        for port in [stock.port, module.port] {
            redis_cli(port, &["SET", KEY, "value"])?;
            sha = redis_cli(port, &["SCRIPT", "LOAD", body])?;
            if sha.len() != 40 {
                return Err(format!("SCRIPT LOAD failed on port {port}: {sha}"));
            }
        }
        shas.push(sha);
    }
    // (script, pipeline) -> [stock rps], [module rps]; script index
    // SCRIPTS.len() is the plain GET.
    let cases: Vec<(usize, usize)> = (0..=SCRIPTS.len())
        .flat_map(|s| [(s, 1), (s, 16)])
        .collect();
    let mut results = vec![(Vec::new(), Vec::new()); cases.len()];
    for round in 0..rounds {
        for (i, &(s, p)) in cases.iter().enumerate() {
            let evalsha;
            let args: &[&str] = match shas.get(s) {
                Some(sha) => {
                    evalsha = ["EVALSHA", sha.as_str(), "1", KEY];
                    &evalsha
                }
                None => &["GET", KEY],
            };
            // Alternate which goes first from round to round.
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for which in order {
                let port = if which == 0 { stock.port } else { module.port };
                let (r, _) = benchmark_server(port, REQUESTS, p, args)?;
                if which == 0 {
                    results[i].0.push(r);
                } else {
                    results[i].1.push(r);
                }
            }
        }
        eprintln!("xtask: bench-redis module round {}/{rounds}", round + 1);
    }
    let mut report = format!(
        "Measured {} with `{}` ({rounds} alternating rounds, medians; {REQUESTS} requests \
         per run, `redis-benchmark -c 50`). Both columns are the same redis-server \
         binary: stock (Redis's own Lua 5.1) and with `--loadmodule \
         libferrous_redis_module.so` (release build). Ratio: module / stock throughput \
         (above 1.0: the module is faster).\n\n\
         | script | pipeline | stock (req/s) | module (req/s) | ratio |\n\
         | --- | ---: | ---: | ---: | ---: |\n",
        util::today(),
        DOC.command
    );
    let mut medians = Vec::new();
    for (i, &(s, p)) in cases.iter().enumerate() {
        let a = median(&mut results[i].0);
        let b = median(&mut results[i].1);
        medians.push((a, b));
        let name = SCRIPTS.get(s).map_or("no script: `GET`", |(n, _)| n);
        report.push_str(&format!(
            "| {name} | {p} | {a:.0} | {b:.0} | {:.2} |\n",
            if a > 0.0 { b / a } else { 0.0 }
        ));
    }
    // The ceiling: a script that does one GET cannot beat a GET.
    let get_row = SCRIPTS.len() * 2;
    for (k, p) in [1, 16].iter().enumerate() {
        let (stock_eval, _) = medians[k];
        let (stock_get, _) = medians[get_row + k];
        if stock_eval > 0.0 {
            report.push_str(&format!(
                "\nCeiling at `-P {p}`: stock `GET` / stock EVALSHA (1 call) = {:.2}.",
                stock_get / stock_eval
            ));
        }
    }
    report.push('\n');
    Ok(report)
}

/// `cargo xtask bench-redis` calls this with its options.
pub fn run(rounds: usize, write: bool) -> Result<(), String> {
    let report = section(rounds)?;
    println!("{report}");
    if write {
        util::write_performance_doc(&DOC, &report)?;
    }
    Ok(())
}
