//! Not written yet.

pub fn run(_args: Vec<String>) -> Result<(), String> {
    Err("conformance_redis: not implemented yet".into())
}
