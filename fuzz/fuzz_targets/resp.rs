//! The RESP parsing of ferrous-redis (issue 12, item 9) on arbitrary
//! bytes: the server's incremental request reader and the reply parser.
//!
//! The first byte picks how the rest is cut into the pieces a client's
//! reads deliver. The reader must give the same requests and the same
//! refusal whether it reads everything at once or piece by piece (the
//! way the server does: it drops the bytes used after each read); it
//! must never use more bytes than it has, never look further than Redis's
//! 64 KB line limit for a line's end, and refuse only with Redis's
//! protocol errors. Every request, encoded again as a multibulk, must
//! read back the same. The reply parser must not panic; a reply it parses
//! must have the length `reply_len` gives and encode to bytes that parse
//! to the same reply.
#![no_main]

use ferrous_redis::reply::{
    encode_command, parse_reply, reply_len, Reply, RequestReader, MAX_INLINE_LEN,
};
use libfuzzer_sys::fuzz_target;

type Outcome = (Vec<Vec<Vec<u8>>>, Option<Vec<u8>>);

/// Reads every request of `data` delivered in pieces of the given sizes
/// (cycled); the buffer keeps only unread bytes, as the server's does.
fn read_all(data: &[u8], cuts: &[u8]) -> Outcome {
    let mut reader = RequestReader::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut requests = Vec::new();
    let mut fed = 0;
    let mut k = 0;
    while fed < data.len() {
        let step = if cuts.is_empty() {
            data.len()
        } else {
            let c = cuts[k % cuts.len()] as usize;
            k += 1;
            c + 1
        };
        let end = (fed + step).min(data.len());
        buf.extend_from_slice(&data[fed..end]);
        fed = end;
        let mut pos = 0;
        loop {
            let before = pos;
            match reader.next(&buf, &mut pos, false) {
                Ok(Some(args)) => {
                    assert!(pos > before, "a request that used no bytes");
                    if !args.is_empty() {
                        requests.push(args);
                    }
                }
                Ok(None) => break,
                Err(m) => return (requests, Some(m)),
            }
            assert!(pos <= buf.len(), "used more bytes than given");
        }
        assert!(pos <= buf.len(), "used more bytes than given");
        buf.drain(..pos);
        // Without a line's end, at most the limit plus one read is kept
        // (a bulk's data aside: its length is known).
        if reader.bulk_shortfall(buf.len()) == 0 && reader.pending_bytes().is_empty() {
            assert!(
                buf.len() <= MAX_INLINE_LEN + step,
                "waited past the line limit"
            );
        }
    }
    (requests, None)
}

fn check_refusal(m: &[u8]) {
    let known: [&[u8]; 8] = [
        b"too big mbulk count string",
        b"invalid multibulk length",
        b"too big bulk count string",
        b"invalid bulk length",
        b"too big inline request",
        b"unbalanced quotes in request",
        b"unauthenticated multibulk length",
        b"unauthenticated bulk length",
    ];
    if m.is_empty() || known.contains(&m) {
        return;
    }
    assert!(
        m.len() == 21 && m.starts_with(b"expected '$', got '") && m[20] == b'\'',
        "not one of Redis's protocol errors: {:?}",
        String::from_utf8_lossy(m)
    );
    assert!(
        m[19] != b'\r' && m[19] != b'\n',
        "a line break in an error reply"
    );
}

fuzz_target!(|input: &[u8]| {
    let (cuts, data) = match input.split_first() {
        Some((&n, rest)) => {
            let n = (n as usize % 8).min(rest.len());
            rest.split_at(n)
        }
        None => return,
    };

    let whole = read_all(data, &[]);
    let pieces = read_all(data, cuts);
    assert_eq!(
        whole, pieces,
        "the pieces a client's reads deliver changed the reading"
    );
    let single = read_all(data, &[0]);
    assert_eq!(whole, single, "reading byte by byte changed the reading");
    if let Some(m) = &whole.1 {
        check_refusal(m);
    }
    for args in &whole.0 {
        let mut bytes = Vec::new();
        encode_command(args, &mut bytes);
        let again = read_all(&bytes, &[]);
        assert_eq!(
            again,
            (vec![args.clone()], None),
            "a request read back differently"
        );
    }

    // Replies (what the upstream server sends).
    if let Ok((reply, used)) = parse_reply(data) {
        assert!(used <= data.len());
        assert_eq!(
            reply_len(data),
            Ok(used),
            "reply_len disagrees with parse_reply"
        );
        for resp in [2u8, 3] {
            let bytes = reply.to_bytes(resp);
            match parse_reply(&bytes) {
                Ok((again, n)) => {
                    assert_eq!(n, bytes.len());
                    if resp == 3 && !has_nan(&reply) {
                        // RESP3 has one null: `*-1` comes back as `$-1`.
                        assert_eq!(
                            norm(&again),
                            norm(&reply),
                            "a reply encoded and parsed back differs"
                        );
                    }
                }
                Err(e) => panic!("an encoded reply does not parse: {e:?}"),
            }
        }
    }
});

fn has_nan(r: &Reply) -> bool {
    match r {
        Reply::Double(d) => d.is_nan(),
        Reply::Array(v) | Reply::Set(v) | Reply::Push(v) => v.iter().any(has_nan),
        Reply::Map(m) => m.iter().any(|(k, v)| has_nan(k) || has_nan(v)),
        _ => false,
    }
}

fn norm(r: &Reply) -> Reply {
    let all = |v: &[Reply]| v.iter().map(norm).collect::<Vec<_>>();
    match r {
        Reply::NilArray => Reply::Nil,
        // One-line replies carry no line break (a blob error's become spaces).
        Reply::Error(t) => Reply::Error(one_line(t)),
        Reply::Status(t) => Reply::Status(one_line(t)),
        Reply::Array(v) => Reply::Array(all(v)),
        Reply::Set(v) => Reply::Set(all(v)),
        Reply::Push(v) => Reply::Push(all(v)),
        Reply::Map(m) => Reply::Map(m.iter().map(|(k, v)| (norm(k), norm(v))).collect()),
        other => other.clone(),
    }
}

fn one_line(t: &[u8]) -> Vec<u8> {
    t.iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect()
}
