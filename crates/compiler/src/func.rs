//! The function being compiled (luac's `FuncState`): the instruction
//! buffer with its line table, register allocation, the active locals and
//! their debug ranges, and the block stack.
//!
//! Invariants, as in luac: registers `0..nactvar` hold the active locals
//! (a local's register is its position among them); `nactvar..freereg`
//! are temporaries in use, allocated and freed as a stack; `max_stack` is
//! the high-water mark of `freereg` (at least 2). Every instruction gets
//! the line in [`FuncState::line`], which the walkers in `expr.rs` and
//! `stat.rs` keep equal to luac's `ls->lastline` (the line of the last
//! token the parser had consumed when luac emitted that instruction).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use ferrous_syntax::ast::{self, LocalId};

use crate::bytecode::{Instr, LocVar, Proto, MAX_REG};
use crate::constants::ConstTable;
use crate::error::CompileError;
use crate::exprdesc::NO_JUMP;
use crate::jumps::JumpTails;

pub(crate) type CResult<T> = Result<T, CompileError>;

/// What the whole compilation shares: the chunk's name and, for deeply
/// nested functions compiled bottom-up, the prototypes compiled so far,
/// by [`key`], until their enclosing function takes them.
pub(crate) struct Ctx<'a> {
    pub(crate) chunkname: &'a [u8],
    pub(crate) source: Arc<[u8]>,
    pub(crate) done: RefCell<HashMap<usize, Proto>>,
    /// The functions compiled as the parser closed them (see
    /// `compile_source_with_level`), by their `Function::taken` number.
    pub(crate) taken: Option<&'a RefCell<crate::Taken>>,
    /// Working buffers of finished functions, for the next ones.
    pub(crate) scratch: &'a RefCell<Vec<Scratch>>,
}

/// The growing parts of a function being compiled (code, lines,
/// constants with their maps, jump tails, the local and block stacks),
/// kept between functions: a function starts with the room an earlier
/// one made, instead of growing (and copying) its vectors from nothing,
/// and its prototype gets vectors of exactly its size, as luac's
/// `close_func` trims them.
#[derive(Default)]
pub(crate) struct Scratch {
    code: Vec<Instr>,
    lines: Vec<u32>,
    k: ConstTable,
    protos: Vec<Arc<Proto>>,
    actvar: Vec<LocalId>,
    blocks: Vec<BlockCnt>,
    tails: JumpTails,
}

/// At most this many scratch sets are kept (one per function being
/// compiled at once; more only in the whole-tree compiler's nesting).
const SCRATCH_KEPT: usize = 16;

/// Identifies a function of the tree (its address).
pub(crate) fn key(f: &ast::Function) -> usize {
    f as *const ast::Function as usize
}

/// luac's `BlockCnt`.
pub(crate) struct BlockCnt {
    /// Jumps out of the block (`break`s), patched when it ends.
    pub(crate) breaklist: i32,
    /// Active locals outside the block.
    pub(crate) nactvar: u32,
    /// A local of the block is captured: `CLOSE` when leaving it.
    pub(crate) upval: bool,
    /// A loop (`break` target).
    pub(crate) breakable: bool,
}

pub(crate) struct FuncState<'a> {
    pub(crate) ctx: &'a Ctx<'a>,
    pub(crate) f: &'a ast::Function,
    pub(crate) code: Vec<Instr>,
    pub(crate) lines: Vec<u32>,
    pub(crate) k: ConstTable,
    pub(crate) protos: Vec<Arc<Proto>>,
    /// Debug ranges of every local, indexed like `f.locals`.
    pub(crate) locvars: Vec<LocVar>,
    /// The active locals, by register.
    pub(crate) actvar: Vec<LocalId>,
    pub(crate) max_stack: u32,
    /// First free register.
    pub(crate) freereg: u32,
    /// Last instruction that is a jump target (`lasttarget`); -1 at start.
    pub(crate) lasttarget: i32,
    /// Jumps to the next instruction to be emitted (`jpc`).
    pub(crate) jpc: i32,
    /// luac's `ls->lastline`: the line given to the next instruction.
    pub(crate) line: u32,
    pub(crate) blocks: Vec<BlockCnt>,
    /// Last nodes of the pending jump lists (see `jumps.rs`).
    pub(crate) tails: JumpTails,
    /// How many functions enclose this one.
    pub(crate) depth: u32,
}

impl<'a> FuncState<'a> {
    pub(crate) fn new(ctx: &'a Ctx<'a>, f: &'a ast::Function, depth: u32) -> FuncState<'a> {
        let Scratch {
            code,
            lines,
            k,
            protos,
            actvar,
            blocks,
            tails,
        } = ctx.scratch.borrow_mut().pop().unwrap_or_default();
        FuncState {
            ctx,
            f,
            code,
            lines,
            k,
            protos,
            locvars: f
                .locals
                .iter()
                .map(|l| LocVar {
                    name: l.name.clone(),
                    start_pc: 0,
                    end_pc: 0,
                })
                .collect(),
            actvar,
            max_stack: 2,
            freereg: 0,
            lasttarget: -1,
            jpc: NO_JUMP,
            line: f.line_defined,
            blocks,
            tails,
            depth,
        }
    }

    /// Finishes the prototype (its vectors exactly as long as their
    /// contents) and gives the working buffers back to the context.
    pub(crate) fn into_proto(mut self) -> Proto {
        let f = self.f;
        let proto = Proto {
            source: self.ctx.source.clone(),
            line_defined: f.line_defined,
            last_line_defined: f.last_line_defined,
            num_params: f.num_params as u16,
            is_vararg: f.vararg_flags(),
            max_stack: self.max_stack,
            code: self.code.as_slice().to_vec(),
            lines: self.lines.as_slice().to_vec(),
            constants: self.k.list.drain(..).collect(),
            protos: self.protos.drain(..).collect(),
            locvars: self.locvars,
            upvalue_names: f.upvalues.iter().map(|u| Box::from(&u.name[..])).collect(),
        };
        let mut scratch = self.ctx.scratch.borrow_mut();
        if scratch.len() < SCRATCH_KEPT {
            let (mut code, mut lines, mut k) = (self.code, self.lines, self.k);
            code.clear();
            lines.clear();
            k.clear();
            let (mut actvar, mut blocks, mut tails) = (self.actvar, self.blocks, self.tails);
            actvar.clear();
            blocks.clear();
            tails.clear();
            scratch.push(Scratch {
                code,
                lines,
                k,
                protos: self.protos,
                actvar,
                blocks,
                tails,
            });
        }
        proto
    }

    /// `luaK_stringK` for a string of the tree.
    pub(crate) fn string_k(&mut self, s: &'a ast::Bytes) -> u32 {
        self.k.string(s)
    }

    // ----- errors ---------------------------------------------------------

    #[cold]
    #[inline(never)]
    pub(crate) fn error(&self, msg: &str) -> CompileError {
        CompileError::new(self.ctx.chunkname, self.line, msg)
    }

    // ----- instructions ---------------------------------------------------

    /// Index of the next instruction (`fs->pc`).
    #[inline]
    pub(crate) fn pc(&self) -> i32 {
        self.code.len() as i32
    }

    /// `luaK_code`: appends an instruction with the current line, after
    /// sending pending jumps to it.
    pub(crate) fn emit(&mut self, i: Instr) -> i32 {
        self.discharge_jpc();
        let pc = self.pc();
        self.code.push(i);
        self.lines.push(self.line);
        pc
    }

    /// `luaK_fixline`: gives the last instruction another line.
    pub(crate) fn fix_line(&mut self, line: u32) {
        if let Some(l) = self.lines.last_mut() {
            *l = line;
        }
    }

    /// The instruction at `pc`, if any.
    #[inline]
    pub(crate) fn instr(&self, pc: i32) -> Option<Instr> {
        usize::try_from(pc)
            .ok()
            .and_then(|i| self.code.get(i))
            .copied()
    }

    /// Mutable access to the instruction at `pc`, if any.
    #[inline]
    pub(crate) fn instr_mut(&mut self, pc: i32) -> Option<&mut Instr> {
        usize::try_from(pc)
            .ok()
            .and_then(move |i| self.code.get_mut(i))
    }

    // ----- registers ------------------------------------------------------

    /// Number of active locals.
    #[inline]
    pub(crate) fn nactvar(&self) -> u32 {
        self.actvar.len() as u32
    }

    /// `luaK_checkstack`.
    pub(crate) fn check_stack(&mut self, n: u32) -> CResult<()> {
        let newstack = self.freereg + n;
        if newstack > self.max_stack {
            if newstack > MAX_REG as u32 + 1 {
                return Err(self.error("function or expression too complex"));
            }
            self.max_stack = newstack;
        }
        Ok(())
    }

    /// `luaK_reserveregs`.
    pub(crate) fn reserve_regs(&mut self, n: u32) -> CResult<()> {
        self.check_stack(n)?;
        self.freereg += n;
        Ok(())
    }

    // ----- locals and blocks ----------------------------------------------

    /// `adjustlocalvars`: activates locals, which start here.
    pub(crate) fn activate(&mut self, ids: &[LocalId]) {
        let pc = self.pc() as u32;
        for &id in ids {
            if let Some(v) = self.locvars.get_mut(id as usize) {
                v.start_pc = pc;
            }
            self.actvar.push(id);
        }
    }

    /// `removevars`: deactivates locals down to `level`; they end here.
    pub(crate) fn remove_vars(&mut self, level: u32) {
        let pc = self.pc() as u32;
        while self.nactvar() > level {
            if let Some(id) = self.actvar.pop() {
                if let Some(v) = self.locvars.get_mut(id as usize) {
                    v.end_pc = pc;
                }
            }
        }
    }

    /// `enterblock`.
    pub(crate) fn enter_block(&mut self, breakable: bool, upval: bool) {
        self.blocks.push(BlockCnt {
            breaklist: NO_JUMP,
            nactvar: self.nactvar(),
            upval,
            breakable,
        });
    }

    /// `leaveblock`.
    pub(crate) fn leave_block(&mut self) {
        let Some(bl) = self.blocks.pop() else {
            return;
        };
        self.remove_vars(bl.nactvar);
        if bl.upval {
            self.emit(Instr::Close {
                a: bl.nactvar as u16,
            });
        }
        self.freereg = self.nactvar();
        self.patch_to_here(bl.breaklist);
    }
}
