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
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

/// Operand of the generic (slow-path) instructions: a register or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rk {
    R(u16),
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
    Move {
        a: u16,
        b: u16,
    },
    LoadK {
        a: u16,
        k: u32,
    },
    LoadBool {
        a: u16,
        value: bool,
        skip: bool,
    },
    LoadNil {
        a: u16,
        b: u16,
    },
    GetUpval {
        a: u16,
        b: u16,
    },
    SetUpval {
        a: u16,
        b: u16,
    },
    GetGlobal {
        a: u16,
        k: u32,
    },
    SetGlobal {
        a: u16,
        k: u32,
    },
    /// R(a) := R(b)[R(c)]
    GetTable {
        a: u16,
        b: u16,
        c: u16,
    },
    /// R(a) := R(b)[K(k)], K(k) a string
    GetField {
        a: u16,
        b: u16,
        k: u16,
    },
    /// R(a) := R(b)[K(k)], K(k) not a string
    GetTableK {
        a: u16,
        b: u16,
        k: u16,
    },
    /// R(a)[RK(b)] := RK(c), general form
    SetTable {
        a: u16,
        b: Rk2,
        c: Rk2,
    },
    /// R(a)[R(b)] := RK(c), key in a register
    SetTableR {
        a: u16,
        b: u16,
        c: Rk2,
    },
    /// R(a)[K(k)] := R(c), K(k) a string
    SetField {
        a: u16,
        k: u16,
        c: u16,
    },
    NewTable {
        a: u16,
        b: u16,
        c: u16,
    },
    /// R(a+1) := R(b); R(a) := R(b)[RK(c)]
    SelfOp {
        a: u16,
        b: u16,
        c: Rk2,
    },
    // Arithmetic specialised by operator and operand kinds, so that each
    // handler is straight-line code (one dispatch per instruction):
    // `XxxRR`: R(a) := R(b) op R(c); `XxxRK`: R(a) := R(b) op K(c);
    // `XxxKR`: R(a) := K(b) op R(c), the constant always a number.
    AddRR {
        a: u16,
        b: u16,
        c: u16,
    },
    SubRR {
        a: u16,
        b: u16,
        c: u16,
    },
    MulRR {
        a: u16,
        b: u16,
        c: u16,
    },
    DivRR {
        a: u16,
        b: u16,
        c: u16,
    },
    ModRR {
        a: u16,
        b: u16,
        c: u16,
    },
    PowRR {
        a: u16,
        b: u16,
        c: u16,
    },
    AddRK {
        a: u16,
        b: u16,
        c: u16,
    },
    SubRK {
        a: u16,
        b: u16,
        c: u16,
    },
    MulRK {
        a: u16,
        b: u16,
        c: u16,
    },
    DivRK {
        a: u16,
        b: u16,
        c: u16,
    },
    ModRK {
        a: u16,
        b: u16,
        c: u16,
    },
    PowRK {
        a: u16,
        b: u16,
        c: u16,
    },
    AddKR {
        a: u16,
        b: u16,
        c: u16,
    },
    SubKR {
        a: u16,
        b: u16,
        c: u16,
    },
    MulKR {
        a: u16,
        b: u16,
        c: u16,
    },
    DivKR {
        a: u16,
        b: u16,
        c: u16,
    },
    ModKR {
        a: u16,
        b: u16,
        c: u16,
    },
    PowKR {
        a: u16,
        b: u16,
        c: u16,
    },
    /// R(a) := RK(b) op RK(c), any other combination
    Arith {
        op: ArithOp,
        a: u16,
        b: Rk2,
        c: Rk2,
    },
    Unm {
        a: u16,
        b: u16,
    },
    Not {
        a: u16,
        b: u16,
    },
    Len {
        a: u16,
        b: u16,
    },
    Concat {
        a: u16,
        b: u16,
        c: u16,
    },
    Jmp {
        sbx: i32,
    },
    /// if ((RK(b) == RK(c)) ~= cond) then pc++
    Eq {
        cond: bool,
        b: Rk2,
        c: Rk2,
    },
    Lt {
        cond: bool,
        b: Rk2,
        c: Rk2,
    },
    Le {
        cond: bool,
        b: Rk2,
        c: Rk2,
    },
    // Comparisons specialised by operand kinds (the generic forms above
    // remain for the rest): `RR` two registers, `RK` register and
    // constant, `KR` constant and register. Equality with a constant is
    // symmetric (no metamethod applies to constants), so `EqRK` holds the
    // constant on either side.
    EqRR {
        cond: bool,
        b: u16,
        c: u16,
    },
    EqRK {
        cond: bool,
        b: u16,
        c: u16,
    },
    LtRR {
        cond: bool,
        b: u16,
        c: u16,
    },
    LtRK {
        cond: bool,
        b: u16,
        c: u16,
    },
    LtKR {
        cond: bool,
        b: u16,
        c: u16,
    },
    LeRR {
        cond: bool,
        b: u16,
        c: u16,
    },
    LeRK {
        cond: bool,
        b: u16,
        c: u16,
    },
    LeKR {
        cond: bool,
        b: u16,
        c: u16,
    },
    Test {
        a: u16,
        cond: bool,
    },
    TestSet {
        a: u16,
        b: u16,
        cond: bool,
    },
    Call {
        a: u16,
        b: u16,
        c: u16,
    },
    TailCall {
        a: u16,
        b: u16,
    },
    Return {
        a: u16,
        b: u16,
    },
    ForLoop {
        a: u16,
        sbx: i32,
    },
    ForPrep {
        a: u16,
        sbx: i32,
    },
    TForLoop {
        a: u16,
        c: u16,
    },
    SetList {
        a: u16,
        b: u8,
        c: u32,
    },
    Close {
        a: u16,
    },
    Closure {
        a: u16,
        p: u32,
    },
    VarArg {
        a: u16,
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
