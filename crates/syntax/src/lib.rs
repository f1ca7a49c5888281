//! Lua 5.1 syntax frontend: lexer, parser and AST.
//!
//! ```
//! let chunk = ferrous_syntax::parse(b"local x = 1 + 2", b"=demo").unwrap();
//! assert_eq!(chunk.main.locals.len(), 1);
//!
//! let err = ferrous_syntax::parse(b"x = = 1", b"=demo").unwrap_err();
//! assert_eq!(err.to_string(), "demo:1: unexpected symbol near '='");
//! ```
//!
//! [`parse`] accepts exactly what PUC-Rio Lua 5.1's `lua_load` accepts and
//! rejects everything else with the same message, position and `near`
//! token. The [`ast`] module documents the tree, which is shaped for a
//! compiler that reproduces PUC-Rio's bytecode. The parser never panics and
//! never recurses deeper than Lua's own nesting limit allows.
//!
//! Two things `luaL_loadfile` does before the parser sees a file are left to
//! the loader: skipping a first line that starts with `#`
//! ([`skip_first_line`]) and detecting precompiled chunks (ESC).

#![deny(missing_docs)]

pub mod ast;
#[doc(hidden)]
pub mod check;
mod error;
mod lexer;
mod parser;
pub mod printer;
mod recycle;

pub use error::SyntaxError;
pub use parser::{FunctionSink, LUAI_MAXCCALLS, LUAI_MAXUPVALUES, LUAI_MAXVARS};

/// PUC-Rio's `LUA_IDSIZE`: size of the buffer for a chunk id in runtime
/// error messages.
pub const LUA_IDSIZE: usize = 60;
/// `llex.c`'s `MAXSRC`: size of the buffer for a chunk id in syntax error
/// messages.
pub const MAXSRC: usize = 80;

/// Parses a chunk as `lua_load` does (the source is taken as is: no `#`
/// line is skipped). `chunkname` is the chunk's name as Lua sees it:
/// `@file`, `=name`, or the source itself for strings.
///
/// Nesting is counted from 1, like code loaded by `lua5.1`/`luac5.1` from
/// the command line; use [`parse_with_level`] to start elsewhere.
pub fn parse(source: &[u8], chunkname: &[u8]) -> Result<ast::Chunk, SyntaxError> {
    parse_with_level(source, chunkname, 1)
}

/// Parses with PUC-Rio's C-call counter (`L->nCcalls`) starting at
/// `c_calls`: the number of C calls active when the chunk is loaded. The
/// nesting limit ("chunk has too many syntax levels") and the
/// "variables in assignment" limit depend on it: it is 1 when `lua5.1` or
/// `luac5.1` load a file, 0 when C code calls `luaL_loadbuffer` directly
/// (Redis's script compilation), 2 or more for `loadstring` called from Lua.
pub fn parse_with_level(
    source: &[u8],
    chunkname: &[u8],
    c_calls: u32,
) -> Result<ast::Chunk, SyntaxError> {
    let lex = lexer::AnyLexer::Whole(lexer::Lexer::new(source));
    parser::Parser::new(lex, chunkname, c_calls, None).parse_main(chunkname)
}

/// [`parse_with_level`] handing each nested function to `sink` as it
/// closes (innermost first, in source order of their ends). A compiler
/// that takes them keeps the tree to the functions still open, whatever
/// the size of the chunk.
pub fn parse_with_sink(
    source: &[u8],
    chunkname: &[u8],
    c_calls: u32,
    sink: &mut dyn FunctionSink,
) -> Result<ast::Chunk, SyntaxError> {
    let lex = lexer::AnyLexer::Whole(lexer::Lexer::new(source));
    parser::Parser::new(lex, chunkname, c_calls, Some(sink)).parse_main(chunkname)
}

/// A source read piece by piece, as `lua_load` reads a reader function's
/// pieces: see [`parse_stream`].
pub trait Stream {
    /// The text read so far.
    fn bytes(&self) -> &[u8];
    /// Reads one more piece onto the text. Returns false, and is not
    /// called again, once the stream has ended: the reader gave no more
    /// (or failed; the caller keeps why and ignores the parse's result).
    fn fill(&mut self) -> bool;
}

/// [`parse_with_level`] on a source read from `stream` as lua5.1's lexer
/// reads its `ZIO`: a piece at a time, only when it needs a character past
/// what it has, one character past each token, and no further than where
/// it stops with an error. A reader function then sees exactly as many
/// calls as under lua5.1 (`load` stops calling it at a syntax error).
/// The loader's first read (`luaZ_lookahead`, which tells a binary chunk)
/// is the caller's; when it found nothing, lua5.1's lexer still asks once
/// more, and so does this.
///
/// The lexer works on the text read so far; a token that reaches its end
/// is lexed again after the next piece, so a whole source given as one
/// piece is lexed once, at [`parse`]'s speed.
pub fn parse_stream(
    stream: &mut dyn Stream,
    chunkname: &[u8],
    c_calls: u32,
) -> Result<ast::Chunk, SyntaxError> {
    let lex = lexer::AnyLexer::Stream(lexer::StreamLexer::new(stream));
    parser::Parser::new(lex, chunkname, c_calls, None).parse_main(chunkname)
}

/// What `luaL_loadfile` hands to the parser for a file whose contents are
/// `contents`: a first line starting with `#` is dropped but its newline
/// kept, so line numbers do not change.
pub fn skip_first_line(contents: &[u8]) -> &[u8] {
    if contents.first() != Some(&b'#') {
        return contents;
    }
    match contents.iter().position(|&b| b == b'\n') {
        Some(nl) => &contents[nl..],
        None => b"\n",
    }
}

/// `luaO_chunkid` with a `LUA_IDSIZE` (60) buffer, as runtime error
/// messages use it: `@file` gives the file name (its last part after
/// `...` when long), `=name` gives `name`, anything else
/// `[string "first line..."]`. Non-UTF-8 bytes are replaced; use
/// [`chunkid_bytes`] for the exact bytes.
pub fn chunkid(source_name: &[u8]) -> String {
    String::from_utf8_lossy(&chunkid_bytes(source_name)).into_owned()
}

/// [`chunkid`] as bytes.
pub fn chunkid_bytes(source_name: &[u8]) -> Vec<u8> {
    chunkid_bytes_len(source_name, LUA_IDSIZE)
}

/// `luaO_chunkid` with a buffer of `bufflen` bytes ([`LUA_IDSIZE`] for
/// runtime errors, [`MAXSRC`] for syntax errors).
pub fn chunkid_bytes_len(source_name: &[u8], bufflen: usize) -> Vec<u8> {
    // The C string ends at the first NUL.
    let source = match source_name.iter().position(|&b| b == 0) {
        Some(n) => &source_name[..n],
        None => source_name,
    };
    match source.first() {
        Some(b'=') => {
            let rest = &source[1..];
            rest[..rest.len().min(bufflen.saturating_sub(1))].to_vec()
        }
        Some(b'@') => {
            let rest = &source[1..];
            // bufflen minus sizeof(" '...' ")
            let room = bufflen.saturating_sub(8);
            if rest.len() > room {
                let mut out = b"...".to_vec();
                out.extend_from_slice(&rest[rest.len() - room..]);
                out
            } else {
                rest.to_vec()
            }
        }
        _ => {
            let first_line = source
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .unwrap_or(source.len());
            // bufflen minus sizeof(" [string \"...\"] ")
            let room = bufflen.saturating_sub(17);
            let len = first_line.min(room);
            let mut out = b"[string \"".to_vec();
            if len < source.len() {
                out.extend_from_slice(&source[..len]);
                out.extend_from_slice(b"...");
            } else {
                out.extend_from_slice(source);
            }
            out.extend_from_slice(b"\"]");
            out
        }
    }
}
