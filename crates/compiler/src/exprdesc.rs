//! Expression descriptors (luac's `expdesc`): what the code generator knows
//! about an expression it has compiled but not yet placed.
//!
//! An expression stays as abstract as possible for as long as possible: a
//! constant is not loaded, a variable not read, a comparison not turned
//! into a boolean, until the context says what it needs (a register, an RK
//! operand, a jump). The `t` and `f` jump lists hold the jumps taken when
//! the expression is true or false (`and`/`or`/comparisons in flight).

/// End of a jump list (luac's `NO_JUMP`). Jump lists are threaded through
/// the `sbx` fields of the jumps themselves; `-1` ends the list.
pub(crate) const NO_JUMP: i32 = -1;

/// "Any number of results" (`LUA_MULTRET`).
pub(crate) const MULTRET: i32 = -1;

/// Where an expression's value is (luac's `expkind`). `pc` fields are
/// instruction indices; registers and RK operands are `u32`/`u16` in the
/// wide encoding of [`crate::bytecode`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ExpKind {
    /// No value (empty list).
    Void,
    Nil,
    True,
    False,
    /// Constant `K(i)` (a string, or a number already in the table).
    K(u32),
    /// A numeric literal not yet in the constant table.
    KNum(f64),
    /// A local variable in register `r`.
    Local(u32),
    /// Upvalue `i` of the current function.
    Upval(u32),
    /// A global; the constant index of its name.
    Global(u32),
    /// `R(table)[RK(key)]`.
    Indexed {
        table: u32,
        key: u16,
    },
    /// A comparison or test; `pc` is its `JMP`.
    Jmp(i32),
    /// The instruction at `pc` computes the value; its `A` is still free.
    Relocable(i32),
    /// The value is in register `r`.
    NonReloc(u32),
    /// An open call at `pc` (`CALL`).
    Call(i32),
    /// An open `VARARG` at `pc`.
    Vararg(i32),
}

/// An expression descriptor.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExpDesc {
    pub(crate) k: ExpKind,
    /// Patch list of "exit when true".
    pub(crate) t: i32,
    /// Patch list of "exit when false".
    pub(crate) f: i32,
}

impl ExpDesc {
    pub(crate) fn new(k: ExpKind) -> ExpDesc {
        ExpDesc {
            k,
            t: NO_JUMP,
            f: NO_JUMP,
        }
    }

    /// `hasjumps`.
    pub(crate) fn has_jumps(&self) -> bool {
        self.t != self.f
    }

    /// `isnumeral`: a numeric literal with no pending jumps.
    pub(crate) fn numeral(&self) -> Option<f64> {
        match self.k {
            ExpKind::KNum(n) if self.t == NO_JUMP && self.f == NO_JUMP => Some(n),
            _ => None,
        }
    }

    /// `hasmultret`: an open call or vararg.
    pub(crate) fn is_multret(&self) -> bool {
        matches!(self.k, ExpKind::Call(_) | ExpKind::Vararg(_))
    }
}
