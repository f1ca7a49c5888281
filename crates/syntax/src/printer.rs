//! A compact, stable text form of the tree, for snapshots and debugging.
//!
//! One line per statement, indented by block; expressions as
//! S-expressions. Lines appear as `@N` on a node whose line differs from
//! the statement it belongs to, and as `[first-last]` on statements.
//! Locals print as `name#id/rR` (id in `Function::locals`, register R),
//! upvalues as `^name#i`, globals as `$name`.

use crate::ast::*;
use std::fmt::Write;

/// Renders `chunk` as text.
pub fn dump(chunk: &Chunk) -> String {
    let mut p = Printer {
        out: String::new(),
        funcs: Vec::new(),
        line: 0,
    };
    p.function("main", &chunk.main, 0);
    p.out
}

struct Printer<'a> {
    out: String,
    /// Enclosing functions (innermost last), to name locals and upvalues.
    funcs: Vec<&'a Function>,
    /// Line of the statement being printed.
    line: Line,
}

fn bytes(b: &[u8]) -> String {
    let mut s = String::from("\"");
    for &c in b {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            0x20..=0x7e => s.push(c as char),
            _ => {
                let _ = write!(s, "\\{c}");
            }
        }
    }
    s.push('"');
    s
}

fn name(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl<'a> Printer<'a> {
    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn at(&self, line: Line) -> String {
        if line == self.line {
            String::new()
        } else {
            format!("@{line}")
        }
    }

    fn function(&mut self, what: &str, f: &'a Function, depth: usize) {
        self.indent(depth);
        let _ = write!(
            self.out,
            "{what} <{},{}> params={}{}",
            f.line_defined,
            f.last_line_defined,
            f.num_params,
            if f.is_vararg { "+" } else { "" }
        );
        if f.has_arg {
            self.out
                .push_str(if f.needs_arg { " arg(needed)" } else { " arg" });
        }
        self.out.push('\n');
        if !f.upvalues.is_empty() {
            self.indent(depth + 1);
            self.out.push_str("upvalues:");
            for (i, u) in f.upvalues.iter().enumerate() {
                let src = match u.source {
                    UpvalSource::ParentLocal { slot, id } => format!("local#{id}/r{slot}"),
                    UpvalSource::ParentUpvalue(j) => format!("up{j}"),
                };
                let _ = write!(self.out, " {i}:{}<-{src}", name(&u.name));
            }
            self.out.push('\n');
        }
        if !f.locals.is_empty() {
            self.indent(depth + 1);
            self.out.push_str("locals:");
            for (i, l) in f.locals.iter().enumerate() {
                let _ = write!(
                    self.out,
                    " {}#{i}/r{}{}",
                    name(&l.name),
                    l.slot,
                    if l.captured { "*" } else { "" }
                );
            }
            self.out.push('\n');
        }
        self.funcs.push(f);
        self.block(&f.body, depth + 1);
        self.funcs.pop();
    }

    fn block(&mut self, b: &'a Block, depth: usize) {
        for s in &b.stats {
            self.stat(s, depth);
        }
        self.indent(depth);
        let _ = writeln!(
            self.out,
            "(block end @{}{})",
            b.end_line,
            if b.needs_close { " close" } else { "" }
        );
    }

    fn local(&self, id: LocalId) -> String {
        let f = self.funcs.last();
        match f.and_then(|f| f.locals.get(id as usize)) {
            Some(l) => format!("{}#{id}/r{}", name(&l.name), l.slot),
            None => format!("?#{id}"),
        }
    }

    fn list(&mut self, l: &'a ExprList) -> String {
        let mut parts = Vec::new();
        for (i, e) in l.exprs.iter().enumerate() {
            let mut s = self.expr(e);
            if let Some(&c) = l.comma_lines.get(i) {
                if c != e.end_line {
                    let _ = write!(s, " ,@{c}");
                }
            }
            parts.push(s);
        }
        parts.join(", ")
    }

    fn stat(&mut self, s: &'a Stat, depth: usize) {
        self.line = s.line;
        self.indent(depth);
        let _ = write!(self.out, "[{}-{}] ", s.line, s.end_line);
        match &s.kind {
            StatKind::Call(c) => {
                let t = self.suffixed(c);
                let _ = writeln!(self.out, "call {t}");
            }
            StatKind::Assign { targets, exprs } => {
                let t: Vec<String> = targets.iter().map(|t| self.expr(t)).collect();
                let e = self.list(exprs);
                let _ = writeln!(self.out, "{} = {e}", t.join(", "));
            }
            StatKind::Local { locals, exprs } => {
                let names: Vec<String> = locals.iter().map(|&id| self.local(id)).collect();
                if exprs.exprs.is_empty() {
                    let _ = writeln!(self.out, "local {}", names.join(", "));
                } else {
                    let e = self.list(exprs);
                    let _ = writeln!(self.out, "local {} = {e}", names.join(", "));
                }
            }
            StatKind::LocalFunction { local, func } => {
                let n = self.local(*local);
                self.out.push_str(&format!("local function {n}\n"));
                self.function("function", func, depth + 1);
            }
            StatKind::Function {
                target,
                is_method,
                func,
            } => {
                let t = self.expr(target);
                let _ = writeln!(
                    self.out,
                    "function {t}{}",
                    if *is_method { " (method)" } else { "" }
                );
                self.function("function", func, depth + 1);
            }
            StatKind::Do(b) => {
                self.out.push_str("do\n");
                self.block(b, depth + 1);
            }
            StatKind::While(w) => {
                let c = self.expr(&w.cond);
                let _ = writeln!(self.out, "while {c} do@{}", w.do_line);
                self.block(&w.body, depth + 1);
            }
            StatKind::Repeat(r) => {
                let _ = writeln!(self.out, "repeat");
                self.block(&r.body, depth + 1);
                self.line = r.until_line;
                let c = self.expr(&r.cond);
                self.indent(depth);
                let _ = writeln!(self.out, "until@{} {c}", r.until_line);
            }
            StatKind::If(i) => {
                self.out.push_str("if\n");
                for c in &i.clauses {
                    self.line = c.line;
                    let cond = self.expr(&c.cond);
                    self.indent(depth + 1);
                    let _ = writeln!(self.out, "@{} {cond} then@{}", c.line, c.then_line);
                    self.block(&c.block, depth + 2);
                }
                if let Some(e) = &i.else_block {
                    self.indent(depth + 1);
                    let _ = writeln!(self.out, "else@{}", e.line);
                    self.block(&e.block, depth + 2);
                }
            }
            StatKind::NumericFor(n) => {
                let v = self.local(n.var);
                let ctl: Vec<String> = n.control.iter().map(|&id| self.local(id)).collect();
                let start = self.expr(&n.start);
                let limit = self.expr(&n.limit);
                let step = n.step.as_ref().map(|s| self.expr(s));
                let _ = writeln!(
                    self.out,
                    "for {v} = {start}, {limit}{} do@{} [{}]",
                    step.map(|s| format!(", {s}")).unwrap_or_default(),
                    n.do_line,
                    ctl.join(" ")
                );
                self.block(&n.body, depth + 1);
            }
            StatKind::GenericFor(g) => {
                let vars: Vec<String> = g.vars.iter().map(|&id| self.local(id)).collect();
                let ctl: Vec<String> = g.control.iter().map(|&id| self.local(id)).collect();
                let e = self.list(&g.exprs);
                let _ = writeln!(
                    self.out,
                    "for {} in {e} do@{} [{}]",
                    vars.join(", "),
                    g.do_line,
                    ctl.join(" ")
                );
                self.block(&g.body, depth + 1);
            }
            StatKind::Return { exprs } => {
                let e = self.list(exprs);
                let _ = writeln!(self.out, "return {e}");
            }
            StatKind::Break { needs_close } => {
                let _ = writeln!(
                    self.out,
                    "break{}",
                    if *needs_close { " close" } else { "" }
                );
            }
        }
    }

    fn args(&mut self, a: &'a CallArgs) -> String {
        let style = match a.style {
            ArgStyle::Parens => "",
            ArgStyle::String => "str ",
            ArgStyle::Table => "tbl ",
        };
        let l = self.list(&a.list);
        format!("({style}{l}){}", self.at(a.line))
    }

    fn suffixed(&mut self, s: &'a SuffixedExpr) -> String {
        let mut out = self.expr(&s.base);
        for x in &s.suffixes {
            match &x.kind {
                SuffixKind::Field { name: n, .. } => {
                    let _ = write!(out, ".{}", name(n));
                }
                SuffixKind::Index(k) => {
                    let k = self.expr(k);
                    let _ = write!(out, "[{k}]");
                }
                SuffixKind::Call(a) => {
                    let a = self.args(a);
                    out.push_str(&a);
                }
                SuffixKind::Method { name: n, args, .. } => {
                    let a = self.args(args);
                    let _ = write!(out, ":{}{a}", name(n));
                }
            }
            if x.end_line != x.line {
                let _ = write!(out, "~{}", x.end_line);
            }
        }
        out
    }

    fn expr(&mut self, e: &'a Expr) -> String {
        let body = match &e.kind {
            ExprKind::Nil => "nil".to_string(),
            ExprKind::True => "true".to_string(),
            ExprKind::False => "false".to_string(),
            ExprKind::Vararg(_) => "...".to_string(),
            ExprKind::Number(n) => {
                String::from_utf8_lossy(ferrous_value::number::fmt_number(*n).as_bytes()).into()
            }
            ExprKind::String(s) => bytes(s),
            ExprKind::Local(l) => self.local(l.id),
            ExprKind::Upvalue(i) => {
                let n = self
                    .funcs
                    .last()
                    .and_then(|f| f.upvalues.get(*i as usize))
                    .map(|u| name(&u.name))
                    .unwrap_or_default();
                format!("^{n}#{i}")
            }
            ExprKind::Global(n) => format!("${}", name(n)),
            ExprKind::Function(f) => {
                // Nested function bodies print after the statement.
                let mut sub = Printer {
                    out: String::new(),
                    funcs: self.funcs.clone(),
                    line: 0,
                };
                sub.function("function", f, 0);
                let text = sub.out.trim_end().replace('\n', "\n    | ");
                format!("{{\n    | {text}\n    }}")
            }
            ExprKind::Table(t) => {
                let mut parts = Vec::new();
                for item in &t.items {
                    let s = match &item.kind {
                        TableItemKind::Positional(v) => self.expr(v),
                        TableItemKind::Named { name: n, value } => {
                            format!("{}={}", name(n), self.expr(value))
                        }
                        TableItemKind::Keyed { key, value } => {
                            let k = self.expr(key);
                            format!("[{k}]={}", self.expr(value))
                        }
                    };
                    parts.push(s);
                }
                format!("{{{}}}", parts.join(", "))
            }
            ExprKind::Paren(inner) => format!("({})", self.expr(inner)),
            ExprKind::Suffixed(s) => self.suffixed(s),
            ExprKind::Binary(b) => {
                let mut out = format!("({}", self.expr(&b.first));
                for op in &b.ops {
                    let r = self.expr(&op.rhs);
                    let _ = write!(out, " {}{} {r}", op.op.as_str(), self.at(op.line));
                }
                out.push(')');
                out
            }
            ExprKind::Unary(u) => {
                let o = self.expr(&u.operand);
                format!("({} {o})", u.op.as_str())
            }
        };
        let mut s = body;
        if e.line != self.line {
            let _ = write!(s, "@{}", e.line);
        }
        if e.end_line != e.line {
            let _ = write!(s, "~{}", e.end_line);
        }
        s
    }
}
