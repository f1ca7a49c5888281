//! Prints the AST of a Lua file: `cargo run -p ferrous-syntax --example dump_ast FILE`.
fn main() {
    let path = std::env::args_os().nth(1).expect("usage: dump_ast FILE");
    let src = std::fs::read(&path).expect("cannot read file");
    let mut name = b"@".to_vec();
    name.extend_from_slice(path.to_string_lossy().as_bytes());
    match ferrous_syntax::parse(ferrous_syntax::skip_first_line(&src), &name) {
        Ok(chunk) => println!("{:#?}", chunk),
        Err(e) => eprintln!("{e}"),
    }
}
