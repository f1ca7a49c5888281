//! Placing expressions (the expression half of `lcode.c`): discharging
//! descriptors into registers or RK operands, stores, conditional jumps,
//! `not`, and the unary/binary operators with luac's constant folding.
//!
//! # RK operands
//!
//! An operand that may be a register or a constant uses a constant only
//! when its index is at most [`MAXINDEXRK`] (255), luac's limit, although
//! the wide encoding could name constant 32767: with the same rule the code
//! of every function inside luac's limits is the code luac emits (a
//! function with more than 256 constants loads the later ones with `LOADK`
//! first, as in luac). Only registers use the wide range.
//!
//! # Folding
//!
//! `constfolding` folds arithmetic on numeric literals only, never
//! division or modulo by zero and never a NaN result; `-0` is a legitimate
//! result (and then shares the constant of an earlier `0`, see
//! [`crate::constants`]).

use ferrous_syntax::ast::{BinOp, UnOp};

use crate::bytecode::{is_k, rk_const, Instr};
use crate::exprdesc::{ExpDesc, ExpKind, MULTRET, NO_JUMP};
use crate::func::{CResult, FuncState};
use crate::jumps::NO_REG;

/// luac's `MAXINDEXRK`: largest constant index used as an RK operand.
pub(crate) const MAXINDEXRK: u32 = 255;

/// Sets the `A` operand of an instruction that computes a value.
fn set_a(i: &mut Instr, reg: u32) {
    let r = reg as u16;
    match i {
        Instr::Move { a, .. }
        | Instr::LoadK { a, .. }
        | Instr::LoadBool { a, .. }
        | Instr::LoadNil { a, .. }
        | Instr::GetUpval { a, .. }
        | Instr::GetGlobal { a, .. }
        | Instr::GetTable { a, .. }
        | Instr::NewTable { a, .. }
        | Instr::SelfOp { a, .. }
        | Instr::Add { a, .. }
        | Instr::Sub { a, .. }
        | Instr::Mul { a, .. }
        | Instr::Div { a, .. }
        | Instr::Mod { a, .. }
        | Instr::Pow { a, .. }
        | Instr::Unm { a, .. }
        | Instr::Not { a, .. }
        | Instr::Len { a, .. }
        | Instr::Concat { a, .. }
        | Instr::Call { a, .. }
        | Instr::Closure { a, .. }
        | Instr::VarArg { a, .. } => *a = r,
        _ => {}
    }
}

/// Arithmetic opcodes (codearith's `op`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Unm,
    Len,
    Concat,
}

impl Arith {
    fn instr(self, b: u16, c: u16) -> Instr {
        let a = 0;
        match self {
            Arith::Add => Instr::Add { a, b, c },
            Arith::Sub => Instr::Sub { a, b, c },
            Arith::Mul => Instr::Mul { a, b, c },
            Arith::Div => Instr::Div { a, b, c },
            Arith::Mod => Instr::Mod { a, b, c },
            Arith::Pow => Instr::Pow { a, b, c },
            Arith::Unm => Instr::Unm { a, b },
            Arith::Len => Instr::Len { a, b },
            Arith::Concat => Instr::Concat { a, b, c },
        }
    }
}

/// `luai_nummod`.
fn num_mod(a: f64, b: f64) -> f64 {
    a - (a / b).floor() * b
}

/// `constfolding`: the folded value, if the operation may be folded.
fn const_fold(op: Arith, e1: &ExpDesc, e2: &ExpDesc) -> Option<f64> {
    let v1 = e1.numeral()?;
    let v2 = e2.numeral()?;
    let r = match op {
        Arith::Add => v1 + v2,
        Arith::Sub => v1 - v2,
        Arith::Mul => v1 * v2,
        Arith::Div => {
            if v2 == 0.0 {
                return None;
            }
            v1 / v2
        }
        Arith::Mod => {
            if v2 == 0.0 {
                return None;
            }
            num_mod(v1, v2)
        }
        Arith::Pow => v1.powf(v2),
        Arith::Unm => -v1,
        Arith::Len | Arith::Concat => return None,
    };
    if r.is_nan() {
        None
    } else {
        Some(r)
    }
}

impl FuncState<'_> {
    /// `luaK_nil`: sets `n` registers from `from` to nil, merging with a
    /// `LOADNIL` just before, or nothing at all at the very start of the
    /// function for registers that are not parameters (they are nil).
    pub(crate) fn nil(&mut self, from: u32, n: u32) {
        if self.pc() > self.lasttarget {
            if self.pc() == 0 {
                if from >= self.nactvar() {
                    return;
                }
            } else if let Some(Instr::LoadNil { a, b }) = self.code.last_mut() {
                let (pfrom, pto) = (*a as u32, *b as u32);
                if pfrom <= from && from <= pto + 1 {
                    if from + n - 1 > pto {
                        *b = (from + n - 1) as u16;
                    }
                    return;
                }
            }
        }
        self.emit(Instr::LoadNil {
            a: from as u16,
            b: (from + n - 1) as u16,
        });
    }

    /// `luaK_ret`.
    pub(crate) fn ret(&mut self, first: u32, nret: i32) {
        self.emit(Instr::Return {
            a: first as u16,
            b: (nret + 1) as u16,
        });
    }

    /// `freereg`: frees a temporary register (not a local, not a constant).
    pub(crate) fn free_reg(&mut self, rk: u32) {
        if rk <= u16::MAX as u32 && is_k(rk as u16) {
            return;
        }
        if rk >= self.nactvar() {
            self.freereg = self.freereg.saturating_sub(1);
        }
    }

    /// `freeexp`.
    pub(crate) fn free_exp(&mut self, e: &ExpDesc) {
        if let ExpKind::NonReloc(r) = e.k {
            self.free_reg(r);
        }
    }

    /// `luaK_setreturns`: an open call or vararg yields `nresults` values
    /// (`MULTRET`: all).
    pub(crate) fn set_returns(&mut self, e: &ExpDesc, nresults: i32) -> CResult<()> {
        match e.k {
            ExpKind::Call(pc) => {
                if let Some(Instr::Call { c, .. }) = self.instr_mut(pc) {
                    *c = (nresults + 1) as u16;
                }
            }
            ExpKind::Vararg(pc) => {
                let freereg = self.freereg as u16;
                if let Some(Instr::VarArg { a, b }) = self.instr_mut(pc) {
                    *b = (nresults + 1) as u16;
                    *a = freereg;
                }
                self.reserve_regs(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// `luaK_setmultret`.
    pub(crate) fn set_multret(&mut self, e: &ExpDesc) -> CResult<()> {
        self.set_returns(e, MULTRET)
    }

    /// `luaK_setoneret`: an open call or vararg yields one value.
    pub(crate) fn set_one_ret(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Call(pc) => {
                let a = match self.instr(pc) {
                    Some(Instr::Call { a, .. }) => a as u32,
                    _ => 0,
                };
                e.k = ExpKind::NonReloc(a);
            }
            ExpKind::Vararg(pc) => {
                if let Some(Instr::VarArg { b, .. }) = self.instr_mut(pc) {
                    *b = 2;
                }
                e.k = ExpKind::Relocable(pc);
            }
            _ => {}
        }
    }

    /// `luaK_dischargevars`: a variable becomes a value (reads are emitted).
    pub(crate) fn discharge_vars(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Local(r) => e.k = ExpKind::NonReloc(r),
            ExpKind::Upval(i) => {
                let pc = self.emit(Instr::GetUpval { a: 0, b: i as u16 });
                e.k = ExpKind::Relocable(pc);
            }
            ExpKind::Global(k) => {
                let pc = self.emit(Instr::GetGlobal { a: 0, bx: k });
                e.k = ExpKind::Relocable(pc);
            }
            ExpKind::Indexed { table, key } => {
                self.free_reg(key as u32);
                self.free_reg(table);
                let pc = self.emit(Instr::GetTable {
                    a: 0,
                    b: table as u16,
                    c: key,
                });
                e.k = ExpKind::Relocable(pc);
            }
            ExpKind::Call(_) | ExpKind::Vararg(_) => self.set_one_ret(e),
            _ => {}
        }
    }

    /// `code_label`: a `LOADBOOL` that may be a jump target.
    fn code_label(&mut self, a: u32, b: u16, jump: u16) -> i32 {
        self.get_label();
        self.emit(Instr::LoadBool {
            a: a as u16,
            b,
            c: jump,
        })
    }

    /// `discharge2reg`: puts the value in register `reg` (jumps aside).
    fn discharge_to_reg(&mut self, e: &mut ExpDesc, reg: u32) {
        self.discharge_vars(e);
        match e.k {
            ExpKind::Nil => self.nil(reg, 1),
            ExpKind::False | ExpKind::True => {
                self.emit(Instr::LoadBool {
                    a: reg as u16,
                    b: (e.k == ExpKind::True) as u16,
                    c: 0,
                });
            }
            ExpKind::K(k) => {
                self.emit(Instr::LoadK {
                    a: reg as u16,
                    bx: k,
                });
            }
            ExpKind::KNum(n) => {
                let k = self.k.number(n);
                self.emit(Instr::LoadK {
                    a: reg as u16,
                    bx: k,
                });
            }
            ExpKind::Relocable(pc) => {
                if let Some(i) = self.instr_mut(pc) {
                    set_a(i, reg);
                }
            }
            ExpKind::NonReloc(r) => {
                if reg != r {
                    self.emit(Instr::Move {
                        a: reg as u16,
                        b: r as u16,
                    });
                }
            }
            _ => return, // Void or Jmp: nothing to do
        }
        e.k = ExpKind::NonReloc(reg);
    }

    /// `discharge2anyreg`.
    fn discharge_to_any_reg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if !matches!(e.k, ExpKind::NonReloc(_)) {
            self.reserve_regs(1)?;
            self.discharge_to_reg(e, self.freereg - 1);
        }
        Ok(())
    }

    /// `exp2reg`: the value, jumps included, ends in register `reg`.
    fn exp_to_reg(&mut self, e: &mut ExpDesc, reg: u32) {
        self.discharge_to_reg(e, reg);
        if let ExpKind::Jmp(pc) = e.k {
            e.t = self.concat(e.t, pc);
        }
        if e.has_jumps() {
            let mut p_f = NO_JUMP;
            let mut p_t = NO_JUMP;
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if matches!(e.k, ExpKind::Jmp(_)) {
                    NO_JUMP
                } else {
                    self.jump()
                };
                p_f = self.code_label(reg, 0, 1);
                p_t = self.code_label(reg, 1, 0);
                self.patch_to_here(fj);
            }
            let end = self.get_label();
            self.patch_list_aux(e.f, end, reg, p_f);
            self.patch_list_aux(e.t, end, reg, p_t);
        }
        e.f = NO_JUMP;
        e.t = NO_JUMP;
        e.k = ExpKind::NonReloc(reg);
    }

    /// `luaK_exp2nextreg`: the value goes to a new register on top.
    pub(crate) fn exp_to_next_reg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e);
        self.free_exp(e);
        self.reserve_regs(1)?;
        self.exp_to_reg(e, self.freereg - 1);
        Ok(())
    }

    /// `luaK_exp2anyreg`: the value goes to some register, which is
    /// returned.
    pub(crate) fn exp_to_any_reg(&mut self, e: &mut ExpDesc) -> CResult<u32> {
        self.discharge_vars(e);
        if let ExpKind::NonReloc(r) = e.k {
            if !e.has_jumps() {
                return Ok(r);
            }
            if r >= self.nactvar() {
                self.exp_to_reg(e, r);
                return Ok(r);
            }
        }
        self.exp_to_next_reg(e)?;
        Ok(match e.k {
            ExpKind::NonReloc(r) => r,
            _ => 0,
        })
    }

    /// `luaK_exp2val`.
    pub(crate) fn exp_to_val(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if e.has_jumps() {
            self.exp_to_any_reg(e)?;
        } else {
            self.discharge_vars(e);
        }
        Ok(())
    }

    /// `luaK_exp2RK`: an RK operand for the value.
    pub(crate) fn exp_to_rk(&mut self, e: &mut ExpDesc) -> CResult<u16> {
        self.exp_to_val(e)?;
        match e.k {
            ExpKind::KNum(_) | ExpKind::True | ExpKind::False | ExpKind::Nil
                if self.k.len() <= MAXINDEXRK =>
            {
                let k = match e.k {
                    ExpKind::Nil => self.k.nil(),
                    ExpKind::KNum(n) => self.k.number(n),
                    _ => self.k.boolean(e.k == ExpKind::True),
                };
                e.k = ExpKind::K(k);
                return Ok(rk_const(k as u16));
            }
            ExpKind::K(k) if k <= MAXINDEXRK => return Ok(rk_const(k as u16)),
            _ => {}
        }
        Ok(self.exp_to_any_reg(e)? as u16)
    }

    /// `luaK_storevar`: assigns `ex` to the variable `var`.
    pub(crate) fn store_var(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> CResult<()> {
        match var.k {
            ExpKind::Local(r) => {
                self.free_exp(ex);
                self.exp_to_reg(ex, r);
                return Ok(());
            }
            ExpKind::Upval(i) => {
                let e = self.exp_to_any_reg(ex)?;
                self.emit(Instr::SetUpval {
                    a: e as u16,
                    b: i as u16,
                });
            }
            ExpKind::Global(k) => {
                let e = self.exp_to_any_reg(ex)?;
                self.emit(Instr::SetGlobal { a: e as u16, bx: k });
            }
            ExpKind::Indexed { table, key } => {
                let e = self.exp_to_rk(ex)?;
                self.emit(Instr::SetTable {
                    a: table as u16,
                    b: key,
                    c: e,
                });
            }
            _ => {}
        }
        self.free_exp(ex);
        Ok(())
    }

    /// `luaK_self`: `e:key` prepares a method call (function and `self` in
    /// two new registers).
    pub(crate) fn self_op(&mut self, e: &mut ExpDesc, key: &mut ExpDesc) -> CResult<()> {
        let obj = self.exp_to_any_reg(e)?;
        self.free_exp(e);
        let func = self.freereg;
        self.reserve_regs(2)?;
        let c = self.exp_to_rk(key)?;
        self.emit(Instr::SelfOp {
            a: func as u16,
            b: obj as u16,
            c,
        });
        self.free_exp(key);
        e.k = ExpKind::NonReloc(func);
        Ok(())
    }

    /// `luaK_indexed`: `t[k]` (t already in a register).
    pub(crate) fn indexed(&mut self, t: &mut ExpDesc, k: &mut ExpDesc) -> CResult<()> {
        let key = self.exp_to_rk(k)?;
        let table = match t.k {
            ExpKind::NonReloc(r) | ExpKind::Local(r) => r,
            _ => 0,
        };
        t.k = ExpKind::Indexed { table, key };
        Ok(())
    }

    /// `jumponcond`: jump if the value is `cond` (a `not` just emitted is
    /// undone and its operand tested the other way).
    fn jump_on_cond(&mut self, e: &mut ExpDesc, cond: bool) -> CResult<i32> {
        if let ExpKind::Relocable(pc) = e.k {
            if let Some(Instr::Not { b, .. }) = self.instr(pc) {
                self.code.pop();
                self.lines.pop();
                return Ok(self.cond_jump(Instr::Test {
                    a: b,
                    c: (!cond) as u16,
                }));
            }
        }
        self.discharge_to_any_reg(e)?;
        self.free_exp(e);
        let b = match e.k {
            ExpKind::NonReloc(r) => r as u16,
            _ => 0,
        };
        Ok(self.cond_jump(Instr::TestSet {
            a: NO_REG as u16,
            b,
            c: cond as u16,
        }))
    }

    /// `luaK_goiftrue`: falls through when true, jumps (list `f`) when false.
    /// (5.1 tests a constant `false` at run time: no unconditional jump.)
    pub(crate) fn go_if_true(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e);
        let pc = match e.k {
            ExpKind::K(_) | ExpKind::KNum(_) | ExpKind::True => NO_JUMP,
            ExpKind::Jmp(pc) => {
                self.invert_jump(pc);
                pc
            }
            _ => self.jump_on_cond(e, false)?,
        };
        e.f = self.concat(e.f, pc);
        self.patch_to_here(e.t);
        e.t = NO_JUMP;
        Ok(())
    }

    /// `luaK_goiffalse`: falls through when false, jumps (list `t`) when
    /// true.
    fn go_if_false(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e);
        let pc = match e.k {
            ExpKind::Nil | ExpKind::False => NO_JUMP,
            ExpKind::Jmp(pc) => pc,
            _ => self.jump_on_cond(e, true)?,
        };
        e.t = self.concat(e.t, pc);
        self.patch_to_here(e.f);
        e.f = NO_JUMP;
        Ok(())
    }

    /// `codenot`.
    fn code_not(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e);
        match e.k {
            ExpKind::Nil | ExpKind::False => e.k = ExpKind::True,
            ExpKind::K(_) | ExpKind::KNum(_) | ExpKind::True => e.k = ExpKind::False,
            ExpKind::Jmp(pc) => self.invert_jump(pc),
            ExpKind::Relocable(_) | ExpKind::NonReloc(_) => {
                self.discharge_to_any_reg(e)?;
                self.free_exp(e);
                let b = match e.k {
                    ExpKind::NonReloc(r) => r as u16,
                    _ => 0,
                };
                let pc = self.emit(Instr::Not { a: 0, b });
                e.k = ExpKind::Relocable(pc);
            }
            _ => {}
        }
        std::mem::swap(&mut e.f, &mut e.t);
        self.remove_values(e.f);
        self.remove_values(e.t);
        Ok(())
    }

    /// `codearith`.
    fn code_arith(&mut self, op: Arith, e1: &mut ExpDesc, e2: &mut ExpDesc) -> CResult<()> {
        if let Some(r) = const_fold(op, e1, e2) {
            e1.k = ExpKind::KNum(r);
            return Ok(());
        }
        let o2 = if op != Arith::Unm && op != Arith::Len {
            self.exp_to_rk(e2)?
        } else {
            0
        };
        let o1 = self.exp_to_rk(e1)?;
        if o1 > o2 {
            self.free_exp(e1);
            self.free_exp(e2);
        } else {
            self.free_exp(e2);
            self.free_exp(e1);
        }
        let pc = self.emit(op.instr(o1, o2));
        e1.k = ExpKind::Relocable(pc);
        Ok(())
    }

    /// `codecomp`.
    fn code_comp(
        &mut self,
        op: fn(u16, u16, u16) -> Instr,
        is_eq: bool,
        cond: bool,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
    ) -> CResult<()> {
        let mut o1 = self.exp_to_rk(e1)?;
        let mut o2 = self.exp_to_rk(e2)?;
        self.free_exp(e2);
        self.free_exp(e1);
        let mut cond = cond;
        if !cond && !is_eq {
            std::mem::swap(&mut o1, &mut o2);
            cond = true;
        }
        let pc = self.cond_jump(op(cond as u16, o1, o2));
        e1.k = ExpKind::Jmp(pc);
        Ok(())
    }

    /// `luaK_prefix`.
    pub(crate) fn prefix(&mut self, op: UnOp, e: &mut ExpDesc) -> CResult<()> {
        let mut e2 = ExpDesc::new(ExpKind::KNum(0.0));
        match op {
            UnOp::Neg => {
                if e.numeral().is_none() {
                    self.exp_to_any_reg(e)?;
                }
                self.code_arith(Arith::Unm, e, &mut e2)
            }
            UnOp::Not => self.code_not(e),
            UnOp::Len => {
                self.exp_to_any_reg(e)?;
                self.code_arith(Arith::Len, e, &mut e2)
            }
        }
    }

    /// `luaK_infix`: prepares the left operand before the right one is
    /// compiled.
    pub(crate) fn infix(&mut self, op: BinOp, v: &mut ExpDesc) -> CResult<()> {
        match op {
            BinOp::And => self.go_if_true(v),
            BinOp::Or => self.go_if_false(v),
            BinOp::Concat => self.exp_to_next_reg(v),
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Pow => {
                if v.numeral().is_none() {
                    self.exp_to_rk(v)?;
                }
                Ok(())
            }
            _ => {
                self.exp_to_rk(v)?;
                Ok(())
            }
        }
    }

    /// `luaK_posfix`: combines both operands.
    pub(crate) fn posfix(&mut self, op: BinOp, e1: &mut ExpDesc, e2: &mut ExpDesc) -> CResult<()> {
        match op {
            BinOp::And => {
                self.discharge_vars(e2);
                e2.f = self.concat(e2.f, e1.f);
                *e1 = *e2;
                Ok(())
            }
            BinOp::Or => {
                self.discharge_vars(e2);
                e2.t = self.concat(e2.t, e1.t);
                *e1 = *e2;
                Ok(())
            }
            BinOp::Concat => {
                self.exp_to_val(e2)?;
                if let ExpKind::Relocable(pc) = e2.k {
                    if let Some(Instr::Concat { .. }) = self.instr(pc) {
                        self.free_exp(e1);
                        let first = match e1.k {
                            ExpKind::NonReloc(r) => r as u16,
                            _ => 0,
                        };
                        if let Some(Instr::Concat { b, .. }) = self.instr_mut(pc) {
                            *b = first;
                        }
                        e1.k = ExpKind::Relocable(pc);
                        return Ok(());
                    }
                }
                self.exp_to_next_reg(e2)?;
                self.code_arith(Arith::Concat, e1, e2)
            }
            BinOp::Add => self.code_arith(Arith::Add, e1, e2),
            BinOp::Sub => self.code_arith(Arith::Sub, e1, e2),
            BinOp::Mul => self.code_arith(Arith::Mul, e1, e2),
            BinOp::Div => self.code_arith(Arith::Div, e1, e2),
            BinOp::Mod => self.code_arith(Arith::Mod, e1, e2),
            BinOp::Pow => self.code_arith(Arith::Pow, e1, e2),
            BinOp::Eq => self.code_comp(eq, true, true, e1, e2),
            BinOp::Ne => self.code_comp(eq, true, false, e1, e2),
            BinOp::Lt => self.code_comp(lt, false, true, e1, e2),
            BinOp::Le => self.code_comp(le, false, true, e1, e2),
            BinOp::Gt => self.code_comp(lt, false, false, e1, e2),
            BinOp::Ge => self.code_comp(le, false, false, e1, e2),
        }
    }
}

fn eq(a: u16, b: u16, c: u16) -> Instr {
    Instr::Eq { a, b, c }
}

fn lt(a: u16, b: u16, c: u16) -> Instr {
    Instr::Lt { a, b, c }
}

fn le(a: u16, b: u16, c: u16) -> Instr {
    Instr::Le { a, b, c }
}
