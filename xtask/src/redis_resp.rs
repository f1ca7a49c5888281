//! A small RESP2/RESP3 client over `std::net::TcpStream` for the Redis
//! conformance runner.
//!
//! The runner compares replies byte for byte, so the client's main job is to
//! find where one reply ends and hand back its raw bytes untouched
//! ([`Conn::command_raw`]). For the keyspace dump it also parses RESP2
//! replies into a small tree ([`Resp`]).

use std::io::{self, Read, Write};
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
        self.stream.write_all(&encode(args))?;
        let start = self.pos;
        self.skip_reply()?;
        let raw = self.buf[start..self.pos].to_vec();
        self.compact();
        Ok(raw)
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

    pub fn close(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    fn compact(&mut self) {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
    }

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

    /// Advances `pos` past one line (CRLF included), returning the line's
    /// content without CRLF as a range into `buf`.
    fn line(&mut self) -> io::Result<(usize, usize)> {
        let mut scan = self.pos;
        loop {
            if let Some(off) = find_crlf(&self.buf[scan..]) {
                let start = self.pos;
                let end = scan + off;
                self.pos = end + 2;
                return Ok((start, end));
            }
            if self.buf.len() - self.pos > MAX_BULK {
                return Err(bad("line too long"));
            }
            scan = self.buf.len().saturating_sub(1).max(self.pos);
            self.fill()?;
        }
    }

    fn need(&mut self, n: usize) -> io::Result<()> {
        while self.buf.len() - self.pos < n {
            self.fill()?;
        }
        Ok(())
    }

    /// Skips one complete reply starting at `pos` (iteratively, so deeply
    /// nested replies cannot overflow the runner's stack).
    fn skip_reply(&mut self) -> io::Result<()> {
        let mut pending: u64 = 1;
        while pending > 0 {
            pending -= 1;
            let (s, e) = self.line()?;
            let kind = *self.buf.get(s).ok_or_else(|| bad("empty reply line"))?;
            let num = || -> io::Result<i64> {
                std::str::from_utf8(&self.buf[s + 1..e])
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                    .ok_or_else(|| bad("bad length in reply"))
            };
            match kind {
                b'+' | b'-' | b':' | b'_' | b',' | b'#' | b'(' => {}
                b'$' | b'=' | b'!' => {
                    let n = num()?;
                    if n >= 0 {
                        let n = n as usize;
                        if n > MAX_BULK {
                            return Err(bad("bulk too long"));
                        }
                        self.need(n + 2)?;
                        if &self.buf[self.pos + n..self.pos + n + 2] != b"\r\n" {
                            return Err(bad("bulk not terminated by CRLF"));
                        }
                        self.pos += n + 2;
                    }
                }
                b'*' | b'~' | b'>' => {
                    let n = num()?;
                    if n > 0 {
                        pending += n as u64;
                    }
                }
                b'%' => {
                    let n = num()?;
                    if n > 0 {
                        pending += 2 * n as u64;
                    }
                }
                // An attribute map precedes the reply it annotates.
                b'|' => {
                    let n = num()?;
                    pending += 1 + 2 * n.max(0) as u64;
                }
                _ => return Err(bad("unknown reply type byte")),
            }
        }
        Ok(())
    }
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

fn find_crlf(b: &[u8]) -> Option<usize> {
    b.windows(2).position(|w| w == b"\r\n")
}

/// Encodes a command as a RESP array of bulk strings.
pub fn encode(args: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + args.iter().map(|a| a.len() + 16).sum::<usize>());
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Parses the raw bytes of one complete reply.
pub fn parse(raw: &[u8]) -> io::Result<Resp> {
    let mut pos = 0;
    let v = parse_at(raw, &mut pos, 0)?;
    Ok(v)
}

fn parse_at(raw: &[u8], pos: &mut usize, depth: usize) -> io::Result<Resp> {
    if depth > 10_000 {
        return Err(bad("reply nested too deeply to parse"));
    }
    let rest = raw.get(*pos..).ok_or_else(|| bad("truncated reply"))?;
    let off = find_crlf(rest).ok_or_else(|| bad("truncated reply"))?;
    let kind = *rest.first().ok_or_else(|| bad("empty reply"))?;
    let body = rest[1..off].to_vec();
    *pos += off + 2;
    let num = || -> io::Result<i64> {
        std::str::from_utf8(&body)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
            .ok_or_else(|| bad("bad number in reply"))
    };
    Ok(match kind {
        b'+' => Resp::Status(body),
        b'-' => Resp::Error(body),
        b':' => Resp::Int(num()?),
        b'$' | b'=' | b'!' => {
            let n = num()?;
            if n < 0 {
                Resp::Bulk(None)
            } else {
                let n = n as usize;
                let data = raw
                    .get(*pos..*pos + n)
                    .ok_or_else(|| bad("truncated bulk"))?
                    .to_vec();
                *pos += n + 2;
                if kind == b'$' {
                    Resp::Bulk(Some(data))
                } else {
                    Resp::Other(data)
                }
            }
        }
        b'*' | b'~' | b'>' => {
            let n = num()?;
            if n < 0 {
                Resp::Array(None)
            } else {
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(parse_at(raw, pos, depth + 1)?);
                }
                Resp::Array(Some(items))
            }
        }
        b'%' => {
            let n = num()?.max(0);
            let mut items = Vec::new();
            for _ in 0..2 * n {
                items.push(parse_at(raw, pos, depth + 1)?);
            }
            Resp::Map(items)
        }
        b'|' => {
            let n = num()?.max(0);
            for _ in 0..2 * n {
                parse_at(raw, pos, depth + 1)?;
            }
            parse_at(raw, pos, depth + 1)?
        }
        _ => Resp::Other(body),
    })
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
