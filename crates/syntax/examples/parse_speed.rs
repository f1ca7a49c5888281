//! Parses a file N times (default 1) and prints the time per parse and
//! MB/s: `parse_speed [-n N] [--keep] FILE`. The trees are dropped after
//! each parse unless `--keep` is given. `cargo xtask bench-parse` runs it
//! as its "parser alone" measurement.
fn main() {
    let mut n = 1usize;
    let mut keep = false;
    let mut path = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--keep" => keep = true,
            "-n" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or(1).max(1),
            _ => path = Some(a),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: parse_speed [-n N] [--keep] FILE");
        std::process::exit(2);
    };
    let src = match std::fs::read(&path) {
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
