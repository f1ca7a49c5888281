//! Lua errors as they travel through Rust code.

use ferrous_value::Value;

/// What kind of failure an error is (Lua 5.1's status codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A runtime error (`LUA_ERRRUN`): the value is any Lua value.
    Runtime,
    /// A syntax error while loading (`LUA_ERRSYNTAX`): the value is the message.
    Syntax,
    /// Allocation failed (`LUA_ERRMEM`): "not enough memory".
    Memory,
    /// The message handler itself failed (`LUA_ERRERR`).
    ErrorInHandler,
    /// The script was stopped by the embedder (kill flag or budget hook).
    Interrupted,
    /// Not an error: a coroutine yield travelling to its `resume`.
    Yield,
}

/// A Lua error: the error value plus how it was raised.
///
/// The value is only guaranteed to stay valid until the VM runs Lua code
/// again (it is a heap handle); embedders convert it to text or pin it.
#[derive(Clone, Debug)]
pub struct LuaError {
    /// How the error was raised (runtime, syntax, memory, ...): decides
    /// what `pcall` can catch and how the host reports it.
    pub kind: ErrorKind,
    /// The error value (`error`'s argument, or the message string).
    pub value: Value,
    /// The message handler (xpcall's) already ran for this error.
    pub(crate) handled: bool,
    /// Number of values yielded (for `ErrorKind::Yield`).
    pub(crate) nyield: usize,
}

impl LuaError {
    /// A runtime error carrying `value`.
    pub fn runtime(value: Value) -> LuaError {
        LuaError {
            kind: ErrorKind::Runtime,
            value,
            handled: false,
            nyield: 0,
        }
    }

    pub(crate) fn with_kind(kind: ErrorKind, value: Value) -> LuaError {
        LuaError {
            kind,
            value,
            handled: kind != ErrorKind::Runtime,
            nyield: 0,
        }
    }

    pub(crate) fn yield_values(n: usize) -> LuaError {
        LuaError {
            kind: ErrorKind::Yield,
            value: Value::Nil,
            handled: true,
            nyield: n,
        }
    }
}

/// Result of VM operations.
pub type LuaResult<T> = Result<T, LuaError>;

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ErrorKind::Runtime => "runtime error",
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Memory => "not enough memory",
            ErrorKind::ErrorInHandler => "error in error handling",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::Yield => "yield",
        })
    }
}

/// The kind and the type of the value: the value itself is a heap handle
/// that only its VM can read (ferrous-lua's facade turns it into text).
impl std::fmt::Display for LuaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (error object is a {} value)",
            self.kind,
            self.value.type_name()
        )
    }
}

impl std::error::Error for LuaError {}
