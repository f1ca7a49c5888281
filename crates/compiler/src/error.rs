//! Compile errors and the combined error of [`crate::compile_source`].

use std::fmt;

use ferrous_syntax::SyntaxError;

/// A code-generation error, worded as luac words it:
/// `CHUNKID:LINE: MESSAGE`.
///
/// With Ferrous's wide operands the only one left is "function or
/// expression too complex" (more than [`crate::bytecode::MAX_REG`] + 1
/// registers in one function). luac adds `near 'TOKEN'` to it; the tree
/// the compiler works from has no tokens, so the message ends after the
/// text.
#[derive(Clone, PartialEq, Eq)]
pub struct CompileError {
    message: Vec<u8>,
    line: u32,
}

impl CompileError {
    pub(crate) fn new(chunkname: &[u8], line: u32, msg: &str) -> CompileError {
        let mut message = ferrous_syntax::chunkid_bytes_len(chunkname, ferrous_syntax::MAXSRC);
        message.push(b':');
        message.extend_from_slice(line.to_string().as_bytes());
        message.extend_from_slice(b": ");
        message.extend_from_slice(msg.as_bytes());
        CompileError { message, line }
    }

    /// The full message, `CHUNKID:LINE: MESSAGE`.
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

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message))
    }
}

impl fmt::Debug for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CompileError({:?})",
            String::from_utf8_lossy(&self.message)
        )
    }
}

impl std::error::Error for CompileError {}

/// A syntax or code-generation error: what `lua_load` can fail with.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Error {
    /// The parser rejected the source.
    Syntax(SyntaxError),
    /// The code generator hit one of its limits.
    Compile(CompileError),
}

impl Error {
    /// The full message, as `lua_load` would leave it on the stack.
    pub fn message(&self) -> &[u8] {
        match self {
            Error::Syntax(e) => e.message(),
            Error::Compile(e) => e.message(),
        }
    }

    /// Consumes the error, returning the full message.
    pub fn into_message(self) -> Vec<u8> {
        match self {
            Error::Syntax(e) => e.into_message(),
            Error::Compile(e) => e.into_message(),
        }
    }

    /// The line the message names.
    pub fn line(&self) -> u32 {
        match self {
            Error::Syntax(e) => e.line(),
            Error::Compile(e) => e.line(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax(e) => e.fmt(f),
            Error::Compile(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<SyntaxError> for Error {
    fn from(e: SyntaxError) -> Error {
        Error::Syntax(e)
    }
}

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Error {
        Error::Compile(e)
    }
}
