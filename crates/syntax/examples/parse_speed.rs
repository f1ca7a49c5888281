//! Parses a file N times (default 5) and prints the time per parse and
//! MB/s: `parse_speed FILE [N] [--keep]`. The trees are dropped after each
//! parse unless `--keep` is given. `cargo xtask bench-parse` runs it with
//! N = 1 as its "parser alone" measurement.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: parse_speed FILE [N] [--keep]");
        std::process::exit(2);
    };
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let keep = args.iter().any(|a| a == "--keep");
    let src = match std::fs::read(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut kept = Vec::new();
    let start = std::time::Instant::now();
    for _ in 0..n {
        match ferrous_syntax::parse(&src, b"@bench") {
            Ok(c) if keep => kept.push(c),
            Ok(c) => drop(c),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    let t = start.elapsed().as_secs_f64() / n as f64;
    println!(
        "{:.1} ms per parse, {:.1} MB/s",
        t * 1000.0,
        src.len() as f64 / 1_048_576.0 / t
    );
    std::mem::forget(kept);
}
