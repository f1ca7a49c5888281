//! The listing `luac5.1 -l` prints (`-l -l` with `full`): same layout,
//! opcode names, operand printing (constants as `-1-k`, `; comment`
//! columns, jump targets, closures, upvalue names).
//!
//! Two things cannot be luac's: the addresses (`at 0x...`, `for 0x...`,
//! `CLOSURE`'s comment) are fake but stable, `0x` followed by the
//! function's position in the listing (main is 1), so that a closure can be
//! matched with the function it creates; and the byte count is luac's
//! (4 bytes per instruction), not the size of Ferrous's instructions.

use std::fmt::Write;

use crate::bytecode::{is_k, k_index, Constant, Instr, Proto};

/// Renders `p` and its nested functions as `luac5.1 -l` (or `-l -l` when
/// `full`) does.
pub fn listing(p: &Proto, full: bool) -> String {
    let mut out = String::new();
    // Preorder walk with an explicit stack: (proto, its id).
    let mut next_id = 1usize;
    let mut stack: Vec<(&Proto, usize)> = vec![(p, next_id)];
    while let Some((f, id)) = stack.pop() {
        // Ids of the children in preorder: each child's subtree follows
        // the previous one.
        let mut child_ids = Vec::with_capacity(f.protos.len());
        let mut cur = id + 1;
        for c in &f.protos {
            child_ids.push(cur);
            cur += count(c);
        }
        next_id = next_id.max(cur);
        print_function(&mut out, f, id, &child_ids, full);
        for (c, &cid) in f.protos.iter().zip(&child_ids).rev() {
            stack.push((c, cid));
        }
    }
    out
}

/// Number of functions in the tree of `p` (iterative).
fn count(p: &Proto) -> usize {
    let mut n = 0;
    let mut stack = vec![p];
    while let Some(f) = stack.pop() {
        n += 1;
        stack.extend(f.protos.iter().map(|c| &**c));
    }
    n
}

fn addr(id: usize) -> String {
    format!("0x{id:08x}")
}

/// `S(x)`: the plural ending.
fn s(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A C string's bytes (up to the first NUL) as text.
fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn print_function(out: &mut String, f: &Proto, id: usize, child_ids: &[usize], full: bool) {
    // PrintHeader
    let source = match f.source.first() {
        Some(b'@') | Some(b'=') => cstr(&f.source[1..]),
        Some(0x1b) => "(bstring)".to_string(),
        _ => "(string)".to_string(),
    };
    let n = f.code.len();
    let _ = writeln!(
        out,
        "\n{} <{}:{},{}> ({} instruction{}, {} bytes at {})",
        if f.line_defined == 0 {
            "main"
        } else {
            "function"
        },
        source,
        f.line_defined,
        f.last_line_defined,
        n,
        s(n),
        n * 4,
        addr(id)
    );
    let np = f.num_params as usize;
    let _ = write!(
        out,
        "{}{} param{}, {} slot{}, {} upvalue{}, ",
        np,
        if f.is_vararg != 0 { "+" } else { "" },
        s(np),
        f.max_stack,
        s(f.max_stack as usize),
        f.num_upvalues(),
        s(f.num_upvalues())
    );
    let _ = writeln!(
        out,
        "{} local{}, {} constant{}, {} function{}",
        f.locvars.len(),
        s(f.locvars.len()),
        f.constants.len(),
        s(f.constants.len()),
        f.protos.len(),
        s(f.protos.len())
    );
    print_code(out, f, child_ids);
    if full {
        let _ = writeln!(out, "constants ({}) for {}:", f.constants.len(), addr(id));
        for (i, _) in f.constants.iter().enumerate() {
            let _ = write!(out, "\t{}\t", i + 1);
            print_constant(out, f, i);
            out.push('\n');
        }
        let _ = writeln!(out, "locals ({}) for {}:", f.locvars.len(), addr(id));
        for (i, v) in f.locvars.iter().enumerate() {
            let _ = writeln!(
                out,
                "\t{}\t{}\t{}\t{}",
                i,
                cstr(&v.name),
                v.start_pc + 1,
                v.end_pc + 1
            );
        }
        let _ = writeln!(out, "upvalues ({}) for {}:", f.num_upvalues(), addr(id));
        for (i, name) in f.upvalue_names.iter().enumerate() {
            let _ = writeln!(out, "\t{}\t{}", i, cstr(name));
        }
    }
}

/// `PrintConstant`.
fn print_constant(out: &mut String, f: &Proto, i: usize) {
    match f.constants.get(i) {
        Some(Constant::Nil) => out.push_str("nil"),
        Some(Constant::Boolean(b)) => out.push_str(if *b { "true" } else { "false" }),
        Some(Constant::Number(n)) => out.push_str(ferrous_value::number::fmt_number(*n).as_str()),
        Some(Constant::String(s)) => print_string(out, s),
        None => out.push('?'),
    }
}

/// `PrintString`: quoted, with C escapes and `\ddd` for the rest.
fn print_string(out: &mut String, s: &[u8]) {
    out.push('"');
    for &c in s {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            12 => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            11 => out.push_str("\\v"),
            0x20..=0x7e => out.push(c as char),
            _ => {
                let _ = write!(out, "\\{c:03}");
            }
        }
    }
    out.push('"');
}

/// An RK operand as luac prints it (constants as `-1-k`).
fn rk(x: u16) -> i64 {
    if is_k(x) {
        -1 - k_index(x) as i64
    } else {
        x as i64
    }
}

/// The name and the operand text of an instruction.
fn operands(i: &Instr) -> (&'static str, String) {
    use Instr::*;
    match *i {
        Move { a, b } => ("MOVE", format!("{a} {b}")),
        LoadK { a, bx } => ("LOADK", format!("{a} {}", -1 - bx as i64)),
        LoadBool { a, b, c } => ("LOADBOOL", format!("{a} {b} {c}")),
        LoadNil { a, b } => ("LOADNIL", format!("{a} {b}")),
        GetUpval { a, b } => ("GETUPVAL", format!("{a} {b}")),
        GetGlobal { a, bx } => ("GETGLOBAL", format!("{a} {}", -1 - bx as i64)),
        GetTable { a, b, c } => ("GETTABLE", format!("{a} {b} {}", rk(c))),
        SetGlobal { a, bx } => ("SETGLOBAL", format!("{a} {}", -1 - bx as i64)),
        SetUpval { a, b } => ("SETUPVAL", format!("{a} {b}")),
        SetTable { a, b, c } => ("SETTABLE", format!("{a} {} {}", rk(b), rk(c))),
        NewTable { a, b, c } => ("NEWTABLE", format!("{a} {b} {c}")),
        SelfOp { a, b, c } => ("SELF", format!("{a} {b} {}", rk(c))),
        Add { a, b, c } => ("ADD", format!("{a} {} {}", rk(b), rk(c))),
        Sub { a, b, c } => ("SUB", format!("{a} {} {}", rk(b), rk(c))),
        Mul { a, b, c } => ("MUL", format!("{a} {} {}", rk(b), rk(c))),
        Div { a, b, c } => ("DIV", format!("{a} {} {}", rk(b), rk(c))),
        Mod { a, b, c } => ("MOD", format!("{a} {} {}", rk(b), rk(c))),
        Pow { a, b, c } => ("POW", format!("{a} {} {}", rk(b), rk(c))),
        Unm { a, b } => ("UNM", format!("{a} {b}")),
        Not { a, b } => ("NOT", format!("{a} {b}")),
        Len { a, b } => ("LEN", format!("{a} {b}")),
        Concat { a, b, c } => ("CONCAT", format!("{a} {b} {c}")),
        Jmp { sbx } => ("JMP", format!("{sbx}")),
        Eq { a, b, c } => ("EQ", format!("{a} {} {}", rk(b), rk(c))),
        Lt { a, b, c } => ("LT", format!("{a} {} {}", rk(b), rk(c))),
        Le { a, b, c } => ("LE", format!("{a} {} {}", rk(b), rk(c))),
        Test { a, c } => ("TEST", format!("{a} 0 {c}")),
        TestSet { a, b, c } => ("TESTSET", format!("{a} {b} {c}")),
        Call { a, b, c } => ("CALL", format!("{a} {b} {c}")),
        TailCall { a, b, c } => ("TAILCALL", format!("{a} {b} {c}")),
        Return { a, b } => ("RETURN", format!("{a} {b}")),
        ForLoop { a, sbx } => ("FORLOOP", format!("{a} {sbx}")),
        ForPrep { a, sbx } => ("FORPREP", format!("{a} {sbx}")),
        TForLoop { a, c } => ("TFORLOOP", format!("{a} {c}")),
        // luac prints C as an RK operand (256..=511 negative), and 0 for a
        // block number in the next word.
        SetList { a, b, c } => {
            let shown = match c {
                0..=255 => c as i64,
                256..=511 => 255 - c as i64,
                _ => 0,
            };
            ("SETLIST", format!("{a} {b} {shown}"))
        }
        Close { a } => ("CLOSE", format!("{a}")),
        Closure { a, bx } => ("CLOSURE", format!("{a} {bx}")),
        VarArg { a, b } => ("VARARG", format!("{a} {b}")),
    }
}

/// Whether the instruction at `pc` stands for the code word of a SETLIST
/// block number above 511 (see [`crate::bytecode::MAX_SETLIST_C`]).
fn is_setlist_word(f: &Proto, pc: usize) -> bool {
    matches!(f.code.get(pc), Some(Instr::Jmp { sbx: 0 }))
        && matches!(
            f.code.get(pc.wrapping_sub(1)),
            Some(Instr::SetList { c, .. }) if *c > crate::bytecode::MAX_SETLIST_C
        )
}

/// `PrintCode`.
fn print_code(out: &mut String, f: &Proto, child_ids: &[usize]) {
    for (pc, i) in f.code.iter().enumerate() {
        // The place of a SETLIST block word, which luac does not list.
        if pc > 0 && is_setlist_word(f, pc) {
            continue;
        }
        let line = f.lines.get(pc).copied().unwrap_or(0);
        let _ = write!(out, "\t{}\t", pc + 1);
        if line > 0 {
            let _ = write!(out, "[{line}]\t");
        } else {
            out.push_str("[-]\t");
        }
        let (name, ops) = operands(i);
        let _ = write!(out, "{name:<9}\t{ops}");
        let upname = |b: u16| -> String {
            if f.upvalue_names.is_empty() {
                "-".to_string()
            } else {
                f.upvalue_names
                    .get(b as usize)
                    .map_or_else(|| "-".to_string(), |n| cstr(n))
            }
        };
        let binop = |out: &mut String, b: u16, c: u16| {
            if is_k(b) || is_k(c) {
                out.push_str("\t; ");
                if is_k(b) {
                    print_constant(out, f, k_index(b) as usize);
                } else {
                    out.push('-');
                }
                out.push(' ');
                if is_k(c) {
                    print_constant(out, f, k_index(c) as usize);
                } else {
                    out.push('-');
                }
            }
        };
        match *i {
            Instr::LoadK { bx, .. } => {
                out.push_str("\t; ");
                print_constant(out, f, bx as usize);
            }
            Instr::GetUpval { b, .. } | Instr::SetUpval { b, .. } => {
                let _ = write!(out, "\t; {}", upname(b));
            }
            Instr::GetGlobal { bx, .. } | Instr::SetGlobal { bx, .. } => {
                let name = match f.constants.get(bx as usize) {
                    Some(Constant::String(s)) => cstr(s),
                    _ => "?".to_string(),
                };
                let _ = write!(out, "\t; {name}");
            }
            Instr::GetTable { c, .. } | Instr::SelfOp { c, .. } if is_k(c) => {
                out.push_str("\t; ");
                print_constant(out, f, k_index(c) as usize);
            }
            Instr::SetTable { b, c, .. }
            | Instr::Add { b, c, .. }
            | Instr::Sub { b, c, .. }
            | Instr::Mul { b, c, .. }
            | Instr::Div { b, c, .. }
            | Instr::Pow { b, c, .. }
            | Instr::Eq { b, c, .. }
            | Instr::Lt { b, c, .. }
            | Instr::Le { b, c, .. } => binop(out, b, c),
            Instr::Jmp { sbx } | Instr::ForLoop { sbx, .. } | Instr::ForPrep { sbx, .. } => {
                let _ = write!(out, "\t; to {}", sbx as i64 + pc as i64 + 2);
            }
            Instr::Closure { bx, .. } => {
                let id = child_ids.get(bx as usize).copied().unwrap_or(0);
                let _ = write!(out, "\t; {}", addr(id));
            }
            Instr::SetList { c, .. } => {
                let _ = write!(out, "\t; {c}");
            }
            _ => {}
        }
        out.push('\n');
    }
}
