//! Not written yet.

pub fn run(_args: Vec<String>) -> Result<(), String> {
    Err("bench_parse: not implemented yet".into())
}
