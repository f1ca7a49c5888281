//! Hostile and oversized programs: the compiler never overflows the Rust
//! stack (nesting is bounded by the parser; lists are walked iteratively),
//! and it compiles programs beyond luac's limits, which only the wide
//! operands make possible, with the one error left: "function or
//! expression too complex" past 32768 registers.

use ferrous_compiler::{compile, compile_source, Instr, Proto};

const SMALL_STACK: usize = 256 * 1024;

/// A nesting kind: its name and the program with `n` levels.
type Kind = (&'static str, Box<dyn Fn(usize) -> String>);

/// Parses on the current thread, then compiles on a thread with a small
/// stack; returns "ok" or the error message. Parsing and compiling
/// together (`compile_source`, which compiles each function as the parser
/// closes it) must fit the same small stack and agree.
fn compile_small_stack(src: String) -> String {
    let together = {
        let src = src.clone();
        std::thread::Builder::new()
            .stack_size(SMALL_STACK)
            .spawn(move || match compile_source(src.as_bytes(), b"=t") {
                Ok(p) => ferrous_compiler::verify(&p).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            })
            .expect("spawning")
            .join()
            .expect("parse+compile thread panicked or overflowed its stack")
    };
    let chunk = match ferrous_syntax::parse(src.as_bytes(), b"=t") {
        Ok(c) => c,
        Err(e) => {
            assert_eq!(together, Err(e.to_string()));
            return format!("syntax: {e}");
        }
    };
    let separate = std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || match compile(&chunk) {
            Ok(p) => match ferrous_compiler::verify(&p) {
                Ok(()) => "ok".to_string(),
                Err(e) => format!("verify: {e}"),
            },
            Err(e) => e.to_string(),
        })
        .expect("spawning")
        .join()
        .expect("compiler thread panicked or overflowed its stack");
    match &together {
        Ok(()) => assert_eq!(separate, "ok"),
        Err(e) => assert!(separate.ends_with(e.as_str()), "{separate} / {e}"),
    }
    separate
}

fn rep(s: &str, n: usize) -> String {
    s.repeat(n)
}

/// The deepest `n` for which `make(n)` still parses.
fn deepest(make: &dyn Fn(usize) -> String) -> usize {
    let mut n = 1;
    while n < 400 && ferrous_syntax::parse(make(n + 1).as_bytes(), b"=t").is_ok() {
        n += 1;
    }
    n
}

#[test]
fn deepest_nesting_of_every_kind_compiles_on_a_small_stack() {
    let kinds: Vec<Kind> = vec![
        (
            "parens",
            Box::new(|n| format!("x = {}y{}", rep("(", n), rep(")", n))),
        ),
        (
            "unary minus",
            Box::new(|n| format!("x = {}y", rep("- ", n))),
        ),
        ("not", Box::new(|n| format!("x = {}y", rep("not ", n)))),
        ("len", Box::new(|n| format!("x = {}y", rep("#", n)))),
        ("concat", Box::new(|n| format!("x = y{}", rep(" .. y", n)))),
        ("pow", Box::new(|n| format!("x = y{}", rep(" ^ y", n)))),
        (
            "mixed binary",
            Box::new(|n| format!("x = {}y{}", rep("a + (b * (", n), rep("))", n))),
        ),
        (
            "and/or",
            Box::new(|n| format!("if {}y{} then end", rep("a and (b or (", n), rep("))", n))),
        ),
        (
            "comparisons",
            Box::new(|n| format!("x = {}y{}", rep("a < (b == (", n), rep("))", n))),
        ),
        (
            "calls",
            Box::new(|n| format!("f({}1{})", rep("f(", n), rep(")", n))),
        ),
        (
            "index",
            Box::new(|n| format!("x = {}1{}", rep("t[", n), rep("]", n))),
        ),
        (
            "tables",
            Box::new(|n| format!("x = {}{}", rep("{", n), rep("}", n))),
        ),
        (
            "keyed tables",
            Box::new(|n| format!("x = {}1{}", rep("{[", n), rep("] = 1}", n))),
        ),
        (
            "functions",
            Box::new(|n| {
                format!(
                    "local a; x = {}a{}",
                    rep("function() return ", n),
                    rep(" end", n)
                )
            }),
        ),
        (
            "local functions",
            Box::new(|n| {
                format!(
                    "local a {}a = 1{}",
                    rep("local function f() ", n),
                    rep(" end", n)
                )
            }),
        ),
        (
            "do",
            Box::new(|n| format!("{}local a{}", rep("do ", n), rep(" end", n))),
        ),
        (
            "while",
            Box::new(|n| format!("{}break{}", rep("while x do ", n), rep(" end", n))),
        ),
        (
            "if",
            Box::new(|n| format!("{}x = 1{}", rep("if x then ", n), rep(" else end", n))),
        ),
        (
            "repeat",
            Box::new(|n| format!("{}local a{}", rep("repeat ", n), rep(" until a", n))),
        ),
        (
            "for",
            Box::new(|n| format!("{}g = i{}", rep("for i = 1, 2 do ", n), rep(" end", n))),
        ),
        (
            "for in",
            Box::new(|n| format!("{}g = k{}", rep("for k in x do ", n), rep(" end", n))),
        ),
        (
            "closures capturing loop variables",
            Box::new(|n| {
                format!(
                    "{}g = function() return i end{}",
                    rep("for i = 1, 2 do local j = i ", n),
                    rep(" end", n)
                )
            }),
        ),
    ];
    for (name, make) in &kinds {
        let n = deepest(make.as_ref());
        assert!(n >= 30, "{name}: only {n} levels parse");
        let r = compile_small_stack(make(n));
        assert!(
            r == "ok" || r.contains("too complex"),
            "{name} ({n} levels): {r}"
        );
    }
}

#[test]
fn long_lists_compile_iteratively() {
    let n = 100_000;
    let cases = [
        format!("x = y{}", rep(" + y", n)),
        format!("x = 1{}", rep(" + 1", n)),
        format!("x = y{}", rep(" and y", n)),
        format!("x = y{}", rep(" or y", n)),
        format!("x = y{}", rep(" == y", n)),
        format!("x = a{}", rep(".b", n)),
        format!("x = a{}", rep("[1]", n)),
        format!("x = a{}", rep(":m()", n)),
        format!("f{}", rep("()", n)),
        format!("x = {{{}}}", rep("1, ", n)),
        format!("x = {{{}}}", rep("a = 1, ", n)),
        format!("x = {{{}}}", rep("[1] = 1, ", n)),
        format!("x = {{{}f()}}", rep("f(), ", n)),
        rep("x = 1\n", n),
        rep("local x = 1\n", n),
        format!("local t = {{}} {}", rep("t[1], ", n) + "t[1] = 1"),
    ];
    for src in cases {
        let head: String = src.chars().take(30).collect();
        let r = compile_small_stack(src);
        assert!(
            r == "ok" || r.contains("too complex") || r.starts_with("syntax:"),
            "{head}: {r}"
        );
    }
}

fn compiled(src: &str) -> Proto {
    let p = compile_source(src.as_bytes(), b"=t").unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = ferrous_compiler::verify(&p) {
        panic!("{e}");
    }
    p
}

#[test]
fn beyond_luac_register_limit() {
    // luac5.1: "function or expression too complex" (more than 249 slots).
    let args: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
    let p = compiled(&format!("f({})", args.join(", ")));
    assert_eq!(p.max_stack, 1001);
    assert!(p.code.iter().any(|i| matches!(
        i,
        Instr::Call {
            a: 0,
            b: 1001,
            c: 1
        }
    )));
    assert!(p
        .code
        .iter()
        .any(|i| matches!(i, Instr::LoadK { a: 1000, .. })));

    // Registers stop at 32767: one more is the luac error.
    let args: Vec<&str> = vec!["x"; 32767];
    let p = compiled(&format!("f({})", args.join(", ")));
    assert_eq!(p.max_stack, 32768);
    let args: Vec<&str> = vec!["x"; 32768];
    let err = compile_source(format!("f({})", args.join(", ")).as_bytes(), b"=t").unwrap_err();
    assert_eq!(err.to_string(), "t:1: function or expression too complex");
}

#[test]
fn beyond_luac_constant_limits() {
    // More than 2^18 constants (luac: "constant table overflow") and RK
    // operands past 255 loaded with LOADK as luac does.
    let n = 300_000;
    let items: Vec<String> = (0..n).map(|i| format!("{i}.5")).collect();
    let src = format!("local t = {{{}}}\nx = y + 0.25", items.join(","));
    let p = compiled(&src);
    assert_eq!(p.constants.len(), n + 3);
    let last = p.code.len();
    // x = y + 0.25: GETGLOBAL, LOADK (the constant is past 255), ADD, SETGLOBAL
    assert!(
        matches!(
            &p.code[last - 5..last - 1],
            [
                Instr::GetGlobal { .. },
                Instr::LoadK { .. },
                Instr::Add { .. },
                Instr::SetGlobal { .. }
            ]
        ),
        "{:?}",
        &p.code[last - 5..]
    );
    // SETLIST block numbers beyond 511 fit in the operand (no extra word).
    let flushes = p
        .code
        .iter()
        .filter(|i| matches!(i, Instr::SetList { .. }))
        .count();
    assert_eq!(flushes, n.div_ceil(50));
    assert!(p.code.iter().any(|i| matches!(
        i,
        Instr::SetList { c, .. } if *c as usize == n.div_ceil(50)
    )));
}

#[test]
fn beyond_luac_jump_limit() {
    // A loop body longer than luac's sBx range (131071 instructions).
    let src = format!("while x do {} end", rep("y = 1 ", 70_000));
    let p = compiled(&src);
    let back = p
        .code
        .iter()
        .rev()
        .find_map(|i| match i {
            Instr::Jmp { sbx } if *sbx < 0 => Some(*sbx),
            _ => None,
        })
        .expect("backward jump");
    assert!(back < -140_000, "{back}");
}
