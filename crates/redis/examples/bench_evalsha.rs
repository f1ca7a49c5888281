//! The in-process cost of one EVALSHA: a cached script, KEYS/ARGV set-up,
//! one `redis.call('GET', KEYS[1])` through a trivial host, and the reply
//! encoded for the client. `cargo xtask bench-redis` runs this next to
//! redis-benchmark against a real redis-server.
//!
//! Prints one line: `evalsha_ns <median ns per EVALSHA>` (median of
//! several rounds), then the same for the bare EVAL path if asked.

use std::hint::black_box;
use std::time::Instant;

use ferrous_redis::{flags, CallContext, CommandInfo, Engine, Host, Reply};

/// A host whose only command is GET, answering a fixed value.
struct Trivial {
    value: Vec<u8>,
}

impl Host for Trivial {
    fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
        if argv[0].eq_ignore_ascii_case(b"get") {
            Some(CommandInfo {
                arity: 2,
                flags: flags::READONLY,
            })
        } else {
            None
        }
    }

    fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
        Reply::Bulk(self.value.clone())
    }
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);
    let mut engine = Engine::standalone();
    let mut host = Trivial {
        value: b"value".to_vec(),
    };
    let script = b"return redis.call('GET', KEYS[1])";
    let sha = match engine.execute(&mut host, 0, &[b"SCRIPT", b"LOAD", script]) {
        Some(Reply::Bulk(s)) => s,
        other => panic!("SCRIPT LOAD failed: {other:?}"),
    };
    let argv: [&[u8]; 4] = [b"EVALSHA", &sha, b"1", b"key:000000000001"];
    let mut out = Vec::with_capacity(64);
    // Warm up (loads the prototype into the engine's Lua state).
    for _ in 0..10_000 {
        out.clear();
        if let Some(r) = engine.execute(&mut host, 0, &argv) {
            r.encode(2, &mut out);
        }
    }
    assert_eq!(out, b"$5\r\nvalue\r\n");
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..iterations {
            out.clear();
            if let Some(r) = engine.execute(&mut host, 0, black_box(&argv)) {
                r.encode(2, &mut out);
            }
            black_box(&out);
        }
        samples.push(t.elapsed().as_nanos() as f64 / iterations as f64);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    println!("evalsha_ns {:.1}", samples[samples.len() / 2]);
}
