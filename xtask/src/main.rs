//! Project automation: `cargo xtask <task>`.
//!
//! * `test`: everything `.ci/run` checks: the workspace tests, then both
//!   conformance suites.
//! * `conformance lua [--corpus DIR]... [--luac]`: tests/lua/ against lua5.1
//!   (`--luac`: both run luac5.1's binary chunk of each script).
//! * `conformance redis [--corpus DIR]...`: tests/redis/ against redis-server.
//! * `conformance redis-suite [--target proxy|module|all] [--unit U] [--only NAME]`:
//!   Redis 7.0.15's own unit/scripting and unit/functions against stock
//!   redis-server, ferrous-redis (proxy) and the Redis module, side by side.
//! * `bench`: bench/*.lua under lua5.1, luajit -joff, lua5.4 and ferrous-lua.
//! * `bench-unseen`: real programs the VM was never tuned on (Lua 5.1.5's
//!   tests, pure-Lua Debian packages), fetched on first use.
//! * `bench-parse`: parse speed of ferrous-luac -p against luac5.1 -p.
//! * `bench-heap`: allocation throughput, GC pauses, bytes per object.
//! * `bench-embed`: crossing the embedding boundary, ferrous-lua against
//!   mlua (bench/embed, a standalone package).
//! * `gen-commands`: regenerates the command table ferrous-redis ships.
//! * `bench-redis`: one EVALSHA in ferrous-redis against Redis's per-script overhead,
//!   and the ferrous-redis server against redis-server under redis-benchmark.

mod bench;
mod bench_embed;
mod bench_heap;
mod bench_module;
mod bench_parse;
mod bench_redis;
mod bench_unseen;
mod conformance_lua;
mod conformance_redis;
mod conformance_suite;
mod gen_commands;
mod lua_proc;
mod util;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = |n: usize| args.get(n..).unwrap_or(&[]).to_vec();
    let result = match args.first().map(String::as_str) {
        Some("conformance") => match args.get(1).map(String::as_str) {
            Some("lua") => conformance_lua::run(rest(2)),
            Some("redis") => conformance_redis::run(rest(2)),
            Some("redis-suite") => conformance_suite::run(rest(2)),
            _ => Err("usage: cargo xtask conformance (lua|redis) [--corpus DIR]... | conformance redis-suite [--target proxy|module|all] [--unit scripting|functions] [--only NAME]...".into()),
        },
        Some("bench") => bench::run(rest(1)),
        Some("bench-parse") => bench_parse::run(rest(1)),
        Some("bench-heap") => bench_heap::run(rest(1)),
        Some("bench-embed") => bench_embed::run(rest(1)),
        Some("bench-redis") => bench_redis::run(rest(1)),
        Some("bench-unseen") => bench_unseen::run(rest(1)),
        Some("gen-commands") => gen_commands::run(rest(1)),
        Some("test") => util::test_all(rest(1)),
        _ => Err("usage: cargo xtask (test | conformance (lua|redis) [--corpus DIR]... | conformance redis-suite [OPTIONS] | bench [PROGRAM...] | bench-unseen [PROGRAM...] | bench-parse | bench-heap | bench-embed [--runs N] | bench-redis | gen-commands)".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
