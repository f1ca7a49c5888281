//! Compiling expressions: the expression half of `lparser.c`, replayed
//! over the tree. Each function does what its `lparser.c` counterpart does
//! at the same moments, and sets [`FuncState::line`] to the `lastline`
//! luac had at each of those moments (the tree records them; see
//! `ferrous_syntax::ast`).
//!
//! Recursion follows the tree's `Box` nesting only, which the parser
//! bounds (200 levels); lists (binary chains, suffix chains, expression
//! lists, constructor items) are walked with loops.

use std::sync::Arc;

use ferrous_syntax::ast::{
    ArgStyle, BinaryExpr, CallArgs, Expr, ExprKind, ExprList, Function, SuffixKind, SuffixedExpr,
    Table, TableItemKind, UnaryExpr, UpvalSource,
};

use crate::bytecode::{int2fb, Instr, FIELDS_PER_FLUSH, MAX_SETLIST_C};
use crate::exprdesc::{ExpDesc, ExpKind, MULTRET};
use crate::func::{CResult, FuncState};

impl<'a> FuncState<'a> {
    /// `expr` / `subexpr`.
    pub(crate) fn expr(&mut self, e: &'a Expr) -> CResult<ExpDesc> {
        Ok(match &e.kind {
            ExprKind::Nil => ExpDesc::new(ExpKind::Nil),
            ExprKind::True => ExpDesc::new(ExpKind::True),
            ExprKind::False => ExpDesc::new(ExpKind::False),
            ExprKind::Number(n) => ExpDesc::new(ExpKind::KNum(*n)),
            ExprKind::String(s) => ExpDesc::new(ExpKind::K(self.string_k(s))),
            ExprKind::Vararg(line) => {
                self.line = *line;
                let pc = self.emit(Instr::VarArg { a: 0, b: 1 });
                ExpDesc::new(ExpKind::Vararg(pc))
            }
            ExprKind::Local(l) => ExpDesc::new(ExpKind::Local(l.slot as u32)),
            ExprKind::Upvalue(i) => ExpDesc::new(ExpKind::Upval(*i as u32)),
            ExprKind::Global(name) => ExpDesc::new(ExpKind::Global(self.string_k(name))),
            ExprKind::Function(f) => self.closure(f)?,
            ExprKind::Table(t) => self.constructor(t, e.end_line)?,
            ExprKind::Paren(inner) => {
                let mut v = self.expr(inner)?;
                self.line = e.end_line;
                self.discharge_vars(&mut v);
                v
            }
            ExprKind::Suffixed(s) => self.primary(s)?,
            ExprKind::Binary(b) => self.binary(b)?,
            ExprKind::Unary(u) => self.unary(u)?,
        })
    }

    /// `subexpr`'s operator loop: `first op rhs op rhs ...`.
    #[inline(never)]
    fn binary(&mut self, b: &'a BinaryExpr) -> CResult<ExpDesc> {
        let mut v = self.expr(&b.first)?;
        for op in &b.ops {
            self.line = op.line;
            self.infix(op.op, &mut v)?;
            let mut v2 = self.expr(&op.rhs)?;
            self.line = op.rhs.end_line;
            self.posfix(op.op, &mut v, &mut v2)?;
        }
        Ok(v)
    }

    /// A unary operator (`luaK_prefix` after the operand).
    #[inline(never)]
    fn unary(&mut self, u: &'a UnaryExpr) -> CResult<ExpDesc> {
        let mut v = self.expr(&u.operand)?;
        self.line = u.operand.end_line;
        self.prefix(u.op, &mut v)?;
        Ok(v)
    }

    /// `explist1`: every expression but the last goes to the next register;
    /// returns the last one (still open) and the count.
    #[inline(never)]
    pub(crate) fn explist(&mut self, list: &'a ExprList) -> CResult<(ExpDesc, usize)> {
        let mut v = ExpDesc::new(ExpKind::Void);
        for (i, e) in list.exprs.iter().enumerate() {
            if i > 0 {
                if let Some(&l) = list.comma_lines.get(i - 1) {
                    self.line = l;
                }
                self.exp_to_next_reg(&mut v)?;
            }
            v = self.expr(e)?;
        }
        Ok((v, list.exprs.len()))
    }

    /// `primaryexp` over a suffix chain.
    #[inline(never)]
    pub(crate) fn primary(&mut self, s: &'a SuffixedExpr) -> CResult<ExpDesc> {
        let mut v = self.expr(&s.base)?;
        let mut prev_end = s.base.end_line;
        for suffix in &s.suffixes {
            match &suffix.kind {
                SuffixKind::Field { name, name_line } => {
                    self.line = prev_end;
                    self.exp_to_any_reg(&mut v)?;
                    let mut key = ExpDesc::new(ExpKind::K(self.string_k(name)));
                    self.line = *name_line;
                    self.indexed(&mut v, &mut key)?;
                }
                SuffixKind::Index(key) => {
                    self.line = prev_end;
                    self.exp_to_any_reg(&mut v)?;
                    let mut k = self.expr(key)?;
                    self.line = key.end_line;
                    self.exp_to_val(&mut k)?;
                    self.line = suffix.end_line;
                    self.indexed(&mut v, &mut k)?;
                }
                SuffixKind::Method {
                    name,
                    name_line,
                    args,
                } => {
                    let mut key = ExpDesc::new(ExpKind::K(self.string_k(name)));
                    self.line = *name_line;
                    self.self_op(&mut v, &mut key)?;
                    self.funcargs(&mut v, args, suffix.end_line)?;
                }
                SuffixKind::Call(args) => {
                    self.line = prev_end;
                    self.exp_to_next_reg(&mut v)?;
                    self.funcargs(&mut v, args, suffix.end_line)?;
                }
            }
            prev_end = suffix.end_line;
        }
        Ok(v)
    }

    /// `funcargs`: `f` (in a register) is called with `args`; `end_line`
    /// is the line of the arguments' last token.
    #[inline(never)]
    fn funcargs(&mut self, f: &mut ExpDesc, args: &'a CallArgs, end_line: u32) -> CResult<()> {
        let mut a = match args.style {
            ArgStyle::Parens => {
                if args.list.exprs.is_empty() {
                    ExpDesc::new(ExpKind::Void)
                } else {
                    let (v, _) = self.explist(&args.list)?;
                    self.set_multret(&v)?;
                    v
                }
            }
            ArgStyle::Table | ArgStyle::String => match args.list.exprs.first() {
                Some(e) => self.expr(e)?,
                None => ExpDesc::new(ExpKind::Void),
            },
        };
        self.line = end_line;
        let base = match f.k {
            ExpKind::NonReloc(r) => r,
            _ => 0,
        };
        let nparams: i32 = if a.is_multret() {
            MULTRET
        } else {
            if a.k != ExpKind::Void {
                self.exp_to_next_reg(&mut a)?;
            }
            self.freereg as i32 - (base as i32 + 1)
        };
        let pc = self.emit(Instr::Call {
            a: base as u16,
            b: (nparams + 1) as u16,
            c: 2,
        });
        self.fix_line(args.line);
        f.k = ExpKind::Call(pc);
        f.t = crate::exprdesc::NO_JUMP;
        f.f = crate::exprdesc::NO_JUMP;
        self.freereg = base + 1;
        Ok(())
    }

    /// `constructor`; `end_line` is the line of the closing `}`.
    #[inline(never)]
    fn constructor(&mut self, t: &'a Table, end_line: u32) -> CResult<ExpDesc> {
        self.line = t.prev_line;
        let pc = self.emit(Instr::NewTable { a: 0, b: 0, c: 0 });
        let mut tv = ExpDesc::new(ExpKind::Relocable(pc));
        self.exp_to_next_reg(&mut tv)?;
        let treg = match tv.k {
            ExpKind::NonReloc(r) => r,
            _ => 0,
        };
        let (mut na, mut nh, mut tostore) = (0u32, 0u32, 0u32);
        let mut v = ExpDesc::new(ExpKind::Void);
        let mut prev_sep = 0;
        for (i, item) in t.items.iter().enumerate() {
            if i > 0 {
                // closelistfield, after the separator
                self.line = prev_sep;
                if v.k != ExpKind::Void {
                    self.exp_to_next_reg(&mut v)?;
                    v = ExpDesc::new(ExpKind::Void);
                    if tostore == FIELDS_PER_FLUSH {
                        self.set_list(treg, na, tostore as i32);
                        tostore = 0;
                    }
                }
            }
            prev_sep = item.sep_line;
            match &item.kind {
                TableItemKind::Positional(e) => {
                    v = self.expr(e)?;
                    na += 1;
                    tostore += 1;
                }
                TableItemKind::Named { name, value } => {
                    let reg = self.freereg;
                    let mut key = ExpDesc::new(ExpKind::K(self.string_k(name)));
                    nh += 1;
                    // luac reads `=` before making the key an RK operand.
                    self.line = item.eq_line;
                    let rkkey = self.exp_to_rk(&mut key)?;
                    self.rec_value(treg, rkkey, value)?;
                    self.freereg = reg;
                }
                TableItemKind::Keyed { key, value } => {
                    let reg = self.freereg;
                    let mut k = self.expr(key)?;
                    self.line = key.end_line;
                    self.exp_to_val(&mut k)?;
                    nh += 1;
                    self.line = item.eq_line;
                    let rkkey = self.exp_to_rk(&mut k)?;
                    self.rec_value(treg, rkkey, value)?;
                    self.freereg = reg;
                }
            }
        }
        // lastlistfield, after the `}`
        self.line = end_line;
        if tostore > 0 {
            if v.is_multret() {
                self.set_multret(&v)?;
                self.set_list(treg, na, MULTRET);
                na -= 1;
            } else {
                if v.k != ExpKind::Void {
                    self.exp_to_next_reg(&mut v)?;
                }
                self.set_list(treg, na, tostore as i32);
            }
        }
        if let Some(Instr::NewTable { b, c, .. }) = self.instr_mut(pc) {
            *b = int2fb(na);
            *c = int2fb(nh);
        }
        Ok(tv)
    }

    /// The value half of `recfield`: `t[rkkey] = value`.
    #[inline(never)]
    fn rec_value(&mut self, treg: u32, rkkey: u16, value: &'a Expr) -> CResult<()> {
        let mut val = self.expr(value)?;
        self.line = value.end_line;
        let c = self.exp_to_rk(&mut val)?;
        self.emit(Instr::SetTable {
            a: treg as u16,
            b: rkkey,
            c,
        });
        Ok(())
    }

    /// `luaK_setlist`.
    fn set_list(&mut self, base: u32, nelems: u32, tostore: i32) {
        let c = (nelems.saturating_sub(1)) / FIELDS_PER_FLUSH + 1;
        let b = if tostore == MULTRET { 0 } else { tostore as u8 };
        self.emit(Instr::SetList {
            a: base as u16,
            b,
            c,
        });
        if c > MAX_SETLIST_C {
            // luac stores such a block number in the next code word; a
            // jump to the next instruction holds its place, so pcs, lines
            // and binary chunks are luac's (see binary.rs).
            self.emit(Instr::Jmp { sbx: 0 });
        }
        self.freereg = base + 1;
    }

    /// `body` + `pushclosure`: compiles the nested function (or, deep in
    /// the tree, takes its prototype compiled beforehand, see `lib.rs`)
    /// and emits its `CLOSURE` with one pseudo-instruction per upvalue.
    #[inline(never)]
    pub(crate) fn closure(&mut self, f: &'a Function) -> CResult<ExpDesc> {
        let proto = if let Some(n) = f.taken {
            // Compiled when the parser closed it; its tree is gone.
            match self.ctx.taken.and_then(|t| t.borrow_mut().take(n)) {
                Some(p) => p,
                None => {
                    return Err(crate::CompileError::new(
                        self.ctx.chunkname,
                        f.line_defined,
                        "function body missing from the tree",
                    ))
                }
            }
        } else if self.depth < crate::DIRECT_DEPTH {
            crate::compile_nested(self.ctx, f, self.depth + 1)?
        } else {
            let compiled = self.ctx.done.borrow_mut().remove(&crate::func::key(f));
            match compiled {
                Some(p) => p,
                None => FuncState::new(self.ctx, f, self.depth + 1).into_proto(),
            }
        };
        self.protos.push(Arc::new(proto));
        self.line = f.last_line_defined;
        let pc = self.emit(Instr::Closure {
            a: 0,
            bx: (self.protos.len() - 1) as u32,
        });
        for up in &f.upvalues {
            match up.source {
                UpvalSource::ParentLocal { slot, .. } => {
                    self.emit(Instr::Move { a: 0, b: slot });
                }
                UpvalSource::ParentUpvalue(i) => {
                    self.emit(Instr::GetUpval { a: 0, b: i });
                }
            }
        }
        Ok(ExpDesc::new(ExpKind::Relocable(pc)))
    }
}
