//! Hostile inputs: deep nesting and long chains must end in Lua's own
//! error (or parse), never overflow the Rust stack, even on a thread with a
//! small stack.
//!
//! The expected messages are what `luac5.1 -p` prints for the same inputs
//! (chunk name aside), except where noted: luac runs out of registers
//! ("function or expression too complex") on nested `f{` and `o:m(` before
//! it reaches the nesting limit; Ferrous lifts the register limit, so the
//! nesting limit is what stops those.

use ferrous_syntax::parse;

const SMALL_STACK: usize = 256 * 1024;
const N: usize = 100_000;

/// Parses `src` on a thread with a 256 KiB stack and returns the result as
/// text (`ok` or the error message).
fn parse_small_stack(src: Vec<u8>) -> String {
    let handle = std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || match parse(&src, b"=hostile") {
            Ok(chunk) => {
                // Dropping the tree must not recurse deeply either.
                drop(chunk);
                "ok".to_string()
            }
            Err(e) => e.to_string(),
        })
        .expect("spawn");
    handle.join().expect("parser thread panicked or overflowed")
}

fn rep(s: &str, n: usize) -> String {
    s.repeat(n)
}

#[test]
fn nested_parens() {
    let src = format!("x = {}1{}", rep("(", N), rep(")", N));
    assert_eq!(
        parse_small_stack(src.into_bytes()),
        "hostile:1: chunk has too many syntax levels"
    );
}

#[test]
fn nested_tables() {
    let src = format!("x = {}{}", rep("{", N), rep("}", N));
    assert_eq!(
        parse_small_stack(src.into_bytes()),
        "hostile:1: chunk has too many syntax levels"
    );
}

#[test]
fn nested_table_keys() {
    let src = format!("x = {}1{}", rep("{[", N), rep("]=1}", N));
    assert_eq!(
        parse_small_stack(src.into_bytes()),
        "hostile:1: chunk has too many syntax levels"
    );
}

#[test]
fn nested_functions() {
    let src = format!("x = {}1{}", rep("function() return ", N), rep(" end", N));
    assert_eq!(
        parse_small_stack(src.into_bytes()),
        "hostile:1: chunk has too many syntax levels"
    );
}

#[test]
fn nested_local_functions() {
    let src = format!("{}{}", rep("local function f() ", N), rep("end ", N));
    assert_eq!(
        parse_small_stack(src.into_bytes()),
        "hostile:1: chunk has too many syntax levels"
    );
}

#[test]
fn nested_blocks() {
    for (open, close) in [
        ("do ", "end "),
        ("while x do ", "end "),
        ("if x then ", "end "),
        ("repeat ", "until x "),
        ("if x then else ", "end "),
    ] {
        let src = format!("{}{}", rep(open, N), rep(close, N));
        assert_eq!(
            parse_small_stack(src.into_bytes()),
            "hostile:1: chunk has too many syntax levels",
            "{open}"
        );
    }
}

#[test]
fn nested_for_loops_run_out_of_locals() {
    for open in ["for i = 1, 2 do ", "for k in x do "] {
        let src = format!("{}{}", rep(open, N), rep("end ", N));
        assert_eq!(
            parse_small_stack(src.into_bytes()),
            "hostile:1: main function has more than 200 local variables",
            "{open}"
        );
    }
}

#[test]
fn nested_unary_operators() {
    for op in ["- ", "not ", "#"] {
        let src = format!("x = {}1", rep(op, N));
        assert_eq!(
            parse_small_stack(src.into_bytes()),
            "hostile:1: chunk has too many syntax levels",
            "{op}"
        );
    }
}

#[test]
fn right_associative_chains() {
    for op in [" .. ", " ^ "] {
        let src = format!("x = 1{}", rep(&format!("{op}1"), N));
        assert_eq!(
            parse_small_stack(src.into_bytes()),
            "hostile:1: chunk has too many syntax levels",
            "{op}"
        );
    }
}

#[test]
fn nested_calls_and_indexes() {
    for (open, close) in [("f(", ")"), ("t[", "]"), ("f{", "}"), ("o:m(", ")")] {
        let src = format!("x = {}1{}", rep(open, N), rep(close, N));
        assert_eq!(
            parse_small_stack(src.into_bytes()),
            "hostile:1: chunk has too many syntax levels",
            "{open}"
        );
    }
}

#[test]
fn long_flat_chains_parse() {
    // Loops in lparser.c, not recursion: these are valid at any length.
    let chains = [
        format!("x = a{}", rep(".b", N)),
        format!("f{}", rep("()", N)),
        format!("f{}", rep("'s'", N)),
        format!("x = t{}", rep("[1]", N)),
        format!("o{}", rep(":m()", N)),
        format!("x = 1{}", rep(" + 1", N)),
        format!("x = 1{}", rep(" and 1", N)),
        format!("x = 1{}", rep(" < 1", N)),
        rep("x = 1 ", N),
        rep("do local x = 1 end ", N),
        format!("t = {{{}}}", rep("1, ", N)),
    ];
    for src in chains {
        let head: String = src.chars().take(20).collect();
        assert_eq!(parse_small_stack(src.into_bytes()), "ok", "{head}");
    }
}

#[test]
fn many_locals_and_upvalues() {
    let src = format!(
        "local {}",
        (0..N)
            .map(|i| format!("v{i}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(
        parse_small_stack(src.into_bytes()),
        "hostile:1: main function has more than 200 local variables"
    );
    assert_eq!(
        parse_small_stack(rep("local x = 1 ", N).into_bytes()),
        "hostile:1: main function has more than 200 local variables"
    );
    let targets = (0..N)
        .map(|i| format!("a{i}"))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        parse_small_stack(format!("{targets} = 1").into_bytes()),
        "hostile:1: main function has more than 198 variables in assignment"
    );
}

#[test]
fn long_tokens() {
    let big = rep("a", 10 * N);
    for src in [
        format!("x = '{big}'"),
        format!("x = [[{big}]]"),
        format!("--[[{big}]]"),
        format!("-- {big}"),
        format!("{big} = 1"),
        format!("x = {}", rep("9", 10 * N)),
    ] {
        assert_eq!(parse_small_stack(src.into_bytes()), "ok");
    }
    assert_eq!(
        parse_small_stack(rep("\n", N).into_bytes()),
        "ok",
        "many empty lines"
    );
}
