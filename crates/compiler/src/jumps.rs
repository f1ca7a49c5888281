//! Jump lists and patching (the jump half of `lcode.c`).
//!
//! A jump list is a chain of `JMP` instructions (or `FORPREP`/`FORLOOP`,
//! which take part in the same machinery) whose `sbx` fields hold, until
//! patched, the offset to the next jump of the list; [`NO_JUMP`] (-1) ends
//! it. Lists are kept in expression descriptors (`t`/`f`), in blocks
//! (`break`s) and in `jpc`: the jumps aimed at the next instruction, which
//! [`FuncState::emit`] patches as soon as that instruction exists. A new
//! `JMP` emitted while `jpc` is not empty takes those jumps along to its own
//! target (luac's jump-to-jump fusing).
//!
//! luac appends to a list by walking it to its end, which makes long
//! `and`/`or` chains, `elseif` chains and loops with many `break`s
//! quadratic. [`JumpTails`] remembers the last node of each list (by its
//! head), so appending is constant time; the lists themselves, and so the
//! code, are exactly luac's.
//!
//! A jump controlled by a `TESTSET` (an `and`/`or` operand that produces a
//! value) is patched in one of two ways: when the value is wanted in some
//! register the `TESTSET` is given that register, otherwise it becomes a
//! plain `TEST`.

use crate::bytecode::Instr;
use crate::exprdesc::NO_JUMP;
use crate::func::FuncState;

/// "No register" for [`FuncState::patch_test_reg`] and fresh `TESTSET`s.
pub(crate) const NO_REG: u32 = u16::MAX as u32;

/// An instruction with test mode (luac's `testTMode`): it is followed by a
/// `JMP` that it may skip.
pub(crate) fn is_test_mode(i: &Instr) -> bool {
    matches!(
        i,
        Instr::Eq { .. }
            | Instr::Lt { .. }
            | Instr::Le { .. }
            | Instr::Test { .. }
            | Instr::TestSet { .. }
            | Instr::TForLoop { .. }
    )
}

/// The known last node of each pending jump list, by head; both maps are
/// indexed by instruction (-1: none).
#[derive(Default)]
pub(crate) struct JumpTails {
    tail: Vec<i32>,
    /// The inverse: which head a tail belongs to.
    owner: Vec<i32>,
}

fn slot(v: &[i32], i: i32) -> i32 {
    usize::try_from(i)
        .ok()
        .and_then(|i| v.get(i))
        .copied()
        .unwrap_or(-1)
}

fn set_slot(v: &mut Vec<i32>, i: i32, x: i32) {
    let Ok(i) = usize::try_from(i) else {
        return;
    };
    if i >= v.len() {
        if x < 0 {
            return;
        }
        v.resize(i + 1, -1);
    }
    v[i] = x;
}

impl JumpTails {
    /// Forgets every list, keeping the room.
    pub(crate) fn clear(&mut self) {
        self.tail.clear();
        self.owner.clear();
    }

    fn get(&self, head: i32) -> Option<i32> {
        let t = slot(&self.tail, head);
        (t >= 0).then_some(t)
    }

    fn set(&mut self, head: i32, tail: i32) {
        let old = slot(&self.tail, head);
        if old >= 0 {
            set_slot(&mut self.owner, old, -1);
        }
        set_slot(&mut self.tail, head, tail);
        let other = slot(&self.owner, tail);
        if other >= 0 && other != head {
            set_slot(&mut self.tail, other, -1);
        }
        set_slot(&mut self.owner, tail, head);
    }

    fn forget_head(&mut self, head: i32) {
        let t = slot(&self.tail, head);
        if t >= 0 {
            set_slot(&mut self.tail, head, -1);
            set_slot(&mut self.owner, t, -1);
        }
    }

    /// `node` no longer belongs to a pending list (it was patched).
    fn forget_node(&mut self, node: i32) {
        self.forget_head(node);
        let h = slot(&self.owner, node);
        if h >= 0 {
            set_slot(&mut self.owner, node, -1);
            set_slot(&mut self.tail, h, -1);
        }
    }
}

impl FuncState<'_> {
    /// `luaK_getlabel`: the next instruction is a jump target.
    pub(crate) fn get_label(&mut self) -> i32 {
        self.lasttarget = self.pc();
        self.pc()
    }

    /// `getjump`: the next element of a list.
    fn get_jump(&self, pc: i32) -> i32 {
        let sbx = match self.instr(pc) {
            Some(Instr::Jmp { sbx } | Instr::ForPrep { sbx, .. } | Instr::ForLoop { sbx, .. }) => {
                sbx
            }
            _ => NO_JUMP,
        };
        if sbx == NO_JUMP {
            NO_JUMP
        } else {
            pc + 1 + sbx
        }
    }

    /// `fixjump`: makes the jump at `pc` go to `dest`.
    fn fix_jump(&mut self, pc: i32, dest: i32) {
        let offset = dest - (pc + 1);
        if let Some(Instr::Jmp { sbx } | Instr::ForPrep { sbx, .. } | Instr::ForLoop { sbx, .. }) =
            self.instr_mut(pc)
        {
            *sbx = offset;
        }
    }

    /// `getjumpcontrol`: the instruction that decides whether the jump at
    /// `pc` is taken (the test before it, or the jump itself).
    fn jump_control(&self, pc: i32) -> i32 {
        if pc >= 1 && self.instr(pc - 1).is_some_and(|i| is_test_mode(&i)) {
            pc - 1
        } else {
            pc
        }
    }

    /// `need_value`: some jump of the list does not produce its value
    /// (it is not controlled by a `TESTSET`).
    pub(crate) fn need_value(&self, mut list: i32) -> bool {
        while list != NO_JUMP {
            let ctl = self.jump_control(list);
            if !matches!(self.instr(ctl), Some(Instr::TestSet { .. })) {
                return true;
            }
            list = self.get_jump(list);
        }
        false
    }

    /// `patchtestreg`: gives a `TESTSET` its destination register, or turns
    /// it into a `TEST` when there is none (or it would copy a register to
    /// itself). False when the jump is not controlled by a `TESTSET`.
    fn patch_test_reg(&mut self, node: i32, reg: u32) -> bool {
        let ctl = self.jump_control(node);
        let Some(instr) = self.instr_mut(ctl) else {
            return false;
        };
        let Instr::TestSet { a, b, c } = *instr else {
            return false;
        };
        let _ = a;
        if reg != NO_REG && reg != b as u32 {
            *instr = Instr::TestSet {
                a: reg as u16,
                b,
                c,
            };
        } else {
            *instr = Instr::Test { a: b, c };
        }
        true
    }

    /// `removevalues`: no jump of the list produces a value.
    pub(crate) fn remove_values(&mut self, mut list: i32) {
        while list != NO_JUMP {
            self.patch_test_reg(list, NO_REG);
            list = self.get_jump(list);
        }
    }

    /// `patchlistaux`: value-producing jumps go to `vtarget` (with their
    /// value in `reg`), the others to `dtarget`.
    pub(crate) fn patch_list_aux(&mut self, mut list: i32, vtarget: i32, reg: u32, dtarget: i32) {
        while list != NO_JUMP {
            let next = self.get_jump(list);
            self.tails.forget_node(list);
            if self.patch_test_reg(list, reg) {
                self.fix_jump(list, vtarget);
            } else {
                self.fix_jump(list, dtarget);
            }
            list = next;
        }
    }

    /// `dischargejpc`: pending jumps go to the current position.
    pub(crate) fn discharge_jpc(&mut self) {
        if self.jpc != NO_JUMP {
            let pc = self.pc();
            self.patch_list_aux(self.jpc, pc, NO_REG, pc);
            self.jpc = NO_JUMP;
        }
    }

    /// `luaK_patchlist`.
    pub(crate) fn patch_list(&mut self, list: i32, target: i32) {
        if target == self.pc() {
            self.patch_to_here(list);
        } else {
            self.patch_list_aux(list, target, NO_REG, target);
        }
    }

    /// `luaK_patchtohere`.
    pub(crate) fn patch_to_here(&mut self, list: i32) {
        self.get_label();
        self.jpc = self.concat(self.jpc, list);
    }

    /// `luaK_concat`: appends list `l2` to list `l1`; returns the new head.
    pub(crate) fn concat(&mut self, l1: i32, l2: i32) -> i32 {
        if l2 == NO_JUMP {
            return l1;
        }
        if l1 == NO_JUMP {
            return l2;
        }
        let last = self.list_tail(l1);
        self.fix_jump(last, l2);
        let tail = self.list_tail(l2);
        self.tails.forget_head(l2);
        self.tails.set(l1, tail);
        l1
    }

    /// The last node of a list (from its remembered tail when known).
    fn list_tail(&self, head: i32) -> i32 {
        let mut list = self.tails.get(head).unwrap_or(head);
        loop {
            let next = self.get_jump(list);
            if next == NO_JUMP {
                return list;
            }
            list = next;
        }
    }

    /// `luaK_jump`: an unconditional jump, which carries along the jumps
    /// pending to this position.
    pub(crate) fn jump(&mut self) -> i32 {
        let jpc = self.jpc;
        self.jpc = NO_JUMP;
        let j = self.emit(Instr::Jmp { sbx: NO_JUMP });
        self.concat(j, jpc)
    }

    /// `condjump`: a test followed by its jump.
    pub(crate) fn cond_jump(&mut self, test: Instr) -> i32 {
        self.emit(test);
        self.jump()
    }

    /// Flips the condition of a comparison (`invertjump`).
    pub(crate) fn invert_jump(&mut self, pc: i32) {
        let ctl = self.jump_control(pc);
        if let Some(Instr::Eq { a, .. } | Instr::Lt { a, .. } | Instr::Le { a, .. }) =
            self.instr_mut(ctl)
        {
            *a = (*a == 0) as u16;
        }
    }
}
