//! A small RESP2/RESP3 client over `std::net::TcpStream` for the Redis
//! conformance runner. Encoding, framing and parsing are ferrous-redis's
//! (`reply::encode_command`, `reply_len`, `parse_reply`); this file keeps
//! the connection and the runner's view of a reply.
//!
//! The runner compares replies byte for byte, so the client's main job is to
//! find where one reply ends and hand back its raw bytes untouched
//! ([`Conn::command_raw`]). For the keyspace dump it also parses RESP2
//! replies into a small tree ([`Resp`]).

use std::io::{self, Read, Write};

use ferrous_redis::reply::{double_text, encode_command, parse_reply, reply_len, ParseError};
use ferrous_redis::Reply;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

/// A reply parsed into a tree (used for the keyspace dump and for checks
/// such as "is this an error").
#[derive(Debug, Clone, PartialEq)]
pub enum Resp {
    /// `+...` simple string.
    Status(Vec<u8>),
    /// `-...` error.
    Error(Vec<u8>),
    /// `:...` integer.
    Int(i64),
    /// `$...` bulk string (`None`: null bulk).
    Bulk(Option<Vec<u8>>),
    /// `*...`, `~...`, `>...` aggregates (`None`: null array).
    Array(Option<Vec<Resp>>),
    /// `%...` map as a flat list of key, value, key, value...
    Map(Vec<Resp>),
    /// `_`, `,`, `#`, `(`, `=`, `!`: RESP3 scalars kept as their raw line.
    Other(Vec<u8>),
}

impl Resp {
    /// True for an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Resp::Error(_))
    }

    /// The bytes of a status, bulk or error reply.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Resp::Status(b) | Resp::Error(b) | Resp::Other(b) => Some(b),
            Resp::Bulk(Some(b)) => Some(b),
            _ => None,
        }
    }
}

/// One connection to a server.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    pos: usize,
}

/// Longest line or bulk string accepted from a server (protects the runner
/// from a confused peer).
const MAX_BULK: usize = 1 << 30;

impl Conn {
    /// Connects to 127.0.0.1:`port` with a read timeout.
    pub fn connect(port: u16, timeout: Duration) -> io::Result<Conn> {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(16 * 1024),
            pos: 0,
        })
    }

    /// Sends one command and returns the raw bytes of its reply.
    pub fn command_raw(&mut self, args: &[Vec<u8>]) -> io::Result<Vec<u8>> {
        let mut req = Vec::new();
        encode_command(args, &mut req);
        self.stream.write_all(&req)?;
        // ferrous-redis's reply_len finds the end without building the
        // reply (iteratively: any nesting). When it needs more, one read
        // waits for it; then whatever else has arrived is taken without
        // waiting, up to double the unread part: a rescan happens when
        // the socket is drained or the unread part has doubled.
        loop {
            match reply_len(&self.buf[self.pos..]) {
                Ok(n) => {
                    let raw = self.buf[self.pos..self.pos + n].to_vec();
                    self.pos += n;
                    self.compact();
                    return Ok(raw);
                }
                Err(ParseError::Incomplete) => {
                    let have = self.buf.len() - self.pos;
                    if have > MAX_BULK {
                        return Err(bad("reply too long"));
                    }
                    let want = self.buf.len() + have.max(1);
                    self.fill()?;
                    while self.buf.len() < want && self.fill_ready()? {}
                }
                Err(ParseError::Protocol(m)) => return Err(bad(&m)),
            }
        }
    }

    /// Sends one command and returns its parsed reply.
    pub fn command(&mut self, args: &[Vec<u8>]) -> io::Result<Resp> {
        let raw = self.command_raw(args)?;
        parse(&raw)
    }

    /// `command` with `&str` arguments.
    pub fn cmd(&mut self, args: &[&str]) -> io::Result<Resp> {
        let v: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        self.command(&v)
    }

    /// Closes the connection (both directions).
    pub fn close(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    fn compact(&mut self) {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
    }

    /// Reads what has already arrived, without waiting; false if nothing
    /// had.
    fn fill_ready(&mut self) -> io::Result<bool> {
        self.stream.set_nonblocking(true)?;
        let r = self.fill();
        self.stream.set_nonblocking(false)?;
        match r {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Reads at least one byte, waiting for it (up to the read timeout).
    fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed by server",
            ));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Parses the raw bytes of one complete reply (with ferrous-redis's
/// parser) into the runner's tree.
pub fn parse(raw: &[u8]) -> io::Result<Resp> {
    match parse_reply(raw) {
        Ok((r, _)) => Ok(Resp::from(r)),
        Err(ParseError::Incomplete) => Err(bad("truncated reply")),
        Err(ParseError::Protocol(m)) => Err(bad(&m)),
    }
}

impl From<Reply> for Resp {
    /// The runner's view: nulls as `None`, maps flattened, RESP3 scalars
    /// as their text (a verbatim string with its `fmt:` prefix).
    fn from(r: Reply) -> Resp {
        let list = |v: Vec<Reply>| v.into_iter().map(Resp::from).collect();
        match r {
            Reply::Status(b) => Resp::Status(b),
            Reply::Error(b) => Resp::Error(b),
            Reply::Integer(n) => Resp::Int(n),
            Reply::Bulk(b) => Resp::Bulk(Some(b)),
            Reply::Nil => Resp::Bulk(None),
            Reply::NilArray => Resp::Array(None),
            Reply::Array(v) | Reply::Set(v) | Reply::Push(v) => Resp::Array(Some(list(v))),
            Reply::Map(pairs) => Resp::Map(
                pairs
                    .into_iter()
                    .flat_map(|(k, v)| [Resp::from(k), Resp::from(v)])
                    .collect(),
            ),
            Reply::Double(d) => Resp::Other(double_text(d)),
            Reply::Boolean(t) => Resp::Other(if t { b"t".to_vec() } else { b"f".to_vec() }),
            Reply::BigNumber(b) => Resp::Other(b),
            Reply::Verbatim { format, text } => {
                let mut v = format.to_vec();
                v.push(b':');
                v.extend_from_slice(&text);
                Resp::Other(v)
            }
        }
    }
}

/// Escapes bytes for display: printable ASCII as is, `\r \n \t \\`, other
/// bytes as `\xNN`.
pub fn escape(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    for &c in b {
        match c {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s
}

/// `escape`, cut to `max` characters with a marker.
pub fn escape_cut(b: &[u8], max: usize) -> String {
    let s = escape(b);
    if s.chars().count() <= max {
        s
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}... ({} bytes)", b.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested() {
        let raw = b"*3\r\n:1\r\n$-1\r\n*2\r\n+ok\r\n-ERR x\r\n";
        let v = parse(raw).unwrap();
        assert_eq!(
            v,
            Resp::Array(Some(vec![
                Resp::Int(1),
                Resp::Bulk(None),
                Resp::Array(Some(vec![
                    Resp::Status(b"ok".to_vec()),
                    Resp::Error(b"ERR x".to_vec())
                ]))
            ]))
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(escape(b"a\r\n\x00\\"), "a\\r\\n\\x00\\\\");
    }
}
