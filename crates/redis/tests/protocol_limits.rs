//! Malformed and oversized requests (issue 12, item 9): the ferrous-redis
//! server's request reader bounds length lines and inline requests at
//! 64 KB and bulks at proto-max-bulk-len (512 MB), and refuses with Redis's
//! own protocol errors. Each case's bytes go to a real redis-server 7.0
//! and to ferrous-redis in front of another one; what comes back (and
//! whether the connection is closed or still waiting) must be the same,
//! and ferrous-redis must answer PING on a new connection afterwards.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use support::{exchange, ferrous, peak_rss_kib, redis_server, show, Client};

fn digits(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'1' + (i % 9) as u8).collect()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// (name, pieces sent one after the other).
fn cases() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    // Just over the 64 KB line limit, small enough for both servers to
    // read every byte before refusing (no reset hides the reply).
    let over = 65_600;
    let under = 65_000;
    let one = |b: &[u8]| vec![b.to_vec()];
    vec![
        // Length lines with no end.
        ("mbulk-count-too-long", vec![cat(&[b"*", &digits(over)])]),
        (
            "bulk-count-too-long",
            vec![cat(&[b"*1\r\n$", &digits(over)])],
        ),
        ("inline-too-long", vec![cat(&[b"PING ", &vec![b'a'; over]])]),
        (
            "inline-too-long-in-pieces",
            vec![b"ECHO ".to_vec(), vec![b'b'; 40_000], vec![b'b'; 40_000]],
        ),
        // Under the limit: still waiting, then the end of the line.
        ("mbulk-count-long-waits", vec![cat(&[b"*", &digits(under)])]),
        (
            "inline-long-then-ended",
            vec![
                cat(&[b"ECHO ", &vec![b'c'; under]]),
                b"\r\nPING\r\n".to_vec(),
            ],
        ),
        // Counts.
        ("mbulk-leading-zero", one(b"*01\r\n$4\r\nPING\r\n")),
        ("mbulk-plus", one(b"*+1\r\n$4\r\nPING\r\n")),
        ("mbulk-space", one(b"* 1\r\n$4\r\nPING\r\n")),
        ("mbulk-empty", one(b"*\r\n")),
        ("mbulk-letters", one(b"*x\r\n")),
        ("mbulk-over-int-max", one(b"*2147483648\r\n")),
        ("mbulk-overflow", one(b"*99999999999999999999\r\n")),
        ("mbulk-int-max-waits", one(b"*2147483647\r\n$4\r\nPING\r\n")),
        ("mbulk-negative-skipped", one(b"*-5\r\nPING\r\n")),
        ("mbulk-zero-skipped", one(b"*0\r\n*1\r\n$4\r\nPING\r\n")),
        ("mbulk-minus-zero", one(b"*-0\r\n")),
        ("bulk-negative", one(b"*1\r\n$-1\r\n")),
        ("bulk-leading-zero", one(b"*1\r\n$04\r\nPING\r\n")),
        ("bulk-over-proto-max", one(b"*1\r\n$536870913\r\n")),
        ("bulk-huge", one(b"*1\r\n$9223372036854775807\r\n")),
        ("bulk-at-proto-max-waits", one(b"*1\r\n$536870912\r\nab")),
        ("bulk-empty-count", one(b"*1\r\n$\r\n")),
        ("expected-dollar", one(b"*1\r\nx4\r\nPING\r\n")),
        ("expected-dollar-got-cr", one(b"*1\r\n\r\n\r\n")),
        (
            "expected-dollar-got-colon",
            one(b"*2\r\n$4\r\nECHO\r\n:1\r\n"),
        ),
        ("expected-dollar-high-byte", one(b"*1\r\n\xff\r\n")),
        // Redis checks neither the byte after a line's '\r' nor the two
        // after a bulk's data.
        ("cr-without-lf", one(b"*1\rX$4\rXPINGxx")),
        (
            "bulk-trailer-unchecked",
            one(b"*2\r\n$4\r\nECHO\r\n$2\r\nhi!!"),
        ),
        // A NUL ends the search for a line's end (strchr).
        ("nul-in-count", one(b"*1\x00\r\n$4\r\nPING\r\n")),
        ("nul-in-inline", one(b"PI\x00NG\r\n")),
        // Requests before the bad bytes are answered first.
        ("good-then-bad", one(b"PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n")),
        // Inline splitting (sdssplitargs).
        ("inline-unbalanced", one(b"ECHO \"abc\r\n")),
        ("inline-unbalanced-single", one(b"ECHO 'abc\r\n")),
        ("inline-quote-then-text", one(b"ECHO \"a\"b\r\n")),
        ("inline-hex", one(b"ECHO \"\\x41\\x4g\\n\"\r\n")),
        ("inline-single-escape", one(b"ECHO 'it\\'s \\n'\r\n")),
        ("inline-quote-mid-token", one(b"ECHO a\"b c\" \r\n")),
        ("inline-blank-lines", one(b"\r\n   \r\n\n PING\r\n")),
        ("inline-vtab", one(b"\x0bPING\x0b\r\n")),
        ("inline-lf-only", one(b"ECHO x\nPING\n")),
        ("inline-trailing-backslash", one(b"ECHO \"ab\\\"\r\n")),
        // One request in many pieces.
        (
            "pieces",
            b"*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n"
                .iter()
                .map(|&b| vec![b])
                .collect(),
        ),
        (
            "big-bulk-in-pieces",
            vec![
                b"*2\r\n$4\r\nECHO\r\n$200000\r\n".to_vec(),
                vec![b'z'; 100_000],
                cat(&[&vec![b'z'; 100_000], b"\r\nPING\r\n"]),
            ],
        ),
    ]
}

#[test]
fn malformed_requests_answer_like_redis() {
    let reference = redis_server();
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", "128"]);
    let quiet = Duration::from_millis(600);
    let mut failures = Vec::new();
    for (name, pieces) in cases() {
        let (want, got) = std::thread::scope(|s| {
            let w = s.spawn(|| exchange(reference.port, &pieces, quiet));
            let g = exchange(ours.port, &pieces, quiet);
            (w.join().expect("reference exchange"), g)
        });
        if want != got {
            failures.push(format!(
                "{name}: redis {} (closed {}) ferrous {} (closed {})",
                show(&want.sent),
                want.closed,
                show(&got.sent),
                got.closed
            ));
        }
        let mut c = Client::connect(ours.port).expect("connect after the case");
        assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n", "PING after {name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The issue's case: a length line of 48 MB of digits is refused once it
/// passes 64 KB, while the client is still sending, and costs no memory.
#[test]
fn a_48_mb_length_line_is_refused_at_once() {
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", "128"]);
    for prefix in [&b"*"[..], b"*1\r\n$"] {
        let before = peak_rss_kib(ours.child.id());
        let mut s = TcpStream::connect(("127.0.0.1", ours.port)).expect("connect");
        let mut reader = s.try_clone().expect("clone");
        let started = Instant::now();
        let sender = std::thread::spawn(move || {
            let block = digits(1 << 20);
            if s.write_all(prefix).is_err() {
                return;
            }
            for _ in 0..48 {
                if s.write_all(&block).is_err() {
                    break;
                }
            }
            let _ = s.shutdown(Shutdown::Write);
        });
        reader
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut got = Vec::new();
        let mut chunk = [0u8; 1024];
        while let Ok(n) = reader.read(&mut chunk) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&chunk[..n]);
        }
        let took = started.elapsed();
        let _ = sender.join();
        let want: &[u8] = if prefix == b"*" {
            b"-ERR Protocol error: too big mbulk count string\r\n"
        } else {
            b"-ERR Protocol error: too big bulk count string\r\n"
        };
        // The reply can be lost to the reset that closing a socket with
        // unread bytes sends; when it arrives it is Redis's.
        assert!(got.is_empty() || got == want, "reply {}", show(&got));
        assert!(took < Duration::from_secs(5), "closed after {took:?}");
        let after = peak_rss_kib(ours.child.id());
        assert!(
            after < before + 8 * 1024,
            "peak RSS grew from {before} to {after} KiB"
        );
        let mut c = Client::connect(ours.port).expect("connect after");
        assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
    }
}
