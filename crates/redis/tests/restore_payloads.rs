//! Crafted `FUNCTION RESTORE` payloads (issue 12, crash 1): every length a
//! payload declares is untrusted. Each payload goes to a real redis-server
//! and to ferrous-redis in front of another one; the replies must be the
//! same bytes, and ferrous-redis must still answer PING afterwards.

mod support;

use support::{ferrous, redis_server, show, Client};

/// Redis's CRC-64 (Jones polynomial, reflected, initial value `crc`, no
/// final xor), written from its definition: RESTORE checks it.
fn crc64(mut crc: u64, data: &[u8]) -> u64 {
    for &byte in data {
        crc ^= u64::from(byte);
        for _ in 0..8 {
            let low = crc & 1;
            crc >>= 1;
            if low == 1 {
                crc ^= 0x95ac_9329_ac4b_c9b5;
            }
        }
    }
    crc
}

/// Body + RDB version 10 + CRC-64 footer.
fn with_footer(body: &[u8]) -> Vec<u8> {
    let mut p = body.to_vec();
    p.extend_from_slice(&10u16.to_le_bytes());
    let crc = crc64(0, &p);
    p.extend_from_slice(&crc.to_le_bytes());
    p
}

/// FUNCTION2 opcode, then an LZF string with the given lengths and data.
fn lzf_body(clen_field: &[u8], ulen_field: &[u8], data: &[u8]) -> Vec<u8> {
    let mut b = vec![0xF5, 0xC3];
    b.extend_from_slice(clen_field);
    b.extend_from_slice(ulen_field);
    b.extend_from_slice(data);
    b
}

fn payloads() -> Vec<(&'static str, Vec<u8>)> {
    let len64 = |n: u64| {
        let mut v = vec![0x81];
        v.extend_from_slice(&n.to_be_bytes());
        v
    };
    let len32 = |n: u32| {
        let mut v = vec![0x80];
        v.extend_from_slice(&n.to_be_bytes());
        v
    };
    vec![
        // The 26 bytes: 4 bytes of LZF that claim to expand to 2^40.
        (
            "issue-12",
            vec![
                0xf5, 0xc3, 0x04, 0x81, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x61,
                0x20, 0x00, 0x0a, 0x00, 0xbd, 0xd0, 0x7f, 0x16, 0x26, 0x59, 0xa9, 0x24,
            ],
        ),
        (
            "ulen-2^63",
            with_footer(&lzf_body(&[4], &len64(1 << 63), &[0, b'a', 0x20, 0])),
        ),
        (
            "ulen-max",
            with_footer(&lzf_body(&[4], &len64(u64::MAX), &[0, b'a', 0x20, 0])),
        ),
        (
            "ulen-4G",
            with_footer(&lzf_body(&[4], &len32(u32::MAX), &[0, b'a', 0x20, 0])),
        ),
        (
            "ulen-too-big-for-data",
            with_footer(&lzf_body(&[4], &len32(100_000), &[0, b'a', 0x20, 0])),
        ),
        (
            "clen-huge",
            with_footer(&lzf_body(&len64(u64::MAX), &[10], &[0, b'a'])),
        ),
        ("ulen-zero", with_footer(&lzf_body(&[2], &[0], &[0, b'a']))),
        (
            "plain-len-huge",
            with_footer(&{
                let mut b = vec![0xF5];
                b.extend_from_slice(&len64(u64::MAX / 2));
                b.extend_from_slice(b"#!lua name=x");
                b
            }),
        ),
        (
            "plain-len-4G",
            with_footer(&{
                let mut b = vec![0xF5];
                b.extend_from_slice(&len32(u32::MAX));
                b.extend_from_slice(b"#!lua name=x");
                b
            }),
        ),
        ("bad-len-prefix", with_footer(&[0xF5, 0x82, 1, 2, 3])),
        ("truncated-int", with_footer(&[0xF5, 0xC2, 1])),
        ("not-a-function", with_footer(&[0x00, 0x01, b'x'])),
        (
            "back-reference-before-start",
            with_footer(&lzf_body(&[3], &[30], &[0xE0, 0x10, 0x00])),
        ),
    ]
}

#[test]
fn crafted_restore_payloads_answer_like_redis() {
    let reference = redis_server();
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", "128"]);
    let mut r = Client::connect(reference.port).expect("connect redis-server");
    let mut f = Client::connect(ours.port).expect("connect ferrous-redis");
    let mut failures = Vec::new();
    for (name, p) in payloads() {
        let args: [&[u8]; 3] = [b"FUNCTION", b"RESTORE", &p];
        let want = r.cmd(&args);
        let got = f.cmd(&args);
        if want != got {
            failures.push(format!(
                "{name}: redis {} ferrous {}",
                show(&want),
                show(&got)
            ));
        }
        assert_eq!(f.cmd(&["PING"]), b"+PONG\r\n", "after {name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing was restored on either side.
    assert_eq!(r.cmd(&["FUNCTION", "LIST"]), f.cmd(&["FUNCTION", "LIST"]));
}
