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
/// Largest SETLIST block number 5.1's C operand holds. luac writes a
/// larger one as the next code word; the compiler follows such a SETLIST
/// with `Jmp { sbx: 0 }` in that word's place, so pcs and lines are luac's.
pub const MAX_SETLIST_C: u32 = 511;

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
    Move {
        /// Destination register.
        a: u16,
        /// Source register.
        b: u16,
    },
    /// R(a) := K(bx)
    LoadK {
        /// Destination register.
        a: u16,
        /// Constant index.
        bx: u32,
    },
    /// R(a) := (b != 0); if c != 0 then pc++
    LoadBool {
        /// Destination register.
        a: u16,
        /// The boolean (non-zero is `true`).
        b: u16,
        /// Non-zero: skip the next instruction.
        c: u16,
    },
    /// R(a) := ... := R(b) := nil
    LoadNil {
        /// First register to clear.
        a: u16,
        /// Last register to clear (inclusive).
        b: u16,
    },
    /// R(a) := U(b)
    GetUpval {
        /// Destination register.
        a: u16,
        /// Upvalue index.
        b: u16,
    },
    /// R(a) := Env[K(bx)]
    GetGlobal {
        /// Destination register.
        a: u16,
        /// Constant index of the name (a string).
        bx: u32,
    },
    /// R(a) := R(b)[RK(c)]
    GetTable {
        /// Destination register.
        a: u16,
        /// Register holding the table.
        b: u16,
        /// Key (RK).
        c: u16,
    },
    /// Env[K(bx)] := R(a)
    SetGlobal {
        /// Register holding the value.
        a: u16,
        /// Constant index of the name (a string).
        bx: u32,
    },
    /// U(b) := R(a)
    SetUpval {
        /// Register holding the value.
        a: u16,
        /// Upvalue index.
        b: u16,
    },
    /// R(a)[RK(b)] := RK(c)
    SetTable {
        /// Register holding the table.
        a: u16,
        /// Key (RK).
        b: u16,
        /// Value (RK).
        c: u16,
    },
    /// R(a) := {} with size hints: b = array size, c = hash size, both in
    /// luac's "floating point byte" encoding (see [`int2fb`]/[`fb2int`]).
    NewTable {
        /// Destination register.
        a: u16,
        /// Array size hint, as a floating point byte.
        b: u16,
        /// Hash size hint, as a floating point byte.
        c: u16,
    },
    /// R(a+1) := R(b); R(a) := R(b)[RK(c)]
    SelfOp {
        /// Destination of the method; the object goes to `a + 1`.
        a: u16,
        /// Register holding the object.
        b: u16,
        /// Method name (RK).
        c: u16,
    },
    /// R(a) := RK(b) + RK(c)
    Add {
        /// Destination register.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// R(a) := RK(b) - RK(c)
    Sub {
        /// Destination register.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// R(a) := RK(b) * RK(c)
    Mul {
        /// Destination register.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// R(a) := RK(b) / RK(c)
    Div {
        /// Destination register.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// R(a) := RK(b) % RK(c)
    Mod {
        /// Destination register.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// R(a) := RK(b) ^ RK(c)
    Pow {
        /// Destination register.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// R(a) := -R(b)
    Unm {
        /// Destination register.
        a: u16,
        /// Operand register.
        b: u16,
    },
    /// R(a) := not R(b)
    Not {
        /// Destination register.
        a: u16,
        /// Operand register.
        b: u16,
    },
    /// R(a) := length of R(b)
    Len {
        /// Destination register.
        a: u16,
        /// Operand register.
        b: u16,
    },
    /// R(a) := R(b) .. ... .. R(c)
    Concat {
        /// Destination register.
        a: u16,
        /// First register of the operands.
        b: u16,
        /// Last register of the operands (inclusive).
        c: u16,
    },
    /// pc += sbx
    Jmp {
        /// Signed offset, relative to the next instruction.
        sbx: i32,
    },
    /// if ((RK(b) == RK(c)) ~= a) then pc++
    Eq {
        /// The expected result (0 or 1): skip the next instruction when the comparison differs.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// if ((RK(b) < RK(c)) ~= a) then pc++
    Lt {
        /// The expected result (0 or 1): skip the next instruction when the comparison differs.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// if ((RK(b) <= RK(c)) ~= a) then pc++
    Le {
        /// The expected result (0 or 1): skip the next instruction when the comparison differs.
        a: u16,
        /// Left operand (RK).
        b: u16,
        /// Right operand (RK).
        c: u16,
    },
    /// if not (R(a) <=> c) then pc++
    Test {
        /// Register tested.
        a: u16,
        /// The expected truth value (0 or 1).
        c: u16,
    },
    /// if (R(b) <=> c) then R(a) := R(b) else pc++
    TestSet {
        /// Destination register.
        a: u16,
        /// Register tested and copied.
        b: u16,
        /// The expected truth value (0 or 1).
        c: u16,
    },
    /// R(a), ..., R(a+c-2) := R(a)(R(a+1), ..., R(a+b-1)); b = 0: arguments
    /// up to the top; c = 0: keep all results (sets the top).
    Call {
        /// Register of the function; arguments follow it.
        a: u16,
        /// Number of arguments plus one; 0: up to the top.
        b: u16,
        /// Number of results plus one; 0: all results.
        c: u16,
    },
    /// return R(a)(R(a+1), ..., R(a+b-1))
    TailCall {
        /// Register of the function; arguments follow it.
        a: u16,
        /// Number of arguments plus one; 0: up to the top.
        b: u16,
        /// Always 0 (all results), as in luac.
        c: u16,
    },
    /// return R(a), ..., R(a+b-2); b = 0: up to the top
    Return {
        /// First register returned.
        a: u16,
        /// Number of values plus one; 0: up to the top.
        b: u16,
    },
    /// R(a) += R(a+2); if R(a) <?= R(a+1) then { pc += sbx; R(a+3) := R(a) }
    ForLoop {
        /// Base of the loop registers (index, limit, step, variable).
        a: u16,
        /// Jump back to the loop body when the loop continues.
        sbx: i32,
    },
    /// R(a) -= R(a+2); pc += sbx
    ForPrep {
        /// Base of the loop registers (index, limit, step, variable).
        a: u16,
        /// Jump to the `ForLoop`.
        sbx: i32,
    },
    /// R(a+3), ..., R(a+2+c) := R(a)(R(a+1), R(a+2));
    /// if R(a+3) ~= nil then R(a+2) := R(a+3) else pc++
    TForLoop {
        /// Base of the loop registers (generator, state, control, variables).
        a: u16,
        /// Number of loop variables.
        c: u16,
    },
    /// R(a)[(c-1)*FPF + i] := R(a+i), 1 <= i <= b; b = 0: up to the top.
    /// (c is never 0: the block number always fits; above
    /// [`MAX_SETLIST_C`] a `Jmp { sbx: 0 }` follows, where luac puts the
    /// block number.)
    SetList {
        /// Register holding the table; the values follow it.
        a: u16,
        /// Number of values; 0: up to the top.
        b: u8,
        /// Block number, from 1 (blocks of `FIELDS_PER_FLUSH` items).
        c: u32,
    },
    /// close all upvalues of registers >= a
    Close {
        /// Lowest register whose upvalues are closed.
        a: u16,
    },
    /// R(a) := closure(KPROTO\[bx\]); followed by one pseudo-instruction per
    /// upvalue of the new function: `Move { b }` captures register b of the
    /// enclosing function, `GetUpval { b }` shares its upvalue b.
    Closure {
        /// Destination register.
        a: u16,
        /// Index in the prototype's `protos`.
        bx: u32,
    },
    /// R(a), R(a+1), ..., R(a+b-2) = vararg; b = 0: all of them (sets top)
    VarArg {
        /// First destination register.
        a: u16,
        /// Number of values plus one; 0: all of them.
        b: u16,
    },
}

const _: () = assert!(std::mem::size_of::<Instr>() == 8);

/// A constant of a prototype. Strings are raw bytes: the VM interns them
/// when it loads the prototype.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `nil`.
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A number.
    Number(f64),
    /// A string, as raw bytes.
    String(std::sync::Arc<[u8]>),
}

/// Debug information about a local variable (luac's `locvars`).
#[derive(Clone, Debug, PartialEq)]
pub struct LocVar {
    /// The variable's name.
    pub name: std::sync::Arc<[u8]>,
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
    /// Line where the function starts (0 for a main chunk).
    pub line_defined: u32,
    /// Line of the function's `end` (0 for a main chunk).
    pub last_line_defined: u32,
    /// Number of fixed parameters (`self` included).
    pub num_params: u16,
    /// A combination of the [`vararg`] flags.
    pub is_vararg: u8,
    /// Registers the function needs (luac's maxstacksize).
    pub max_stack: u32,
    /// The instructions.
    pub code: Vec<Instr>,
    /// Source line of each instruction (same length as `code`).
    pub lines: Vec<u32>,
    /// The constant table (`K`).
    pub constants: Vec<Constant>,
    /// The prototypes of the functions defined inside this one (`KPROTO`).
    pub protos: Vec<Arc<Proto>>,
    /// Local variables with their live ranges, for debug information.
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
