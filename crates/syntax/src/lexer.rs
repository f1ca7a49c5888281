//! The lexer: a logos DFA for the token skeleton, with hand-written
//! callbacks for the parts of Lua 5.1's lexical grammar that are not
//! regular (long brackets of any level, escapes, `llex.c`'s numeral rule).
//! Over a whole source, blanks, line breaks, names and reserved words are
//! read by hand in front of the DFA ([`Lexer::next_into`]; reserved words
//! by a perfect hash of their bytes), which is faster on real processors:
//! the DFA takes an indirect jump per state.
//!
//! The lexer is pulled one token at a time by the parser, exactly like
//! `llex.c`, so that a syntax error earlier in the file is reported before a
//! lexical error later in it. Line numbers follow `llex.c`: `\n`, `\r`,
//! `\r\n` and `\n\r` each end one line, and a token's line is the line the
//! lexer is on right after reading it.

use logos::{FilterResult, Logos};

/// The buffer of a string with escapes: boxed, so that a token holding
/// one stays as small as with a boxed slice (every token is copied and
/// compared by the parser).
#[allow(clippy::box_collection)]
pub type StrBuf = Box<Vec<u8>>;

/// The state the logos lexer carries: the current line, and an empty
/// buffer with room for the next string that needs escape processing (the
/// parser gives each such string's buffer back once it has copied the
/// value into the tree).
#[derive(Clone, Debug)]
pub struct Extras {
    pub line: u32,
    pub buf: Option<StrBuf>,
}

impl Default for Extras {
    fn default() -> Self {
        Extras { line: 1, buf: None }
    }
}

/// A lexical error, already worded as `llex.c` words it. The default
/// (`None`) stands for a byte that starts no token, which is not an error in
/// Lua but a single-character token; the details are boxed so that results
/// stay small.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LexError(pub Option<Box<LexErrorInfo>>);

/// The details of a lexical error.
#[derive(Clone, Debug, PartialEq)]
pub struct LexErrorInfo {
    /// The message (`unfinished string`, ...).
    pub msg: &'static str,
    /// The text shown after `near`, or `None` when there is none.
    pub near: Option<Vec<u8>>,
    /// The line where `llex.c` raises it.
    pub line: u32,
    /// Where `llex.c`'s current character is when it raises it (the
    /// source's length for EOZ): how much of a streamed source it has read.
    pub pos: usize,
}

impl LexError {
    fn new(msg: &'static str, near: Option<Vec<u8>>, line: u32, pos: usize) -> LexError {
        LexError(Some(Box::new(LexErrorInfo {
            msg,
            near,
            line,
            pos,
        })))
    }
}

/// Tokens. `Name`, `Number` and `String` keep their source span in the
/// [`Token`] that wraps them.
#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(source = [u8])]
#[logos(extras = Extras)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\x0B\x0C]+")]
pub enum Tok {
    #[token("and")]
    And,
    #[token("break")]
    Break,
    #[token("do")]
    Do,
    #[token("else")]
    Else,
    #[token("elseif")]
    Elseif,
    #[token("end")]
    End,
    #[token("false")]
    False,
    #[token("for")]
    For,
    #[token("function")]
    Function,
    #[token("if")]
    If,
    #[token("in")]
    In,
    #[token("local")]
    Local,
    #[token("nil")]
    Nil,
    #[token("not")]
    Not,
    #[token("or")]
    Or,
    #[token("repeat")]
    Repeat,
    #[token("return")]
    Return,
    #[token("then")]
    Then,
    #[token("true")]
    True,
    #[token("until")]
    Until,
    #[token("while")]
    While,
    // llex.c reads the dots after the first with `check_next(ls, ".")`,
    // i.e. `strchr(".", c)`, which also finds the set's terminating NUL: a
    // NUL byte there counts as a dot (`.\0` is `..`, `.\0\0` is `...`).
    #[regex(r"\.[.\x00]")]
    Concat,
    #[regex(r"\.[.\x00][.\x00]")]
    Dots,
    #[token("==")]
    Eq,
    #[token(">=")]
    Ge,
    #[token("<=")]
    Le,
    #[token("~=")]
    Ne,
    #[regex(r"[0-9]", read_numeral)]
    #[regex(r"\.[0-9]", read_numeral)]
    Number(f64),
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Name,
    #[token("\"", read_string)]
    #[token("'", read_string)]
    #[regex(r"\[=*\[", read_long_string)]
    String(StrTok),
    /// End of the source (never produced by logos itself).
    Eos,
    /// Any other single character: `+ - * / % ^ # < > = ( ) { } [ ] ; : , .
    /// ~`, and every byte that starts no token.
    #[token("+", |_| b'+')]
    #[token("-", |_| b'-')]
    #[token("*", |_| b'*')]
    #[token("/", |_| b'/')]
    #[token("%", |_| b'%')]
    #[token("^", |_| b'^')]
    #[token("#", |_| b'#')]
    #[token("<", |_| b'<')]
    #[token(">", |_| b'>')]
    #[token("=", |_| b'=')]
    #[token("(", |_| b'(')]
    #[token(")", |_| b')')]
    #[token("{", |_| b'{')]
    #[token("}", |_| b'}')]
    #[token("[", |_| b'[')]
    #[token("]", |_| b']')]
    #[token(";", |_| b';')]
    #[token(":", |_| b':')]
    #[token(",", |_| b',')]
    #[token(".", |_| b'.')]
    #[token("~", |_| b'~')]
    Char(u8),
    #[regex(r"\[=+", invalid_delimiter)]
    InvalidDelimiter,
    #[token("--", comment)]
    Comment,
    #[regex(r"\n\r?|\r\n?", newline)]
    Newline,
}

/// The value of a string token.
#[derive(Clone, Debug, PartialEq)]
pub enum StrTok {
    /// The value is the source between the token's first and last `n` bytes
    /// (no escapes, no newline conversion): `Raw(1)` for `"..."`,
    /// `Raw(sep + 2)` for a long string.
    Raw(u32),
    /// The value after escape processing or newline conversion (boxed:
    /// tokens stay small).
    Owned(StrBuf),
}

type Lx<'s> = logos::Lexer<'s, Tok>;

#[inline]
fn is_newline(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Length of the newline sequence starting at `s[0]` (`\n`, `\r`, `\r\n` or
/// `\n\r`), as `inclinenumber` skips it.
#[inline]
fn newline_len(s: &[u8]) -> usize {
    match (s.first(), s.get(1)) {
        (Some(&a), Some(&b)) if is_newline(b) && a != b => 2,
        _ => 1,
    }
}

fn newline(lex: &mut Lx) -> logos::Skip {
    lex.extras.line += 1;
    logos::Skip
}

/// `read_numeral`: digits and dots, an optional exponent mark with an
/// optional sign, then any letters, digits and underscores; the whole text
/// is converted by `luaO_str2d`.
fn read_numeral(lex: &mut Lx) -> Result<f64, LexError> {
    let i = numeral_len(lex.remainder());
    lex.bump(i);
    let text = lex.slice();
    match numeral_value(text) {
        Some(v) => Ok(v),
        None => Err(LexError::new(
            "malformed number",
            Some(near_text(b"", text)),
            lex.extras.line,
            lex.span().end,
        )),
    }
}

/// How far `read_numeral` reads from `rest` (what follows the first
/// character of the numeral).
#[inline]
fn numeral_len(rest: &[u8]) -> usize {
    let mut i = 0;
    while i < rest.len() && (rest[i].is_ascii_digit() || rest[i] == b'.') {
        i += 1;
    }
    // llex.c tests these marks with `strchr("Ee", c)` and `strchr("+-",
    // c)`, which also find the terminating NUL of the set: a NUL byte in
    // either place is taken into the numeral (where str2d's C string then
    // ends), so `1\0 + 2` reads as `1 + 2`.
    if i < rest.len() && matches!(rest[i], b'e' | b'E' | 0) {
        i += 1;
        if i < rest.len() && matches!(rest[i], b'+' | b'-' | 0) {
            i += 1;
        }
    }
    while i < rest.len() && (rest[i].is_ascii_alphanumeric() || rest[i] == b'_') {
        i += 1;
    }
    i
}

/// The value of a numeral's whole text, as `luaO_str2d` converts it
/// (`None`: malformed).
#[inline]
fn numeral_value(text: &[u8]) -> Option<f64> {
    // Fast path: up to 15 decimal digits with at most one dot. The digits
    // are exact as an integer and so is the power of ten, and one IEEE
    // division rounds their quotient correctly, as strtod rounds.
    let mut m = 0u64;
    let mut digits = 0;
    let mut frac: Option<usize> = None;
    let mut simple = true;
    for &c in text {
        match c {
            b'0'..=b'9' if digits < 15 => {
                m = m * 10 + u64::from(c - b'0');
                digits += 1;
                if let Some(f) = frac.as_mut() {
                    *f += 1;
                }
            }
            b'.' if frac.is_none() => frac = Some(0),
            _ => {
                simple = false;
                break;
            }
        }
    }
    if simple && digits > 0 {
        return Some(m as f64 / POW10[frac.unwrap_or(0)]);
    }
    // `0x` and up to 13 hex digits: an exact integer.
    if let [b'0', b'x' | b'X', hex @ ..] = text {
        if !hex.is_empty() && hex.len() <= 13 && hex.iter().all(u8::is_ascii_hexdigit) {
            let v = hex.iter().fold(0u64, |v, &d| {
                let d = (d as char).to_digit(16).unwrap_or(0);
                (v << 4) | u64::from(d)
            });
            return Some(v as f64);
        }
    }
    ferrous_value::number::str_to_number(text)
}

/// 10^0 to 10^15, all exact.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `near` text for a string token: its buffer up to the first NUL, as C's
/// `%s` shows it.
fn near_text(prefix: &[u8], value: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(prefix.len() + value.len());
    v.extend_from_slice(prefix);
    v.extend_from_slice(value);
    if let Some(nul) = v.iter().position(|&b| b == 0) {
        v.truncate(nul);
    }
    v
}

/// `read_string`: a quoted string with escapes.
fn read_string(lex: &mut Lx) -> Result<StrTok, LexError> {
    let del = lex.slice()[0];
    let base = lex.span().end;
    let rest = lex.remainder();
    // The common case: no escapes and no newline before the closing quote.
    if let Some(n) = rest
        .iter()
        .position(|&b| b == del || b == b'\\' || is_newline(b))
    {
        if rest[n] == del {
            lex.bump(n + 1);
            return Ok(StrTok::Raw(1));
        }
    }
    let mut value = lex.extras.buf.take().unwrap_or_default();
    value.clear();
    let mut i = 0;
    let mut line = lex.extras.line;
    let result = loop {
        // Copy the run of ordinary bytes in one go.
        let run = rest[i..]
            .iter()
            .position(|&b| b == del || b == b'\\' || is_newline(b))
            .unwrap_or(rest.len() - i);
        value.extend_from_slice(&rest[i..i + run]);
        i += run;
        let Some(&c) = rest.get(i) else {
            break Err(LexError::new(
                "unfinished string",
                Some(b"<eof>".to_vec()),
                line,
                base + i,
            ));
        };
        if c == del {
            i += 1;
            break Ok(());
        }
        if is_newline(c) {
            break Err(LexError::new(
                "unfinished string",
                Some(near_text(&[del], &value)),
                line,
                base + i,
            ));
        }
        // A backslash.
        i += 1;
        let Some(&e) = rest.get(i) else {
            continue; // "unfinished string" on the next round
        };
        match e {
            b'a' => value.push(7),
            b'b' => value.push(8),
            b'f' => value.push(12),
            b'n' => value.push(b'\n'),
            b'r' => value.push(b'\r'),
            b't' => value.push(b'\t'),
            b'v' => value.push(11),
            b'\n' | b'\r' => {
                value.push(b'\n');
                i += newline_len(&rest[i..]);
                line += 1;
                continue;
            }
            b'0'..=b'9' => {
                let mut c: u32 = 0;
                let mut n = 0;
                while n < 3 && i < rest.len() && rest[i].is_ascii_digit() {
                    c = c * 10 + (rest[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                if c > 255 {
                    break Err(LexError::new(
                        "escape sequence too large",
                        Some(near_text(&[del], &value)),
                        line,
                        base + i,
                    ));
                }
                value.push(c as u8);
                continue;
            }
            other => value.push(other),
        }
        i += 1;
    };
    lex.bump(i);
    lex.extras.line = line;
    result.map(|()| StrTok::Owned(value))
}

/// Counts the `=` of a long bracket whose first `[` or `]` is at `s[0]`;
/// returns (number of `=`, whether the bracket is closed by the same char).
#[inline]
fn skip_sep(s: &[u8]) -> (usize, bool) {
    let first = s[0];
    let n = s[1..].iter().take_while(|&&b| b == b'=').count();
    (n, s.get(1 + n) == Some(&first))
}

/// `read_long_string` from just after the opening bracket, which is at
/// `base` in the source. Returns the number of bytes consumed, and the
/// contents when `keep` is set.
fn read_long(
    rest: &[u8],
    base: usize,
    sep: usize,
    comment: bool,
    keep: bool,
    line: &mut u32,
) -> Result<(usize, Vec<u8>), LexError> {
    let mut value = Vec::new();
    let mut i = 0;
    if rest.first().is_some_and(|&b| is_newline(b)) {
        i += newline_len(rest);
        *line += 1;
    }
    loop {
        let run = rest[i..]
            .iter()
            .position(|&b| b == b'[' || b == b']' || is_newline(b))
            .unwrap_or(rest.len() - i);
        if keep {
            value.extend_from_slice(&rest[i..i + run]);
        }
        i += run;
        let Some(&c) = rest.get(i) else {
            return Err(LexError::new(
                if comment {
                    "unfinished long comment"
                } else {
                    "unfinished long string"
                },
                Some(b"<eof>".to_vec()),
                *line,
                base + i,
            ));
        };
        match c {
            b'[' | b']' => {
                let (n, closed) = skip_sep(&rest[i..]);
                if keep {
                    value.extend_from_slice(&rest[i..i + 1 + n]);
                }
                i += 1 + n;
                if closed && n == sep {
                    if c == b']' {
                        i += 1;
                        if keep {
                            // Drop the closing bracket's `]` and `=`s.
                            value.truncate(value.len() - 1 - n);
                        }
                        return Ok((i, value));
                    }
                    // LUA_COMPAT_LSTR == 1: a nested opening bracket of the
                    // same level is refused at level 0 and kept otherwise.
                    if sep == 0 {
                        // llex.c has read the second `[` too.
                        return Err(LexError::new(
                            "nesting of [[...]] is deprecated",
                            Some(b"[".to_vec()),
                            *line,
                            base + i + 1,
                        ));
                    }
                    if keep {
                        value.push(b'[');
                    }
                    i += 1;
                }
            }
            _ => {
                if keep {
                    value.push(b'\n');
                }
                i += newline_len(&rest[i..]);
                *line += 1;
            }
        }
    }
}

fn read_long_string(lex: &mut Lx) -> Result<StrTok, LexError> {
    let sep = lex.slice().len() - 2;
    let mut line = lex.extras.line;
    let base = lex.span().end;
    let rest = lex.remainder();
    let start_line = line;
    let r = read_long(rest, base, sep, false, false, &mut line);
    lex.extras.line = line;
    let (n, _) = r?;
    // Without a leading newline or a `\r`, the value is the source itself;
    // otherwise read it again, keeping the converted contents.
    let body = &rest[..n - (sep + 2)];
    let raw = !body.first().is_some_and(|&b| is_newline(b)) && !body.contains(&b'\r');
    lex.bump(n);
    if raw {
        return Ok(StrTok::Raw((sep + 2) as u32));
    }
    let mut again = start_line;
    let (_, value) = read_long(rest, base, sep, false, true, &mut again)?;
    Ok(StrTok::Owned(Box::new(value)))
}

fn invalid_delimiter(lex: &mut Lx) -> Result<(), LexError> {
    Err(LexError::new(
        "invalid long string delimiter",
        Some(lex.slice().to_vec()),
        lex.extras.line,
        lex.span().end,
    ))
}

/// A comment: long if `--` is followed by a long bracket, else to the end
/// of the line.
fn comment(lex: &mut Lx) -> FilterResult<(), LexError> {
    let rest = lex.remainder();
    if rest.first() == Some(&b'[') {
        let (sep, open) = skip_sep(rest);
        if open {
            let mut line = lex.extras.line;
            let base = lex.span().end + sep + 2;
            let r = read_long(&rest[sep + 2..], base, sep, true, false, &mut line);
            lex.extras.line = line;
            return match r {
                Ok((n, _)) => {
                    lex.bump(sep + 2 + n);
                    FilterResult::Skip
                }
                Err(e) => FilterResult::Error(e),
            };
        }
    }
    let n = rest
        .iter()
        .position(|&b| is_newline(b))
        .unwrap_or(rest.len());
    lex.bump(n);
    FilterResult::Skip
}

/// A token with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// Byte range in the source.
    pub start: u32,
    pub end: u32,
    /// The line the lexer is on after reading it.
    pub line: u32,
}

/// What the parser pulls tokens from: [`Lexer`] over a whole source, or
/// [`StreamLexer`] over a source read piece by piece.
pub(crate) trait TokenSource {
    /// Reads the next token into `dst` (`Eos` forever at the end).
    fn next_into(&mut self, dst: &mut Token) -> Result<(), LexError>;
    /// The source read so far (all of it for [`Lexer`]): token spans index
    /// it.
    fn src(&self) -> &[u8];
}

impl TokenSource for Lexer<'_> {
    #[inline]
    fn next_into(&mut self, dst: &mut Token) -> Result<(), LexError> {
        Lexer::next_into(self, dst)
    }
    #[inline]
    fn src(&self) -> &[u8] {
        self.src
    }
}

/// The lexer over a [`Stream`](crate::Stream), reading it as `llex.c` reads
/// its `ZIO`: a piece is asked for only when the lexer needs a character
/// past what it has. `llex.c` reads one character past each token (its
/// `current`) and, for an error, up to where it raises it; each token is
/// lexed on the text read so far, and lexed again from its start (with the
/// line it started on) after reading one more piece whenever it needs a
/// character at or past the end of that text, until it does not or the
/// stream has ended. So the reader is called exactly as often as lua5.1
/// calls it, also when a syntax error stops the parser early. A name,
/// long string, long or short comment, or quoted string that runs into
/// the end is not lexed again for a piece that cannot end it (no bracket,
/// no line break, no quote or backslash...): such a token read in tiny
/// pieces costs time linear in its length.
pub(crate) struct StreamLexer<'a, S: crate::Stream + ?Sized> {
    stream: &'a mut S,
    /// Where the next token's lexing starts.
    pos: usize,
    line: u32,
    /// The stream has ended: lex what was read as the whole source.
    ended: bool,
    done: bool,
    /// The string buffer the parser gave back (see [`Extras`]).
    buf: Option<StrBuf>,
}

impl<'a, S: crate::Stream + ?Sized> StreamLexer<'a, S> {
    pub(crate) fn new(stream: &'a mut S) -> Self {
        StreamLexer {
            stream,
            pos: 0,
            line: 1,
            ended: false,
            done: false,
            buf: None,
        }
    }

    fn eos(&self) -> Token {
        let n = self.stream.bytes().len() as u32;
        Token {
            tok: Tok::Eos,
            start: n,
            end: n,
            line: self.line,
        }
    }
}

impl<S: crate::Stream + ?Sized> TokenSource for StreamLexer<'_, S> {
    #[inline(never)]
    fn next_into(&mut self, dst: &mut Token) -> Result<(), LexError> {
        if self.done {
            *dst = self.eos();
            return Ok(());
        }
        loop {
            let src = self.stream.bytes();
            let len = src.len();
            let mut l = Tok::lexer(src);
            l.extras.line = self.line;
            l.extras.buf = self.buf.take();
            l.bump(self.pos.min(len));
            let r = l.next();
            let span = l.span();
            let line = l.extras.line;
            self.buf = l.extras.buf.take();
            // Where llex.c's current character is after this token (or
            // error): it must have been read.
            let need = match &r {
                None => len,
                Some(Err(LexError(Some(e)))) => e.pos,
                Some(_) => span.end,
            };
            if need >= len && !self.ended {
                // What was read before the unfinished part is not lexed
                // again: trivia up to the last point it cannot change
                // (each piece of an endless run of blanks is scanned
                // once), and a name that reaches the end is extended with
                // the pieces while they are all name characters.
                // A long string, comment or quoted string that reaches
                // the end is only lexed again once a piece brings a byte
                // that could end it (or change how it is read): a long
                // token read in tiny pieces costs linear time, not
                // quadratic.
                let mut unfinished = match &r {
                    None => None,
                    // Only when the text ran out inside the token: an
                    // error found in it may need one character more.
                    Some(Err(LexError(Some(e)))) if e.msg.starts_with("unfinished") => {
                        Unfinished::at(src, span.start)
                    }
                    Some(Err(_)) => None,
                    Some(Ok(_)) => None,
                };
                let partial_name = match &r {
                    None => {
                        (self.pos, self.line) = trivia_restart(src, self.pos, self.line);
                        unfinished = Unfinished::short_comment_at(src, self.pos);
                        false
                    }
                    Some(Ok(t)) if is_word(t) && span.end == len => {
                        // A name holds no newline: its line is the line
                        // at its start.
                        self.pos = span.start;
                        self.line = line;
                        true
                    }
                    _ => false,
                };
                let mut seen = len;
                loop {
                    if !self.stream.fill() {
                        self.ended = true;
                        break;
                    }
                    let now = self.stream.bytes();
                    match now.get(seen..) {
                        Some(new) if partial_name && new.iter().all(|&b| is_name_byte(b)) => {
                            seen = now.len();
                        }
                        Some(_) if unfinished.as_mut().is_some_and(|u| !u.may_end(now, seen)) => {
                            seen = now.len();
                        }
                        _ => break,
                    }
                }
                continue;
            }
            match r {
                None => {
                    self.line = line;
                    self.pos = len;
                    self.done = true;
                    *dst = self.eos();
                }
                Some(Err(LexError(Some(e)))) => {
                    self.done = true;
                    return Err(LexError(Some(e)));
                }
                Some(r) => {
                    dst.tok = match r {
                        Ok(t) => t,
                        _ => Tok::Char(src.get(span.start).copied().unwrap_or(0)),
                    };
                    // A byte that starts no token is one character.
                    let end = if matches!(dst.tok, Tok::Char(_)) {
                        span.start + 1
                    } else {
                        span.end
                    };
                    dst.start = span.start as u32;
                    dst.end = end as u32;
                    dst.line = line;
                    self.pos = end;
                    self.line = line;
                }
            }
            return Ok(());
        }
    }

    fn src(&self) -> &[u8] {
        self.stream.bytes()
    }
}

/// The parser's lexer: one type (not a type parameter of the parser, so
/// that the recursive descent is compiled once, with the frame sizes its
/// nesting limit was measured with); the whole-source case is the first,
/// predictable branch.
pub(crate) enum AnyLexer<'s> {
    Whole(Lexer<'s>),
    Stream(StreamLexer<'s, dyn crate::Stream + 's>),
}

impl TokenSource for AnyLexer<'_> {
    #[inline]
    fn next_into(&mut self, dst: &mut Token) -> Result<(), LexError> {
        match self {
            AnyLexer::Whole(l) => l.next_into(dst),
            AnyLexer::Stream(l) => l.next_into(dst),
        }
    }
    #[inline]
    fn src(&self) -> &[u8] {
        match self {
            AnyLexer::Whole(l) => l.src,
            AnyLexer::Stream(l) => l.src(),
        }
    }
}

impl AnyLexer<'_> {
    /// Takes back the buffer of a string token whose value was copied, for
    /// the next string with escapes.
    #[inline]
    pub(crate) fn give_back(&mut self, buf: StrBuf) {
        match self {
            AnyLexer::Whole(l) => l.give_back(buf),
            AnyLexer::Stream(l) => l.buf = Some(buf),
        }
    }
}

/// A name or a reserved word: a token of name characters only.
fn is_word(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Name
            | Tok::And
            | Tok::Break
            | Tok::Do
            | Tok::Else
            | Tok::Elseif
            | Tok::End
            | Tok::False
            | Tok::For
            | Tok::Function
            | Tok::If
            | Tok::In
            | Tok::Local
            | Tok::Nil
            | Tok::Not
            | Tok::Or
            | Tok::Repeat
            | Tok::Return
            | Tok::Then
            | Tok::True
            | Tok::Until
            | Tok::While
    )
}

/// A token that ran into the end of the text read so far, by how its end
/// can be found without lexing it again.
#[derive(Clone, Copy)]
enum Unfinished {
    /// `[==[...` or `--[==[...`: only `]` can end it and only `[` can make
    /// it an error (5.1's "nesting of [[...]] is deprecated").
    LongBracket,
    /// `--...` that is not a long comment: a line break ends it.
    ShortComment,
    /// `"...` or `'...`, and where its reading is at the end of the text:
    /// inside an escape or not, and the digits of a `\ddd` escape so far.
    Quoted {
        quote: u8,
        escape: bool,
        digits: u8,
        value: u16,
    },
}

impl Unfinished {
    /// The kind of the token starting at `start`, if it is a long bracket
    /// or a quoted string (scanned to the end of `src` for its state).
    fn at(src: &[u8], start: usize) -> Option<Unfinished> {
        let rest = src.get(start..)?;
        let bracket = |r: &[u8]| r.first() == Some(&b'[') && skip_sep(r).1;
        match rest.first()? {
            &quote @ (b'"' | b'\'') => {
                let mut u = Unfinished::Quoted {
                    quote,
                    escape: false,
                    digits: 0,
                    value: 0,
                };
                // The state at the end of the text; if an escape there
                // is already too large, the next character ends it.
                if u.may_end(src, start + 1) {
                    return None;
                }
                Some(u)
            }
            b'[' if bracket(rest) => Some(Unfinished::LongBracket),
            b'-' if rest.starts_with(b"--") && bracket(&rest[2..]) => Some(Unfinished::LongBracket),
            _ => None,
        }
    }

    /// A comment starting at `start` that is already known not to be a
    /// long one.
    fn short_comment_at(src: &[u8], start: usize) -> Option<Unfinished> {
        let rest = src.get(start..)?.strip_prefix(b"--")?;
        match rest.first()? {
            b'[' => {
                let eq = rest[1..].iter().take_while(|&&b| b == b'=').count();
                match rest.get(1 + eq) {
                    Some(b'[') | None => None,
                    Some(_) => Some(Unfinished::ShortComment),
                }
            }
            _ => Some(Unfinished::ShortComment),
        }
    }

    /// Whether the bytes of `text` from `from` on could end the token or
    /// change how it is read (then it must be lexed again); otherwise
    /// the state moves past them.
    fn may_end(&mut self, text: &[u8], from: usize) -> bool {
        let new = text.get(from..).unwrap_or(&[]);
        match self {
            Unfinished::LongBracket => new.iter().any(|&b| b == b'[' || b == b']'),
            Unfinished::ShortComment => new.iter().any(|&b| is_newline(b)),
            Unfinished::Quoted {
                quote,
                escape,
                digits,
                value,
            } => {
                for &b in new {
                    if *digits > 0 {
                        // Inside `\ddd`: up to three digits, at most 255.
                        if b.is_ascii_digit() && *digits < 3 {
                            *digits += 1;
                            *value = *value * 10 + u16::from(b - b'0');
                            if *value > 255 {
                                return true;
                            }
                            continue;
                        }
                        *digits = 0;
                    }
                    if *escape {
                        *escape = false;
                        if b.is_ascii_digit() {
                            *digits = 1;
                            *value = u16::from(b - b'0');
                        }
                        // `\` before a line break continues the string;
                        // any other escape is one character.
                        continue;
                    }
                    if b == *quote || is_newline(b) {
                        return true;
                    }
                    if b == b'\\' {
                        *escape = true;
                    }
                }
                false
            }
        }
    }
}

#[inline]
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// [`CLASS`] bits: a blank (`llex.c`'s skipped spaces other than line
/// breaks), a character of a name, a character that can start one.
const BLANK: u8 = 1;
const NAME: u8 = 2;
const NAME_START: u8 = 4;

/// The classes of every byte (one table load and test per byte instead
/// of range comparisons).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if matches!(b, b' ' | b'\t' | 0x0b | 0x0c) {
            t[c] |= BLANK;
        }
        if b.is_ascii_alphanumeric() || b == b'_' {
            t[c] |= NAME;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            t[c] |= NAME_START;
        }
        c += 1;
    }
    t
};

/// The reserved words, in the order of their codes in [`reserved`] (1..).
const RESERVED_WORDS: [&[u8]; 21] = [
    b"and",
    b"break",
    b"do",
    b"else",
    b"elseif",
    b"end",
    b"false",
    b"for",
    b"function",
    b"if",
    b"in",
    b"local",
    b"nil",
    b"not",
    b"or",
    b"repeat",
    b"return",
    b"then",
    b"true",
    b"until",
    b"while",
];

/// A word of at most 8 bytes as a little-endian integer.
const fn pack(w: &[u8]) -> u64 {
    let mut x = 0u64;
    let mut i = 0;
    while i < w.len() && i < 8 {
        x |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    x
}

/// A multiplier under which the top 5 bits of `pack(word) * KW_MUL` differ
/// for every reserved word (found by search; a test checks it).
const KW_MUL: u64 = 0x2a3d_9f0d_57a9_2bdf;

const fn kw_slot(x: u64) -> usize {
    (x.wrapping_mul(KW_MUL) >> 59) as usize
}

/// Perfect hash table of the reserved words: (packed word, code), code 0
/// for an empty slot.
const RESERVED: [(u64, u8); 32] = {
    let mut t = [(0u64, 0u8); 32];
    let mut i = 0;
    while i < RESERVED_WORDS.len() {
        let x = pack(RESERVED_WORDS[i]);
        t[kw_slot(x)] = (x, i as u8 + 1);
        i += 1;
    }
    t
};

/// The token of a word of name characters given packed (`x`, when it is
/// at most 8 bytes long): a reserved word or a name.
#[inline]
fn reserved(x: u64) -> Tok {
    let (k, code) = RESERVED[kw_slot(x)];
    if k != x {
        return Tok::Name;
    }
    match code {
        1 => Tok::And,
        2 => Tok::Break,
        3 => Tok::Do,
        4 => Tok::Else,
        5 => Tok::Elseif,
        6 => Tok::End,
        7 => Tok::False,
        8 => Tok::For,
        9 => Tok::Function,
        10 => Tok::If,
        11 => Tok::In,
        12 => Tok::Local,
        13 => Tok::Nil,
        14 => Tok::Not,
        15 => Tok::Or,
        16 => Tok::Repeat,
        17 => Tok::Return,
        18 => Tok::Then,
        19 => Tok::True,
        20 => Tok::Until,
        21 => Tok::While,
        _ => Tok::Name,
    }
}

/// The token of the word `rest[start..end]` (name characters only).
#[inline]
fn word_token(rest: &[u8], start: usize, end: usize) -> Tok {
    let n = end.saturating_sub(start);
    if n == 0 || n > 8 {
        return Tok::Name;
    }
    let x = match rest.get(start..start + 8) {
        // Eight bytes at once, the ones past the word masked off.
        Some(b) => {
            <[u8; 8]>::try_from(b).map_or(0, u64::from_le_bytes) & (u64::MAX >> (64 - 8 * n))
        }
        None => pack(rest.get(start..end).unwrap_or(b"")),
    };
    reserved(x)
}

/// For a streamed source whose text from `pos` (on line `line`) to its end
/// lexed as trivia only (blanks, newlines, comments): the last position,
/// with its line, from which lexing again after more text gives the same
/// tokens. A blank or a newline followed by a character ends everything
/// before it; a comment that is complete does too; an unfinished comment
/// or a newline at the very end may still change.
fn trivia_restart(src: &[u8], pos: usize, line: u32) -> (usize, u32) {
    let len = src.len();
    let (mut i, mut line) = (pos, line);
    let mut safe = (i, line);
    while i < len {
        match src[i] {
            b' ' | b'\t' | 0x0b | 0x0c => {
                i += 1;
                safe = (i, line);
            }
            b'\n' | b'\r' => {
                if i + 1 >= len {
                    break;
                }
                i += newline_len(&src[i..]);
                line += 1;
                safe = (i, line);
            }
            b'-' if src.get(i + 1) == Some(&b'-') => {
                let rest = &src[i + 2..];
                if rest.first() == Some(&b'[') {
                    let (sep, open) = skip_sep(rest);
                    if open {
                        let mut l = line;
                        match read_long(&rest[sep + 2..], i + 4 + sep, sep, true, false, &mut l) {
                            Ok((n, _)) => {
                                i += 4 + sep + n;
                                line = l;
                                safe = (i, line);
                                continue;
                            }
                            Err(_) => break,
                        }
                    }
                    // `--[` or `--[=` at the very end may still open one.
                    if 2 + rest.len() == len - i && rest[1..].iter().all(|&b| b == b'=') {
                        break;
                    }
                }
                // A short comment: complete once its newline is there.
                match rest.iter().position(|&b| is_newline(b)) {
                    Some(n) => {
                        i += 2 + n;
                        safe = (i, line);
                    }
                    None => break,
                }
            }
            _ => break,
        }
    }
    safe
}

/// The pull lexer the parser uses.
pub struct Lexer<'s> {
    inner: logos::Lexer<'s, Tok>,
    src: &'s [u8],
    done: bool,
}

impl<'s> Lexer<'s> {
    pub fn new(src: &'s [u8]) -> Lexer<'s> {
        Lexer {
            inner: Tok::lexer(src),
            src,
            done: false,
        }
    }

    /// Reads the next token into `dst` (`Eos` forever at the end).
    ///
    /// Blanks, line breaks, names and reserved words (most of the bytes
    /// and tokens of a program) are read by hand: a loop over a byte class
    /// takes a conditional branch per byte where the DFA takes an indirect
    /// jump per state. Everything else goes to the DFA, from where this
    /// stopped.
    #[inline]
    pub fn next_into(&mut self, dst: &mut Token) -> Result<(), LexError> {
        if !self.done {
            let base = self.inner.span().end;
            let rest = self.inner.remainder();
            let mut i = 0;
            let mut line = self.inner.extras.line;
            while let Some(&c) = rest.get(i) {
                if CLASS[c as usize] & BLANK != 0 {
                    i += 1;
                    continue;
                }
                match c {
                    b'\n' | b'\r' => {
                        i += newline_len(&rest[i..]);
                        line += 1;
                    }
                    // A comment that cannot be a long one: to the end of
                    // the line.
                    b'-' if rest.get(i + 1) == Some(&b'-') && rest.get(i + 2) != Some(&b'[') => {
                        i += 2;
                        while rest.get(i).is_some_and(|&b| !is_newline(b)) {
                            i += 1;
                        }
                    }
                    _ => break,
                }
            }
            let start = i;
            let next = rest.get(i + 1).copied();
            // The token at `start` if it is read here, and its length.
            let hand = match rest.get(i) {
                Some(&c) if CLASS[c as usize] & NAME_START != 0 => {
                    i += 1;
                    while rest.get(i).is_some_and(|&c| CLASS[c as usize] & NAME != 0) {
                        i += 1;
                    }
                    Some((word_token(rest, start, i), i - start))
                }
                Some(&c) if c.is_ascii_digit() => {
                    let n = 1 + numeral_len(&rest[i + 1..]);
                    // A malformed numeral is left to the DFA, which reports it.
                    rest.get(i..i + n)
                        .and_then(numeral_value)
                        .map(|v| (Tok::Number(v), n))
                }
                // Characters that start no longer token.
                Some(
                    &c @ (b'(' | b')' | b'{' | b'}' | b']' | b';' | b':' | b',' | b'+' | b'*'
                    | b'/' | b'%' | b'^' | b'#'),
                ) => Some((Tok::Char(c), 1)),
                Some(&c @ (b'=' | b'<' | b'>' | b'~')) => Some(if next == Some(b'=') {
                    let t = match c {
                        b'=' => Tok::Eq,
                        b'<' => Tok::Le,
                        b'>' => Tok::Ge,
                        _ => Tok::Ne,
                    };
                    (t, 2)
                } else {
                    (Tok::Char(c), 1)
                }),
                // Not a comment, not a long bracket.
                Some(&c @ b'-') if next != Some(b'-') => Some((Tok::Char(c), 1)),
                Some(&c @ b'[') if !matches!(next, Some(b'[' | b'=')) => Some((Tok::Char(c), 1)),
                _ => None,
            };
            if let Some((tok, n)) = hand {
                dst.tok = tok;
                self.inner.bump(start + n);
                self.inner.extras.line = line;
                dst.start = (base + start) as u32;
                dst.end = (base + start + n) as u32;
                dst.line = line;
                return Ok(());
            }
            i = start;
            if i > 0 {
                self.inner.bump(i);
                self.inner.extras.line = line;
            }
            if let Some(r) = self.inner.next() {
                let span = self.inner.span();
                dst.tok = match r {
                    Ok(t) => t,
                    Err(LexError(None)) => self.single_byte(span.clone()),
                    Err(e) => {
                        self.done = true;
                        return Err(e);
                    }
                };
                dst.start = span.start as u32;
                dst.end = span.end as u32;
                dst.line = self.inner.extras.line;
                return Ok(());
            }
            self.done = true;
        }
        *dst = self.eos();
        Ok(())
    }

    /// Takes back the buffer of a string token whose value was copied.
    #[inline]
    pub(crate) fn give_back(&mut self, buf: StrBuf) {
        self.inner.extras.buf = Some(buf);
    }

    /// A byte that starts no token: a single-character token. Lexing
    /// resumes right after it.
    #[cold]
    fn single_byte(&mut self, span: std::ops::Range<usize>) -> Tok {
        let b = self.src.get(span.start).copied().unwrap_or(0);
        if span.end > span.start + 1 {
            // Should not happen (every prefix of a token is a token), but
            // never skip input silently.
            let mut l = Tok::lexer(self.src);
            l.extras = std::mem::take(&mut self.inner.extras);
            l.bump(span.start + 1);
            self.inner = l;
        }
        Tok::Char(b)
    }

    fn eos(&self) -> Token {
        let n = self.src.len() as u32;
        Token {
            tok: Tok::Eos,
            start: n,
            end: n,
            line: self.inner.extras.line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeral_fast_paths_agree_with_str_to_number() {
        let cases: &[&[u8]] = &[
            b"0",
            b"7",
            b"5.",
            b".5",
            b"773.76",
            b"0.1",
            b"0.3",
            b"123456789012345",
            b"12345678901234.5",
            b"1.000000000000001",
            b"0.000000000000001",
            b"999999999999999",
            b"3.14159265358979",
            b"0x0",
            b"0xC9AF",
            b"0XFFFFFFFFFFFFF",
            b"0xfffffffffffff",
            b"0x1p4",
            b"1e5",
            b"1.5.3",
            b"0x",
            b"08",
            b"0009.5000",
        ];
        for &t in cases {
            let fast = numeral_value(t).map(f64::to_bits);
            let slow = ferrous_value::number::str_to_number(t).map(f64::to_bits);
            assert_eq!(fast, slow, "{}", String::from_utf8_lossy(t));
        }
        // Random decimals of 1 to 16 digits with a dot anywhere.
        let mut r = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: u64| {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            r % n
        };
        for _ in 0..20_000 {
            let len = 1 + next(16) as usize;
            let mut t: Vec<u8> = (0..len).map(|_| b'0' + next(10) as u8).collect();
            let dot = next(len as u64 + 2) as usize;
            if dot <= len {
                t.insert(dot, b'.');
            }
            let fast = numeral_value(&t).map(f64::to_bits);
            let slow = ferrous_value::number::str_to_number(&t).map(f64::to_bits);
            assert_eq!(fast, slow, "{}", String::from_utf8_lossy(&t));
        }
    }

    #[test]
    fn reserved_words_hash_perfectly() {
        let mut seen = [false; 32];
        for w in RESERVED_WORDS {
            let slot = kw_slot(pack(w));
            assert!(!seen[slot], "{:?} collides", std::str::from_utf8(w));
            seen[slot] = true;
        }
        for (i, w) in RESERVED_WORDS.iter().enumerate() {
            let t = word_token(w, 0, w.len());
            assert_eq!(token_text(&t), *w, "word {i}");
            // Prefixes and extensions are names.
            assert_eq!(word_token(w, 0, w.len() - 1), Tok::Name);
            let mut longer = w.to_vec();
            longer.push(b'x');
            assert_eq!(word_token(&longer, 0, longer.len()), Tok::Name);
        }
        assert_eq!(word_token(b"functions", 0, 9), Tok::Name);
        assert_eq!(word_token(b"x and y", 2, 5), Tok::And);
    }

    fn token_text(t: &Tok) -> &'static [u8] {
        RESERVED_WORDS
            .iter()
            .copied()
            .find(|w| {
                let mut l = Tok::lexer(w);
                l.next().map(|r| r.ok()) == Some(Some(t.clone()))
            })
            .unwrap_or(b"")
    }
}
