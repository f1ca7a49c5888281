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
use crate::lexer::{LexError, Lexer, Tok, Token};

/// PUC-Rio's `LUAI_MAXCCALLS`: the nesting limit of the parser.
pub const LUAI_MAXCCALLS: u32 = 200;
/// PUC-Rio's `LUAI_MAXVARS`: active locals per function.
pub const LUAI_MAXVARS: usize = 200;
/// PUC-Rio's `LUAI_MAXUPVALUES`: upvalues per function.
pub const LUAI_MAXUPVALUES: usize = 60;

type PResult<T> = Result<T, SyntaxError>;

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
    lex: Lexer<'s>,
    src: &'s [u8],
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
    fs: Vec<FuncState>,
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
        Tok::Char(c) | Tok::Punct(c) => {
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

/// Unary operator of a token (`getunopr`).
#[inline]
fn unopr(tok: &Tok) -> Option<UnOp> {
    match tok {
        Tok::Not => Some(UnOp::Not),
        Tok::Char(b'-') => Some(UnOp::Neg),
        Tok::Char(b'#') => Some(UnOp::Len),
        _ => None,
    }
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

/// What `singlevaraux` found.
enum VarKind {
    Local(LocalRef),
    Upvalue(u16),
    Global,
}

impl<'s> Parser<'s> {
    pub(crate) fn new(src: &'s [u8], chunkname: &[u8], base_level: u32) -> Parser<'s> {
        Parser {
            lex: Lexer::new(src),
            src,
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
            fs: Vec::new(),
        }
    }

    // ----- errors -------------------------------------------------------

    /// `luaX_lexerror` with an explicit message, line and `near` text.
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

    fn lex_error(&self, e: LexError) -> SyntaxError {
        self.error_at(e.line, e.msg.as_bytes(), e.near.as_deref())
    }

    /// `txtToken` for the current token.
    fn near_current(&self) -> Vec<u8> {
        let t = &self.t;
        let raw = || {
            self.src
                .get(t.start as usize..t.end as usize)
                .unwrap_or(b"")
                .to_vec()
        };
        match &t.tok {
            Tok::Name | Tok::Number(_) => raw(),
            Tok::String(value) => {
                let text = raw();
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
    fn syntax_error(&self, msg: &[u8]) -> SyntaxError {
        let near = self.near_current();
        self.error_at(self.linenumber, msg, Some(&near))
    }

    /// `error_expected`.
    fn error_expected(&self, tok: &Tok) -> SyntaxError {
        let mut msg = b"'".to_vec();
        msg.extend_from_slice(&token2str(tok));
        msg.extend_from_slice(b"' expected");
        self.syntax_error(&msg)
    }

    /// `errorlimit`: no `near`.
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

    fn lex_one(&mut self) -> PResult<Token> {
        match self.lex.next_token() {
            Ok(t) => Ok(t),
            Err(e) => Err(self.lex_error(e)),
        }
    }

    /// `luaX_next`.
    fn next(&mut self) -> PResult<()> {
        self.lastline = self.linenumber;
        match self.ahead.take() {
            Some(t) => self.t = t,
            None => {
                self.t = self.lex_one()?;
                self.linenumber = self.t.line;
            }
        }
        Ok(())
    }

    /// `luaX_lookahead`.
    fn lookahead(&mut self) -> PResult<()> {
        let t = self.lex_one()?;
        self.linenumber = t.line;
        self.ahead = Some(t);
        Ok(())
    }

    #[inline]
    fn is_char(&self, c: u8) -> bool {
        self.t.tok == Tok::Char(c)
    }

    /// `testnext` for a single-character token.
    fn test_next_char(&mut self, c: u8) -> PResult<bool> {
        if self.is_char(c) {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `testnext` for a keyword or multi-char token.
    fn test_next(&mut self, tok: Tok) -> PResult<bool> {
        if self.t.tok == tok {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `check`.
    fn check(&self, tok: Tok) -> PResult<()> {
        if self.t.tok != tok {
            return Err(self.error_expected(&tok));
        }
        Ok(())
    }

    /// `checknext`.
    fn check_next(&mut self, tok: Tok) -> PResult<()> {
        self.check(tok)?;
        self.next()
    }

    /// `check_match`.
    fn check_match(&mut self, what: Tok, who: Tok, line: Line) -> PResult<()> {
        if self.t.tok == what {
            return self.next();
        }
        if line == self.linenumber {
            Err(self.error_expected(&what))
        } else {
            let mut msg = b"'".to_vec();
            msg.extend_from_slice(&token2str(&what));
            msg.extend_from_slice(b"' expected (to close '");
            msg.extend_from_slice(&token2str(&who));
            msg.extend_from_slice(b"' at line ");
            msg.extend_from_slice(line.to_string().as_bytes());
            msg.push(b')');
            Err(self.syntax_error(&msg))
        }
    }

    /// `str_checkname`: the name's bytes and line.
    fn str_checkname(&mut self) -> PResult<(Bytes, Line)> {
        if self.t.tok != Tok::Name {
            return Err(self.error_expected(&Tok::Name));
        }
        let name: Bytes = self
            .src
            .get(self.t.start as usize..self.t.end as usize)
            .unwrap_or(b"")
            .into();
        let line = self.t.line;
        self.next()?;
        Ok((name, line))
    }

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
        self.fs.push(FuncState {
            f: Function {
                line_defined,
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
            },
            actvar: Vec::new(),
            blocks: Vec::new(),
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
            },
            |fs| fs.f,
        )
    }

    /// `new_localvar`: registers local `n` of a declaration (0-based among
    /// the names declared together) and returns its id.
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

    /// `singlevaraux` + `singlevar`, iteratively over the function stack.
    fn resolve(&mut self, name: &[u8]) -> PResult<VarKind> {
        let n = self.fs.len();
        let mut found = None;
        for d in (0..n).rev() {
            let fs = &self.fs[d];
            if let Some(slot) = fs
                .actvar
                .iter()
                .rposition(|&id| &*fs.f.locals[id as usize].name == name)
            {
                found = Some((d, slot));
                break;
            }
        }
        let Some((d, slot)) = found else {
            return Ok(VarKind::Global);
        };
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
    fn index_upvalue(&mut self, lvl: usize, name: &[u8], source: UpvalSource) -> PResult<u16> {
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
            name: name.into(),
            source,
        });
        Ok((ups.len() - 1) as u16)
    }

    /// `singlevar`: reads a name and resolves it.
    fn singlevar(&mut self) -> PResult<Expr> {
        let line = self.t.line;
        let (name, _) = self.str_checkname()?;
        let kind = match self.resolve(&name)? {
            VarKind::Local(l) => ExprKind::Local(l),
            VarKind::Upvalue(i) => ExprKind::Upvalue(i),
            VarKind::Global => ExprKind::Global(name),
        };
        Ok(expr_at(kind, line, self.lastline))
    }

    // ----- blocks and statements -----------------------------------------

    /// The main function (`luaY_parser`).
    pub(crate) fn parse_main(mut self, chunkname: &[u8]) -> PResult<Chunk> {
        self.open_func(0);
        {
            let fs = self.cur_fs();
            fs.f.is_vararg = true;
        }
        self.next()?;
        let body = self.chunk()?;
        self.check(Tok::Eos)?;
        let mut main = self.close_func();
        main.body = body;
        Ok(Chunk {
            name: chunkname.into(),
            main,
        })
    }

    /// `chunk`: statements until a block follower. The returned block's
    /// `needs_close` is false; `block()` fills it in.
    fn chunk(&mut self) -> PResult<Block> {
        self.enter_level()?;
        let mut stats = Vec::new();
        loop {
            if block_follow(&self.t.tok) {
                break;
            }
            let (stat, islast) = self.statement()?;
            stats.push(stat);
            self.test_next_char(b';')?;
            if islast {
                break;
            }
        }
        self.leave_level();
        Ok(Block {
            stats,
            end_line: self.lastline,
            needs_close: false,
        })
    }

    /// `block`: a chunk in its own scope.
    fn block(&mut self) -> PResult<Block> {
        self.enter_block(false);
        let mut b = self.chunk()?;
        b.needs_close = self.leave_block();
        b.end_line = self.lastline;
        Ok(b)
    }

    fn stat(kind: StatKind, line: Line, end_line: Line) -> Stat {
        Stat {
            kind,
            line,
            end_line,
        }
    }

    /// `statement`: returns the statement and whether it must be the last.
    fn statement(&mut self) -> PResult<(Stat, bool)> {
        let line = self.linenumber;
        let kind = match self.t.tok {
            Tok::If => self.ifstat(line)?,
            Tok::While => self.whilestat(line)?,
            Tok::Do => {
                self.next()?;
                let b = self.block()?;
                self.check_match(Tok::End, Tok::Do, line)?;
                StatKind::Do(b)
            }
            Tok::For => self.forstat(line)?,
            Tok::Repeat => self.repeatstat(line)?,
            Tok::Function => self.funcstat(line)?,
            Tok::Local => {
                self.next()?;
                if self.test_next(Tok::Function)? {
                    self.localfunc()?
                } else {
                    self.localstat()?
                }
            }
            Tok::Return => {
                let k = self.retstat()?;
                return Ok((Self::stat(k, line, self.lastline), true));
            }
            Tok::Break => {
                self.next()?;
                let k = self.breakstat()?;
                return Ok((Self::stat(k, line, self.lastline), true));
            }
            _ => self.exprstat()?,
        };
        Ok((Self::stat(kind, line, self.lastline), false))
    }

    /// `cond`.
    fn cond(&mut self) -> PResult<Expr> {
        self.expr()
    }

    /// `test_then_block`.
    fn test_then_block(&mut self) -> PResult<IfClause> {
        let line = self.linenumber;
        self.next()?;
        let cond = self.cond()?;
        let then_line = self.t.line;
        self.check_next(Tok::Then)?;
        let block = self.block()?;
        Ok(IfClause {
            line,
            cond,
            then_line,
            block,
        })
    }

    fn ifstat(&mut self, line: Line) -> PResult<StatKind> {
        let mut clauses = vec![self.test_then_block()?];
        while self.t.tok == Tok::Elseif {
            clauses.push(self.test_then_block()?);
        }
        let else_block = if self.t.tok == Tok::Else {
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
        Ok(StatKind::If {
            clauses,
            else_block,
        })
    }

    fn whilestat(&mut self, line: Line) -> PResult<StatKind> {
        self.next()?;
        let cond = self.cond()?;
        self.enter_block(true);
        let do_line = self.t.line;
        self.check_next(Tok::Do)?;
        let body = self.block()?;
        self.check_match(Tok::End, Tok::While, line)?;
        self.leave_block();
        Ok(StatKind::While {
            cond,
            do_line,
            body,
        })
    }

    fn repeatstat(&mut self, line: Line) -> PResult<StatKind> {
        self.enter_block(true); // loop block
        self.enter_block(false); // scope block
        self.next()?;
        let mut body = self.chunk()?;
        let until_line = self.t.line;
        self.check_match(Tok::Until, Tok::Repeat, line)?;
        let cond = self.cond()?;
        body.needs_close = self.leave_block();
        self.leave_block();
        Ok(StatKind::Repeat {
            body,
            until_line,
            cond,
        })
    }

    /// `exp1`.
    fn exp1(&mut self) -> PResult<Expr> {
        self.expr()
    }

    /// `forbody`: the control locals become active, then the loop variables
    /// in their own scope around the block.
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

    fn fornum(&mut self, varname: Bytes) -> PResult<StatKind> {
        let control = [
            self.new_localvar(b"(for index)"[..].into(), 0)?,
            self.new_localvar(b"(for limit)"[..].into(), 1)?,
            self.new_localvar(b"(for step)"[..].into(), 2)?,
        ];
        let var = self.new_localvar(varname, 3)?;
        self.check_next(Tok::Char(b'='))?;
        let start = self.exp1()?;
        self.check_next(Tok::Char(b','))?;
        let limit = self.exp1()?;
        let step = if self.test_next_char(b',')? {
            Some(self.exp1()?)
        } else {
            None
        };
        let (do_line, body) = self.forbody(control, &[var])?;
        Ok(StatKind::NumericFor {
            control,
            var,
            start,
            limit,
            step,
            do_line,
            body,
        })
    }

    fn forlist(&mut self, indexname: Bytes) -> PResult<StatKind> {
        let control = [
            self.new_localvar(b"(for generator)"[..].into(), 0)?,
            self.new_localvar(b"(for state)"[..].into(), 1)?,
            self.new_localvar(b"(for control)"[..].into(), 2)?,
        ];
        let mut vars = vec![self.new_localvar(indexname, 3)?];
        while self.test_next_char(b',')? {
            let (name, _) = self.str_checkname()?;
            let n = 3 + vars.len();
            vars.push(self.new_localvar(name, n)?);
        }
        self.check_next(Tok::In)?;
        let exprs = self.explist1()?;
        let (do_line, body) = self.forbody(control, &vars)?;
        Ok(StatKind::GenericFor {
            control,
            vars,
            exprs,
            do_line,
            body,
        })
    }

    fn forstat(&mut self, line: Line) -> PResult<StatKind> {
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
        Ok(kind)
    }

    /// `funcname` + `funcstat`.
    fn funcstat(&mut self, line: Line) -> PResult<StatKind> {
        self.next()?;
        let base = self.singlevar()?;
        let mut suffixes = Vec::new();
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
        Ok(StatKind::Function {
            target,
            is_method,
            func: Box::new(func),
        })
    }

    fn localfunc(&mut self) -> PResult<StatKind> {
        let (name, _) = self.str_checkname()?;
        let local = self.new_localvar(name, 0)?;
        self.adjust_localvars(&[local]);
        let line = self.linenumber;
        let func = self.body(false, line)?;
        Ok(StatKind::LocalFunction {
            local,
            func: Box::new(func),
        })
    }

    fn localstat(&mut self) -> PResult<StatKind> {
        let mut locals = Vec::new();
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
        Ok(StatKind::Local { locals, exprs })
    }

    fn retstat(&mut self) -> PResult<StatKind> {
        self.next()?;
        let exprs = if block_follow(&self.t.tok) || self.is_char(b';') {
            ExprList::default()
        } else {
            self.explist1()?
        };
        Ok(StatKind::Return { exprs })
    }

    fn breakstat(&mut self) -> PResult<StatKind> {
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
        Ok(StatKind::Break { needs_close: upval })
    }

    /// `exprstat`: a call or an assignment.
    fn exprstat(&mut self) -> PResult<StatKind> {
        let Expr {
            kind,
            line,
            end_line,
        } = self.primaryexp()?;
        let first = match kind {
            ExprKind::Suffixed(s) if s.is_call() => return Ok(StatKind::Call(s)),
            kind => Expr {
                kind,
                line,
                end_line,
            },
        };
        // `restassign`, iteratively.
        let mut targets = vec![first];
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
                return Ok(StatKind::Assign { targets, exprs });
            }
        }
    }

    // ----- expressions -----------------------------------------------------

    /// `explist1`.
    fn explist1(&mut self) -> PResult<ExprList> {
        let mut list = ExprList {
            exprs: vec![self.expr()?],
            comma_lines: Vec::new(),
        };
        while self.is_char(b',') {
            list.comma_lines.push(self.t.line);
            self.next()?;
            list.exprs.push(self.expr()?);
        }
        Ok(list)
    }

    /// `expr`.
    fn expr(&mut self) -> PResult<Expr> {
        Ok(self.subexpr(0)?.0)
    }

    /// `subexpr`: returns the expression and the first operator it did not
    /// take (already the current token).
    fn subexpr(&mut self, limit: u8) -> PResult<(Expr, Option<BinOp>)> {
        self.enter_level()?;
        let line = self.t.line;
        let mut e = if let Some(op) = unopr(&self.t.tok) {
            let op_line = self.t.line;
            self.next()?;
            let (operand, _) = self.subexpr(UNARY_PRIORITY)?;
            expr_at(
                ExprKind::Unary(Box::new(UnaryExpr {
                    op,
                    line: op_line,
                    operand,
                })),
                line,
                self.lastline,
            )
        } else {
            self.simpleexp()?
        };
        let mut op = binopr(&self.t.tok);
        let mut ops: Vec<BinaryOp> = Vec::new();
        while let Some(o) = op {
            if o.priority().0 <= limit {
                break;
            }
            let op_line = self.t.line;
            self.next()?;
            let (rhs, nextop) = self.subexpr(o.priority().1)?;
            ops.push(BinaryOp {
                op: o,
                line: op_line,
                rhs,
            });
            op = nextop;
        }
        if !ops.is_empty() {
            e = expr_at(
                ExprKind::Binary(Box::new(BinaryExpr { first: e, ops })),
                line,
                self.lastline,
            );
        }
        self.leave_level();
        Ok((e, op))
    }

    /// `simpleexp`.
    fn simpleexp(&mut self) -> PResult<Expr> {
        let line = self.t.line;
        let kind = match &mut self.t.tok {
            Tok::Number(v) => ExprKind::Number(*v),
            Tok::String(s) => ExprKind::String(std::mem::take(s).into_boxed_slice()),
            Tok::Nil => ExprKind::Nil,
            Tok::True => ExprKind::True,
            Tok::False => ExprKind::False,
            Tok::Dots => {
                let fs = self.cur_fs();
                if !fs.f.is_vararg {
                    return Err(self.syntax_error(b"cannot use '...' outside a vararg function"));
                }
                fs.f.needs_arg = false;
                ExprKind::Vararg(self.lastline)
            }
            Tok::Char(b'{') => return self.constructor(),
            Tok::Function => {
                self.next()?;
                let l = self.linenumber;
                let f = self.body(false, l)?;
                return Ok(expr_at(
                    ExprKind::Function(Box::new(f)),
                    line,
                    self.lastline,
                ));
            }
            _ => return self.primaryexp(),
        };
        self.next()?;
        Ok(expr_at(kind, line, self.lastline))
    }

    /// `prefixexp`.
    fn prefixexp(&mut self) -> PResult<Expr> {
        match self.t.tok {
            Tok::Char(b'(') => {
                let line = self.linenumber;
                self.next()?;
                let inner = self.expr()?;
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                Ok(expr_at(
                    ExprKind::Paren(Box::new(inner)),
                    line,
                    self.lastline,
                ))
            }
            Tok::Name => self.singlevar(),
            _ => Err(self.syntax_error(b"unexpected symbol")),
        }
    }

    /// `primaryexp`: a prefix and its suffixes.
    fn primaryexp(&mut self) -> PResult<Expr> {
        let base = self.prefixexp()?;
        let mut suffixes: Vec<Suffix> = Vec::new();
        loop {
            let line = self.linenumber;
            let kind = match self.t.tok {
                Tok::Char(b'.') => {
                    self.next()?;
                    let (name, name_line) = self.str_checkname()?;
                    SuffixKind::Field { name, name_line }
                }
                Tok::Char(b'[') => {
                    self.next()?;
                    let key = self.expr()?;
                    self.check_next(Tok::Char(b']'))?;
                    SuffixKind::Index(key)
                }
                Tok::Char(b':') => {
                    self.next()?;
                    let (name, name_line) = self.str_checkname()?;
                    let args = self.funcargs()?;
                    SuffixKind::Method {
                        name,
                        name_line,
                        args,
                    }
                }
                Tok::Char(b'(') | Tok::String(_) | Tok::Char(b'{') => {
                    SuffixKind::Call(self.funcargs()?)
                }
                _ => break,
            };
            suffixes.push(Suffix {
                kind,
                line,
                end_line: self.lastline,
            });
        }
        if suffixes.is_empty() {
            return Ok(base);
        }
        let line = base.line;
        Ok(expr_at(
            ExprKind::Suffixed(Box::new(SuffixedExpr { base, suffixes })),
            line,
            self.lastline,
        ))
    }

    /// `funcargs`.
    fn funcargs(&mut self) -> PResult<CallArgs> {
        let line = self.linenumber;
        match &mut self.t.tok {
            Tok::Char(b'(') => {
                if line != self.lastline {
                    return Err(
                        self.syntax_error(b"ambiguous syntax (function call x new statement)")
                    );
                }
                self.next()?;
                let list = if self.is_char(b')') {
                    ExprList::default()
                } else {
                    self.explist1()?
                };
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                Ok(CallArgs {
                    style: ArgStyle::Parens,
                    list,
                    line,
                })
            }
            Tok::Char(b'{') => {
                let t = self.constructor()?;
                Ok(CallArgs {
                    style: ArgStyle::Table,
                    list: ExprList {
                        exprs: vec![t],
                        comma_lines: Vec::new(),
                    },
                    line,
                })
            }
            Tok::String(s) => {
                let s = std::mem::take(s).into_boxed_slice();
                let sline = self.t.line;
                self.next()?;
                Ok(CallArgs {
                    style: ArgStyle::String,
                    list: ExprList {
                        exprs: vec![expr_at(ExprKind::String(s), sline, self.lastline)],
                        comma_lines: Vec::new(),
                    },
                    line,
                })
            }
            _ => Err(self.syntax_error(b"function arguments expected")),
        }
    }

    /// `constructor`.
    fn constructor(&mut self) -> PResult<Expr> {
        let line = self.linenumber;
        let tline = self.t.line;
        let prev_line = self.lastline;
        self.check_next(Tok::Char(b'{'))?;
        let mut items: Vec<TableItem> = Vec::new();
        loop {
            if self.is_char(b'}') {
                break;
            }
            let item_line = self.t.line;
            let kind = match self.t.tok {
                Tok::Name => {
                    self.lookahead()?;
                    if self.ahead.as_ref().map(|t| &t.tok) != Some(&Tok::Char(b'=')) {
                        TableItemKind::Positional(self.expr()?)
                    } else {
                        let (name, _) = self.str_checkname()?;
                        self.check_next(Tok::Char(b'='))?;
                        TableItemKind::Named {
                            name,
                            value: self.expr()?,
                        }
                    }
                }
                Tok::Char(b'[') => {
                    self.next()?;
                    let key = self.expr()?;
                    self.check_next(Tok::Char(b']'))?;
                    self.check_next(Tok::Char(b'='))?;
                    TableItemKind::Keyed {
                        key,
                        value: self.expr()?,
                    }
                }
                _ => TableItemKind::Positional(self.expr()?),
            };
            let sep_line = if self.is_char(b',') || self.is_char(b';') {
                self.t.line
            } else {
                0
            };
            items.push(TableItem {
                kind,
                line: item_line,
                sep_line,
            });
            if sep_line == 0 {
                break;
            }
            self.next()?;
        }
        self.check_match(Tok::Char(b'}'), Tok::Char(b'{'), line)?;
        Ok(expr_at(
            ExprKind::Table(Box::new(Table { items, prev_line })),
            tline,
            self.lastline,
        ))
    }

    /// `body`: parameters and statements of a function.
    fn body(&mut self, needself: bool, line: Line) -> PResult<Function> {
        self.open_func(line);
        self.check_next(Tok::Char(b'('))?;
        if needself {
            let id = self.new_localvar(b"self"[..].into(), 0)?;
            self.adjust_localvars(&[id]);
        }
        self.parlist()?;
        self.check_next(Tok::Char(b')'))?;
        let body = self.chunk()?;
        let last_line = self.linenumber;
        self.check_match(Tok::End, Tok::Function, line)?;
        let mut f = self.close_func();
        f.last_line_defined = last_line;
        f.body = body;
        Ok(f)
    }

    /// `parlist`.
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
                        params.push(self.new_localvar(b"arg"[..].into(), n)?);
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
