//! Names for values in error messages, found from the bytecode.
//!
//! Lua 5.1 words its runtime errors with the name of the variable that held
//! the offending value ("attempt to index local 't'", "attempt to call
//! global 'f'", "bad argument #1 to 'insert'"). The name is not stored at
//! run time: it is recovered by looking at the instruction that last wrote
//! the register before the failing instruction. This module does that on
//! the compiler's form of the code (which the VM keeps for exactly this
//! purpose), with the same rules as PUC-Rio so the names agree.

use ferrous_compiler::bytecode::{is_k, k_index, Constant, Instr, Proto};

/// What kind of variable a name refers to, as the messages spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A local variable ("local 'x'").
    Local,
    /// A global variable ("global 'x'").
    Global,
    /// A field indexed by a constant string ("field 'x'").
    Field,
    /// An upvalue ("upvalue 'x'").
    Upvalue,
    /// A method called with `:` ("method 'x'").
    Method,
}

impl NameKind {
    /// The word the messages and `debug.getinfo`'s `namewhat` use.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Local => "local",
            NameKind::Global => "global",
            NameKind::Field => "field",
            NameKind::Upvalue => "upvalue",
            NameKind::Method => "method",
        }
    }
}

/// The name of the local variable held in register `reg` at instruction
/// `pc`, if a declared local lives there.
pub fn local_name(p: &Proto, reg: u32, pc: u32) -> Option<&[u8]> {
    // Locals active at pc, in declaration order, occupy registers 0, 1, ...
    let mut n = 0;
    for lv in &p.locvars {
        if lv.start_pc > pc {
            break;
        }
        if pc < lv.end_pc {
            if n == reg {
                return Some(&lv.name);
            }
            n += 1;
        }
    }
    None
}

/// Whether an instruction writes its register A.
fn sets_a(i: &Instr) -> Option<u16> {
    use Instr::*;
    match *i {
        Move { a, .. }
        | LoadK { a, .. }
        | LoadBool { a, .. }
        | LoadNil { a, .. }
        | GetUpval { a, .. }
        | GetGlobal { a, .. }
        | GetTable { a, .. }
        | NewTable { a, .. }
        | SelfOp { a, .. }
        | Add { a, .. }
        | Sub { a, .. }
        | Mul { a, .. }
        | Div { a, .. }
        | Mod { a, .. }
        | Pow { a, .. }
        | Unm { a, .. }
        | Not { a, .. }
        | Len { a, .. }
        | Concat { a, .. }
        | Test { a, .. }
        | TestSet { a, .. }
        | Call { a, .. }
        | TailCall { a, .. }
        | ForLoop { a, .. }
        | ForPrep { a, .. }
        | Closure { a, .. }
        | VarArg { a, .. } => Some(a),
        SetGlobal { .. }
        | SetUpval { .. }
        | SetTable { .. }
        | Jmp { .. }
        | Eq { .. }
        | Lt { .. }
        | Le { .. }
        | TForLoop { .. }
        | Return { .. }
        | SetList { .. }
        | Close { .. } => None,
    }
}

/// Finds the instruction before `last_pc` that last wrote register `reg`,
/// following forward jumps that do not pass `last_pc` (the code they skip
/// cannot have produced the value).
fn last_writer(p: &Proto, last_pc: usize, reg: u32) -> Option<&Instr> {
    let mut last: Option<usize> = None;
    let mut pc = 0usize;
    let end = last_pc.min(p.code.len());
    while pc < end {
        let i = &p.code[pc];
        if sets_a(i).is_some_and(|a| a as u32 == reg) {
            last = Some(pc);
        }
        match *i {
            Instr::LoadNil { a, b } => {
                if (a as u32) <= reg && reg <= b as u32 {
                    last = Some(pc);
                }
            }
            Instr::SelfOp { a, .. } => {
                if reg == a as u32 + 1 {
                    last = Some(pc);
                }
            }
            Instr::TForLoop { a, .. } => {
                if reg >= a as u32 + 2 {
                    last = Some(pc);
                }
            }
            Instr::Call { a, .. } | Instr::TailCall { a, .. } => {
                if reg >= a as u32 {
                    last = Some(pc);
                }
            }
            Instr::Jmp { sbx } | Instr::ForLoop { sbx, .. } | Instr::ForPrep { sbx, .. } => {
                let dest = pc as i64 + 1 + sbx as i64;
                if (pc as i64) < dest && dest <= last_pc as i64 {
                    pc = (dest - 1) as usize;
                }
            }
            Instr::Closure { bx, .. } => {
                // Skip the upvalue pseudo-instructions.
                let nup = p.protos.get(bx as usize).map_or(0, |c| c.num_upvalues());
                pc += nup;
            }
            _ => {}
        }
        pc += 1;
    }
    last.and_then(|l| p.code.get(l))
}

/// The name of a constant used as a table key, or "?".
fn key_name(p: &Proto, rk: u16) -> Vec<u8> {
    if is_k(rk) {
        if let Some(Constant::String(s)) = p.constants.get(k_index(rk) as usize) {
            return s.to_vec();
        }
    }
    b"?".to_vec()
}

/// Describes the value in register `reg` at instruction `pc` of `p`
/// (`pc` is the instruction being executed). Returns the kind and name,
/// or `None` when no useful name can be found. The name is cut at its
/// first NUL, as 5.1's `%s` and `lua_pushstring` cut it (`t["ab\0cd"].x`
/// fails on "field 'ab'"); an upvalue of a function loaded without names
/// (a stripped chunk) is '?', as in 5.1.
pub fn object_name(p: &Proto, pc: u32, reg: u32) -> Option<(NameKind, Vec<u8>)> {
    let (kind, mut name) = find_object_name(p, pc, reg)?;
    if let Some(n) = name.iter().position(|&b| b == 0) {
        name.truncate(n);
    }
    Some((kind, name))
}

fn find_object_name(p: &Proto, pc: u32, reg: u32) -> Option<(NameKind, Vec<u8>)> {
    let mut reg = reg;
    // A chain of moves from lower registers is followed iteratively.
    for _ in 0..=p.code.len() {
        if let Some(name) = local_name(p, reg, pc) {
            return Some((NameKind::Local, name.to_vec()));
        }
        let i = last_writer(p, pc as usize, reg)?;
        return match *i {
            Instr::GetGlobal { bx, .. } => match p.constants.get(bx as usize) {
                Some(Constant::String(s)) => Some((NameKind::Global, s.to_vec())),
                _ => None,
            },
            Instr::Move { a, b } => {
                if b < a {
                    reg = b as u32;
                    continue;
                }
                None
            }
            Instr::GetTable { c, .. } => Some((NameKind::Field, key_name(p, c))),
            Instr::GetUpval { b, .. } => {
                let name = p
                    .upvalue_names
                    .get(b as usize)
                    .filter(|n| !n.is_empty())
                    .map_or_else(|| b"?".to_vec(), |n| n.to_vec());
                Some((NameKind::Upvalue, name))
            }
            Instr::SelfOp { c, .. } => Some((NameKind::Method, key_name(p, c))),
            _ => None,
        };
    }
    None
}

/// The name of the function being called by the instruction at `pc` of the
/// calling function `p` (for "bad argument #1 to 'name'" and tracebacks).
pub fn called_function_name(p: &Proto, pc: u32) -> Option<(NameKind, Vec<u8>)> {
    match p.code.get(pc as usize)? {
        Instr::Call { a, .. } | Instr::TailCall { a, .. } | Instr::TForLoop { a, .. } => {
            object_name(p, pc, *a as u32)
        }
        _ => None,
    }
}

/// The source line of instruction `pc`, or 0 when unknown.
pub fn line_at(p: &Proto, pc: u32) -> u32 {
    p.lines.get(pc as usize).copied().unwrap_or(0)
}
