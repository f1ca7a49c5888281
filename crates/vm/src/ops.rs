//! The VM's own instruction form, translated once from the compiler's.
//!
//! Translation is one to one: instruction `pc` here is instruction `pc` of
//! the compiler's code, so line numbers, debug information and the
//! name-finding of [`crate::debuginfo`] use the compiler's form unchanged.
//! What changes is that operand kinds are resolved ahead of time: where
//! Lua 5.1 tests at run time whether an RK operand is a register or a
//! constant, the translated instruction says which, and string-keyed table
//! accesses get their own variants that skip the key's type dispatch.

use ferrous_compiler::bytecode::{is_k, k_index, Constant, Instr, Proto};

/// Binary arithmetic operators, in the order of Lua 5.1's opcodes (and of
/// the metamethod names `__add` ... `__pow`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    /// `+` (`__add`).
    Add,
    /// `-` (`__sub`).
    Sub,
    /// `*` (`__mul`).
    Mul,
    /// `/` (`__div`).
    Div,
    /// `%` (`__mod`): `a - floor(a/b)*b`, as 5.1 computes it.
    Mod,
    /// `^` (`__pow`).
    Pow,
}

/// Operand of the generic (slow-path) instructions: a register or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rk {
    /// A register of the running function.
    R(u16),
    /// An index into the prototype's constants.
    K(u16),
}

impl Rk {
    fn from_operand(x: u16) -> Rk {
        if is_k(x) {
            Rk::K(k_index(x))
        } else {
            Rk::R(x)
        }
    }
}

/// One VM instruction (8 bytes). `k` fields index the prototype's constants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// R(a) := R(b)
    Move {
        /// Destination register.
        a: u16,
        /// Source register.
        b: u16,
    },
    /// R(a) := K(k)
    LoadK {
        /// Destination register.
        a: u16,
        /// Index of the constant.
        k: u32,
    },
    /// R(a) := value; if skip then pc++
    LoadBool {
        /// Destination register.
        a: u16,
        /// The boolean loaded.
        value: bool,
        /// Skip the next instruction (the other arm of a comparison's value).
        skip: bool,
    },
    /// R(a) := ... := R(b) := nil
    LoadNil {
        /// First register cleared.
        a: u16,
        /// Last register cleared (inclusive).
        b: u16,
    },
    /// R(a) := U(b)
    GetUpval {
        /// Destination register.
        a: u16,
        /// Upvalue index.
        b: u16,
    },
    /// U(b) := R(a)
    SetUpval {
        /// Source register.
        a: u16,
        /// Upvalue index.
        b: u16,
    },
    /// R(a) := Gbl[K(k)] (the running function's environment, `__index`
    /// honoured)
    GetGlobal {
        /// Destination register.
        a: u16,
        /// Index of the name constant (a string).
        k: u32,
    },
    /// Gbl[K(k)] := R(a) (the running function's environment, `__newindex`
    /// honoured)
    SetGlobal {
        /// Source register.
        a: u16,
        /// Index of the name constant (a string).
        k: u32,
    },
    /// R(a) := R(b)[R(c)]
    GetTable {
        /// Destination register.
        a: u16,
        /// Register holding the table.
        b: u16,
        /// Register holding the key.
        c: u16,
    },
    /// R(a) := R(b)[K(k)], K(k) a string
    GetField {
        /// Destination register.
        a: u16,
        /// Register holding the table.
        b: u16,
        /// Index of the key constant (a string).
        k: u16,
    },
    /// R(a) := R(b)[K(k)], K(k) not a string
    GetTableK {
        /// Destination register.
        a: u16,
        /// Register holding the table.
        b: u16,
        /// Index of the key constant (a number or boolean).
        k: u16,
    },
    /// R(a)[RK(b)] := RK(c), general form
    SetTable {
        /// Register holding the table.
        a: u16,
        /// The key.
        b: Rk2,
        /// The value.
        c: Rk2,
    },
    /// R(a)[R(b)] := RK(c), key in a register
    SetTableR {
        /// Register holding the table.
        a: u16,
        /// Register holding the key.
        b: u16,
        /// The value.
        c: Rk2,
    },
    /// R(a)[K(k)] := R(c), K(k) a string
    SetField {
        /// Register holding the table.
        a: u16,
        /// Index of the key constant (a string).
        k: u16,
        /// Register holding the value.
        c: u16,
    },
    /// R(a) := {} with size hints
    NewTable {
        /// Destination register.
        a: u16,
        /// Array-part size hint, in luac's "floating point byte" encoding.
        b: u16,
        /// Hash-part size hint, in the same encoding.
        c: u16,
    },
    /// R(a+1) := R(b); R(a) := R(b)[RK(c)]
    SelfOp {
        /// Destination: R(a) gets the method, R(a+1) the object.
        a: u16,
        /// Register holding the object.
        b: u16,
        /// The method name (usually a string constant).
        c: Rk2,
    },
    // Arithmetic specialised by operator and operand kinds, so that each
    // handler is straight-line code (one dispatch per instruction):
    // `XxxRR`: R(a) := R(b) op R(c); `XxxRK`: R(a) := R(b) op K(c);
    // `XxxKR`: R(a) := K(b) op R(c), the constant always a number.
    /// R(a) := R(b) + R(c) (`__add` unless both are numbers or
    /// numeric strings)
    AddRR {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := R(b) - R(c) (`__sub` unless both are numbers or
    /// numeric strings)
    SubRR {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := R(b) * R(c) (`__mul` unless both are numbers or
    /// numeric strings)
    MulRR {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := R(b) / R(c) (`__div` unless both are numbers or
    /// numeric strings)
    DivRR {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := R(b) % R(c) (`__mod` unless both are numbers or
    /// numeric strings)
    ModRR {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := R(b) ^ R(c) (`__pow` unless both are numbers or
    /// numeric strings)
    PowRR {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := R(b) + K(c), K(c) a number (`__add` unless R(b) is a
    /// number or a numeric string)
    AddRK {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant (a number).
        c: u16,
    },
    /// R(a) := R(b) - K(c), K(c) a number (`__sub` unless R(b) is a
    /// number or a numeric string)
    SubRK {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant (a number).
        c: u16,
    },
    /// R(a) := R(b) * K(c), K(c) a number (`__mul` unless R(b) is a
    /// number or a numeric string)
    MulRK {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant (a number).
        c: u16,
    },
    /// R(a) := R(b) / K(c), K(c) a number (`__div` unless R(b) is a
    /// number or a numeric string)
    DivRK {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant (a number).
        c: u16,
    },
    /// R(a) := R(b) % K(c), K(c) a number (`__mod` unless R(b) is a
    /// number or a numeric string)
    ModRK {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant (a number).
        c: u16,
    },
    /// R(a) := R(b) ^ K(c), K(c) a number (`__pow` unless R(b) is a
    /// number or a numeric string)
    PowRK {
        /// Destination register.
        a: u16,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant (a number).
        c: u16,
    },
    /// R(a) := K(b) + R(c), K(b) a number (`__add` unless R(c) is a
    /// number or a numeric string)
    AddKR {
        /// Destination register.
        a: u16,
        /// Index of the left operand's constant (a number).
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := K(b) - R(c), K(b) a number (`__sub` unless R(c) is a
    /// number or a numeric string)
    SubKR {
        /// Destination register.
        a: u16,
        /// Index of the left operand's constant (a number).
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := K(b) * R(c), K(b) a number (`__mul` unless R(c) is a
    /// number or a numeric string)
    MulKR {
        /// Destination register.
        a: u16,
        /// Index of the left operand's constant (a number).
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := K(b) / R(c), K(b) a number (`__div` unless R(c) is a
    /// number or a numeric string)
    DivKR {
        /// Destination register.
        a: u16,
        /// Index of the left operand's constant (a number).
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := K(b) % R(c), K(b) a number (`__mod` unless R(c) is a
    /// number or a numeric string)
    ModKR {
        /// Destination register.
        a: u16,
        /// Index of the left operand's constant (a number).
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := K(b) ^ R(c), K(b) a number (`__pow` unless R(c) is a
    /// number or a numeric string)
    PowKR {
        /// Destination register.
        a: u16,
        /// Index of the left operand's constant (a number).
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// R(a) := RK(b) op RK(c), any other combination
    Arith {
        /// The operator.
        op: ArithOp,
        /// Destination register.
        a: u16,
        /// The left operand.
        b: Rk2,
        /// The right operand.
        c: Rk2,
    },
    /// R(a) := -R(b) (`__unm` unless a number or numeric string)
    Unm {
        /// Destination register.
        a: u16,
        /// Register of the operand.
        b: u16,
    },
    /// R(a) := not R(b)
    Not {
        /// Destination register.
        a: u16,
        /// Register of the operand.
        b: u16,
    },
    /// R(a) := #R(b) (strings and tables; `__len` for userdata)
    Len {
        /// Destination register.
        a: u16,
        /// Register of the operand.
        b: u16,
    },
    /// R(a) := R(b) .. ... .. R(c) (right to left, `__concat` where an
    /// operand is neither string nor number)
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
        /// Signed offset from the next instruction.
        sbx: i32,
    },
    /// if ((RK(b) == RK(c)) ~= cond) then pc++
    Eq {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// The left operand.
        b: Rk2,
        /// The right operand.
        c: Rk2,
    },
    /// if ((RK(b) < RK(c)) ~= cond) then pc++
    Lt {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// The left operand.
        b: Rk2,
        /// The right operand.
        c: Rk2,
    },
    /// if ((RK(b) <= RK(c)) ~= cond) then pc++
    Le {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// The left operand.
        b: Rk2,
        /// The right operand.
        c: Rk2,
    },
    // Comparisons specialised by operand kinds (the generic forms above
    // remain for the rest): `RR` two registers, `RK` register and
    // constant, `KR` constant and register. Equality with a constant is
    // symmetric (no metamethod applies to constants), so `EqRK` holds the
    // constant on either side.
    /// if ((R(b) == R(c)) ~= cond) then pc++
    EqRR {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// if ((R(b) == K(c)) ~= cond) then pc++ (the constant was on either side)
    EqRK {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Register of the operand.
        b: u16,
        /// Index of the constant.
        c: u16,
    },
    /// if ((R(b) < R(c)) ~= cond) then pc++
    LtRR {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// if ((R(b) < K(c)) ~= cond) then pc++
    LtRK {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant.
        c: u16,
    },
    /// if ((K(b) < R(c)) ~= cond) then pc++
    LtKR {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Index of the left operand's constant.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// if ((R(b) <= R(c)) ~= cond) then pc++
    LeRR {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Register of the left operand.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// if ((R(b) <= K(c)) ~= cond) then pc++
    LeRK {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Register of the left operand.
        b: u16,
        /// Index of the right operand's constant.
        c: u16,
    },
    /// if ((K(b) <= R(c)) ~= cond) then pc++
    LeKR {
        /// The outcome that does not skip: the next instruction (a jump) runs
        /// when the comparison equals `cond`, else it is skipped.
        cond: bool,
        /// Index of the left operand's constant.
        b: u16,
        /// Register of the right operand.
        c: u16,
    },
    /// if not (truth(R(a)) == cond) then pc++
    Test {
        /// Register tested.
        a: u16,
        /// The truth value that lets the next instruction (a jump) run.
        cond: bool,
    },
    /// if truth(R(b)) == cond then R(a) := R(b) else pc++
    TestSet {
        /// Destination register.
        a: u16,
        /// Register tested (and copied).
        b: u16,
        /// The truth value that copies and lets the next instruction run.
        cond: bool,
    },
    /// R(a), ..., R(a+c-2) := R(a)(R(a+1), ..., R(a+b-1))
    Call {
        /// Register of the function; its arguments follow it and its results
        /// replace it.
        a: u16,
        /// Arguments + 1; 0: the arguments run up to the stack top (after a
        /// multiple-result call or `...`).
        b: u16,
        /// Results + 1; 0: keep every result and set the top.
        c: u16,
    },
    /// return R(a)(R(a+1), ..., R(a+b-1)), reusing the caller's frame
    TailCall {
        /// Register of the function; its arguments follow it.
        a: u16,
        /// Arguments + 1; 0: up to the stack top.
        b: u16,
    },
    /// return R(a), ..., R(a+b-2)
    Return {
        /// First register returned.
        a: u16,
        /// Values + 1; 0: up to the stack top.
        b: u16,
    },
    /// R(a) += R(a+2); if R(a) <?= R(a+1) then { pc += sbx; R(a+3) := R(a) }
    ForLoop {
        /// Base of the loop registers (index, limit, step, variable).
        a: u16,
        /// Jump back to the loop body.
        sbx: i32,
    },
    /// R(a) -= R(a+2); pc += sbx (after checking that the three are numbers:
    /// "'for' initial value must be a number"...)
    ForPrep {
        /// Base of the loop registers (index, limit, step, variable).
        a: u16,
        /// Jump to the `ForLoop`.
        sbx: i32,
    },
    /// R(a+3), ..., R(a+2+c) := R(a)(R(a+1), R(a+2)); if R(a+3) ~= nil then
    /// R(a+2) := R(a+3) else pc++
    TForLoop {
        /// Base of the generator registers (function, state, control).
        a: u16,
        /// Number of loop variables.
        c: u16,
    },
    /// R(a)[(c-1)*FPF + i] := R(a+i), 1 <= i <= b (FPF = 50)
    SetList {
        /// Register holding the table; the values follow it.
        a: u16,
        /// Number of values; 0: up to the stack top.
        b: u8,
        /// Block number (from 1), never 0.
        c: u32,
    },
    /// Closes every open upvalue of registers >= a
    Close {
        /// Lowest register whose upvalues close.
        a: u16,
    },
    /// R(a) := closure(KPROTO\[p\]); the next `num_upvalues` instructions are
    /// [`Op::UpvalDesc`]
    Closure {
        /// Destination register.
        a: u16,
        /// Index of the nested prototype.
        p: u32,
    },
    /// R(a), ..., R(a+b-2) := vararg
    VarArg {
        /// First destination register.
        a: u16,
        /// Values + 1; 0: all of them (sets the top).
        b: u16,
    },
    /// An upvalue descriptor following a Closure; never executed.
    UpvalDesc,
}

/// A compact register-or-constant operand: bit 15 set means constant.
/// (Same encoding as the compiler's RK; kept as a newtype so the VM's
/// generic paths decode it in one place.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rk2(pub u16);

impl Rk2 {
    #[inline]
    /// The operand as a register or a constant index.
    pub fn decode(self) -> Rk {
        Rk::from_operand(self.0)
    }
}

const _: () = assert!(std::mem::size_of::<Op>() == 8);

fn is_string_const(p: &Proto, operand: u16) -> bool {
    is_k(operand)
        && matches!(
            p.constants.get(k_index(operand) as usize),
            Some(Constant::String(_))
        )
}

fn is_number_const(p: &Proto, operand: u16) -> bool {
    is_k(operand)
        && matches!(
            p.constants.get(k_index(operand) as usize),
            Some(Constant::Number(_))
        )
}

/// Translates a prototype's code. Upvalue pseudo-instructions after each
/// `Closure` become [`Op::UpvalDesc`].
pub fn translate(p: &Proto) -> Vec<Op> {
    let mut out = Vec::with_capacity(p.code.len());
    let mut pseudo = 0usize;
    for i in &p.code {
        if pseudo > 0 {
            pseudo -= 1;
            out.push(Op::UpvalDesc);
            continue;
        }
        out.push(translate_one(p, i, &mut pseudo));
    }
    out
}

fn arith(p: &Proto, op: ArithOp, a: u16, b: u16, c: u16) -> Op {
    use ArithOp::*;
    if !is_k(b) && !is_k(c) {
        match op {
            Add => Op::AddRR { a, b, c },
            Sub => Op::SubRR { a, b, c },
            Mul => Op::MulRR { a, b, c },
            Div => Op::DivRR { a, b, c },
            Mod => Op::ModRR { a, b, c },
            Pow => Op::PowRR { a, b, c },
        }
    } else if !is_k(b) && is_number_const(p, c) {
        let c = k_index(c);
        match op {
            Add => Op::AddRK { a, b, c },
            Sub => Op::SubRK { a, b, c },
            Mul => Op::MulRK { a, b, c },
            Div => Op::DivRK { a, b, c },
            Mod => Op::ModRK { a, b, c },
            Pow => Op::PowRK { a, b, c },
        }
    } else if is_number_const(p, b) && !is_k(c) {
        let b = k_index(b);
        match op {
            Add => Op::AddKR { a, b, c },
            Sub => Op::SubKR { a, b, c },
            Mul => Op::MulKR { a, b, c },
            Div => Op::DivKR { a, b, c },
            Mod => Op::ModKR { a, b, c },
            Pow => Op::PowKR { a, b, c },
        }
    } else {
        Op::Arith {
            op,
            a,
            b: Rk2(b),
            c: Rk2(c),
        }
    }
}

/// Comparison instructions with their operand kinds resolved.
fn compare(kind: u8, cond: bool, b: u16, c: u16) -> Op {
    match (kind, is_k(b), is_k(c)) {
        (b'=', false, false) => Op::EqRR { cond, b, c },
        (b'=', false, true) => Op::EqRK {
            cond,
            b,
            c: k_index(c),
        },
        (b'=', true, false) => Op::EqRK {
            cond,
            b: c,
            c: k_index(b),
        },
        (b'<', false, false) => Op::LtRR { cond, b, c },
        (b'<', false, true) => Op::LtRK {
            cond,
            b,
            c: k_index(c),
        },
        (b'<', true, false) => Op::LtKR {
            cond,
            b: k_index(b),
            c,
        },
        (b'l', false, false) => Op::LeRR { cond, b, c },
        (b'l', false, true) => Op::LeRK {
            cond,
            b,
            c: k_index(c),
        },
        (b'l', true, false) => Op::LeKR {
            cond,
            b: k_index(b),
            c,
        },
        (b'=', ..) => Op::Eq {
            cond,
            b: Rk2(b),
            c: Rk2(c),
        },
        (b'<', ..) => Op::Lt {
            cond,
            b: Rk2(b),
            c: Rk2(c),
        },
        _ => Op::Le {
            cond,
            b: Rk2(b),
            c: Rk2(c),
        },
    }
}

fn translate_one(p: &Proto, i: &Instr, pseudo: &mut usize) -> Op {
    match *i {
        Instr::Move { a, b } => Op::Move { a, b },
        Instr::LoadK { a, bx } => Op::LoadK { a, k: bx },
        Instr::LoadBool { a, b, c } => Op::LoadBool {
            a,
            value: b != 0,
            skip: c != 0,
        },
        Instr::LoadNil { a, b } => Op::LoadNil { a, b },
        Instr::GetUpval { a, b } => Op::GetUpval { a, b },
        Instr::GetGlobal { a, bx } => Op::GetGlobal { a, k: bx },
        Instr::GetTable { a, b, c } => {
            if is_string_const(p, c) {
                Op::GetField {
                    a,
                    b,
                    k: k_index(c),
                }
            } else if is_k(c) {
                Op::GetTableK {
                    a,
                    b,
                    k: k_index(c),
                }
            } else {
                Op::GetTable { a, b, c }
            }
        }
        Instr::SetGlobal { a, bx } => Op::SetGlobal { a, k: bx },
        Instr::SetUpval { a, b } => Op::SetUpval { a, b },
        Instr::SetTable { a, b, c } => {
            if !is_k(b) {
                Op::SetTableR { a, b, c: Rk2(c) }
            } else if is_string_const(p, b) && !is_k(c) {
                Op::SetField {
                    a,
                    k: k_index(b),
                    c,
                }
            } else {
                Op::SetTable {
                    a,
                    b: Rk2(b),
                    c: Rk2(c),
                }
            }
        }
        Instr::NewTable { a, b, c } => Op::NewTable { a, b, c },
        Instr::SelfOp { a, b, c } => Op::SelfOp { a, b, c: Rk2(c) },
        Instr::Add { a, b, c } => arith(p, ArithOp::Add, a, b, c),
        Instr::Sub { a, b, c } => arith(p, ArithOp::Sub, a, b, c),
        Instr::Mul { a, b, c } => arith(p, ArithOp::Mul, a, b, c),
        Instr::Div { a, b, c } => arith(p, ArithOp::Div, a, b, c),
        Instr::Mod { a, b, c } => arith(p, ArithOp::Mod, a, b, c),
        Instr::Pow { a, b, c } => arith(p, ArithOp::Pow, a, b, c),
        Instr::Unm { a, b } => Op::Unm { a, b },
        Instr::Not { a, b } => Op::Not { a, b },
        Instr::Len { a, b } => Op::Len { a, b },
        Instr::Concat { a, b, c } => Op::Concat { a, b, c },
        Instr::Jmp { sbx } => Op::Jmp { sbx },
        Instr::Eq { a, b, c } => compare(b'=', a != 0, b, c),
        Instr::Lt { a, b, c } => compare(b'<', a != 0, b, c),
        Instr::Le { a, b, c } => compare(b'l', a != 0, b, c),
        Instr::Test { a, c } => Op::Test { a, cond: c != 0 },
        Instr::TestSet { a, b, c } => Op::TestSet { a, b, cond: c != 0 },
        Instr::Call { a, b, c } => Op::Call { a, b, c },
        Instr::TailCall { a, b, .. } => Op::TailCall { a, b },
        Instr::Return { a, b } => Op::Return { a, b },
        Instr::ForLoop { a, sbx } => Op::ForLoop { a, sbx },
        Instr::ForPrep { a, sbx } => Op::ForPrep { a, sbx },
        Instr::TForLoop { a, c } => Op::TForLoop { a, c },
        Instr::SetList { a, b, c } => Op::SetList { a, b, c },
        Instr::Close { a } => Op::Close { a },
        Instr::Closure { a, bx } => {
            *pseudo = p.protos.get(bx as usize).map_or(0, |c| c.num_upvalues());
            Op::Closure { a, p: bx }
        }
        Instr::VarArg { a, b } => Op::VarArg { a, b },
    }
}
