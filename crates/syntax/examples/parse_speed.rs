//! Parses a file N times and prints MB/s: `parse_speed FILE [N] [--keep]`.
//! (A profiling aid; `cargo xtask bench-parse` is the benchmark.)
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: parse_speed FILE [N] [--keep]");
        std::process::exit(2);
    };
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let keep = args.iter().any(|a| a == "--keep");
    let src = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut kept = Vec::new();
    let start = std::time::Instant::now();
    for _ in 0..n {
        match ferrous_syntax::parse(&src, b"@bench") {
            Ok(c) if keep => kept.push(c),
            Ok(c) => drop(c),
            Err(e) => panic!("{e}"),
        }
    }
    let t = start.elapsed().as_secs_f64() / n as f64;
    println!(
        "{:.1} ms per parse, {:.1} MB/s",
        t * 1000.0,
        src.len() as f64 / 1_048_576.0 / t
    );
    println!(
        "{} allocations, {} MB requested per parse",
        counting::ALLOCS.load(std::sync::atomic::Ordering::Relaxed) / n,
        counting::BYTES.load(std::sync::atomic::Ordering::Relaxed) / n / 1_048_576
    );
    std::mem::forget(kept);
}

mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};
    pub static ALLOCS: AtomicUsize = AtomicUsize::new(0);
    pub static BYTES: AtomicUsize = AtomicUsize::new(0);
    pub struct Counting;
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(l.size(), Ordering::Relaxed);
            System.alloc(l)
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            System.dealloc(p, l)
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(n.saturating_sub(l.size()), Ordering::Relaxed);
            System.realloc(p, l, n)
        }
    }
    #[global_allocator]
    static A: Counting = Counting;
}
