//! Not written yet.

pub fn run(_args: Vec<String>) -> Result<(), String> {
    Err("bench_heap: not implemented yet".into())
}
