//! Prints the tree of a Lua file: `cargo run -p ferrous-syntax --example dump_ast FILE [--debug]`.
use std::io::Write;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump_ast FILE [--debug]");
        std::process::exit(2);
    };
    let debug = args.next().is_some_and(|a| a == "--debug");
    let src = match std::fs::read(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.to_string_lossy());
            std::process::exit(1);
        }
    };
    let mut name = b"@".to_vec();
    name.extend_from_slice(path.to_string_lossy().as_bytes());
    match ferrous_syntax::parse(ferrous_syntax::skip_first_line(&src), &name) {
        Ok(chunk) if debug => println!("{chunk:#?}"),
        Ok(chunk) => print!("{}", ferrous_syntax::printer::dump(&chunk)),
        Err(e) => {
            let _ = std::io::stderr().write_all(e.message());
            eprintln!();
            std::process::exit(1);
        }
    }
}
