//! The facade's error type.

use std::fmt;
use std::sync::Arc;

use crate::value::Value;

/// An error from Lua or from the facade. Every variant owns its data, so an
/// error stays readable after the state has run more code, and it is
/// `Send + Sync` (it converts into `Box<dyn std::error::Error + Send + Sync>`
/// and therefore works with `?` in functions returning such boxes).
///
/// ```
/// use ferrous_lua::{Error, Lua};
///
/// let mut lua = Lua::new();
/// let e = lua.load("x = ").exec().unwrap_err();
/// assert!(matches!(e, Error::Syntax { incomplete_input: true, .. }));
/// let e = lua.load("error('bad input', 0)").exec().unwrap_err();
/// assert!(matches!(e, Error::Runtime { .. }));
/// assert_eq!(e.to_string(), "bad input");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Error {
    /// The source did not compile: the message as `loadstring` gives it.
    Syntax {
        /// The message (`[string "..."]:1: ... near ...`).
        message: String,
        /// True when the source ended too early (`near '<eof>'`): a REPL
        /// can read another line and try again.
        incomplete_input: bool,
    },
    /// A Lua runtime error. `value` is the error value itself (a table
    /// stays a table); `message` is its text (`__tostring` is used for
    /// tables and userdata that have one).
    Runtime {
        /// The value's text.
        message: String,
        /// `stack traceback:` lines from where the error was raised, when
        /// the error came out of Lua code run by the facade.
        traceback: Option<String>,
        /// The error value; `None` for an error built on the Rust side
        /// with [`Error::runtime`].
        value: Option<Value>,
    },
    /// Allocation failed ("not enough memory"). The facade has already
    /// run an emergency collection: the state is usable again.
    Memory,
    /// The script was stopped by the embedder (kill flag or budget hook).
    Interrupted(String),
    /// A Lua value could not be converted to the Rust type asked for.
    FromLua {
        /// The Lua type (`"table"`, `"number"`...).
        from: &'static str,
        /// The Rust type.
        to: &'static str,
        /// Why, when the types alone do not say it.
        message: Option<String>,
    },
    /// A Rust value could not be converted into a Lua value.
    ToLua {
        /// The Rust type.
        from: &'static str,
        /// The Lua type.
        to: &'static str,
        /// Why.
        message: Option<String>,
    },
    /// An argument of a Rust function called from Lua did not convert; Lua
    /// sees `bad argument #POS to 'NAME' (...)`.
    BadArgument {
        /// 1-based position (`self` of a method is 1).
        pos: usize,
        /// What went wrong with it.
        cause: Arc<Error>,
    },
    /// A handle or value of one [`Lua`](crate::LuaState) state was given to another.
    WrongState,
    /// A raw value named an object the collector has freed.
    DeadObject,
    /// A userdata was already mutably borrowed.
    UserDataBorrow,
    /// A userdata was already borrowed.
    UserDataBorrowMut,
    /// The userdata's value was moved out with
    /// [`AnyUserData::take`](crate::AnyUserData::take).
    UserDataDestructed,
    /// A `create_function_mut` callback was called again while running.
    RecursiveMutCallback,
    /// An error raised by a Rust callback, after it went through Lua and
    /// came back: `cause` is the callback's own error.
    Callback {
        /// Where Lua was when the callback failed.
        traceback: Option<String>,
        /// The callback's error.
        cause: Arc<Error>,
    },
    /// Any Rust error (see [`Error::external`]); it survives a trip
    /// through Lua and can be found again with [`Error::downcast_ref`].
    External(Arc<dyn std::error::Error + Send + Sync>),
    /// `to_value` failed (feature `serde`).
    Serialize(String),
    /// `from_value` failed (feature `serde`).
    Deserialize(String),
}

impl Error {
    /// A runtime error with a message (Lua sees it as a string error).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let f = lua
    ///     .create_function(|_, n: i64| {
    ///         if n < 0 { return Err(ferrous_lua::Error::runtime("negative")) }
    ///         Ok(n)
    ///     })
    ///     .unwrap();
    /// lua.set_global("f", f).unwrap();
    /// let (ok, msg): (bool, String) = lua.load("return pcall(f, -1)").eval().unwrap();
    /// assert_eq!((ok, msg.as_str()), (false, "negative"));
    /// ```
    pub fn runtime(message: impl fmt::Display) -> Error {
        Error::Runtime {
            message: message.to_string(),
            traceback: None,
            value: None,
        }
    }

    /// Wraps any Rust error.
    pub fn external(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        Error::External(Arc::from(e.into()))
    }

    /// The traceback recorded with the error, if any.
    pub fn traceback(&self) -> Option<&str> {
        match self {
            Error::Runtime { traceback, .. } | Error::Callback { traceback, .. } => {
                traceback.as_deref()
            }
            _ => None,
        }
    }

    /// The Lua error value of a runtime error.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Error::Runtime { value, .. } => value.as_ref(),
            _ => None,
        }
    }

    /// Finds a Rust error of type `T` in this error or its causes
    /// (through [`Error::Callback`], [`Error::BadArgument`] and
    /// [`Error::External`]).
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        let mut e = self;
        loop {
            match e {
                Error::Callback { cause, .. } | Error::BadArgument { cause, .. } => e = cause,
                Error::External(x) => {
                    let x: &(dyn std::error::Error + 'static) = &**x;
                    return x.downcast_ref::<T>();
                }
                _ => return None,
            }
        }
    }

    /// The innermost cause: the callback's own error under
    /// [`Error::Callback`] layers.
    pub fn root_cause(&self) -> &Error {
        let mut e = self;
        while let Error::Callback { cause, .. } = e {
            e = cause;
        }
        e
    }

    /// The text used inside `bad argument #n to 'f' (...)`.
    pub(crate) fn arg_message(&self) -> String {
        match self {
            Error::FromLua {
                message: Some(m), ..
            } => m.clone(),
            Error::FromLua { from, to, .. } => format!("{to} expected, got {from}"),
            other => other.to_string(),
        }
    }

    pub(crate) fn from_lua(from: &'static str, to: &'static str) -> Error {
        Error::FromLua {
            from,
            to,
            message: None,
        }
    }

    pub(crate) fn from_lua_msg(
        from: &'static str,
        to: &'static str,
        m: impl Into<String>,
    ) -> Error {
        Error::FromLua {
            from,
            to,
            message: Some(m.into()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax { message, .. } => f.write_str(message),
            Error::Runtime { message, .. } => f.write_str(message),
            Error::Interrupted(m) => f.write_str(m),
            Error::Memory => f.write_str("not enough memory"),
            Error::FromLua {
                from,
                to,
                message: None,
            } => write!(f, "cannot convert a Lua {from} to {to}"),
            Error::FromLua {
                from,
                to,
                message: Some(m),
            } => write!(f, "cannot convert a Lua {from} to {to}: {m}"),
            Error::ToLua {
                from,
                to,
                message: None,
            } => write!(f, "cannot convert {from} to a Lua {to}"),
            Error::ToLua {
                from,
                to,
                message: Some(m),
            } => write!(f, "cannot convert {from} to a Lua {to}: {m}"),
            Error::BadArgument { pos, cause } => {
                write!(f, "bad argument #{pos} ({})", cause.arg_message())
            }
            Error::WrongState => f.write_str("value used with a Lua state it does not belong to"),
            Error::DeadObject => f.write_str("value names a Lua object that was collected"),
            Error::UserDataBorrow => f.write_str("userdata already mutably borrowed"),
            Error::UserDataBorrowMut => f.write_str("userdata already borrowed"),
            Error::UserDataDestructed => f.write_str("userdata has been destructed"),
            Error::RecursiveMutCallback => f.write_str("mutable callback called recursively"),
            Error::Callback { cause, .. } => fmt::Display::fmt(cause, f),
            Error::External(e) => fmt::Display::fmt(e, f),
            Error::Serialize(m) => write!(f, "serialize error: {m}"),
            Error::Deserialize(m) => write!(f, "deserialize error: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Callback { cause, .. } | Error::BadArgument { cause, .. } => Some(&**cause),
            Error::External(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<ferrous_vm::LuaError> for Error {
    /// Without its state the error value cannot be read: the result says
    /// what kind of error it was. [`Lua`](crate::LuaState)'s own operations
    /// convert with the state at hand and keep the value, and so does
    /// [`LuaState::from_vm_error`](crate::LuaState::from_vm_error) for errors of
    /// code written against the VM layer.
    fn from(e: ferrous_vm::LuaError) -> Error {
        match e.kind {
            ferrous_vm::ErrorKind::Memory => Error::Memory,
            ferrous_vm::ErrorKind::Syntax => Error::Syntax {
                message: e.to_string(),
                incomplete_input: false,
            },
            ferrous_vm::ErrorKind::Interrupted => Error::Interrupted(e.to_string()),
            _ => Error::runtime(e),
        }
    }
}

macro_rules! from_external {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error::external(e)
            }
        }
    )*};
}
from_external!(
    std::io::Error,
    std::fmt::Error,
    std::str::Utf8Error,
    std::string::FromUtf8Error,
    std::num::TryFromIntError,
    std::num::ParseIntError,
    std::num::ParseFloatError
);

impl From<Box<dyn std::error::Error + Send + Sync>> for Error {
    fn from(e: Box<dyn std::error::Error + Send + Sync>) -> Error {
        Error::External(Arc::from(e))
    }
}

/// Converts any error into [`Error::External`] (`.into_lua_err()`).
///
/// ```
/// use ferrous_lua::{ExternalError, Lua};
///
/// let mut lua = Lua::new();
/// let parse = lua
///     .create_function(|_, s: String| s.parse::<i64>().map_err(|e| e.into_lua_err()))
///     .unwrap();
/// lua.set_global("parse", parse).unwrap();
/// assert_eq!(lua.load("return parse('42')").eval::<i64>().unwrap(), 42);
/// let (ok, msg): (bool, String) = lua
///     .load("local ok, e = pcall(parse, 'x') return ok, tostring(e)")
///     .eval()
///     .unwrap();
/// assert!(!ok);
/// assert!(msg.contains("invalid digit"), "{msg}");
/// ```
pub trait ExternalError {
    /// The error wrapped as [`Error::External`].
    fn into_lua_err(self) -> Error;
}

impl<E: Into<Box<dyn std::error::Error + Send + Sync>>> ExternalError for E {
    fn into_lua_err(self) -> Error {
        Error::external(self)
    }
}

/// `.into_lua_err()` on a `Result` whose error is any Rust error.
///
/// ```
/// use ferrous_lua::{ExternalResult, Lua};
///
/// let mut lua = Lua::new();
/// let f = lua
///     .create_function(|_, s: String| s.parse::<u8>().into_lua_err())
///     .unwrap();
/// assert_eq!(f.call::<u8>(&mut lua, "7").unwrap(), 7);
/// let err = f.call::<u8>(&mut lua, "300").unwrap_err();
/// assert!(err.to_string().contains("number too large"), "{err}");
/// ```
pub trait ExternalResult<T> {
    /// The result with its error wrapped as [`Error::External`].
    fn into_lua_err(self) -> std::result::Result<T, Error>;
}

impl<T, E: ExternalError> ExternalResult<T> for std::result::Result<T, E> {
    fn into_lua_err(self) -> std::result::Result<T, Error> {
        self.map_err(|e| e.into_lua_err())
    }
}

/// Result of the facade's operations.
///
/// ```
/// use ferrous_lua::{Lua, LuaState, Result};
///
/// fn answer(lua: &mut LuaState) -> Result<i64> {
///     lua.load("return 6 * 7").eval()
/// }
/// let mut lua = Lua::new();
/// assert_eq!(answer(&mut lua).unwrap(), 42);
/// ```
pub type Result<T> = std::result::Result<T, Error>;
