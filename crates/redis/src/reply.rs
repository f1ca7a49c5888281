//! RESP values: the replies scripts produce and `redis.call` receives, their
//! encoding for RESP2 and RESP3 clients, and a parser for replies and
//! requests read from a socket.
//!
//! One [`Reply`] tree serves both protocols: RESP3-only types are written
//! in their RESP2 form when the client speaks RESP2 (a map as a flat array,
//! a double as a bulk string, a boolean as an integer), exactly as Redis's
//! reply functions do.

use ferrous_value::number;

/// A RESP value.
///
/// One tree for both protocols; [`Reply::to_bytes`] writes it for a RESP2
/// or a RESP3 client, and [`parse_reply`] reads it back:
///
/// ```
/// use ferrous_redis::reply::{parse_reply, Reply};
///
/// let r = Reply::Map(vec![(Reply::bulk("k"), Reply::Double(1.5))]);
/// // RESP2 has no map or double: a flat array and a bulk string.
/// assert_eq!(r.to_bytes(2), b"*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n");
/// assert_eq!(r.to_bytes(3), b"%1\r\n$1\r\nk\r\n,1.5\r\n");
/// let resp3 = r.to_bytes(3);
/// assert_eq!(parse_reply(&resp3), Ok((r, resp3.len())));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// `+text`
    Status(Vec<u8>),
    /// `-text` (the text holds the error code: `ERR message`).
    Error(Vec<u8>),
    /// `:n`
    Integer(i64),
    /// `$len` bulk string.
    Bulk(Vec<u8>),
    /// The null reply: `$-1` in RESP2, `_` in RESP3.
    Nil,
    /// The null array: `*-1` in RESP2, `_` in RESP3.
    NilArray,
    /// `*len`
    Array(Vec<Reply>),
    /// `%len` (RESP2: a flat array of key, value, ...).
    Map(Vec<(Reply, Reply)>),
    /// `~len` (RESP2: an array).
    Set(Vec<Reply>),
    /// `,value` (RESP2: a bulk string, `%.17g`).
    Double(f64),
    /// `#t` / `#f` (RESP2: `:1` / `:0`).
    Boolean(bool),
    /// `(digits` (RESP2: a bulk string).
    BigNumber(Vec<u8>),
    /// `=len\r\nfmt:text` (RESP2: a bulk string of the text).
    Verbatim {
        /// The three-letter format (`txt`, `mkd`).
        format: [u8; 3],
        /// The text after `fmt:`.
        text: Vec<u8>,
    },
    /// `>len` push data (RESP2: an array).
    Push(Vec<Reply>),
}

impl Reply {
    /// An error reply from text (the caller includes the code).
    pub fn error(text: impl Into<Vec<u8>>) -> Reply {
        Reply::Error(text.into())
    }

    /// `+OK`.
    pub fn ok() -> Reply {
        Reply::Status(b"OK".to_vec())
    }

    /// A bulk string.
    pub fn bulk(b: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(b.into())
    }

    /// True for an error reply (`-...`), the only kind `redis.pcall`
    /// catches.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Appends the encoding of this reply for a client speaking protocol
    /// `resp` (2 or 3).
    pub fn encode(&self, resp: u8, out: &mut Vec<u8>) {
        // Nesting is bounded by whoever built the tree (the Lua converter
        // and the parser both limit depth), so recursion here is bounded.
        match self {
            Reply::Status(s) => push_line(out, b'+', s),
            Reply::Error(s) => push_line(out, b'-', s),
            Reply::Integer(n) => {
                out.push(b':');
                push_int(out, *n);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Bulk(b) => push_bulk(out, b),
            Reply::Nil => {
                if resp >= 3 {
                    out.extend_from_slice(b"_\r\n");
                } else {
                    out.extend_from_slice(b"$-1\r\n");
                }
            }
            Reply::NilArray => {
                if resp >= 3 {
                    out.extend_from_slice(b"_\r\n");
                } else {
                    out.extend_from_slice(b"*-1\r\n");
                }
            }
            Reply::Array(items) => {
                push_header(out, b'*', items.len());
                for i in items {
                    i.encode(resp, out);
                }
            }
            Reply::Map(pairs) => {
                if resp >= 3 {
                    push_header(out, b'%', pairs.len());
                } else {
                    push_header(out, b'*', pairs.len() * 2);
                }
                for (k, v) in pairs {
                    k.encode(resp, out);
                    v.encode(resp, out);
                }
            }
            Reply::Set(items) => {
                push_header(out, if resp >= 3 { b'~' } else { b'*' }, items.len());
                for i in items {
                    i.encode(resp, out);
                }
            }
            Reply::Push(items) => {
                push_header(out, if resp >= 3 { b'>' } else { b'*' }, items.len());
                for i in items {
                    i.encode(resp, out);
                }
            }
            Reply::Double(d) => {
                let text = double_text(*d);
                if resp >= 3 {
                    out.push(b',');
                    out.extend_from_slice(&text);
                    out.extend_from_slice(b"\r\n");
                } else {
                    push_bulk(out, &text);
                }
            }
            Reply::Boolean(b) => {
                if resp >= 3 {
                    out.extend_from_slice(if *b { b"#t\r\n" } else { b"#f\r\n" });
                } else {
                    out.extend_from_slice(if *b { b":1\r\n" } else { b":0\r\n" });
                }
            }
            Reply::BigNumber(n) => {
                if resp >= 3 {
                    out.push(b'(');
                    out.extend_from_slice(n);
                    out.extend_from_slice(b"\r\n");
                } else {
                    push_bulk(out, n);
                }
            }
            Reply::Verbatim { format, text } => {
                if resp >= 3 {
                    push_header(out, b'=', text.len() + 4);
                    out.extend_from_slice(format);
                    out.push(b':');
                    out.extend_from_slice(text);
                    out.extend_from_slice(b"\r\n");
                } else {
                    push_bulk(out, text);
                }
            }
        }
    }

    /// The encoding as a new buffer.
    pub fn to_bytes(&self, resp: u8) -> Vec<u8> {
        let mut v = Vec::new();
        self.encode(resp, &mut v);
        v
    }

    /// How many bytes [`Reply::encode`] appends for protocol `resp`
    /// (saturating at `usize::MAX`), computed without allocating.
    pub fn encoded_len(&self, resp: u8) -> usize {
        // Nesting is bounded as in `encode`.
        let line = |s: &[u8]| s.len().saturating_add(3);
        let header = |n: usize| digits(n as u64) + 3;
        let bulk = |n: usize| header(n).saturating_add(n).saturating_add(2);
        let all = |items: &[Reply]| {
            items
                .iter()
                .fold(0usize, |acc, i| acc.saturating_add(i.encoded_len(resp)))
        };
        match self {
            Reply::Status(s) | Reply::Error(s) => line(s),
            Reply::Integer(n) => 3 + usize::from(*n < 0) + digits(n.unsigned_abs()),
            Reply::Bulk(b) => bulk(b.len()),
            Reply::Nil => {
                if resp >= 3 {
                    3
                } else {
                    5
                }
            }
            Reply::NilArray => {
                if resp >= 3 {
                    3
                } else {
                    5
                }
            }
            Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => {
                header(items.len()).saturating_add(all(items))
            }
            Reply::Map(pairs) => {
                let n = if resp >= 3 {
                    pairs.len()
                } else {
                    pairs.len().saturating_mul(2)
                };
                pairs.iter().fold(header(n), |acc, (k, v)| {
                    acc.saturating_add(k.encoded_len(resp))
                        .saturating_add(v.encoded_len(resp))
                })
            }
            Reply::Double(d) => {
                let n = double_text(*d).len();
                if resp >= 3 {
                    n + 3
                } else {
                    bulk(n)
                }
            }
            Reply::Boolean(_) => 4,
            Reply::BigNumber(n) => {
                if resp >= 3 {
                    line(n)
                } else {
                    bulk(n.len())
                }
            }
            Reply::Verbatim { text, .. } => {
                if resp >= 3 {
                    bulk(text.len().saturating_add(4))
                } else {
                    bulk(text.len())
                }
            }
        }
    }

    /// The encoding as a new buffer of at most `max` bytes, reserved
    /// fallibly before anything is written: `None` when the encoding
    /// would be longer or the memory is not there. A script's reply is
    /// encoded this way, bounded by its Lua state's memory limit.
    pub fn try_to_bytes(&self, resp: u8, max: usize) -> Option<Vec<u8>> {
        let n = self.encoded_len(resp);
        if n > max {
            return None;
        }
        let mut v = Vec::new();
        v.try_reserve_exact(n).ok()?;
        self.encode(resp, &mut v);
        Some(v)
    }
}

/// The number of decimal digits of `n`.
fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// How Redis prints a double reply: `inf`/`-inf`, else `%.17g`.
pub fn double_text(d: f64) -> Vec<u8> {
    if d.is_infinite() {
        return if d > 0.0 {
            b"inf".to_vec()
        } else {
            b"-inf".to_vec()
        };
    }
    let mut v = Vec::with_capacity(24);
    number::format_float(&mut v, d, b'g', 17, false);
    v
}

/// Appends the decimal digits of `n`.
pub fn push_int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    number::push_u64(out, n.unsigned_abs());
}

/// A one-line reply (`+status`, `-error`): a line break inside (from a
/// RESP3 blob error read upstream, say) becomes a space, as Redis's reply
/// functions do, so the reply never breaks the stream's framing.
fn push_line(out: &mut Vec<u8>, tag: u8, s: &[u8]) {
    out.push(tag);
    let start = out.len();
    out.extend_from_slice(s);
    for b in &mut out[start..] {
        if *b == b'\r' || *b == b'\n' {
            *b = b' ';
        }
    }
    out.extend_from_slice(b"\r\n");
}

fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    push_int(out, len as i64);
    out.extend_from_slice(b"\r\n");
}

fn push_bulk(out: &mut Vec<u8>, b: &[u8]) {
    push_header(out, b'$', b.len());
    out.extend_from_slice(b);
    out.extend_from_slice(b"\r\n");
}

/// Encodes a command as a RESP array of bulk strings.
pub fn encode_command<A: AsRef<[u8]>>(args: &[A], out: &mut Vec<u8>) {
    push_header(out, b'*', args.len());
    for a in args {
        push_bulk(out, a.as_ref());
    }
}

// ------------------------------------------------------------------ parsing

/// Why a buffer could not be parsed.
///
/// ```
/// use ferrous_redis::reply::{parse_reply, reply_len, ParseError};
///
/// // Part of a bulk string: read more and try again.
/// assert_eq!(parse_reply(b"$5\r\nhel"), Err(ParseError::Incomplete));
/// assert_eq!(reply_len(b"$5\r\nhello\r\n"), Ok(11));
/// // Not RESP at all.
/// assert!(matches!(parse_reply(b"?\r\n"), Err(ParseError::Protocol(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// More bytes are needed.
    Incomplete,
    /// The bytes are not RESP (the message says why, in Redis's words
    /// where Redis has them).
    Protocol(String),
}

/// Deepest nesting of aggregates the parser accepts.
pub const MAX_PARSE_DEPTH: usize = 1000;
/// Largest bulk string or aggregate length accepted (Redis's
/// proto-max-bulk-len default is 512 MB).
pub const MAX_BULK_LEN: usize = 512 * 1024 * 1024;

/// Parses one reply at the start of `buf`; returns it with the number of
/// bytes it used.
pub fn parse_reply(buf: &[u8]) -> Result<(Reply, usize), ParseError> {
    let mut p = Parser { buf, pos: 0 };
    let r = p.value(0)?;
    Ok((r, p.pos))
}

/// Returns the length of the complete reply at the start of `buf` without
/// building it (to forward raw bytes).
pub fn reply_len(buf: &[u8]) -> Result<usize, ParseError> {
    let mut p = Parser { buf, pos: 0 };
    p.skip()?;
    Ok(p.pos)
}

struct Parser<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn line(&mut self) -> Result<&[u8], ParseError> {
        let rest = &self.buf[self.pos..];
        let Some(i) = rest.windows(2).position(|w| w == b"\r\n") else {
            return Err(ParseError::Incomplete);
        };
        let line = &self.buf[self.pos..self.pos + i];
        self.pos += i + 2;
        Ok(line)
    }

    fn int_line(&mut self) -> Result<i64, ParseError> {
        let l = self.line()?;
        parse_i64(l).ok_or_else(|| ParseError::Protocol("invalid length".into()))
    }

    fn len_line(&mut self) -> Result<Option<usize>, ParseError> {
        let n = self.int_line()?;
        if n < 0 {
            return Ok(None);
        }
        let n = n as usize;
        if n > MAX_BULK_LEN {
            return Err(ParseError::Protocol("invalid length".into()));
        }
        Ok(Some(n))
    }

    fn bulk_body(&mut self, n: usize) -> Result<&[u8], ParseError> {
        if self.buf.len() < self.pos + n + 2 {
            return Err(ParseError::Incomplete);
        }
        let b = &self.buf[self.pos..self.pos + n];
        self.pos += n + 2;
        Ok(b)
    }

    fn tag(&mut self) -> Result<u8, ParseError> {
        let t = *self.buf.get(self.pos).ok_or(ParseError::Incomplete)?;
        self.pos += 1;
        Ok(t)
    }

    fn value(&mut self, depth: usize) -> Result<Reply, ParseError> {
        if depth > MAX_PARSE_DEPTH {
            return Err(ParseError::Protocol("reply nested too deeply".into()));
        }
        let t = self.tag()?;
        Ok(match t {
            b'+' => Reply::Status(self.line()?.to_vec()),
            b'-' => Reply::Error(self.line()?.to_vec()),
            b':' => Reply::Integer(self.int_line()?),
            b'$' => match self.len_line()? {
                None => Reply::Nil,
                Some(n) => Reply::Bulk(self.bulk_body(n)?.to_vec()),
            },
            b'*' | b'~' | b'>' => match self.len_line()? {
                None => Reply::NilArray,
                Some(n) => {
                    let mut v = Vec::with_capacity(n.min(1024));
                    for _ in 0..n {
                        v.push(self.value(depth + 1)?);
                    }
                    match t {
                        b'*' => Reply::Array(v),
                        b'~' => Reply::Set(v),
                        _ => Reply::Push(v),
                    }
                }
            },
            b'%' | b'|' => {
                let n = self.len_line()?.unwrap_or(0);
                let mut v = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    let k = self.value(depth + 1)?;
                    let val = self.value(depth + 1)?;
                    v.push((k, val));
                }
                if t == b'|' {
                    // An attribute precedes the real reply: skip it.
                    return self.value(depth);
                }
                Reply::Map(v)
            }
            b'_' => {
                self.line()?;
                Reply::Nil
            }
            b'#' => {
                let l = self.line()?;
                Reply::Boolean(l == b"t")
            }
            b',' => {
                let l = self.line()?.to_vec();
                Reply::Double(parse_double(&l))
            }
            b'(' => Reply::BigNumber(self.line()?.to_vec()),
            b'=' | b'!' => {
                // A negative length is a null, with no body (as `skip`
                // reads it).
                let Some(n) = self.len_line()? else {
                    return Ok(Reply::Nil);
                };
                let body = self.bulk_body(n)?.to_vec();
                if t == b'!' {
                    Reply::Error(body)
                } else {
                    let (format, text) = if body.len() >= 4 && body[3] == b':' {
                        ([body[0], body[1], body[2]], body[4..].to_vec())
                    } else {
                        (*b"txt", body)
                    };
                    Reply::Verbatim { format, text }
                }
            }
            other => {
                return Err(ParseError::Protocol(format!(
                    "unexpected reply type byte 0x{other:02x}"
                )))
            }
        })
    }

    fn skip(&mut self) -> Result<(), ParseError> {
        // Iterative: `pending` counts values still to skip.
        let mut pending: usize = 1;
        while pending > 0 {
            pending -= 1;
            let t = self.tag()?;
            match t {
                b'+' | b'-' | b':' | b'_' | b'#' | b',' | b'(' => {
                    self.line()?;
                }
                b'$' | b'=' | b'!' => {
                    if let Some(n) = self.len_line()? {
                        self.bulk_body(n)?;
                    }
                }
                b'*' | b'~' | b'>' => {
                    if let Some(n) = self.len_line()? {
                        pending = pending.saturating_add(n);
                    }
                }
                b'%' | b'|' => {
                    let n = self.len_line()?.unwrap_or(0);
                    pending = pending.saturating_add(n.saturating_mul(2));
                    if t == b'|' {
                        pending += 1;
                    }
                }
                other => {
                    return Err(ParseError::Protocol(format!(
                        "unexpected reply type byte 0x{other:02x}"
                    )))
                }
            }
        }
        Ok(())
    }
}

/// Parses a decimal integer the way Redis's `string2ll` does (no spaces,
/// no leading `+`, no leading zeros except "0").
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    let (neg, digits) = if s[0] == b'-' {
        (true, &s[1..])
    } else {
        (false, s)
    };
    if digits.is_empty() || (digits[0] == b'0' && digits.len() > 1) {
        return None;
    }
    if digits == b"0" && neg {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    if neg {
        if v > i64::MAX as u64 + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else if v > i64::MAX as u64 {
        None
    } else {
        Some(v as i64)
    }
}

fn parse_double(l: &[u8]) -> f64 {
    match l {
        b"inf" => f64::INFINITY,
        b"-inf" => f64::NEG_INFINITY,
        b"nan" => f64::NAN,
        b"-nan" => -f64::NAN,
        _ => number::strtod(l).map(|(d, _)| d).unwrap_or(0.0),
    }
}

// ---------------------------------------------------------------- requests

/// Longest line Redis waits for without its end (`PROTO_INLINE_MAX_SIZE`):
/// an inline request, or the count line of a multibulk or of a bulk.
pub const MAX_INLINE_LEN: usize = 64 * 1024;

/// Largest argument count a multibulk may declare (Redis takes any
/// `int`; the argument vector grows as the arguments arrive).
pub const MAX_MULTIBULK_LEN: i64 = i32::MAX as i64;

/// Most bytes one request may hold while it is read (its arguments, plus
/// [`ARG_OVERHEAD`] for each): Redis's client-query-buffer-limit default.
/// Past it the connection is closed without a reply, as Redis closes a
/// client whose query buffer passes the limit. (Redis counts only the
/// query buffer; counting the finished arguments too keeps a request of
/// millions of empty arguments from growing the server without bound.)
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024 * 1024;

/// What one argument costs beyond its bytes, for [`MAX_REQUEST_BYTES`].
pub const ARG_OVERHEAD: usize = 32;

/// Position of the first `needle` in `buf` the way C's `strchr` finds it
/// in Redis's NUL-terminated query buffer: a NUL byte ends the search.
fn strchr(buf: &[u8], needle: u8) -> Option<usize> {
    for (i, &b) in buf.iter().enumerate() {
        if b == needle {
            return Some(i);
        }
        if b == 0 {
            return None;
        }
    }
    None
}

/// Reads client requests incrementally, with Redis 7.0's rules and limits
/// (`processInlineBuffer` / `processMultibulkBuffer`): lines are looked for
/// at most [`MAX_INLINE_LEN`] bytes ahead, bulks are at most
/// [`MAX_BULK_LEN`], counts are parsed like `string2ll`, and every
/// refusal is one of Redis's protocol errors. Arguments already complete
/// are kept here, so the caller drops the bytes they came from and a
/// request arriving in many pieces is read once (never rescanned).
///
/// ```
/// use ferrous_redis::reply::RequestReader;
///
/// // A multibulk request, then an inline one, as a pipelining client sends.
/// let buf = b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n";
/// let mut reader = RequestReader::new();
/// let mut pos = 0;
/// let get = vec![b"GET".to_vec(), b"k".to_vec()];
/// assert_eq!(reader.next(buf, &mut pos, false), Ok(Some(get)));
/// assert_eq!(reader.next(buf, &mut pos, false), Ok(Some(vec![b"PING".to_vec()])));
/// assert_eq!(reader.next(buf, &mut pos, false), Ok(None));
/// assert_eq!(pos, buf.len());
///
/// // Redis's refusal, the text after "Protocol error: ".
/// let bad = RequestReader::new().next(b"*1\r\n$x\r\n", &mut 0, false);
/// assert_eq!(bad, Err(b"invalid bulk length".to_vec()));
/// ```
#[derive(Debug, Default)]
pub struct RequestReader {
    /// Arguments of the multibulk being read still to come (0: between
    /// requests).
    remaining: usize,
    /// The argument count the multibulk being read declared.
    declared: usize,
    /// Length of the bulk being read, once its count line is read.
    bulk: Option<usize>,
    /// The multibulk's arguments read so far.
    args: Vec<Vec<u8>>,
    /// What those arguments hold (bytes + [`ARG_OVERHEAD`] each).
    held: usize,
}

impl RequestReader {
    /// A reader between requests.
    pub fn new() -> RequestReader {
        RequestReader::default()
    }

    /// Reads from `buf[*pos..]`, advancing `*pos` over the bytes used
    /// (also when the request is not complete yet). `Ok(Some(args))` is a
    /// complete request (an empty one is a blank line or an empty
    /// multibulk, to skip); `Ok(None)` asks for more bytes; `Err(m)` is a
    /// protocol error, `m` the text after "Protocol error: " in Redis's
    /// reply, after which the connection is closed; an empty `m` closes it
    /// without a reply (the request passed [`MAX_REQUEST_BYTES`]).
    pub fn next(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        auth_required: bool,
    ) -> Result<Option<Vec<Vec<u8>>>, Vec<u8>> {
        let start = (*pos).min(buf.len());
        *pos = start;
        if self.remaining == 0 {
            let rest = &buf[start..];
            let Some(&first) = rest.first() else {
                return Ok(None);
            };
            if first != b'*' {
                return Self::inline(buf, pos);
            }
            let Some(cr) = strchr(rest, b'\r') else {
                if rest.len() > MAX_INLINE_LEN {
                    return Err(b"too big mbulk count string".to_vec());
                }
                return Ok(None);
            };
            // Redis needs one byte after the '\r' (the '\n', not checked).
            if cr + 2 > rest.len() {
                return Ok(None);
            }
            let n = match parse_i64(&rest[1..cr]) {
                Some(n) if n <= MAX_MULTIBULK_LEN => n,
                _ => return Err(b"invalid multibulk length".to_vec()),
            };
            if n > 10 && auth_required {
                return Err(b"unauthenticated multibulk length".to_vec());
            }
            *pos += cr + 2;
            if n <= 0 {
                return Ok(Some(Vec::new()));
            }
            self.remaining = n as usize;
            self.declared = n as usize;
            self.args = Vec::with_capacity(self.remaining.min(1024));
        }
        while self.remaining > 0 {
            let len = match self.bulk {
                Some(len) => len,
                None => {
                    let rest = &buf[*pos..];
                    let Some(cr) = strchr(rest, b'\r') else {
                        if rest.len() > MAX_INLINE_LEN {
                            return Err(b"too big bulk count string".to_vec());
                        }
                        return Ok(None);
                    };
                    if cr + 2 > rest.len() {
                        return Ok(None);
                    }
                    if rest[0] != b'$' {
                        // Redis's error replies never carry a line break.
                        let got = match rest[0] {
                            b'\r' | b'\n' => b' ',
                            c => c,
                        };
                        let mut m = b"expected '$', got '".to_vec();
                        m.push(got);
                        m.push(b'\'');
                        return Err(m);
                    }
                    let len = match parse_i64(&rest[1..cr]) {
                        Some(len) if len >= 0 && len as u64 <= MAX_BULK_LEN as u64 => len as usize,
                        _ => return Err(b"invalid bulk length".to_vec()),
                    };
                    if len > 16384 && auth_required {
                        return Err(b"unauthenticated bulk length".to_vec());
                    }
                    let held = self.held.saturating_add(len + ARG_OVERHEAD);
                    if held > MAX_REQUEST_BYTES {
                        return Err(Vec::new());
                    }
                    *pos += cr + 2;
                    self.bulk = Some(len);
                    len
                }
            };
            let rest = &buf[*pos..];
            // The two bytes after the data are skipped unchecked, as Redis does.
            if rest.len() < len + 2 {
                return Ok(None);
            }
            self.args.push(rest[..len].to_vec());
            self.held += len + ARG_OVERHEAD;
            *pos += len + 2;
            self.bulk = None;
            self.remaining -= 1;
        }
        self.declared = 0;
        self.held = 0;
        Ok(Some(std::mem::take(&mut self.args)))
    }

    /// How many bytes past `available` unread ones the bulk being read
    /// still needs (0 when no bulk's length is known): lets the caller
    /// reserve the buffer once instead of doubling it.
    pub fn bulk_shortfall(&self, available: usize) -> usize {
        match self.bulk {
            Some(len) => (len + 2).saturating_sub(available),
            None => 0,
        }
    }

    /// The bytes of the multibulk read so far, encoded again (empty
    /// between requests): what to send on when the rest of the
    /// connection is handed to another server unparsed.
    pub fn pending_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.remaining == 0 {
            return out;
        }
        push_header(&mut out, b'*', self.declared);
        for a in &self.args {
            push_bulk(&mut out, a);
        }
        if let Some(len) = self.bulk {
            push_header(&mut out, b'$', len);
        }
        out
    }

    fn inline(buf: &[u8], pos: &mut usize) -> Result<Option<Vec<Vec<u8>>>, Vec<u8>> {
        let rest = &buf[*pos..];
        let Some(nl) = strchr(rest, b'\n') else {
            if rest.len() > MAX_INLINE_LEN {
                return Err(b"too big inline request".to_vec());
            }
            return Ok(None);
        };
        let mut end = nl;
        if end > 0 && rest[end - 1] == b'\r' {
            end -= 1;
        }
        let Some(args) = split_args(&rest[..end]) else {
            return Err(b"unbalanced quotes in request".to_vec());
        };
        *pos += nl + 1;
        Ok(Some(args))
    }
}

/// C's `isspace` in the C locale.
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Splits an inline request into arguments with Redis's `sdssplitargs`
/// rules (the line holds no NUL: the search for its end stopped at one).
/// `None` for unbalanced quotes, or a closing quote followed by anything
/// but a space.
fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut args = Vec::new();
    let mut i = 0;
    loop {
        while i < line.len() && is_c_space(line[i]) {
            i += 1;
        }
        if i >= line.len() {
            return Some(args);
        }
        let mut cur = Vec::new();
        let (mut in_dq, mut in_sq, mut done) = (false, false, false);
        while !done {
            let c = at(i);
            if in_dq {
                if c == b'\\' && at(i + 1) == b'x' {
                    if let (Some(h), Some(l)) = (hex_value(at(i + 2)), hex_value(at(i + 3))) {
                        cur.push(h * 16 + l);
                        i += 3;
                    } else {
                        i += 1;
                        cur.push(b'x');
                    }
                } else if c == b'\\' && at(i + 1) != 0 {
                    i += 1;
                    cur.push(match at(i) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(i + 1) != 0 && !is_c_space(at(i + 1)) {
                        return None;
                    }
                    done = true;
                } else if c == 0 {
                    return None;
                } else {
                    cur.push(c);
                }
            } else if in_sq {
                if c == b'\\' && at(i + 1) == b'\'' {
                    i += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if at(i + 1) != 0 && !is_c_space(at(i + 1)) {
                        return None;
                    }
                    done = true;
                } else if c == 0 {
                    return None;
                } else {
                    cur.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => done = true,
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    _ => cur.push(c),
                }
            }
            if i < line.len() {
                i += 1;
            }
        }
        args.push(cur);
    }
}

/// Parses one client request (a RESP array of bulk strings, or an inline
/// command line) at the start of `buf` with [`RequestReader`]'s rules.
/// Returns the arguments and the bytes used; an empty argument list is a
/// blank line to skip.
pub fn parse_request(buf: &[u8]) -> Result<(Vec<Vec<u8>>, usize), ParseError> {
    let mut reader = RequestReader::new();
    let mut pos = 0;
    match reader.next(buf, &mut pos, false) {
        Ok(Some(args)) => Ok((args, pos)),
        Ok(None) => Err(ParseError::Incomplete),
        Err(m) => Err(ParseError::Protocol(
            String::from_utf8_lossy(&m).into_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_both_protocols() {
        let r = Reply::Map(vec![(Reply::bulk("a"), Reply::Double(1.5))]);
        assert_eq!(r.to_bytes(3), b"%1\r\n$1\r\na\r\n,1.5\r\n");
        assert_eq!(r.to_bytes(2), b"*2\r\n$1\r\na\r\n$3\r\n1.5\r\n");
        assert_eq!(Reply::Boolean(true).to_bytes(2), b":1\r\n");
        assert_eq!(Reply::Nil.to_bytes(3), b"_\r\n");
        assert_eq!(Reply::Double(f64::INFINITY).to_bytes(3), b",inf\r\n");
        assert_eq!(
            Reply::Integer(i64::MIN).to_bytes(2),
            b":-9223372036854775808\r\n"
        );
    }

    #[test]
    fn parses_replies() {
        let (r, n) = parse_reply(b"*2\r\n$1\r\nx\r\n:5\r\nrest").unwrap();
        assert_eq!(r, Reply::Array(vec![Reply::bulk("x"), Reply::Integer(5)]));
        assert_eq!(n, 15);
        assert_eq!(reply_len(b"%1\r\n+a\r\n#t\r\n"), Ok(12));
        assert_eq!(parse_reply(b"$5\r\nab"), Err(ParseError::Incomplete));
        // A blob error's line break cannot break the framing (fuzz find).
        let (r, _) = parse_reply(b"!4\r\na\r\nb\r\n").unwrap();
        assert_eq!(r.to_bytes(3), b"-a  b\r\n");
        // parse_reply and reply_len agree on a null verbatim (fuzz find).
        let b = b">2\r\n=-7\r\n+x\r\n";
        assert_eq!(parse_reply(b).map(|(_, n)| n), reply_len(b));
    }

    #[test]
    fn parses_requests() {
        let (a, n) = parse_request(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n").unwrap();
        assert_eq!(a, vec![b"GET".to_vec(), b"k".to_vec()]);
        assert_eq!(n, 20);
        let (a, _) = parse_request(b"set \"a b\" c\r\n").unwrap();
        assert_eq!(a, vec![b"set".to_vec(), b"a b".to_vec(), b"c".to_vec()]);
    }

    #[test]
    fn a_request_past_the_size_limit_closes() {
        let mut r = RequestReader::new();
        let buf = b"*3\r\n$1\r\na\r\n$100\r\n";
        let mut pos = 0;
        assert_eq!(r.next(&buf[..11], &mut pos, false), Ok(None));
        assert_eq!(r.held, 1 + ARG_OVERHEAD);
        r.held = MAX_REQUEST_BYTES - 100;
        assert_eq!(r.next(buf, &mut pos, false), Err(Vec::new()));
    }

    #[test]
    fn encoded_len_is_the_encoding_length() {
        let leaf = vec![
            Reply::Status(b"OK".to_vec()),
            Reply::Error(b"ERR a\r\nb".to_vec()),
            Reply::Integer(0),
            Reply::Integer(-1234567890),
            Reply::Integer(i64::MIN),
            Reply::Integer(i64::MAX),
            Reply::Bulk(Vec::new()),
            Reply::Bulk(vec![b'x'; 12345]),
            Reply::Nil,
            Reply::NilArray,
            Reply::Double(1.5),
            Reply::Double(f64::NEG_INFINITY),
            Reply::Double(-1e-300),
            Reply::Boolean(true),
            Reply::BigNumber(b"-123456789012345678901234567890".to_vec()),
            Reply::Verbatim {
                format: *b"txt",
                text: b"hello".to_vec(),
            },
        ];
        let mut all = leaf.clone();
        all.push(Reply::Array(leaf.clone()));
        all.push(Reply::Set(vec![Reply::Array(leaf.clone()); 11]));
        all.push(Reply::Push(leaf.clone()));
        all.push(Reply::Map(
            leaf.iter().cloned().zip(leaf.iter().cloned()).collect(),
        ));
        for r in &all {
            for resp in [2, 3] {
                let n = r.to_bytes(resp).len();
                assert_eq!(r.encoded_len(resp), n, "{r:?} in RESP{resp}");
                assert_eq!(r.try_to_bytes(resp, n), Some(r.to_bytes(resp)));
                assert_eq!(r.try_to_bytes(resp, n - 1), None);
            }
        }
    }

    #[test]
    fn integers_like_string2ll() {
        assert_eq!(parse_i64(b"-12"), Some(-12));
        assert_eq!(parse_i64(b"012"), None);
        assert_eq!(parse_i64(b"+1"), None);
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
    }
}
