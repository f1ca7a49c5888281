//! Times parsing and code generation of a file separately:
//! `cargo run --release -p ferrous-compiler --example timing -- FILE [RUNS] [parse]`.
//! With `parse`, only parses (compare the CPU time of both runs with
//! `/usr/bin/time` on a busy machine, where wall-clock times mislead).

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: timing FILE [RUNS]");
        return;
    };
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let parse_only = args.next().as_deref() == Some("parse");
    let src = match std::fs::read(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("timing: {path}: {e}");
            return;
        }
    };
    let name = format!("@{path}");
    for _ in 0..runs {
        let t0 = Instant::now();
        let chunk = match ferrous_syntax::parse(&src, name.as_bytes()) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("timing: {e}");
                return;
            }
        };
        let t1 = Instant::now();
        let proto = if parse_only {
            None
        } else {
            Some(ferrous_compiler::compile(&chunk))
        };
        let t2 = Instant::now();
        drop(proto);
        drop(chunk);
        let t3 = Instant::now();
        println!(
            "parse {:.3}s  compile {:.3}s  drop {:.3}s",
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
            (t3 - t2).as_secs_f64()
        );
    }
}
