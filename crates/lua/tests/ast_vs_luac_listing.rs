//! The AST's scope information against luac5.1's own: for every valid
//! snippet under tests/syntax/ and every program under tests/lua/ that
//! luac5.1 accepts, `luac5.1 -l -l -p` lists each function prototype with its
//! line range, parameter count, vararg flag, upvalue names (in order),
//! local variable names (luac's `locvars`, in order) and number of nested
//! functions. The tree `ferrous_syntax::parse` builds must say the same.
//!
//! luac5.1 is required (`apt-get install lua5.1`).

use ferrous_syntax::ast::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, PartialEq, Default)]
struct Proto {
    line_defined: u32,
    last_line_defined: u32,
    num_params: u32,
    is_vararg: bool,
    upvalues: Vec<String>,
    locals: Vec<String>,
    functions: usize,
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or(manifest)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "lua") {
            out.push(p);
        }
    }
}

/// Parses the headers, locals and upvalues sections of `luac -l -l`.
fn luac_protos(listing: &str) -> Vec<Proto> {
    let mut protos: Vec<Proto> = Vec::new();
    let mut section = "";
    for line in listing.lines() {
        if line.starts_with("main <") || line.starts_with("function <") {
            let inside = &line[line.find('<').unwrap_or(0)..];
            let range = inside
                .split(':')
                .next_back()
                .and_then(|s| s.split('>').next())
                .unwrap_or("0,0");
            let mut it = range.split(',').map(|n| n.trim().parse().unwrap_or(0));
            protos.push(Proto {
                line_defined: it.next().unwrap_or(0),
                last_line_defined: it.next().unwrap_or(0),
                ..Proto::default()
            });
            section = "header";
        } else if section == "header" && line.contains(" param") {
            let p = protos.last_mut().expect("proto");
            let first = line.split(',').next().unwrap_or("");
            p.is_vararg = first.contains('+');
            p.num_params = first
                .trim_start()
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            for part in line.split(',') {
                let part = part.trim();
                if part.ends_with("function") || part.ends_with("functions") {
                    p.functions = part
                        .split(' ')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                }
            }
            section = "code";
        } else if line.starts_with("locals (") {
            section = "locals";
        } else if line.starts_with("upvalues (") {
            section = "upvalues";
        } else if line.starts_with("constants (") {
            section = "constants";
        } else if let Some(rest) = line.strip_prefix('\t') {
            let fields: Vec<&str> = rest.split('\t').collect();
            let p = protos.last_mut().expect("proto");
            match section {
                "locals" if fields.len() >= 2 => p.locals.push(fields[1].to_string()),
                "upvalues" if fields.len() >= 2 => p.upvalues.push(fields[1].to_string()),
                _ => {}
            }
        }
    }
    protos
}

/// The same summary from our tree, functions in luac's order (pre-order,
/// nested functions in the order they are closed, i.e. source order).
fn our_protos(chunk: &Chunk) -> Vec<Proto> {
    let mut out = Vec::new();
    visit_function(&chunk.main, &mut out);
    out
}

fn name(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn visit_function(f: &Function, out: &mut Vec<Proto>) {
    let index = out.len();
    out.push(Proto {
        line_defined: f.line_defined,
        last_line_defined: f.last_line_defined,
        num_params: f.num_params as u32,
        is_vararg: f.is_vararg,
        upvalues: f.upvalues.iter().map(|u| name(&u.name)).collect(),
        locals: f.locals.iter().map(|l| name(&l.name)).collect(),
        functions: 0,
    });
    let before = out.len();
    let mut children = Vec::new();
    block_functions(&f.body, &mut children);
    out[index].functions = children.len();
    for c in children {
        visit_function(c, out);
    }
    let _ = before;
}

fn block_functions<'a>(b: &'a Block, out: &mut Vec<&'a Function>) {
    for s in &b.stats {
        stat_functions(s, out);
    }
}

fn list_functions<'a>(l: &'a ExprList, out: &mut Vec<&'a Function>) {
    for e in &l.exprs {
        expr_functions(e, out);
    }
}

fn stat_functions<'a>(s: &'a Stat, out: &mut Vec<&'a Function>) {
    match &s.kind {
        StatKind::Call(c) => suffixed_functions(c, out),
        StatKind::Assign { targets, exprs } => {
            for t in targets {
                expr_functions(t, out);
            }
            list_functions(exprs, out);
        }
        StatKind::Local { exprs, .. } => list_functions(exprs, out),
        StatKind::LocalFunction { func, .. } => out.push(func),
        StatKind::Function { target, func, .. } => {
            expr_functions(target, out);
            out.push(func);
        }
        StatKind::Do(b) => block_functions(b, out),
        StatKind::While(w) => {
            expr_functions(&w.cond, out);
            block_functions(&w.body, out);
        }
        StatKind::Repeat(r) => {
            block_functions(&r.body, out);
            expr_functions(&r.cond, out);
        }
        StatKind::If(i) => {
            for c in &i.clauses {
                expr_functions(&c.cond, out);
                block_functions(&c.block, out);
            }
            if let Some(e) = &i.else_block {
                block_functions(&e.block, out);
            }
        }
        StatKind::NumericFor(n) => {
            expr_functions(&n.start, out);
            expr_functions(&n.limit, out);
            if let Some(s) = &n.step {
                expr_functions(s, out);
            }
            block_functions(&n.body, out);
        }
        StatKind::GenericFor(g) => {
            list_functions(&g.exprs, out);
            block_functions(&g.body, out);
        }
        StatKind::Return { exprs } => list_functions(exprs, out),
        StatKind::Break { .. } => {}
    }
}

fn suffixed_functions<'a>(s: &'a SuffixedExpr, out: &mut Vec<&'a Function>) {
    expr_functions(&s.base, out);
    for x in &s.suffixes {
        match &x.kind {
            SuffixKind::Field { .. } => {}
            SuffixKind::Index(k) => expr_functions(k, out),
            SuffixKind::Call(a) | SuffixKind::Method { args: a, .. } => {
                list_functions(&a.list, out)
            }
        }
    }
}

fn expr_functions<'a>(e: &'a Expr, out: &mut Vec<&'a Function>) {
    match &e.kind {
        ExprKind::Function(f) => out.push(f),
        ExprKind::Table(t) => {
            for item in &t.items {
                match &item.kind {
                    TableItemKind::Positional(v) | TableItemKind::Named { value: v, .. } => {
                        expr_functions(v, out)
                    }
                    TableItemKind::Keyed { key, value } => {
                        expr_functions(key, out);
                        expr_functions(value, out);
                    }
                }
            }
        }
        ExprKind::Paren(inner) => expr_functions(inner, out),
        ExprKind::Suffixed(s) => suffixed_functions(s, out),
        ExprKind::Binary(b) => {
            expr_functions(&b.first, out);
            for op in &b.ops {
                expr_functions(&op.rhs, out);
            }
        }
        ExprKind::Unary(u) => expr_functions(&u.operand, out),
        _ => {}
    }
}

#[test]
fn prototypes_match_luac_listing() {
    let ok = Command::new("luac5.1")
        .arg("-v")
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "luac5.1 is missing (it is this test's oracle): apt-get install lua5.1"
    );
    let root = workspace_root();
    let mut files = Vec::new();
    collect(&root.join("tests/syntax/valid"), &mut files);
    collect(&root.join("tests/lua"), &mut files);
    let mut compared = 0;
    let mut failures = Vec::new();
    for path in &files {
        let out = Command::new("luac5.1")
            .args(["-l", "-l", "-p"])
            .arg(path)
            .output()
            .expect("run luac5.1");
        if !out.status.success() {
            continue; // not valid Lua 5.1, or over one of luac's limits
        }
        let listing = String::from_utf8_lossy(&out.stdout);
        let want = luac_protos(&listing);
        let src = std::fs::read(path).expect("read");
        let mut chunkname = b"@".to_vec();
        chunkname.extend_from_slice(path.to_string_lossy().as_bytes());
        let got = match ferrous_syntax::parse(ferrous_syntax::skip_first_line(&src), &chunkname) {
            Ok(chunk) => our_protos(&chunk),
            Err(e) => {
                failures.push(format!("{}: we reject it: {e}", path.display()));
                continue;
            }
        };
        compared += 1;
        if want != got {
            let at = want
                .iter()
                .zip(&got)
                .position(|(a, b)| a != b)
                .unwrap_or(want.len().min(got.len()));
            failures.push(format!(
                "{}: function #{at} differs\n  luac: {:?}\n  ours: {:?}",
                path.display(),
                want.get(at),
                got.get(at)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files differ:\n{}",
        failures.len(),
        compared,
        failures.join("\n")
    );
    eprintln!("{compared} files: every prototype matches luac5.1's listing");
}
