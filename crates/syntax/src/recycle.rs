//! Tree nodes kept for reuse while a chunk is parsed.
//!
//! When a [`FunctionSink`](crate::FunctionSink) takes each function as it
//! closes, its statements are no longer needed; most of their heap nodes
//! (the boxes of suffixed expressions, call arguments, operator chains,
//! unary operators, parentheses and table constructors, with the room
//! of their lists) are handed to [`Pools`] instead of being freed, and the
//! parser builds the next function's nodes from them. A chunk then asks
//! the allocator for about as many nodes as its largest function holds,
//! not as many as the whole chunk holds. Every reused node is emptied when
//! it is kept and filled in whole when it is handed out, so nothing of an
//! earlier function shows through.
//!
//! The walk that takes a tree apart recurses as deep as the tree nests,
//! which the parser's own nesting limit (`LUAI_MAXCCALLS`) bounds.

use smallvec::SmallVec;

use crate::ast::{
    BinaryExpr, Block, CallArgs, Expr, ExprKind, ExprList, GenericFor, IfStat, NumericFor,
    RepeatStat, Stat, StatKind, SuffixKind, SuffixedExpr, Table, TableItemKind, UnaryExpr,
    WhileStat,
};

/// Nodes kept of each kind, at most (beyond, they are freed).
const KEPT: usize = 1 << 14;

/// The empty expression nodes are left holding.
fn hole() -> Expr {
    Expr {
        kind: ExprKind::Nil,
        line: 0,
        end_line: 0,
    }
}

/// The empty block nodes are left holding.
fn no_block() -> Block {
    Block {
        stats: Vec::new(),
        end_line: 0,
        needs_close: false,
    }
}

/// Emptied nodes waiting for reuse (see the module doc). The pools hold
/// the boxes themselves: reusing a box is the point.
#[derive(Default)]
#[allow(clippy::vec_box)]
pub(crate) struct Pools {
    suffixed: Vec<Box<SuffixedExpr>>,
    args: Vec<Box<CallArgs>>,
    binary: Vec<Box<BinaryExpr>>,
    unary: Vec<Box<UnaryExpr>>,
    paren: Vec<Box<Expr>>,
    table: Vec<Box<Table>>,
    stats: Vec<Vec<Stat>>,
    whiles: Vec<Box<WhileStat>>,
    repeats: Vec<Box<RepeatStat>>,
    ifs: Vec<Box<IfStat>>,
    numeric_fors: Vec<Box<NumericFor>>,
    generic_fors: Vec<Box<GenericFor>>,
}

/// A box for `v`, reused from `pool` when it has one.
fn boxed<T>(pool: &mut Vec<Box<T>>, v: T) -> Box<T> {
    match pool.pop() {
        Some(mut b) => {
            *b = v;
            b
        }
        None => Box::new(v),
    }
}

/// Keeps `b` in `pool` unless the pool is full.
fn keep<T>(pool: &mut Vec<T>, b: T) {
    if pool.len() < KEPT {
        pool.push(b);
    }
}

impl Pools {
    /// A suffixed expression on `base` with no suffixes yet.
    pub(crate) fn suffixed(&mut self, base: Expr) -> Box<SuffixedExpr> {
        match self.suffixed.pop() {
            Some(mut b) => {
                b.base = base;
                b
            }
            None => Box::new(SuffixedExpr {
                base,
                suffixes: SmallVec::new(),
            }),
        }
    }

    /// Empty call arguments (`()`, line 0), to be filled in.
    pub(crate) fn args(&mut self) -> Box<CallArgs> {
        match self.args.pop() {
            Some(b) => b,
            None => Box::new(CallArgs::empty()),
        }
    }

    /// An operator chain starting with `first`, no operators yet.
    pub(crate) fn binary(&mut self, first: Expr) -> Box<BinaryExpr> {
        match self.binary.pop() {
            Some(mut b) => {
                b.first = first;
                b
            }
            None => Box::new(BinaryExpr {
                first,
                ops: SmallVec::new(),
            }),
        }
    }

    /// A unary operator node.
    pub(crate) fn unary(&mut self, u: UnaryExpr) -> Box<UnaryExpr> {
        match self.unary.pop() {
            Some(mut b) => {
                *b = u;
                b
            }
            None => Box::new(u),
        }
    }

    /// A boxed parenthesised expression.
    pub(crate) fn paren(&mut self, e: Expr) -> Box<Expr> {
        match self.paren.pop() {
            Some(mut b) => {
                *b = e;
                b
            }
            None => Box::new(e),
        }
    }

    /// An empty constructor.
    pub(crate) fn table(&mut self, prev_line: crate::ast::Line) -> Box<Table> {
        match self.table.pop() {
            Some(mut b) => {
                b.prev_line = prev_line;
                b
            }
            None => Box::new(Table {
                items: Vec::new(),
                prev_line,
            }),
        }
    }

    /// A boxed `while` statement.
    pub(crate) fn while_stat(&mut self, w: WhileStat) -> Box<WhileStat> {
        boxed(&mut self.whiles, w)
    }

    /// A boxed `repeat` statement.
    pub(crate) fn repeat_stat(&mut self, r: RepeatStat) -> Box<RepeatStat> {
        boxed(&mut self.repeats, r)
    }

    /// A boxed numeric `for` statement.
    pub(crate) fn numeric_for(&mut self, f: NumericFor) -> Box<NumericFor> {
        boxed(&mut self.numeric_fors, f)
    }

    /// A boxed generic `for` statement.
    pub(crate) fn generic_for(&mut self, f: GenericFor) -> Box<GenericFor> {
        boxed(&mut self.generic_fors, f)
    }

    /// An `if` statement with no arms yet (its arm list keeps its room).
    pub(crate) fn if_stat(&mut self) -> Box<IfStat> {
        match self.ifs.pop() {
            Some(b) => b,
            None => Box::new(IfStat {
                clauses: Vec::with_capacity(1),
                else_block: None,
            }),
        }
    }

    /// An empty statement list.
    pub(crate) fn stats(&mut self) -> Vec<Stat> {
        self.stats.pop().unwrap_or_default()
    }

    /// Takes the statements of a compiled function apart, keeping their
    /// nodes. The walk goes backwards (last statement first, and inside
    /// each node its parts in reverse order): the compiler has just read
    /// the tree forwards, so its end is what is still in the data cache,
    /// and going forwards again would find the start evicted by the rest
    /// for any function larger than the cache.
    pub(crate) fn reclaim_stats(&mut self, mut stats: Vec<Stat>) {
        for s in stats.drain(..).rev() {
            self.reclaim_stat(s);
        }
        keep(&mut self.stats, stats);
    }

    fn reclaim_block(&mut self, b: Block) {
        self.reclaim_stats(b.stats);
    }

    fn reclaim_list(&mut self, l: &mut ExprList) {
        for e in l.exprs.drain(..).rev() {
            self.reclaim_expr(e);
        }
        l.comma_lines.clear();
    }

    fn reclaim_stat(&mut self, s: Stat) {
        match s.kind {
            StatKind::Call(b) => self.reclaim_suffixed(b),
            StatKind::Assign { targets, mut exprs } => {
                self.reclaim_list(&mut exprs);
                for t in targets.into_iter().rev() {
                    self.reclaim_expr(t);
                }
            }
            StatKind::Local { mut exprs, .. } | StatKind::Return { mut exprs } => {
                self.reclaim_list(&mut exprs)
            }
            StatKind::Function { target, .. } => self.reclaim_expr(target),
            StatKind::Do(b) => self.reclaim_block(b),
            StatKind::While(mut w) => {
                self.reclaim_block(std::mem::replace(&mut w.body, no_block()));
                self.reclaim_expr(std::mem::replace(&mut w.cond, hole()));
                keep(&mut self.whiles, w);
            }
            StatKind::Repeat(mut r) => {
                self.reclaim_expr(std::mem::replace(&mut r.cond, hole()));
                self.reclaim_block(std::mem::replace(&mut r.body, no_block()));
                keep(&mut self.repeats, r);
            }
            StatKind::If(mut i) => {
                if let Some(e) = i.else_block.take() {
                    self.reclaim_block(e.block);
                }
                for c in i.clauses.drain(..).rev() {
                    self.reclaim_block(c.block);
                    self.reclaim_expr(c.cond);
                }
                keep(&mut self.ifs, i);
            }
            StatKind::NumericFor(mut f) => {
                self.reclaim_block(std::mem::replace(&mut f.body, no_block()));
                if let Some(step) = f.step.take() {
                    self.reclaim_expr(step);
                }
                self.reclaim_expr(std::mem::replace(&mut f.limit, hole()));
                self.reclaim_expr(std::mem::replace(&mut f.start, hole()));
                keep(&mut self.numeric_fors, f);
            }
            StatKind::GenericFor(mut f) => {
                self.reclaim_block(std::mem::replace(&mut f.body, no_block()));
                self.reclaim_list(&mut f.exprs);
                f.vars.clear();
                keep(&mut self.generic_fors, f);
            }
            StatKind::LocalFunction { .. } | StatKind::Break { .. } => {}
        }
    }

    fn reclaim_suffixed(&mut self, mut b: Box<SuffixedExpr>) {
        for s in b.suffixes.drain(..).rev() {
            match s.kind {
                SuffixKind::Index(e) => self.reclaim_expr(e),
                SuffixKind::Call(a) | SuffixKind::Method { args: a, .. } => self.reclaim_args(a),
                SuffixKind::Field { .. } => {}
            }
        }
        let base = std::mem::replace(&mut b.base, hole());
        self.reclaim_expr(base);
        keep(&mut self.suffixed, b);
    }

    fn reclaim_args(&mut self, mut a: Box<CallArgs>) {
        self.reclaim_list(&mut a.list);
        a.style = crate::ast::ArgStyle::Parens;
        a.line = 0;
        keep(&mut self.args, a);
    }

    fn reclaim_expr(&mut self, e: Expr) {
        match e.kind {
            ExprKind::Suffixed(b) => self.reclaim_suffixed(b),
            ExprKind::Binary(mut b) => {
                for op in b.ops.drain(..).rev() {
                    self.reclaim_expr(op.rhs);
                }
                let first = std::mem::replace(&mut b.first, hole());
                self.reclaim_expr(first);
                keep(&mut self.binary, b);
            }
            ExprKind::Unary(mut b) => {
                let operand = std::mem::replace(&mut b.operand, hole());
                self.reclaim_expr(operand);
                keep(&mut self.unary, b);
            }
            ExprKind::Paren(mut b) => {
                let inner = std::mem::replace(&mut *b, hole());
                self.reclaim_expr(inner);
                keep(&mut self.paren, b);
            }
            ExprKind::Table(mut t) => {
                for item in t.items.drain(..).rev() {
                    match item.kind {
                        TableItemKind::Positional(v) | TableItemKind::Named { value: v, .. } => {
                            self.reclaim_expr(v)
                        }
                        TableItemKind::Keyed { key, value } => {
                            self.reclaim_expr(value);
                            self.reclaim_expr(key);
                        }
                    }
                }
                keep(&mut self.table, t);
            }
            // Nothing boxed worth keeping (a nested function was taken by
            // the sink: only its header is left).
            ExprKind::Nil
            | ExprKind::True
            | ExprKind::False
            | ExprKind::Vararg(_)
            | ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Local(_)
            | ExprKind::Upvalue(_)
            | ExprKind::Global(_)
            | ExprKind::Function(_) => {}
        }
    }
}
