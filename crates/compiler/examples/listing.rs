//! Prints the listing of Lua files like `luac5.1 -l -l -p FILE...` does
//! (one file at a time): `cargo run -p ferrous-compiler --example listing -- FILE`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for path in std::env::args().skip(1) {
        let contents = match std::fs::read(&path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("listing: cannot open {path}: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        let source = ferrous_syntax::skip_first_line(&contents);
        let chunkname = format!("@{path}");
        match ferrous_compiler::compile_source(source, chunkname.as_bytes()) {
            Ok(p) => print!("{}", ferrous_compiler::listing(&p, true)),
            Err(e) => {
                eprintln!("listing: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
