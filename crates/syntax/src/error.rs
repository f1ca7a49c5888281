//! The syntax error type.

use std::fmt;

/// A syntax (or lexical) error, worded exactly as PUC-Rio Lua 5.1 words it:
/// `CHUNKID:LINE: MESSAGE near 'TOKEN'` (some messages have no `near`).
///
/// The message is a byte string, like every Lua string: the token text
/// after `near` is copied from the source, which need not be UTF-8.
#[derive(Clone, PartialEq, Eq)]
pub struct SyntaxError {
    message: Vec<u8>,
    line: u32,
}

impl SyntaxError {
    pub(crate) fn new(message: Vec<u8>, line: u32) -> SyntaxError {
        SyntaxError { message, line }
    }

    /// The full message, as `lua_load` would leave it on the stack.
    pub fn message(&self) -> &[u8] {
        &self.message
    }

    /// Consumes the error, returning the full message.
    pub fn into_message(self) -> Vec<u8> {
        self.message
    }

    /// The line the message names.
    pub fn line(&self) -> u32 {
        self.line
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message))
    }
}

impl fmt::Debug for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SyntaxError({:?})",
            String::from_utf8_lossy(&self.message)
        )
    }
}

impl std::error::Error for SyntaxError {}
