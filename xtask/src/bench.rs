//! Not written yet.

pub fn run(_args: Vec<String>) -> Result<(), String> {
    Err("bench: not implemented yet".into())
}
