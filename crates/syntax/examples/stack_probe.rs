//! Measures the smallest thread stack on which the parser survives each
//! kind of hostile nesting (100k levels, cut off by the level limit):
//! `cargo run --release -p ferrous-syntax --example stack_probe`.
//! Each probe runs in a child process, since a stack overflow aborts.

use std::process::{Command, Stdio};

const N: usize = 100_000;

fn source(case: &str) -> Option<String> {
    Some(match case {
        "parens" => format!("x = {}1{}", "(".repeat(N), ")".repeat(N)),
        "tables" => format!("x = {}", "{".repeat(N)),
        "table-keys" => format!("x = {}", "{[".repeat(N)),
        "functions" => format!("x = {}", "function() return ".repeat(N)),
        "local-functions" => "local function f() ".repeat(N),
        "do" => "do ".repeat(N),
        "while" => "while x do ".repeat(N),
        "if" => "if x then ".repeat(N),
        "if-else" => "if x then else ".repeat(N),
        "repeat" => "repeat ".repeat(N),
        "unary" => format!("x = {}1", "- ".repeat(N)),
        "concat" => format!("x = 1{}", " .. 1".repeat(N)),
        "calls" => format!("x = {}", "f(".repeat(N)),
        "string-calls" => format!("x = {}", "f{".repeat(N)),
        "index" => format!("x = {}", "t[".repeat(N)),
        "methods" => format!("x = {}", "o:m(".repeat(N)),
        _ => return None,
    })
}

const CASES: &[&str] = &[
    "parens",
    "tables",
    "table-keys",
    "functions",
    "local-functions",
    "do",
    "while",
    "if",
    "if-else",
    "repeat",
    "unary",
    "concat",
    "calls",
    "string-calls",
    "index",
    "methods",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 {
        // Child: parse one case on a thread with the given stack.
        let (Some(src), Ok(stack)) = (source(&args[1]), args[2].parse::<usize>()) else {
            std::process::exit(2);
        };
        let t = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || ferrous_syntax::parse(src.as_bytes(), b"=probe").is_err());
        let ok = t.ok().and_then(|h| h.join().ok()).unwrap_or(false);
        std::process::exit(if ok { 0 } else { 1 });
    }
    let me = std::env::current_exe().expect("current exe");
    let mut worst = 0;
    for case in CASES {
        let (mut lo, mut hi) = (16 * 1024usize, 64 << 20);
        while hi - lo > 1024 {
            let mid = (lo + hi) / 2;
            let ok = Command::new(&me)
                .args([case.to_string(), mid.to_string()])
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ok {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        worst = worst.max(hi);
        println!("{case:16} {:5} KiB", hi / 1024);
    }
    println!("{:16} {:5} KiB", "worst", worst / 1024);
}
