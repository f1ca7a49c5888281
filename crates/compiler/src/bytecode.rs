//! The compiled form of a Lua function: Lua 5.1's instruction set with wider
//! operands, and the prototype that carries it.
//!
//! The instructions mean exactly what PUC-Rio Lua 5.1's opcodes mean (see
//! the comments on each variant; `R(x)` is register x of the frame, `K(x)`
//! constant x, `RK(x)` a register or, when [`is_k`] holds, a constant, `U(x)`
//! upvalue x). The compiler reproduces luac 5.1's code generation, so for
//! any program inside 5.1's limits the code is the one `luac5.1 -l` lists;
//! that makes luac the oracle for code generation, keeps `debug.sethook`
//! count hooks and error-message variable names identical, and gives the
//! VM a well-understood input. What differs is only the operand width:
//! registers and RK constants use 15 bits instead of 8, Bx and sBx use 32,
//! so a function may have far more than 255 registers and constants.
//!
//! The VM does not execute this form directly: its loader translates each
//! prototype once into its own specialised instructions (operand kinds
//! resolved, string constants interned). A [`Proto`] is therefore plain
//! data, `Send + Sync`, independent of any heap, and can be shared between
//! many VMs (the Redis script cache compiles each script once).

use std::sync::Arc;

/// Operand bit that marks an RK operand as a constant index.
pub const RK_CONST: u16 = 0x8000;
/// Largest register index (registers are 0..=MAX_REG).
pub const MAX_REG: u16 = 0x7FFF;
/// Largest constant index an RK operand can name; beyond it the compiler
/// loads the constant into a register first.
pub const MAX_RK_CONST: u16 = 0x7FFF;
/// Items stored by one SETLIST (LFIELDS_PER_FLUSH).
pub const FIELDS_PER_FLUSH: u32 = 50;

/// True when an RK operand names a constant.
#[inline]
pub fn is_k(x: u16) -> bool {
    x & RK_CONST != 0
}

/// The constant index of an RK operand that names a constant.
#[inline]
pub fn k_index(x: u16) -> u16 {
    x & !RK_CONST
}

/// The RK operand naming constant `k` (which must be <= MAX_RK_CONST).
#[inline]
pub fn rk_const(k: u16) -> u16 {
    k | RK_CONST
}

/// One instruction. 8 bytes, `Copy`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Instr {
    /// R(a) := R(b)
    Move { a: u16, b: u16 },
    /// R(a) := K(bx)
    LoadK { a: u16, bx: u32 },
    /// R(a) := (b != 0); if c != 0 then pc++
    LoadBool { a: u16, b: u16, c: u16 },
    /// R(a) := ... := R(b) := nil
    LoadNil { a: u16, b: u16 },
    /// R(a) := U(b)
    GetUpval { a: u16, b: u16 },
    /// R(a) := Env[K(bx)]
    GetGlobal { a: u16, bx: u32 },
    /// R(a) := R(b)[RK(c)]
    GetTable { a: u16, b: u16, c: u16 },
    /// Env[K(bx)] := R(a)
    SetGlobal { a: u16, bx: u32 },
    /// U(b) := R(a)
    SetUpval { a: u16, b: u16 },
    /// R(a)[RK(b)] := RK(c)
    SetTable { a: u16, b: u16, c: u16 },
    /// R(a) := {} with size hints: b = array size, c = hash size, both in
    /// luac's "floating point byte" encoding (see [`int2fb`]/[`fb2int`]).
    NewTable { a: u16, b: u16, c: u16 },
    /// R(a+1) := R(b); R(a) := R(b)[RK(c)]
    SelfOp { a: u16, b: u16, c: u16 },
    /// R(a) := RK(b) + RK(c)
    Add { a: u16, b: u16, c: u16 },
    /// R(a) := RK(b) - RK(c)
    Sub { a: u16, b: u16, c: u16 },
    /// R(a) := RK(b) * RK(c)
    Mul { a: u16, b: u16, c: u16 },
    /// R(a) := RK(b) / RK(c)
    Div { a: u16, b: u16, c: u16 },
    /// R(a) := RK(b) % RK(c)
    Mod { a: u16, b: u16, c: u16 },
    /// R(a) := RK(b) ^ RK(c)
    Pow { a: u16, b: u16, c: u16 },
    /// R(a) := -R(b)
    Unm { a: u16, b: u16 },
    /// R(a) := not R(b)
    Not { a: u16, b: u16 },
    /// R(a) := length of R(b)
    Len { a: u16, b: u16 },
    /// R(a) := R(b) .. ... .. R(c)
    Concat { a: u16, b: u16, c: u16 },
    /// pc += sbx
    Jmp { sbx: i32 },
    /// if ((RK(b) == RK(c)) ~= a) then pc++
    Eq { a: u16, b: u16, c: u16 },
    /// if ((RK(b) < RK(c)) ~= a) then pc++
    Lt { a: u16, b: u16, c: u16 },
    /// if ((RK(b) <= RK(c)) ~= a) then pc++
    Le { a: u16, b: u16, c: u16 },
    /// if not (R(a) <=> c) then pc++
    Test { a: u16, c: u16 },
    /// if (R(b) <=> c) then R(a) := R(b) else pc++
    TestSet { a: u16, b: u16, c: u16 },
    /// R(a), ..., R(a+c-2) := R(a)(R(a+1), ..., R(a+b-1)); b = 0: arguments
    /// up to the top; c = 0: keep all results (sets the top).
    Call { a: u16, b: u16, c: u16 },
    /// return R(a)(R(a+1), ..., R(a+b-1))
    TailCall { a: u16, b: u16, c: u16 },
    /// return R(a), ..., R(a+b-2); b = 0: up to the top
    Return { a: u16, b: u16 },
    /// R(a) += R(a+2); if R(a) <?= R(a+1) then { pc += sbx; R(a+3) := R(a) }
    ForLoop { a: u16, sbx: i32 },
    /// R(a) -= R(a+2); pc += sbx
    ForPrep { a: u16, sbx: i32 },
    /// R(a+3), ..., R(a+2+c) := R(a)(R(a+1), R(a+2));
    /// if R(a+3) ~= nil then R(a+2) := R(a+3) else pc++
    TForLoop { a: u16, c: u16 },
    /// R(a)[(c-1)*FPF + i] := R(a+i), 1 <= i <= b; b = 0: up to the top.
    /// (c is never 0: the block number always fits.)
    SetList { a: u16, b: u8, c: u32 },
    /// close all upvalues of registers >= a
    Close { a: u16 },
    /// R(a) := closure(KPROTO\[bx\]); followed by one pseudo-instruction per
    /// upvalue of the new function: `Move { b }` captures register b of the
    /// enclosing function, `GetUpval { b }` shares its upvalue b.
    Closure { a: u16, bx: u32 },
    /// R(a), R(a+1), ..., R(a+b-2) = vararg; b = 0: all of them (sets top)
    VarArg { a: u16, b: u16 },
}

const _: () = assert!(std::mem::size_of::<Instr>() == 8);

/// A constant of a prototype. Strings are raw bytes: the VM interns them
/// when it loads the prototype.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    Nil,
    Boolean(bool),
    Number(f64),
    String(Box<[u8]>),
}

/// Debug information about a local variable (luac's `locvars`).
#[derive(Clone, Debug, PartialEq)]
pub struct LocVar {
    pub name: Box<[u8]>,
    /// First instruction where the variable is active.
    pub start_pc: u32,
    /// First instruction where the variable is dead.
    pub end_pc: u32,
}

/// Lua 5.1's `is_vararg` flags.
pub mod vararg {
    /// The function has the implicit `arg` parameter (LUA_COMPAT_VARARG).
    pub const HAS_ARG: u8 = 1;
    /// The function is declared with `...`.
    pub const IS_VARARG: u8 = 2;
    /// The `arg` table must be built (the body never uses `...`).
    pub const NEEDS_ARG: u8 = 4;
}

/// A compiled function prototype.
#[derive(Clone, Debug, PartialEq)]
pub struct Proto {
    /// The chunk name as given to the loader (`@file`, `=stdin`, or the
    /// source text itself for strings); see `ferrous_syntax::chunkid`.
    pub source: Arc<[u8]>,
    pub line_defined: u32,
    pub last_line_defined: u32,
    pub num_params: u16,
    /// A combination of the [`vararg`] flags.
    pub is_vararg: u8,
    /// Registers the function needs (luac's maxstacksize).
    pub max_stack: u32,
    pub code: Vec<Instr>,
    /// Source line of each instruction (same length as `code`).
    pub lines: Vec<u32>,
    pub constants: Vec<Constant>,
    pub protos: Vec<Arc<Proto>>,
    pub locvars: Vec<LocVar>,
    /// Upvalue names, in upvalue order.
    pub upvalue_names: Vec<Box<[u8]>>,
}

impl Proto {
    /// Number of upvalues the function has.
    pub fn num_upvalues(&self) -> usize {
        self.upvalue_names.len()
    }
}

/// Converts an integer to luac's "floating point byte" (eeeeexxx: the value
/// is (1xxx) * 2^(eeeee - 1) when eeeee > 0, else xxx), rounding up.
pub fn int2fb(mut x: u32) -> u16 {
    let mut e: u32 = 0;
    while x >= 16 {
        x = (x + 1) >> 1;
        e += 1;
    }
    if x < 8 {
        x as u16
    } else {
        (((e + 1) << 3) | (x - 8)) as u16
    }
}

/// Inverse of [`int2fb`].
pub fn fb2int(x: u16) -> u32 {
    let e = (x >> 3) & 31;
    if e == 0 {
        x as u32
    } else {
        let m = (x & 7) as u64 + 8;
        (m << (e - 1)).min(u32::MAX as u64) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floating_point_bytes_round_trip_upward() {
        for x in 0..10_000u32 {
            let fb = int2fb(x);
            assert!(fb2int(fb) >= x, "{x}");
        }
        assert_eq!(int2fb(0), 0);
        assert_eq!(int2fb(7), 7);
        assert_eq!(fb2int(int2fb(8)), 8);
        assert_eq!(fb2int(int2fb(17)), 18);
    }
}
