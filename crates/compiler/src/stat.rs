//! Compiling statements and blocks: the statement half of `lparser.c`
//! (`chunk`, `block`, assignments with `check_conflict`, `local`,
//! functions, `if`/`while`/`repeat`/`for`, `return` and `break`).

use ferrous_syntax::ast::{
    Block, Expr, ExprKind, ExprList, Function, GenericFor, IfStat, LocalId, NumericFor, RepeatStat,
    Stat, StatKind, SuffixKind, SuffixedExpr, WhileStat,
};

use crate::bytecode::Instr;
use crate::exprdesc::{ExpDesc, ExpKind, MULTRET, NO_JUMP};
use crate::func::{CResult, FuncState};

impl<'a> FuncState<'a> {
    /// `chunk`: the statements of a block, each leaving the temporaries it
    /// used.
    pub(crate) fn chunk(&mut self, stats: &'a [Stat]) -> CResult<()> {
        for s in stats {
            self.statement(s)?;
            self.freereg = self.nactvar();
        }
        Ok(())
    }

    /// `block`: a chunk in its own scope.
    #[inline(never)]
    fn block(&mut self, b: &'a Block) -> CResult<()> {
        self.enter_block(false, b.needs_close);
        self.chunk(&b.stats)?;
        self.line = b.end_line;
        self.leave_block();
        Ok(())
    }

    fn statement(&mut self, s: &'a Stat) -> CResult<()> {
        match &s.kind {
            StatKind::Call(call) => self.call_stat(call),
            StatKind::Assign { targets, exprs } => self.assignment(targets, exprs, s.end_line),
            StatKind::Local { locals, exprs } => self.local_stat(locals, exprs, s.end_line),
            StatKind::LocalFunction { local, func } => self.local_function(*local, func),
            StatKind::Function {
                target,
                is_method: _,
                func,
            } => self.function_stat(target, func, s.line),
            StatKind::Do(b) => self.block(b),
            StatKind::While(w) => self.while_stat(w, s.end_line),
            StatKind::Repeat(r) => self.repeat_stat(r),
            StatKind::If(i) => self.if_stat(i),
            StatKind::NumericFor(f) => self.numeric_for(f, s.line, s.end_line),
            StatKind::GenericFor(f) => self.generic_for(f, s.end_line),
            StatKind::Return { exprs } => self.return_stat(exprs, s.end_line),
            StatKind::Break { needs_close } => {
                self.line = s.end_line;
                self.break_stat(*needs_close);
                Ok(())
            }
        }
    }

    /// A call statement: the call keeps no results.
    #[inline(never)]
    fn call_stat(&mut self, call: &'a SuffixedExpr) -> CResult<()> {
        let v = self.primary(call)?;
        if let ExpKind::Call(pc) = v.k {
            if let Some(Instr::Call { c, .. }) = self.instr_mut(pc) {
                *c = 1;
            }
        }
        Ok(())
    }

    /// `localstat`.
    #[inline(never)]
    fn local_stat(
        &mut self,
        locals: &[LocalId],
        exprs: &'a ExprList,
        end_line: u32,
    ) -> CResult<()> {
        let (e, nexps) = if exprs.exprs.is_empty() {
            (ExpDesc::new(ExpKind::Void), 0)
        } else {
            self.explist(exprs)?
        };
        self.line = end_line;
        self.adjust_assign(locals.len(), nexps, e)?;
        self.activate(locals);
        Ok(())
    }

    /// `funcstat`: the definition "happens" on the line of `function`.
    #[inline(never)]
    fn function_stat(&mut self, target: &'a Expr, func: &'a Function, line: u32) -> CResult<()> {
        let v = self.funcname(target)?;
        let mut b = self.closure(func)?;
        self.store_var(&v, &mut b)?;
        self.fix_line(line);
        Ok(())
    }

    /// `adjust_assign`: makes `nexps` values (the last one `e`, still
    /// open) fill exactly `nvars` registers.
    #[inline(never)]
    fn adjust_assign(&mut self, nvars: usize, nexps: usize, mut e: ExpDesc) -> CResult<()> {
        let mut extra = nvars as i64 - nexps as i64;
        if e.is_multret() {
            extra += 1;
            if extra < 0 {
                extra = 0;
            }
            self.set_returns(&e, extra as i32)?;
            if extra > 1 {
                self.reserve_regs((extra - 1) as u32)?;
            }
        } else {
            if e.k != ExpKind::Void {
                self.exp_to_next_reg(&mut e)?;
            }
            if extra > 0 {
                let reg = self.freereg;
                self.reserve_regs(extra as u32)?;
                self.nil(reg, extra as u32);
            }
        }
        Ok(())
    }

    /// An assignment target, as `primaryexp` leaves it (a variable).
    fn target(&mut self, t: &'a Expr) -> CResult<ExpDesc> {
        match &t.kind {
            ExprKind::Suffixed(s) => self.primary(s),
            _ => self.expr(t),
        }
    }

    /// `exprstat` + `restassign`, with `check_conflict`: when a later
    /// target is a local that an earlier indexed target uses as table or
    /// key, the earlier one works on a copy made before the assignment.
    #[inline(never)]
    fn assignment(
        &mut self,
        targets: &'a [Expr],
        exprs: &'a ExprList,
        end_line: u32,
    ) -> CResult<()> {
        let mut vars: smallvec::SmallVec<[ExpDesc; 4]> =
            smallvec::SmallVec::with_capacity(targets.len());
        for t in targets {
            let v = self.target(t)?;
            if let ExpKind::Local(r) = v.k {
                if !vars.is_empty() {
                    self.line = t.end_line;
                    self.check_conflict(&mut vars, r)?;
                }
            }
            vars.push(v);
        }
        let (mut e, nexps) = self.explist(exprs)?;
        self.line = end_line;
        let nvars = vars.len();
        let mut rest = &vars[..];
        if let Some((last, before)) = vars.split_last() {
            rest = before;
            if nexps != nvars {
                self.adjust_assign(nvars, nexps, e)?;
                if nexps > nvars {
                    self.freereg -= (nexps - nvars) as u32;
                }
                let mut d = ExpDesc::new(ExpKind::NonReloc(self.freereg.saturating_sub(1)));
                self.store_var(last, &mut d)?;
            } else {
                self.set_one_ret(&mut e);
                self.store_var(last, &mut e)?;
            }
        }
        for v in rest.iter().rev() {
            let mut d = ExpDesc::new(ExpKind::NonReloc(self.freereg.saturating_sub(1)));
            self.store_var(v, &mut d)?;
        }
        Ok(())
    }

    /// `check_conflict`.
    #[inline(never)]
    fn check_conflict(&mut self, vars: &mut [ExpDesc], local: u32) -> CResult<()> {
        let extra = self.freereg;
        let mut conflict = false;
        for v in vars.iter_mut() {
            if let ExpKind::Indexed { table, key } = &mut v.k {
                if *table == local {
                    conflict = true;
                    *table = extra;
                }
                if *key as u32 == local {
                    conflict = true;
                    *key = extra as u16;
                }
            }
        }
        if conflict {
            self.emit(Instr::Move {
                a: self.freereg as u16,
                b: local as u16,
            });
            self.reserve_regs(1)?;
        }
        Ok(())
    }

    /// `localfunc`: the name is active (and can be captured) inside the
    /// body; its debug range starts after the `CLOSURE`.
    #[inline(never)]
    fn local_function(&mut self, local: LocalId, func: &'a Function) -> CResult<()> {
        let v = ExpDesc::new(ExpKind::Local(self.freereg));
        self.reserve_regs(1)?;
        self.activate(&[local]);
        let mut b = self.closure(func)?;
        self.store_var(&v, &mut b)?;
        let pc = self.pc() as u32;
        if let Some(lv) = self.locvars.get_mut(local as usize) {
            lv.start_pc = pc;
        }
        Ok(())
    }

    /// `funcname`: the variable a `function a.b:c()` statement assigns.
    #[inline(never)]
    fn funcname(&mut self, target: &'a Expr) -> CResult<ExpDesc> {
        let ExprKind::Suffixed(s) = &target.kind else {
            return self.expr(target);
        };
        let mut v = self.expr(&s.base)?;
        let mut prev_end = s.base.end_line;
        for suffix in &s.suffixes {
            if let SuffixKind::Field { name, name_line } = &suffix.kind {
                self.line = prev_end;
                self.exp_to_any_reg(&mut v)?;
                let mut key = ExpDesc::new(ExpKind::K(self.string_k(name)));
                self.line = *name_line;
                self.indexed(&mut v, &mut key)?;
            }
            prev_end = suffix.end_line;
        }
        Ok(v)
    }

    /// `cond`: falls through when true; returns the exits when false.
    #[inline(never)]
    fn cond(&mut self, e: &'a Expr) -> CResult<i32> {
        let mut v = self.expr(e)?;
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False;
        }
        self.line = e.end_line;
        self.go_if_true(&mut v)?;
        Ok(v.f)
    }

    /// `breakstat`.
    #[inline(never)]
    fn break_stat(&mut self, needs_close: bool) {
        let Some(i) = self.blocks.iter().rposition(|b| b.breakable) else {
            return;
        };
        if needs_close {
            let a = self.blocks[i].nactvar as u16;
            self.emit(Instr::Close { a });
        }
        let j = self.jump();
        let list = self.concat(self.blocks[i].breaklist, j);
        self.blocks[i].breaklist = list;
    }

    #[inline(never)]
    fn while_stat(&mut self, w: &'a WhileStat, end_line: u32) -> CResult<()> {
        let whileinit = self.get_label();
        let condexit = self.cond(&w.cond)?;
        self.enter_block(true, false);
        self.block(&w.body)?;
        self.line = w.body.end_line;
        let j = self.jump();
        self.patch_list(j, whileinit);
        self.line = end_line;
        self.leave_block();
        self.patch_to_here(condexit);
        Ok(())
    }

    #[inline(never)]
    fn repeat_stat(&mut self, r: &'a RepeatStat) -> CResult<()> {
        let repeat_init = self.get_label();
        self.enter_block(true, false); // loop block
        self.enter_block(false, r.body.needs_close); // scope block
        self.chunk(&r.body.stats)?;
        let condexit = self.cond(&r.cond)?;
        self.line = r.cond.end_line;
        if !r.body.needs_close {
            self.leave_block();
            self.patch_list(condexit, repeat_init);
        } else {
            self.break_stat(true);
            self.patch_to_here(condexit);
            self.leave_block();
            let j = self.jump();
            self.patch_list(j, repeat_init);
        }
        self.leave_block();
        Ok(())
    }

    #[inline(never)]
    fn if_stat(&mut self, i: &'a IfStat) -> CResult<()> {
        let mut escapelist = NO_JUMP;
        let mut flist = NO_JUMP;
        for (n, clause) in i.clauses.iter().enumerate() {
            if n > 0 {
                let j = self.jump();
                escapelist = self.concat(escapelist, j);
                self.patch_to_here(flist);
            }
            flist = self.cond(&clause.cond)?;
            self.block(&clause.block)?;
        }
        if let Some(e) = &i.else_block {
            let j = self.jump();
            escapelist = self.concat(escapelist, j);
            self.patch_to_here(flist);
            self.block(&e.block)?;
        } else {
            escapelist = self.concat(escapelist, flist);
        }
        self.patch_to_here(escapelist);
        Ok(())
    }

    /// `exp1`.
    fn exp1(&mut self, e: &'a Expr) -> CResult<()> {
        let mut v = self.expr(e)?;
        self.line = e.end_line;
        self.exp_to_next_reg(&mut v)
    }

    #[inline(never)]
    fn numeric_for(&mut self, f: &'a NumericFor, line: u32, end_line: u32) -> CResult<()> {
        self.enter_block(true, false);
        let base = self.freereg;
        self.exp1(&f.start)?;
        self.exp1(&f.limit)?;
        match &f.step {
            Some(step) => self.exp1(step)?,
            None => {
                let k = self.k.number(1.0);
                self.emit(Instr::LoadK {
                    a: self.freereg as u16,
                    bx: k,
                });
                self.reserve_regs(1)?;
            }
        }
        let captured = self.local_captured(f.var);
        self.for_body(
            base,
            line,
            &f.control,
            &[f.var],
            captured,
            f.do_line,
            &f.body,
            true,
        )?;
        self.line = end_line;
        self.leave_block();
        Ok(())
    }

    #[inline(never)]
    fn generic_for(&mut self, f: &'a GenericFor, end_line: u32) -> CResult<()> {
        self.enter_block(true, false);
        let base = self.freereg;
        let line = f.exprs.exprs.first().map_or(f.do_line, |e| e.line);
        let (e, nexps) = self.explist(&f.exprs)?;
        if let Some(last) = f.exprs.exprs.last() {
            self.line = last.end_line;
        }
        self.adjust_assign(3, nexps, e)?;
        self.check_stack(3)?;
        let captured = f.vars.iter().any(|&v| self.local_captured(v));
        self.for_body(
            base, line, &f.control, &f.vars, captured, f.do_line, &f.body, false,
        )?;
        self.line = end_line;
        self.leave_block();
        Ok(())
    }

    fn local_captured(&self, id: LocalId) -> bool {
        self.f.locals.get(id as usize).is_some_and(|l| l.captured)
    }

    /// `forbody`. The loop variables live in their own scope block, which
    /// closes them when one is captured.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn for_body(
        &mut self,
        base: u32,
        line: u32,
        control: &[LocalId; 3],
        vars: &[LocalId],
        captured: bool,
        do_line: u32,
        body: &'a Block,
        is_num: bool,
    ) -> CResult<()> {
        self.activate(control);
        self.line = do_line;
        let prep = if is_num {
            self.emit(Instr::ForPrep {
                a: base as u16,
                sbx: NO_JUMP,
            })
        } else {
            self.jump()
        };
        self.enter_block(false, captured);
        self.activate(vars);
        self.reserve_regs(vars.len() as u32)?;
        self.block(body)?;
        self.line = body.end_line;
        self.leave_block();
        self.patch_to_here(prep);
        let endfor = if is_num {
            self.emit(Instr::ForLoop {
                a: base as u16,
                sbx: NO_JUMP,
            })
        } else {
            self.emit(Instr::TForLoop {
                a: base as u16,
                c: vars.len() as u16,
            })
        };
        self.fix_line(line);
        let list = if is_num { endfor } else { self.jump() };
        self.patch_list(list, prep + 1);
        Ok(())
    }

    /// `retstat`.
    #[inline(never)]
    fn return_stat(&mut self, exprs: &'a ExprList, end_line: u32) -> CResult<()> {
        let (first, nret) = if exprs.exprs.is_empty() {
            (0, 0)
        } else {
            let (mut e, n) = self.explist(exprs)?;
            self.line = end_line;
            if e.is_multret() {
                self.set_multret(&e)?;
                if let ExpKind::Call(pc) = e.k {
                    if n == 1 {
                        if let Some(i) = self.instr_mut(pc) {
                            if let Instr::Call { a, b, c } = *i {
                                *i = Instr::TailCall { a, b, c };
                            }
                        }
                    }
                }
                (self.nactvar(), MULTRET)
            } else if n == 1 {
                (self.exp_to_any_reg(&mut e)?, 1)
            } else {
                self.exp_to_next_reg(&mut e)?;
                (self.nactvar(), n as i32)
            }
        };
        self.line = end_line;
        self.ret(first, nret);
        Ok(())
    }
}
