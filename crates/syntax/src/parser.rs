//! The recursive-descent parser. It follows `lparser.c` function by
//! function, so that it consumes tokens, resolves names and checks limits
//! in the same order, which is what makes its error messages (and the line
//! numbers in them) the same as luac's.
//!
//! Recursion is bounded the way PUC-Rio bounds it: `chunk` and `subexpr`
//! count a nesting level (`L->nCcalls`), and more than
//! [`LUAI_MAXCCALLS`] levels is the error "chunk has too many syntax
//! levels". Every other recursion passes through one of those two.

use crate::ast::*;
use crate::error::SyntaxError;
use crate::lexer::{AnyLexer, LexError, StrTok, Tok, Token, TokenSource};
use crate::recycle::Pools;

/// PUC-Rio's `LUAI_MAXCCALLS`: the nesting limit of the parser.
pub const LUAI_MAXCCALLS: u32 = 200;
/// PUC-Rio's `LUAI_MAXVARS`: active locals per function.
pub const LUAI_MAXVARS: usize = 200;
/// PUC-Rio's `LUAI_MAXUPVALUES`: upvalues per function.
pub const LUAI_MAXUPVALUES: usize = 60;

type PResult<T> = Result<T, SyntaxError>;

/// Spare scope stacks and local lists kept at most (one per function open
/// at once is all a chunk reuses).
const SPARE_KEPT: usize = 16;

/// PUC-Rio's `BlockCnt`.
struct BlockCnt {
    /// Active locals outside the block.
    nactvar: u16,
    /// Some local of this block is captured.
    upval: bool,
    /// A loop block (`break` target).
    breakable: bool,
}

/// PUC-Rio's `FuncState`: the function being parsed.
struct FuncState {
    f: Function,
    /// Active locals: `actvar[slot]` is the local in register `slot`.
    actvar: Vec<LocalId>,
    blocks: Vec<BlockCnt>,
}

/// Parser state (PUC-Rio's `LexState`).
pub(crate) struct Parser<'s> {
    lex: AnyLexer<'s>,
    chunkid: Vec<u8>,
    /// The current token.
    t: Token,
    /// The lookahead token, if one was read.
    ahead: Option<Token>,
    /// `ls->linenumber`: the line after the last token read (current or
    /// lookahead).
    linenumber: Line,
    /// `ls->lastline`: the line of the last token consumed.
    lastline: Line,
    /// `L->nCcalls`.
    level: u32,
    /// The chunk's names and escape-free strings, shared by the tree.
    names: hashbrown::HashSet<Bytes, FxBuild>,
    fs: Vec<FuncState>,
    /// Gets each nested function as it closes (see [`FunctionSink`]).
    sink: Option<&'s mut dyn FunctionSink>,
    /// Nodes of functions the sink took, for reuse.
    pools: Pools,
    /// The scope stacks of closed functions, emptied, for the next ones.
    spare_scopes: Vec<(Vec<LocalId>, Vec<BlockCnt>)>,
    /// Local lists of functions the sink took, emptied, for reuse.
    spare_locals: Vec<Vec<LocalInfo>>,
}

/// Takes nested functions as the parser closes them, so a caller can
/// compile each one and let its tree go before the rest of the chunk is
/// read: the tree then never holds more than the functions still open.
pub trait FunctionSink {
    /// `f` has just been parsed whole (its nested functions went through
    /// here first). Returning `Some(n)` takes it: the parser empties its
    /// body and locals and records `n` in [`Function::taken`]. `None`
    /// leaves the function as parsed.
    fn function_done(&mut self, f: &Function) -> Option<u32>;
}

/// Where the parser's text for a token comes from (`luaX_token2str`).
pub(crate) fn token2str(tok: &Tok) -> Vec<u8> {
    let s: &str = match tok {
        Tok::And => "and",
        Tok::Break => "break",
        Tok::Do => "do",
        Tok::Else => "else",
        Tok::Elseif => "elseif",
        Tok::End => "end",
        Tok::False => "false",
        Tok::For => "for",
        Tok::Function => "function",
        Tok::If => "if",
        Tok::In => "in",
        Tok::Local => "local",
        Tok::Nil => "nil",
        Tok::Not => "not",
        Tok::Or => "or",
        Tok::Repeat => "repeat",
        Tok::Return => "return",
        Tok::Then => "then",
        Tok::True => "true",
        Tok::Until => "until",
        Tok::While => "while",
        Tok::Concat => "..",
        Tok::Dots => "...",
        Tok::Eq => "==",
        Tok::Ge => ">=",
        Tok::Le => "<=",
        Tok::Ne => "~=",
        Tok::Number(_) => "<number>",
        Tok::Name => "<name>",
        Tok::String(_) => "<string>",
        Tok::Eos => "<eof>",
        Tok::Char(c) => {
            let c = *c;
            // C's iscntrl in the "C" locale.
            return if c < 32 || c == 127 {
                format!("char({c})").into_bytes()
            } else {
                vec![c]
            };
        }
        Tok::InvalidDelimiter | Tok::Comment | Tok::Newline => "?",
    };
    s.as_bytes().to_vec()
}

/// Binary operator of a token (`getbinopr`).
#[inline]
fn binopr(tok: &Tok) -> Option<BinOp> {
    Some(match tok {
        Tok::Char(b'+') => BinOp::Add,
        Tok::Char(b'-') => BinOp::Sub,
        Tok::Char(b'*') => BinOp::Mul,
        Tok::Char(b'/') => BinOp::Div,
        Tok::Char(b'%') => BinOp::Mod,
        Tok::Char(b'^') => BinOp::Pow,
        Tok::Concat => BinOp::Concat,
        Tok::Ne => BinOp::Ne,
        Tok::Eq => BinOp::Eq,
        Tok::Char(b'<') => BinOp::Lt,
        Tok::Le => BinOp::Le,
        Tok::Char(b'>') => BinOp::Gt,
        Tok::Ge => BinOp::Ge,
        Tok::And => BinOp::And,
        Tok::Or => BinOp::Or,
        _ => return None,
    })
}

/// `block_follow`: tokens that end a block.
#[inline]
fn block_follow(tok: &Tok) -> bool {
    matches!(
        tok,
        Tok::Else | Tok::Elseif | Tok::End | Tok::Until | Tok::Eos
    )
}

fn expr_at(kind: ExprKind, line: Line, end_line: Line) -> Expr {
    Expr {
        kind,
        line,
        end_line,
    }
}

/// An FxHash-style hasher: fast for short names. The table lives for one
/// parse; crafted collisions could only make a parse slower, never wrong.
#[derive(Clone, Copy, Default)]
struct FxBuild;

struct FxHasher(u64);

const FX_K: u64 = 0x517c_c1b7_2722_0a95;

impl std::hash::BuildHasher for FxBuild {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(FX_K);
        }
        // The tail as a little-endian word, zero-padded (a byte loop: a
        // copy of variable length would be a call to memcpy).
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let w = rest
                .iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b));
            h = (h.rotate_left(5) ^ w).wrapping_mul(FX_K);
        }
        self.0 = h;
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(FX_K);
    }
    fn finish(&self) -> u64 {
        // hashbrown picks buckets with the low bits: fold the well-mixed
        // high half of the product into them.
        self.0 ^ (self.0 >> 32)
    }
}

/// What `singlevaraux` found.
enum VarKind {
    Local(LocalRef),
    Upvalue(u16),
}

/// The innermost active local named `name` (the chunk's shared copy of
/// the name: every local's name is one, so the pointers are compared, not
/// the bytes): its function's depth and its register.
fn find_var(fs: &[FuncState], name: &Bytes) -> Option<(usize, usize)> {
    let p = name.as_ptr();
    for (d, f) in fs.iter().enumerate().rev() {
        let locals = &f.f.locals;
        if let Some(slot) = f.actvar.iter().rposition(|&id| {
            locals
                .get(id as usize)
                .is_some_and(|l| l.name.as_ptr() == p)
        }) {
            return Some((d, slot));
        }
    }
    None
}

/// A name or escape-free string from the source, as a tree value: the
/// chunk's shared copy.
fn tree_bytes(names: &mut hashbrown::HashSet<Bytes, FxBuild>, s: &[u8]) -> Bytes {
    if let Some(b) = names.get(s) {
        return b.clone();
    }
    let b: Bytes = s.into();
    names.insert(b.clone());
    b
}

impl<'s> Parser<'s> {
    pub(crate) fn new(
        lex: AnyLexer<'s>,
        chunkname: &[u8],
        base_level: u32,
        sink: Option<&'s mut dyn FunctionSink>,
    ) -> Parser<'s> {
        Parser {
            sink,
            lex,
            chunkid: crate::chunkid_bytes_len(chunkname, crate::MAXSRC),
            t: Token {
                tok: Tok::Eos,
                start: 0,
                end: 0,
                line: 1,
            },
            ahead: None,
            linenumber: 1,
            lastline: 1,
            level: base_level,
            names: hashbrown::HashSet::with_hasher(FxBuild),
            fs: Vec::new(),
            pools: Pools::default(),
            spare_scopes: Vec::new(),
            spare_locals: Vec::new(),
        }
    }

    // ----- errors -------------------------------------------------------

    /// `luaX_lexerror` with an explicit message, line and `near` text.
    #[cold]
    #[inline(never)]
    fn error_at(&self, line: Line, msg: &[u8], near: Option<&[u8]>) -> SyntaxError {
        let mut m = Vec::with_capacity(self.chunkid.len() + msg.len() + 32);
        m.extend_from_slice(&self.chunkid);
        m.push(b':');
        m.extend_from_slice(line.to_string().as_bytes());
        m.extend_from_slice(b": ");
        m.extend_from_slice(msg);
        if let Some(near) = near {
            m.extend_from_slice(b" near '");
            m.extend_from_slice(near);
            m.push(b'\'');
        }
        SyntaxError::new(m, line)
    }

    #[cold]
    #[inline(never)]
    fn lex_error(&self, e: LexError) -> SyntaxError {
        match e.0 {
            Some(e) => self.error_at(e.line, e.msg.as_bytes(), e.near.as_deref()),
            None => self.error_at(self.linenumber, b"unexpected symbol", None),
        }
    }

    /// `txtToken` for the current token.
    #[cold]
    #[inline(never)]
    fn near_current(&self) -> Vec<u8> {
        let t = &self.t;
        let raw = || {
            self.lex
                .src()
                .get(t.start as usize..t.end as usize)
                .unwrap_or(b"")
                .to_vec()
        };
        match &t.tok {
            Tok::Name | Tok::Number(_) => raw(),
            Tok::String(_) => {
                let text = raw();
                let value = self.string_value_ref(t);
                let mut v = Vec::with_capacity(value.len() + 8);
                if text.first() == Some(&b'[') {
                    // [==[ value ]==]
                    let sep = text.iter().skip(1).take_while(|&&b| b == b'=').count();
                    v.push(b'[');
                    v.resize(v.len() + sep, b'=');
                    v.push(b'[');
                    v.extend_from_slice(value);
                    v.push(b']');
                    v.resize(v.len() + sep, b'=');
                    v.push(b']');
                } else {
                    let del = text.first().copied().unwrap_or(b'"');
                    v.push(del);
                    v.extend_from_slice(value);
                    v.push(del);
                }
                if let Some(nul) = v.iter().position(|&b| b == 0) {
                    v.truncate(nul);
                }
                v
            }
            other => token2str(other),
        }
    }

    /// `luaX_syntaxerror`: message near the current token.
    #[cold]
    #[inline(never)]
    fn syntax_error(&self, msg: &[u8]) -> SyntaxError {
        // A NUL byte is token 0, which `luaX_lexerror` takes for "no token".
        if self.t.tok == Tok::Char(0) {
            return self.error_at(self.linenumber, msg, None);
        }
        let near = self.near_current();
        self.error_at(self.linenumber, msg, Some(&near))
    }

    /// `error_expected`.
    #[cold]
    #[inline(never)]
    fn error_expected(&self, tok: &Tok) -> SyntaxError {
        let mut msg = b"'".to_vec();
        msg.extend_from_slice(&token2str(tok));
        msg.extend_from_slice(b"' expected");
        self.syntax_error(&msg)
    }

    /// `errorlimit`: no `near`.
    #[cold]
    #[inline(never)]
    fn error_limit(&self, fs: usize, limit: usize, what: &str) -> SyntaxError {
        let line_defined = self.fs.get(fs).map_or(0, |f| f.f.line_defined);
        let msg = if line_defined == 0 {
            format!("main function has more than {limit} {what}")
        } else {
            format!("function at line {line_defined} has more than {limit} {what}")
        };
        self.error_at(self.linenumber, msg.as_bytes(), None)
    }

    // ----- tokens -------------------------------------------------------

    /// `luaX_next`.
    #[inline(never)]
    fn next(&mut self) -> PResult<()> {
        self.lastline = self.linenumber;
        if let Some(t) = self.ahead.take() {
            self.t = t;
            return Ok(());
        }
        match self.lex.next_into(&mut self.t) {
            Ok(()) => {
                self.linenumber = self.t.line;
                Ok(())
            }
            Err(e) => Err(self.lex_error(e)),
        }
    }

    /// `luaX_lookahead`.
    #[inline(never)]
    fn lookahead(&mut self) -> PResult<()> {
        // Through `next`, so the lexer's code is inlined in one place
        // only: read into the current token, then swap it back.
        let lastline = self.lastline;
        let empty = Token {
            tok: Tok::Eos,
            start: 0,
            end: 0,
            line: 0,
        };
        let current = std::mem::replace(&mut self.t, empty);
        let r = self.next();
        let ahead = std::mem::replace(&mut self.t, current);
        self.lastline = lastline;
        r?;
        self.ahead = Some(ahead);
        Ok(())
    }

    #[inline]
    fn is_char(&self, c: u8) -> bool {
        self.t.tok == Tok::Char(c)
    }

    /// `testnext` for a single-character token.
    #[inline(never)]
    fn test_next_char(&mut self, c: u8) -> PResult<bool> {
        if self.is_char(c) {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `testnext` for a keyword or multi-char token.
    #[inline(never)]
    fn test_next(&mut self, tok: Tok) -> PResult<bool> {
        if self.t.tok == tok {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `check`.
    #[inline(never)]
    fn check(&self, tok: Tok) -> PResult<()> {
        if self.t.tok != tok {
            return Err(self.error_expected(&tok));
        }
        Ok(())
    }

    /// `checknext`.
    #[inline(never)]
    fn check_next(&mut self, tok: Tok) -> PResult<()> {
        self.check(tok)?;
        self.next()
    }

    /// `check_match`.
    #[inline(never)]
    fn check_match(&mut self, what: Tok, who: Tok, line: Line) -> PResult<()> {
        if self.t.tok == what {
            return self.next();
        }
        Err(self.error_unmatched(what, who, line))
    }

    /// The error of `check_match`.
    #[cold]
    #[inline(never)]
    fn error_unmatched(&self, what: Tok, who: Tok, line: Line) -> SyntaxError {
        if line == self.linenumber {
            self.error_expected(&what)
        } else {
            let mut msg = b"'".to_vec();
            msg.extend_from_slice(&token2str(&what));
            msg.extend_from_slice(b"' expected (to close '");
            msg.extend_from_slice(&token2str(&who));
            msg.extend_from_slice(b"' at line ");
            msg.extend_from_slice(line.to_string().as_bytes());
            msg.push(b')');
            self.syntax_error(&msg)
        }
    }

    /// `str_checkname`: the name's bytes and line.
    #[inline(never)]
    fn str_checkname(&mut self) -> PResult<(Bytes, Line)> {
        if self.t.tok != Tok::Name {
            return Err(self.error_expected(&Tok::Name));
        }
        let name = tree_bytes(
            &mut self.names,
            self.lex
                .src()
                .get(self.t.start as usize..self.t.end as usize)
                .unwrap_or(b""),
        );
        let line = self.t.line;
        self.next()?;
        Ok((name, line))
    }

    /// The value of string token `t`, borrowed.
    fn string_value_ref<'a>(&'a self, t: &'a Token) -> &'a [u8] {
        match &t.tok {
            Tok::String(StrTok::Raw(n)) => {
                let n = *n as usize;
                self.lex
                    .src()
                    .get(t.start as usize + n..(t.end as usize).saturating_sub(n))
                    .unwrap_or(b"")
            }
            Tok::String(StrTok::Owned(v)) => v,
            _ => b"",
        }
    }

    /// Takes the value of the current string token.
    fn take_string(&mut self) -> Bytes {
        let (start, end) = (self.t.start as usize, self.t.end as usize);
        match &mut self.t.tok {
            Tok::String(StrTok::Raw(n)) => {
                let n = *n as usize;
                tree_bytes(
                    &mut self.names,
                    self.lex
                        .src()
                        .get(start + n..end.saturating_sub(n))
                        .unwrap_or(b""),
                )
            }
            Tok::String(StrTok::Owned(_)) => {
                // The token is consumed next: its buffer goes back to the
                // lexer for the next string with escapes.
                match std::mem::replace(&mut self.t.tok, Tok::String(StrTok::Raw(0))) {
                    Tok::String(StrTok::Owned(v)) => {
                        let b = Bytes::from(&v[..]);
                        self.lex.give_back(v);
                        b
                    }
                    _ => Bytes::from(&b""[..]),
                }
            }
            _ => Bytes::from(&b""[..]),
        }
    }

    #[inline(never)]
    fn enter_level(&mut self) -> PResult<()> {
        self.level += 1;
        if self.level > LUAI_MAXCCALLS {
            return Err(self.error_at(self.linenumber, b"chunk has too many syntax levels", None));
        }
        Ok(())
    }

    #[inline]
    fn leave_level(&mut self) {
        self.level -= 1;
    }

    // ----- functions, locals, scopes -------------------------------------

    fn cur_fs(&mut self) -> &mut FuncState {
        let n = self.fs.len() - 1;
        &mut self.fs[n]
    }

    fn open_func(&mut self, line_defined: Line) {
        let (actvar, blocks) = self.spare_scopes.pop().unwrap_or_default();
        let locals = self.spare_locals.pop().unwrap_or_default();
        self.fs.push(FuncState {
            f: Function {
                line_defined,
                last_line_defined: 0,
                num_params: 0,
                is_vararg: false,
                has_arg: false,
                needs_arg: false,
                upvalues: Vec::new(),
                locals,
                body: Block {
                    stats: Vec::new(),
                    end_line: 0,
                    needs_close: false,
                },
                taken: None,
            },
            actvar,
            blocks,
        });
    }

    fn close_func(&mut self) -> Function {
        // The stack is never empty here; an empty function keeps this
        // path free of panics all the same.
        self.fs.pop().map_or_else(
            || Function {
                line_defined: 0,
                last_line_defined: 0,
                num_params: 0,
                is_vararg: false,
                has_arg: false,
                needs_arg: false,
                upvalues: Vec::new(),
                locals: Vec::new(),
                body: Block {
                    stats: Vec::new(),
                    end_line: 0,
                    needs_close: false,
                },
                taken: None,
            },
            |fs| {
                let (mut actvar, mut blocks) = (fs.actvar, fs.blocks);
                if self.spare_scopes.len() < SPARE_KEPT {
                    actvar.clear();
                    blocks.clear();
                    self.spare_scopes.push((actvar, blocks));
                }
                fs.f
            },
        )
    }

    /// `new_localvar`: registers local `n` of a declaration (0-based among
    /// the names declared together) and returns its id.
    #[inline(never)]
    fn new_localvar(&mut self, name: Bytes, n: usize) -> PResult<LocalId> {
        let depth = self.fs.len() - 1;
        let fs = &self.fs[depth];
        if fs.actvar.len() + n + 1 > LUAI_MAXVARS {
            return Err(self.error_limit(depth, LUAI_MAXVARS, "local variables"));
        }
        let fs = self.cur_fs();
        let id = fs.f.locals.len() as LocalId;
        let slot = (fs.actvar.len() + n) as u16;
        fs.f.locals.push(LocalInfo {
            name,
            slot,
            captured: false,
        });
        Ok(id)
    }

    /// `adjustlocalvars`: activates the given locals, in order.
    fn adjust_localvars(&mut self, ids: &[LocalId]) {
        let fs = self.cur_fs();
        for &id in ids {
            fs.actvar.push(id);
        }
    }

    fn enter_block(&mut self, breakable: bool) {
        let fs = self.cur_fs();
        let nactvar = fs.actvar.len() as u16;
        fs.blocks.push(BlockCnt {
            nactvar,
            upval: false,
            breakable,
        });
    }

    /// `leaveblock`: returns `bl->upval`.
    fn leave_block(&mut self) -> bool {
        let fs = self.cur_fs();
        match fs.blocks.pop() {
            Some(bl) => {
                fs.actvar.truncate(bl.nactvar as usize);
                bl.upval
            }
            None => false,
        }
    }

    /// `singlevaraux` + `singlevar`, iteratively over the function stack,
    /// for a variable [`find_var`] found in function `d`, register `slot`.
    #[inline(never)]
    fn resolve(&mut self, name: &Bytes, d: usize, slot: usize) -> PResult<VarKind> {
        let n = self.fs.len();
        let id = self.fs[d].actvar[slot];
        let local = LocalRef {
            slot: slot as u16,
            id,
        };
        if d == n - 1 {
            return Ok(VarKind::Local(local));
        }
        // markupval in the declaring function.
        {
            let fs = &mut self.fs[d];
            fs.f.locals[id as usize].captured = true;
            if let Some(bl) = fs
                .blocks
                .iter_mut()
                .rev()
                .find(|bl| bl.nactvar as usize <= slot)
            {
                bl.upval = true;
            }
        }
        let mut source = UpvalSource::ParentLocal {
            slot: slot as u16,
            id,
        };
        let mut index = 0u16;
        for lvl in d + 1..n {
            index = self.index_upvalue(lvl, name, source)?;
            source = UpvalSource::ParentUpvalue(index);
        }
        Ok(VarKind::Upvalue(index))
    }

    /// `indexupvalue`.
    #[inline(never)]
    fn index_upvalue(&mut self, lvl: usize, name: &Bytes, source: UpvalSource) -> PResult<u16> {
        let same = |a: &UpvalSource, b: &UpvalSource| match (a, b) {
            (
                UpvalSource::ParentLocal { slot: x, .. },
                UpvalSource::ParentLocal { slot: y, .. },
            ) => x == y,
            (UpvalSource::ParentUpvalue(x), UpvalSource::ParentUpvalue(y)) => x == y,
            _ => false,
        };
        let ups = &self.fs[lvl].f.upvalues;
        if let Some(i) = ups.iter().position(|u| same(&u.source, &source)) {
            return Ok(i as u16);
        }
        if ups.len() + 1 > LUAI_MAXUPVALUES {
            return Err(self.error_limit(lvl, LUAI_MAXUPVALUES, "upvalues"));
        }
        let ups = &mut self.fs[lvl].f.upvalues;
        ups.push(UpvalDesc {
            name: name.clone(),
            source,
        });
        Ok((ups.len() - 1) as u16)
    }

    /// `singlevar`: reads a name and resolves it. A local of the current
    /// function (the common case) is found without touching the name's
    /// shared bytes (no reference count taken).
    #[inline(never)]
    fn singlevar(&mut self) -> PResult<Expr> {
        let line = self.t.line;
        if self.t.tok != Tok::Name {
            return Err(self.error_expected(&Tok::Name));
        }
        let text = self
            .lex
            .src()
            .get(self.t.start as usize..self.t.end as usize)
            .unwrap_or(b"");
        // A name the chunk has not seen yet is no local.
        let (found, name) = match self.names.get(text) {
            Some(b) => {
                let found = find_var(&self.fs, b);
                match found {
                    Some((d, slot)) if d + 1 == self.fs.len() => {
                        let id = self.fs[d].actvar[slot];
                        self.next()?;
                        let local = LocalRef {
                            slot: slot as u16,
                            id,
                        };
                        return Ok(expr_at(ExprKind::Local(local), line, self.lastline));
                    }
                    _ => (found, b.clone()),
                }
            }
            None => {
                let b: Bytes = text.into();
                self.names.insert(b.clone());
                (None, b)
            }
        };
        self.next()?;
        let kind = match found {
            Some((d, slot)) => match self.resolve(&name, d, slot)? {
                VarKind::Local(l) => ExprKind::Local(l),
                VarKind::Upvalue(i) => ExprKind::Upvalue(i),
            },
            None => ExprKind::Global(name),
        };
        Ok(expr_at(kind, line, self.lastline))
    }

    // ----- blocks and statements -----------------------------------------

    /// The main function (`luaY_parser`).
    pub(crate) fn parse_main(mut self, chunkname: &[u8]) -> PResult<Chunk> {
        self.open_func(0);
        self.cur_fs().f.is_vararg = true;
        self.next()?;
        let mut stats = Vec::new();
        self.chunk(&mut stats)?;
        let end_line = self.lastline;
        self.check(Tok::Eos)?;
        let mut main = self.close_func();
        main.body = Block {
            stats,
            end_line,
            needs_close: false,
        };
        Ok(Chunk {
            name: chunkname.into(),
            main,
        })
    }

    // Statement parsers push what they parse onto the statement list they
    // are given instead of returning it: large values never cross stack
    // frames, which keeps the stack used per nesting level small.

    /// `chunk`: statements until a block follower.
    fn chunk(&mut self, stats: &mut Vec<Stat>) -> PResult<()> {
        self.enter_level()?;
        while !block_follow(&self.t.tok) {
            let islast = self.statement(stats)?;
            self.test_next_char(b';')?;
            if islast {
                break;
            }
        }
        // Blocks are many and mostly short: give back the growth slack
        // (unless a sink takes each function as it closes: its tree is
        // freed soon after).
        if self.sink.is_none() && stats.capacity() > stats.len() {
            stats.shrink_to_fit();
        }
        self.leave_level();
        Ok(())
    }

    /// `block`: a chunk in its own scope.
    #[inline(always)]
    fn block(&mut self) -> PResult<Block> {
        self.enter_block(false);
        let mut stats = self.pools.stats();
        self.chunk(&mut stats)?;
        let needs_close = self.leave_block();
        Ok(Block {
            stats,
            end_line: self.lastline,
            needs_close,
        })
    }

    /// Appends a statement that started on `line` and ends here.
    #[inline(always)]
    fn push(&self, stats: &mut Vec<Stat>, kind: StatKind, line: Line) {
        stats.push(Stat {
            kind,
            line,
            end_line: self.lastline,
        });
    }

    /// `statement`: parses one statement onto `stats`; returns whether it
    /// must be the last of its block.
    fn statement(&mut self, stats: &mut Vec<Stat>) -> PResult<bool> {
        let line = self.linenumber;
        match self.t.tok {
            Tok::If => self.ifstat(line, stats)?,
            Tok::While => self.whilestat(line, stats)?,
            Tok::Do => self.dostat(line, stats)?,
            Tok::For => self.forstat(line, stats)?,
            Tok::Repeat => self.repeatstat(line, stats)?,
            Tok::Function => self.funcstat(line, stats)?,
            Tok::Local => {
                self.next()?;
                if self.test_next(Tok::Function)? {
                    self.localfunc(line, stats)?
                } else {
                    self.localstat(line, stats)?
                }
            }
            Tok::Return => {
                self.retstat(line, stats)?;
                return Ok(true);
            }
            Tok::Break => {
                self.next()?;
                self.breakstat(line, stats)?;
                return Ok(true);
            }
            _ => self.exprstat(line, stats)?,
        }
        Ok(false)
    }

    /// `do block end`.
    #[inline(never)]
    fn dostat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        self.next()?;
        let b = self.block()?;
        self.check_match(Tok::End, Tok::Do, line)?;
        self.push(stats, StatKind::Do(b), line);
        Ok(())
    }

    /// `cond`.
    #[inline(always)]
    fn cond(&mut self) -> PResult<Expr> {
        self.expr()
    }

    /// `test_then_block`: one arm, pushed onto `clauses`.
    #[inline(never)]
    fn test_then_block(&mut self, clauses: &mut Vec<IfClause>) -> PResult<()> {
        let line = self.linenumber;
        self.next()?;
        let cond = self.cond()?;
        let then_line = self.t.line;
        self.check_next(Tok::Then)?;
        let block = self.block()?;
        clauses.push(IfClause {
            line,
            cond,
            then_line,
            block,
        });
        Ok(())
    }

    #[inline(never)]
    fn ifstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        let mut i = self.pools.if_stat();
        self.test_then_block(&mut i.clauses)?;
        while self.t.tok == Tok::Elseif {
            self.test_then_block(&mut i.clauses)?;
        }
        i.else_block = if self.t.tok == Tok::Else {
            let else_line = self.linenumber;
            self.next()?;
            Some(ElseClause {
                line: else_line,
                block: self.block()?,
            })
        } else {
            None
        };
        self.check_match(Tok::End, Tok::If, line)?;
        self.push(stats, StatKind::If(i), line);
        Ok(())
    }

    #[inline(never)]
    fn whilestat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        self.next()?;
        let cond = self.cond()?;
        self.enter_block(true);
        let do_line = self.t.line;
        self.check_next(Tok::Do)?;
        let body = self.block()?;
        self.check_match(Tok::End, Tok::While, line)?;
        self.leave_block();
        let kind = StatKind::While(self.pools.while_stat(WhileStat {
            cond,
            do_line,
            body,
        }));
        self.push(stats, kind, line);
        Ok(())
    }

    #[inline(never)]
    fn repeatstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        self.enter_block(true); // loop block
        self.enter_block(false); // scope block
        self.next()?;
        let mut body_stats = self.pools.stats();
        self.chunk(&mut body_stats)?;
        let body_end = self.lastline;
        let until_line = self.t.line;
        self.check_match(Tok::Until, Tok::Repeat, line)?;
        let cond = self.cond()?;
        let needs_close = self.leave_block();
        self.leave_block();
        let kind = StatKind::Repeat(self.pools.repeat_stat(RepeatStat {
            body: Block {
                stats: body_stats,
                end_line: body_end,
                needs_close,
            },
            until_line,
            cond,
        }));
        self.push(stats, kind, line);
        Ok(())
    }

    /// `forbody`: the control locals become active, then the loop variables
    /// in their own scope around the block. Returns the `do` line.
    #[inline(always)]
    fn forbody(&mut self, control: [LocalId; 3], vars: &[LocalId]) -> PResult<(Line, Block)> {
        self.adjust_localvars(&control);
        let do_line = self.t.line;
        self.check_next(Tok::Do)?;
        self.enter_block(false);
        self.adjust_localvars(vars);
        let body = self.block()?;
        self.leave_block();
        Ok((do_line, body))
    }

    #[inline(never)]
    fn fornum(&mut self, varname: Bytes) -> PResult<StatKind> {
        let control = [
            {
                let s = tree_bytes(&mut self.names, b"(for index)");
                self.new_localvar(s, 0)
            }?,
            {
                let s = tree_bytes(&mut self.names, b"(for limit)");
                self.new_localvar(s, 1)
            }?,
            {
                let s = tree_bytes(&mut self.names, b"(for step)");
                self.new_localvar(s, 2)
            }?,
        ];
        let var = self.new_localvar(varname, 3)?;
        self.check_next(Tok::Char(b'='))?;
        let start = self.expr()?;
        self.check_next(Tok::Char(b','))?;
        let limit = self.expr()?;
        let step = if self.test_next_char(b',')? {
            Some(self.expr()?)
        } else {
            None
        };
        let mut f = self.pools.numeric_for(NumericFor {
            control,
            var,
            start,
            limit,
            step,
            do_line: 0,
            body: Block {
                stats: Vec::new(),
                end_line: 0,
                needs_close: false,
            },
        });
        let (do_line, body) = self.forbody(control, &[var])?;
        f.do_line = do_line;
        f.body = body;
        Ok(StatKind::NumericFor(f))
    }

    #[inline(never)]
    fn forlist(&mut self, indexname: Bytes) -> PResult<StatKind> {
        let control = [
            {
                let s = tree_bytes(&mut self.names, b"(for generator)");
                self.new_localvar(s, 0)
            }?,
            {
                let s = tree_bytes(&mut self.names, b"(for state)");
                self.new_localvar(s, 1)
            }?,
            {
                let s = tree_bytes(&mut self.names, b"(for control)");
                self.new_localvar(s, 2)
            }?,
        ];
        let mut vars: SmallVec<[LocalId; 2]> = SmallVec::new();
        vars.push(self.new_localvar(indexname, 3)?);
        while self.test_next_char(b',')? {
            let (name, _) = self.str_checkname()?;
            let n = 3 + vars.len();
            vars.push(self.new_localvar(name, n)?);
        }
        self.check_next(Tok::In)?;
        let exprs = self.explist1()?;
        let mut f = self.pools.generic_for(GenericFor {
            control,
            vars,
            exprs,
            do_line: 0,
            body: Block {
                stats: Vec::new(),
                end_line: 0,
                needs_close: false,
            },
        });
        let (do_line, body) = self.forbody(control, &f.vars)?;
        f.do_line = do_line;
        f.body = body;
        Ok(StatKind::GenericFor(f))
    }

    #[inline(never)]
    fn forstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        self.enter_block(true);
        self.next()?;
        let (varname, _) = self.str_checkname()?;
        let kind = match self.t.tok {
            Tok::Char(b'=') => self.fornum(varname)?,
            Tok::Char(b',') | Tok::In => self.forlist(varname)?,
            _ => return Err(self.syntax_error(b"'=' or 'in' expected")),
        };
        self.check_match(Tok::End, Tok::For, line)?;
        self.leave_block();
        self.push(stats, kind, line);
        Ok(())
    }

    /// `funcname` + `funcstat`.
    #[inline(never)]
    fn funcstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        self.next()?;
        let base = self.singlevar()?;
        let mut suffixes: SmallVec<[Suffix; 1]> = SmallVec::new();
        let mut is_method = false;
        while self.is_char(b'.') || self.is_char(b':') {
            let colon = self.is_char(b':');
            let sline = self.linenumber;
            self.next()?;
            let (name, name_line) = self.str_checkname()?;
            suffixes.push(Suffix {
                kind: SuffixKind::Field { name, name_line },
                line: sline,
                end_line: self.lastline,
            });
            if colon {
                is_method = true;
                break;
            }
        }
        let target = if suffixes.is_empty() {
            base
        } else {
            let (l, e) = (base.line, self.lastline);
            expr_at(
                ExprKind::Suffixed(Box::new(SuffixedExpr { base, suffixes })),
                l,
                e,
            )
        };
        let func = self.body(is_method, line)?;
        let kind = StatKind::Function {
            target,
            is_method,
            func,
        };
        self.push(stats, kind, line);
        Ok(())
    }

    #[inline(never)]
    fn localfunc(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        let (name, _) = self.str_checkname()?;
        let local = self.new_localvar(name, 0)?;
        self.adjust_localvars(&[local]);
        let l = self.linenumber;
        let func = self.body(false, l)?;
        self.push(stats, StatKind::LocalFunction { local, func }, line);
        Ok(())
    }

    #[inline(never)]
    fn localstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        let mut locals: SmallVec<[LocalId; 2]> = SmallVec::new();
        loop {
            let (name, _) = self.str_checkname()?;
            let n = locals.len();
            locals.push(self.new_localvar(name, n)?);
            if !self.test_next_char(b',')? {
                break;
            }
        }
        let exprs = if self.test_next_char(b'=')? {
            self.explist1()?
        } else {
            ExprList::default()
        };
        self.adjust_localvars(&locals);
        self.push(stats, StatKind::Local { locals, exprs }, line);
        Ok(())
    }

    #[inline(never)]
    fn retstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        self.next()?;
        let exprs = if block_follow(&self.t.tok) || self.is_char(b';') {
            ExprList::default()
        } else {
            self.explist1()?
        };
        self.push(stats, StatKind::Return { exprs }, line);
        Ok(())
    }

    #[inline(never)]
    fn breakstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        let fs = self.cur_fs();
        let mut upval = false;
        let mut found = false;
        for bl in fs.blocks.iter().rev() {
            if bl.breakable {
                found = true;
                break;
            }
            upval |= bl.upval;
        }
        if !found {
            return Err(self.syntax_error(b"no loop to break"));
        }
        self.push(stats, StatKind::Break { needs_close: upval }, line);
        Ok(())
    }

    /// `exprstat`: a call or an assignment.
    #[inline(never)]
    fn exprstat(&mut self, line: Line, stats: &mut Vec<Stat>) -> PResult<()> {
        let Expr {
            kind,
            line: eline,
            end_line,
        } = self.primaryexp()?;
        let first = match kind {
            ExprKind::Suffixed(s) if s.is_call() => {
                self.push(stats, StatKind::Call(s), line);
                return Ok(());
            }
            kind => Expr {
                kind,
                line: eline,
                end_line,
            },
        };
        // `restassign`, iteratively.
        let mut targets: SmallVec<[Expr; 1]> = SmallVec::new();
        targets.push(first);
        loop {
            let last = targets.last().map(|e| &e.kind);
            if !is_assignable(last) {
                return Err(self.syntax_error(b"syntax error"));
            }
            if self.test_next_char(b',')? {
                let nvars = targets.len();
                let e = self.primaryexp()?;
                targets.push(e);
                let limit = LUAI_MAXCCALLS.saturating_sub(self.level) as usize;
                if nvars > limit {
                    return Err(self.error_limit(
                        self.fs.len() - 1,
                        limit,
                        "variables in assignment",
                    ));
                }
            } else {
                self.check_next(Tok::Char(b'='))?;
                let exprs = self.explist1()?;
                self.push(stats, StatKind::Assign { targets, exprs }, line);
                return Ok(());
            }
        }
    }

    // ----- expressions -----------------------------------------------------
    //
    // As with statements, the functions on recursive paths keep their
    // frames small: lists are filled in place, and the bulky cases live in
    // separate functions that are not inlined.

    /// `explist1`.
    #[inline(never)]
    fn explist1(&mut self) -> PResult<ExprList> {
        let mut list = ExprList::default();
        self.explist1_into(&mut list)?;
        Ok(list)
    }

    /// `explist1`, appending to `list`.
    fn explist1_into(&mut self, list: &mut ExprList) -> PResult<()> {
        loop {
            let e = self.expr()?;
            list.exprs.push(e);
            if !self.is_char(b',') {
                return Ok(());
            }
            list.comma_lines.push(self.t.line);
            self.next()?;
        }
    }

    /// `expr`.
    #[inline(always)]
    fn expr(&mut self) -> PResult<Expr> {
        Ok(self.subexpr(0)?.0)
    }

    /// `subexpr`: returns the expression and the first operator it did not
    /// take (already the current token). `simpleexp` is folded in.
    fn subexpr(&mut self, limit: u8) -> PResult<(Expr, Option<BinOp>)> {
        self.enter_level()?;
        let e = match self.t.tok {
            Tok::Not => self.unary(UnOp::Not)?,
            Tok::Char(b'-') => self.unary(UnOp::Neg)?,
            Tok::Char(b'#') => self.unary(UnOp::Len)?,
            Tok::Char(b'{') => self.constructor()?,
            Tok::Function => self.funcexpr()?,
            Tok::Number(_) | Tok::String(_) | Tok::Nil | Tok::True | Tok::False | Tok::Dots => {
                self.literal()?
            }
            _ => self.primaryexp()?,
        };
        let r = match binopr(&self.t.tok) {
            Some(op) if op.priority().0 > limit => self.binary(e, op, limit)?,
            op => (e, op),
        };
        self.leave_level();
        Ok(r)
    }

    /// A unary operator and its operand.
    #[inline(never)]
    fn unary(&mut self, op: UnOp) -> PResult<Expr> {
        let line = self.t.line;
        self.next()?;
        let (operand, _) = self.subexpr(UNARY_PRIORITY)?;
        Ok(expr_at(
            ExprKind::Unary(self.pools.unary(UnaryExpr { op, line, operand })),
            line,
            self.lastline,
        ))
    }

    /// The operator loop of `subexpr`, from its first operator `op`.
    #[inline(never)]
    fn binary(&mut self, first: Expr, op: BinOp, limit: u8) -> PResult<(Expr, Option<BinOp>)> {
        let line = first.line;
        let mut b = self.pools.binary(first);
        let mut op = Some(op);
        while let Some(o) = op {
            if o.priority().0 <= limit {
                break;
            }
            let op_line = self.t.line;
            self.next()?;
            let (rhs, nextop) = self.subexpr(o.priority().1)?;
            b.ops.push(BinaryOp {
                op: o,
                line: op_line,
                rhs,
            });
            op = nextop;
        }
        Ok((expr_at(ExprKind::Binary(b), line, self.lastline), op))
    }

    /// The constants and `...` of `simpleexp`.
    #[inline(never)]
    fn literal(&mut self) -> PResult<Expr> {
        let line = self.t.line;
        let kind = match &mut self.t.tok {
            Tok::Number(v) => ExprKind::Number(*v),
            Tok::String(_) => ExprKind::String(self.take_string()),
            Tok::True => ExprKind::True,
            Tok::False => ExprKind::False,
            Tok::Dots => self.vararg()?,
            _ => ExprKind::Nil,
        };
        self.next()?;
        Ok(expr_at(kind, line, self.lastline))
    }

    /// `...` in an expression.
    fn vararg(&mut self) -> PResult<ExprKind> {
        let fs = self.cur_fs();
        if !fs.f.is_vararg {
            return Err(self.syntax_error(b"cannot use '...' outside a vararg function"));
        }
        fs.f.needs_arg = false;
        Ok(ExprKind::Vararg(self.lastline))
    }

    /// `function body` in an expression.
    #[inline(never)]
    fn funcexpr(&mut self) -> PResult<Expr> {
        let line = self.t.line;
        self.next()?;
        let l = self.linenumber;
        let f = self.body(false, l)?;
        Ok(expr_at(ExprKind::Function(f), line, self.lastline))
    }

    /// `prefixexp` followed by `primaryexp`'s suffix loop.
    #[inline(never)]
    fn primaryexp(&mut self) -> PResult<Expr> {
        let base = match self.t.tok {
            Tok::Char(b'(') => self.paren()?,
            Tok::Name => self.singlevar()?,
            _ => return Err(self.syntax_error(b"unexpected symbol")),
        };
        if !matches!(
            self.t.tok,
            Tok::Char(b'.' | b'[' | b':' | b'(' | b'{') | Tok::String(_)
        ) {
            return Ok(base);
        }
        let line = base.line;
        let mut s = self.pools.suffixed(base);
        while self.suffix(&mut s.suffixes)? {}
        Ok(expr_at(ExprKind::Suffixed(s), line, self.lastline))
    }

    /// `( expr )` as a prefix.
    #[inline(never)]
    fn paren(&mut self) -> PResult<Expr> {
        let line = self.linenumber;
        self.next()?;
        let inner = self.expr()?;
        self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
        Ok(expr_at(
            ExprKind::Paren(self.pools.paren(inner)),
            line,
            self.lastline,
        ))
    }

    /// One suffix of `primaryexp`, pushed onto `suffixes`; false when the
    /// current token starts none. The suffix is pushed first and filled in
    /// place, so no large value lives in this (recursive) frame.
    #[inline(never)]
    fn suffix(&mut self, suffixes: &mut SmallVec<[Suffix; 1]>) -> PResult<bool> {
        let line = self.linenumber;
        match self.t.tok {
            Tok::Char(b'.') => {
                self.next()?;
                let (name, name_line) = self.str_checkname()?;
                push_suffix(
                    &mut self.pools,
                    suffixes,
                    SuffixShape::Field,
                    Some(name),
                    name_line,
                    line,
                );
            }
            Tok::Char(b'[') => {
                push_suffix(&mut self.pools, suffixes, SuffixShape::Index, None, 0, line)
            }
            Tok::Char(b':') => {
                self.next()?;
                let (name, name_line) = self.str_checkname()?;
                push_suffix(
                    &mut self.pools,
                    suffixes,
                    SuffixShape::Method,
                    Some(name),
                    name_line,
                    line,
                );
            }
            Tok::Char(b'(') | Tok::String(_) | Tok::Char(b'{') => {
                push_suffix(&mut self.pools, suffixes, SuffixShape::Call, None, 0, line)
            }
            _ => return Ok(false),
        }
        if let Some(last) = suffixes.last_mut() {
            match &mut last.kind {
                SuffixKind::Index(key) => {
                    self.next()?;
                    *key = self.expr()?;
                    self.check_next(Tok::Char(b']'))?;
                }
                SuffixKind::Call(args) | SuffixKind::Method { args, .. } => {
                    self.funcargs(args)?;
                }
                SuffixKind::Field { .. } => {}
            }
            last.end_line = self.lastline;
        }
        Ok(true)
    }

    /// `funcargs`, filling `args`.
    fn funcargs(&mut self, args: &mut CallArgs) -> PResult<()> {
        let line = self.linenumber;
        args.line = line;
        match &mut self.t.tok {
            Tok::Char(b'(') => {
                if line != self.lastline {
                    return Err(
                        self.syntax_error(b"ambiguous syntax (function call x new statement)")
                    );
                }
                self.next()?;
                if !self.is_char(b')') {
                    self.explist1_into(&mut args.list)?;
                }
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                args.style = ArgStyle::Parens;
            }
            Tok::Char(b'{') => {
                let t = self.constructor()?;
                args.list.exprs.push(t);
                args.style = ArgStyle::Table;
            }
            Tok::String(_) => {
                let s = self.take_string();
                let sline = self.t.line;
                self.next()?;
                args.list
                    .exprs
                    .push(expr_at(ExprKind::String(s), sline, self.lastline));
                args.style = ArgStyle::String;
            }
            _ => return Err(self.syntax_error(b"function arguments expected")),
        }
        Ok(())
    }

    /// `constructor`.
    #[inline(never)]
    fn constructor(&mut self) -> PResult<Expr> {
        let line = self.linenumber;
        let tline = self.t.line;
        let prev_line = self.lastline;
        self.check_next(Tok::Char(b'{'))?;
        let mut t = self.pools.table(prev_line);
        while !self.is_char(b'}') && self.table_item(&mut t.items)? {}
        self.check_match(Tok::Char(b'}'), Tok::Char(b'{'), line)?;
        Ok(expr_at(ExprKind::Table(t), tline, self.lastline))
    }

    /// One item of a constructor and the separator after it, pushed onto
    /// `items` (first, then filled in place); false when no separator
    /// follows.
    #[inline(never)]
    fn table_item(&mut self, items: &mut Vec<TableItem>) -> PResult<bool> {
        let line = self.t.line;
        match self.t.tok {
            Tok::Name => {
                self.lookahead()?;
                if self.ahead.as_ref().map(|t| &t.tok) != Some(&Tok::Char(b'=')) {
                    push_item(items, ItemShape::Positional, None, line, 0);
                } else {
                    let (name, _) = self.str_checkname()?;
                    self.check_next(Tok::Char(b'='))?;
                    let eq_line = self.lastline;
                    push_item(items, ItemShape::Named, Some(name), line, eq_line);
                }
            }
            Tok::Char(b'[') => push_item(items, ItemShape::Keyed, None, line, 0),
            _ => push_item(items, ItemShape::Positional, None, line, 0),
        }
        let Some(item) = items.last_mut() else {
            return Ok(false);
        };
        match &mut item.kind {
            TableItemKind::Positional(value) | TableItemKind::Named { value, .. } => {
                *value = self.expr()?;
            }
            TableItemKind::Keyed { key, value } => {
                self.next()?;
                *key = self.expr()?;
                self.check_next(Tok::Char(b']'))?;
                self.check_next(Tok::Char(b'='))?;
                item.eq_line = self.lastline;
                *value = self.expr()?;
            }
        }
        if !(self.is_char(b',') || self.is_char(b';')) {
            return Ok(false);
        }
        item.sep_line = self.t.line;
        self.next()?;
        Ok(true)
    }

    /// `body`: parameters and statements of a function.
    #[inline(never)]
    fn body(&mut self, needself: bool, line: Line) -> PResult<Box<Function>> {
        self.open_func(line);
        self.check_next(Tok::Char(b'('))?;
        if needself {
            let id = {
                let s = tree_bytes(&mut self.names, b"self");
                self.new_localvar(s, 0)
            }?;
            self.adjust_localvars(&[id]);
        }
        self.parlist()?;
        self.check_next(Tok::Char(b')'))?;
        let mut stats = self.pools.stats();
        self.chunk(&mut stats)?;
        let body = Block {
            stats,
            end_line: self.lastline,
            needs_close: false,
        };
        let last_line = self.linenumber;
        self.check_match(Tok::End, Tok::Function, line)?;
        let mut f = self.close_func();
        f.last_line_defined = last_line;
        f.body = body;
        if let Some(sink) = self.sink.as_deref_mut() {
            if let Some(n) = sink.function_done(&f) {
                f.taken = Some(n);
                self.pools.reclaim_stats(std::mem::take(&mut f.body.stats));
                let mut locals = std::mem::take(&mut f.locals);
                if self.spare_locals.len() < SPARE_KEPT {
                    locals.clear();
                    self.spare_locals.push(locals);
                }
            }
        }
        Ok(Box::new(f))
    }

    /// `parlist`.
    #[inline(never)]
    fn parlist(&mut self) -> PResult<()> {
        let mut params: Vec<LocalId> = Vec::new();
        let mut is_vararg = false;
        if !self.is_char(b')') {
            loop {
                match self.t.tok {
                    Tok::Name => {
                        let (name, _) = self.str_checkname()?;
                        let n = params.len();
                        params.push(self.new_localvar(name, n)?);
                    }
                    Tok::Dots => {
                        self.next()?;
                        let n = params.len();
                        params.push({
                            let s = tree_bytes(&mut self.names, b"arg");
                            self.new_localvar(s, n)
                        }?);
                        is_vararg = true;
                    }
                    _ => return Err(self.syntax_error(b"<name> or '...' expected")),
                }
                if is_vararg || !self.test_next_char(b',')? {
                    break;
                }
            }
        }
        self.adjust_localvars(&params);
        let fs = self.cur_fs();
        if is_vararg {
            fs.f.is_vararg = true;
            fs.f.has_arg = true;
            fs.f.needs_arg = true;
        }
        fs.f.num_params = (fs.actvar.len() - is_vararg as usize) as u8;
        Ok(())
    }
}

/// The suffix shapes `push_suffix` makes.
#[derive(Clone, Copy)]
enum SuffixShape {
    Field,
    Index,
    Method,
    Call,
}

// The helpers below build tree nodes in their own (short-lived) frames, so
// the recursive parser functions that call them do not reserve stack for
// the node under construction.

/// Appends a suffix of the given shape, to be filled in place.
#[inline(never)]
fn push_suffix(
    pools: &mut Pools,
    suffixes: &mut SmallVec<[Suffix; 1]>,
    shape: SuffixShape,
    name: Option<Bytes>,
    name_line: Line,
    line: Line,
) {
    let name = name.unwrap_or_default();
    let kind = match shape {
        SuffixShape::Field => SuffixKind::Field { name, name_line },
        SuffixShape::Index => SuffixKind::Index(expr_at(ExprKind::Nil, 0, 0)),
        SuffixShape::Method => SuffixKind::Method {
            name,
            name_line,
            args: pools.args(),
        },
        SuffixShape::Call => SuffixKind::Call(pools.args()),
    };
    suffixes.push(Suffix {
        kind,
        line,
        end_line: 0,
    });
}

/// The item shapes `push_item` makes.
#[derive(Clone, Copy)]
enum ItemShape {
    Positional,
    Named,
    Keyed,
}

/// Appends a table item of the given shape, to be filled in place.
#[inline(never)]
fn push_item(
    items: &mut Vec<TableItem>,
    shape: ItemShape,
    name: Option<Bytes>,
    line: Line,
    eq_line: Line,
) {
    let placeholder = || expr_at(ExprKind::Nil, 0, 0);
    let kind = match shape {
        ItemShape::Positional => TableItemKind::Positional(placeholder()),
        ItemShape::Named => TableItemKind::Named {
            name: name.unwrap_or_default(),
            value: placeholder(),
        },
        ItemShape::Keyed => TableItemKind::Keyed {
            key: placeholder(),
            value: placeholder(),
        },
    };
    items.push(TableItem {
        kind,
        line,
        sep_line: 0,
        eq_line,
    });
}

/// Assignable expression kinds (`VLOCAL <= k <= VINDEXED`).
fn is_assignable(kind: Option<&ExprKind>) -> bool {
    match kind {
        Some(ExprKind::Local(_) | ExprKind::Upvalue(_) | ExprKind::Global(_)) => true,
        Some(ExprKind::Suffixed(s)) => matches!(
            s.suffixes.last().map(|x| &x.kind),
            Some(SuffixKind::Field { .. } | SuffixKind::Index(_))
        ),
        _ => false,
    }
}
