//! Finding every function of a chunk without recursion.
//!
//! Nested functions do not depend on the state of the function that
//! contains them (the parser already resolved their upvalues), so the
//! compiler compiles them first, innermost first, in a loop, and the
//! enclosing function only picks up the finished prototype where luac
//! would have compiled the body. That keeps Rust recursion down to the
//! block and expression nesting of a single function, however deeply
//! functions nest.

use ferrous_syntax::ast::{
    Block, Expr, ExprKind, Function, StatKind, SuffixKind, SuffixedExpr, TableItemKind,
};

/// Every function of the tree rooted at `main`, each before the
/// functions it contains.
#[inline(never)]
pub(crate) fn functions(main: &Function) -> Vec<&Function> {
    enum Node<'a> {
        Func(&'a Function),
        Block(&'a Block),
        Expr(&'a Expr),
        Suffixed(&'a SuffixedExpr),
    }
    let mut out = Vec::new();
    let mut stack = vec![Node::Func(main)];
    while let Some(node) = stack.pop() {
        match node {
            Node::Func(f) => {
                out.push(f);
                stack.push(Node::Block(&f.body));
            }
            Node::Block(b) => {
                for s in &b.stats {
                    match &s.kind {
                        StatKind::Call(c) => stack.push(Node::Suffixed(c)),
                        StatKind::Assign { targets, exprs } => {
                            stack.extend(targets.iter().map(Node::Expr));
                            stack.extend(exprs.exprs.iter().map(Node::Expr));
                        }
                        StatKind::Local { exprs, .. } | StatKind::Return { exprs } => {
                            stack.extend(exprs.exprs.iter().map(Node::Expr));
                        }
                        StatKind::LocalFunction { func, .. } => stack.push(Node::Func(func)),
                        StatKind::Function { target, func, .. } => {
                            stack.push(Node::Expr(target));
                            stack.push(Node::Func(func));
                        }
                        StatKind::Do(b) => stack.push(Node::Block(b)),
                        StatKind::While(w) => {
                            stack.push(Node::Expr(&w.cond));
                            stack.push(Node::Block(&w.body));
                        }
                        StatKind::Repeat(r) => {
                            stack.push(Node::Block(&r.body));
                            stack.push(Node::Expr(&r.cond));
                        }
                        StatKind::If(i) => {
                            for c in &i.clauses {
                                stack.push(Node::Expr(&c.cond));
                                stack.push(Node::Block(&c.block));
                            }
                            if let Some(e) = &i.else_block {
                                stack.push(Node::Block(&e.block));
                            }
                        }
                        StatKind::NumericFor(f) => {
                            stack.push(Node::Expr(&f.start));
                            stack.push(Node::Expr(&f.limit));
                            if let Some(s) = &f.step {
                                stack.push(Node::Expr(s));
                            }
                            stack.push(Node::Block(&f.body));
                        }
                        StatKind::GenericFor(f) => {
                            stack.extend(f.exprs.exprs.iter().map(Node::Expr));
                            stack.push(Node::Block(&f.body));
                        }
                        StatKind::Break { .. } => {}
                    }
                }
            }
            Node::Expr(e) => match &e.kind {
                ExprKind::Function(f) => stack.push(Node::Func(f)),
                ExprKind::Table(t) => {
                    for item in &t.items {
                        match &item.kind {
                            TableItemKind::Positional(v)
                            | TableItemKind::Named { value: v, .. } => stack.push(Node::Expr(v)),
                            TableItemKind::Keyed { key, value } => {
                                stack.push(Node::Expr(key));
                                stack.push(Node::Expr(value));
                            }
                        }
                    }
                }
                ExprKind::Paren(inner) => stack.push(Node::Expr(inner)),
                ExprKind::Suffixed(s) => stack.push(Node::Suffixed(s)),
                ExprKind::Binary(b) => {
                    stack.push(Node::Expr(&b.first));
                    stack.extend(b.ops.iter().map(|op| Node::Expr(&op.rhs)));
                }
                ExprKind::Unary(u) => stack.push(Node::Expr(&u.operand)),
                _ => {}
            },
            Node::Suffixed(s) => {
                stack.push(Node::Expr(&s.base));
                for suffix in &s.suffixes {
                    match &suffix.kind {
                        SuffixKind::Field { .. } => {}
                        SuffixKind::Index(k) => stack.push(Node::Expr(k)),
                        SuffixKind::Call(args) | SuffixKind::Method { args, .. } => {
                            stack.extend(args.list.exprs.iter().map(Node::Expr));
                        }
                    }
                }
            }
        }
    }
    out
}
