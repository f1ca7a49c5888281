//! Structural invariants of a parsed tree, for tests and fuzzing: every
//! local reference names a local of its function in the right register,
//! every upvalue index is in range, every parent reference of an upvalue
//! descriptor exists, lines never decrease within a node.

use crate::ast::*;

/// Checks `chunk`; returns the first broken invariant.
pub fn check_chunk(chunk: &Chunk) -> Result<(), String> {
    check_function(&chunk.main, None)
}

fn check_function(f: &Function, parent: Option<&Function>) -> Result<(), String> {
    if f.upvalues.len() > crate::LUAI_MAXUPVALUES {
        return Err(format!("{} upvalues", f.upvalues.len()));
    }
    for u in &f.upvalues {
        match (u.source, parent) {
            (UpvalSource::ParentLocal { slot, id }, Some(p)) => {
                let l = p
                    .locals
                    .get(id as usize)
                    .ok_or_else(|| format!("upvalue of missing parent local {id}"))?;
                if l.slot != slot || !l.captured || l.name != u.name {
                    return Err(format!("upvalue does not match parent local {id}"));
                }
            }
            (UpvalSource::ParentUpvalue(i), Some(p)) => {
                let pu = p
                    .upvalues
                    .get(i as usize)
                    .ok_or_else(|| format!("upvalue of missing parent upvalue {i}"))?;
                if pu.name != u.name {
                    return Err("upvalue name differs from the parent's".into());
                }
            }
            (_, None) => return Err("the main function has upvalues".into()),
        }
    }
    for l in &f.locals {
        if l.slot as usize >= crate::LUAI_MAXVARS {
            return Err(format!("local in register {}", l.slot));
        }
    }
    if f.has_arg != (f.is_vararg && f.line_defined != 0) || (f.needs_arg && !f.has_arg) {
        return Err("inconsistent vararg flags".into());
    }
    check_block(f, &f.body)
}

fn check_block(f: &Function, b: &Block) -> Result<(), String> {
    for s in &b.stats {
        check_stat(f, s)?;
    }
    Ok(())
}

fn check_local_id(f: &Function, id: LocalId) -> Result<(), String> {
    if (id as usize) < f.locals.len() {
        Ok(())
    } else {
        Err(format!("missing local {id}"))
    }
}

fn check_list(f: &Function, l: &ExprList) -> Result<(), String> {
    if !l.exprs.is_empty() && l.comma_lines.len() + 1 != l.exprs.len() {
        return Err("comma lines do not match the list".into());
    }
    for e in &l.exprs {
        check_expr(f, e)?;
    }
    Ok(())
}

fn check_stat(f: &Function, s: &Stat) -> Result<(), String> {
    if s.end_line < s.line {
        return Err(format!(
            "statement ends (line {}) before it starts ({})",
            s.end_line, s.line
        ));
    }
    match &s.kind {
        StatKind::Call(c) => {
            if !c.is_call() {
                return Err("call statement without a call".into());
            }
            check_suffixed(f, c)
        }
        StatKind::Assign { targets, exprs } => {
            for t in targets {
                let ok = match &t.kind {
                    ExprKind::Local(_) | ExprKind::Upvalue(_) | ExprKind::Global(_) => true,
                    ExprKind::Suffixed(s) => matches!(
                        s.suffixes.last().map(|x| &x.kind),
                        Some(SuffixKind::Field { .. } | SuffixKind::Index(_))
                    ),
                    _ => false,
                };
                if !ok {
                    return Err("assignment to a non-variable".into());
                }
                check_expr(f, t)?;
            }
            check_list(f, exprs)
        }
        StatKind::Local { locals, exprs } => {
            for &id in locals {
                check_local_id(f, id)?;
            }
            check_list(f, exprs)
        }
        StatKind::LocalFunction { local, func } => {
            check_local_id(f, *local)?;
            check_function(func, Some(f))
        }
        StatKind::Function { target, func, .. } => {
            check_expr(f, target)?;
            check_function(func, Some(f))
        }
        StatKind::Do(b) => check_block(f, b),
        StatKind::While(w) => {
            check_expr(f, &w.cond)?;
            check_block(f, &w.body)
        }
        StatKind::Repeat(r) => {
            check_block(f, &r.body)?;
            check_expr(f, &r.cond)
        }
        StatKind::If(i) => {
            for c in &i.clauses {
                check_expr(f, &c.cond)?;
                check_block(f, &c.block)?;
            }
            if let Some(e) = &i.else_block {
                check_block(f, &e.block)?;
            }
            Ok(())
        }
        StatKind::NumericFor(n) => {
            for &id in n.control.iter().chain([n.var].iter()) {
                check_local_id(f, id)?;
            }
            check_expr(f, &n.start)?;
            check_expr(f, &n.limit)?;
            if let Some(s) = &n.step {
                check_expr(f, s)?;
            }
            check_block(f, &n.body)
        }
        StatKind::GenericFor(g) => {
            for &id in g.control.iter().chain(g.vars.iter()) {
                check_local_id(f, id)?;
            }
            check_list(f, &g.exprs)?;
            check_block(f, &g.body)
        }
        StatKind::Return { exprs } => check_list(f, exprs),
        StatKind::Break { .. } => Ok(()),
    }
}

fn check_suffixed(f: &Function, s: &SuffixedExpr) -> Result<(), String> {
    if s.suffixes.is_empty() {
        return Err("suffixed expression without suffixes".into());
    }
    check_expr(f, &s.base)?;
    for x in &s.suffixes {
        match &x.kind {
            SuffixKind::Field { .. } => {}
            SuffixKind::Index(k) => check_expr(f, k)?,
            SuffixKind::Call(a) | SuffixKind::Method { args: a, .. } => check_list(f, &a.list)?,
        }
    }
    Ok(())
}

fn check_expr(f: &Function, e: &Expr) -> Result<(), String> {
    if e.end_line < e.line && !matches!(e.kind, ExprKind::Vararg(_)) {
        // A name in a table constructor may end "after" the lookahead token,
        // but never before it starts.
        return Err(format!(
            "expression ends (line {}) before it starts ({})",
            e.end_line, e.line
        ));
    }
    match &e.kind {
        ExprKind::Nil
        | ExprKind::True
        | ExprKind::False
        | ExprKind::Vararg(_)
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Global(_) => Ok(()),
        ExprKind::Local(l) => match f.locals.get(l.id as usize) {
            Some(info) if info.slot == l.slot => Ok(()),
            _ => Err(format!("bad local reference {l:?}")),
        },
        ExprKind::Upvalue(i) => {
            if (*i as usize) < f.upvalues.len() {
                Ok(())
            } else {
                Err(format!("bad upvalue index {i}"))
            }
        }
        ExprKind::Function(func) => check_function(func, Some(f)),
        ExprKind::Table(t) => {
            for item in &t.items {
                match &item.kind {
                    TableItemKind::Positional(v) | TableItemKind::Named { value: v, .. } => {
                        check_expr(f, v)?
                    }
                    TableItemKind::Keyed { key, value } => {
                        check_expr(f, key)?;
                        check_expr(f, value)?;
                    }
                }
            }
            Ok(())
        }
        ExprKind::Paren(inner) => check_expr(f, inner),
        ExprKind::Suffixed(s) => check_suffixed(f, s),
        ExprKind::Binary(b) => {
            if b.ops.is_empty() {
                return Err("binary expression without operators".into());
            }
            check_expr(f, &b.first)?;
            for op in &b.ops {
                check_expr(f, &op.rhs)?;
            }
            Ok(())
        }
        ExprKind::Unary(u) => check_expr(f, &u.operand),
    }
}
