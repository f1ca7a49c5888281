//! Redis 7.0's two protocol limits for clients that have not
//! authenticated (issue 12): while the default user has a password (or is
//! off) and the client has not authenticated, a multibulk of more than 10
//! arguments is refused with "Protocol error: unauthenticated multibulk
//! length" and a bulk of more than 16384 bytes with "Protocol error:
//! unauthenticated bulk length", and the connection is closed. The same
//! bytes go to a redis-server 7.0 and to ferrous-redis in front of another
//! one configured the same way; what comes back (and whether the
//! connection is closed) must be the same.

mod support;

use std::time::Duration;

use ferrous_redis::reply::{encode_command, reply_len};
use support::{ferrous, redis_server_with, show, Client, Outcome};

/// [`support::exchange`] with 500 ms of quiet; the first `skip` replies
/// are dropped (HELLO's, which holds the connection id).
fn exchange(port: u16, pieces: &[Vec<u8>], skip: usize) -> Outcome {
    let mut out = support::exchange(port, pieces, Duration::from_millis(500));
    for _ in 0..skip {
        if let Ok(n) = reply_len(&out.sent) {
            out.sent.drain(..n);
        }
    }
    out
}

fn cmd(args: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_command(args, &mut out);
    out
}

/// `DEL` with `n` keys: `n + 1` arguments.
fn del(n: usize) -> Vec<u8> {
    let keys: Vec<Vec<u8>> = (0..n).map(|i| format!("k{i}").into_bytes()).collect();
    let mut args: Vec<&[u8]> = vec![b"DEL"];
    args.extend(keys.iter().map(|k| k.as_slice()));
    cmd(&args)
}

fn echo(len: usize) -> Vec<u8> {
    cmd(&[b"ECHO", &vec![b'e'; len]])
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// (name, pieces, replies to skip), for a server whose default user has
/// the password `secret` (`auth` is the AUTH that succeeds).
fn cases(auth: &[u8], hello_auth: &[u8]) -> Vec<(&'static str, Vec<Vec<u8>>, usize)> {
    let wrong = cmd(&[b"AUTH", b"nope"]);
    let head = b"*3\r\n$4\r\nMSET\r\n$1\r\nk\r\n".to_vec();
    vec![
        // Not authenticated.
        ("mbulk-10-args", vec![del(9)], 0),
        ("mbulk-11-args", vec![del(10)], 0),
        ("mbulk-11-header-only", vec![b"*11\r\n".to_vec()], 0),
        ("mbulk-huge-count", vec![b"*2147483647\r\n".to_vec()], 0),
        ("bulk-16384", vec![echo(16384)], 0),
        ("bulk-16385", vec![echo(16385)], 0),
        (
            "bulk-16385-header-only",
            vec![b"*2\r\n$4\r\nECHO\r\n$16385\r\n".to_vec()],
            0,
        ),
        ("bulk-mid-request", vec![cat(&[&head, b"$20000\r\n"])], 0),
        ("invalid-bulk-first", vec![b"*1\r\n$-3\r\n".to_vec()], 0),
        (
            "inline-is-not-limited",
            vec![cat(&[b"ECHO ", &vec![b'i'; 20000], b"\r\n"])],
            0,
        ),
        ("noauth-then-big", vec![cat(&[&del(3), &del(11)])], 0),
        // A wrong password changes nothing.
        ("wrong-auth-then-big", vec![cat(&[&wrong, &del(11)])], 0),
        // Authenticated: no limits, also in the same packet.
        ("auth-then-big", vec![auth.to_vec(), del(11)], 0),
        ("auth-then-big-pipelined", vec![cat(&[auth, &del(11)])], 0),
        (
            "auth-then-big-bulk-pipelined",
            vec![cat(&[auth, &echo(20000), &del(40)])],
            0,
        ),
        (
            "hello-auth-then-big",
            vec![cat(&[hello_auth, &echo(20000)])],
            1,
        ),
        // RESET forgets the authentication.
        (
            "auth-reset-then-big",
            vec![cat(&[auth, &cmd(&[b"RESET"]), &del(11)])],
            0,
        ),
        // Transactions and CLIENT REPLY, answered by the proxy itself.
        (
            "multi-unauthenticated",
            vec![cat(&[
                &cmd(&[b"MULTI"]),
                &cmd(&[b"PING"]),
                &cmd(&[b"EXEC"]),
                &cmd(&[b"DISCARD"]),
                &cmd(&[b"MULTI", b"x"]),
            ])],
            0,
        ),
        (
            "client-reply-unauthenticated",
            vec![cat(&[
                &cmd(&[b"CLIENT", b"REPLY", b"OFF"]),
                &cmd(&[b"PING"]),
            ])],
            0,
        ),
        (
            "auth-in-multi",
            vec![cat(&[&cmd(&[b"MULTI"]), auth, &cmd(&[b"EXEC"]), &del(11)])],
            0,
        ),
        (
            "multi-after-auth",
            vec![cat(&[auth, &cmd(&[b"MULTI"]), &del(11), &cmd(&[b"EXEC"])])],
            0,
        ),
    ]
}

fn compare(config: &[&str], upstream_creds: &[&str], auth: &[u8], hello_auth: &[u8]) {
    let reference = redis_server_with(config);
    let upstream = redis_server_with(config);
    let mut extra = vec!["--memory-limit-mb", "64"];
    extra.extend_from_slice(upstream_creds);
    let ours = ferrous(upstream.port, &extra);
    let mut failures = Vec::new();
    for (name, pieces, skip) in cases(auth, hello_auth) {
        let (want, got) = std::thread::scope(|s| {
            let w = s.spawn(|| exchange(reference.port, &pieces, skip));
            let g = exchange(ours.port, &pieces, skip);
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
        assert!(
            c.cmd(&["PING"]).starts_with(b"-NOAUTH"),
            "the proxy answers after {name}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unauthenticated_limits_with_requirepass() {
    compare(
        &["--requirepass", "secret"],
        &["--upstream-password", "secret"],
        &cmd(&[b"AUTH", b"secret"]),
        &cmd(&[b"HELLO", b"2", b"AUTH", b"default", b"secret"]),
    );
}

#[test]
fn unauthenticated_limits_with_an_acl_user() {
    // The default user is off: every client must log in as alice.
    compare(
        &[
            "--user", "default", "off", "--user", "alice", "on", ">pw", "~*", "&*", "+@all",
        ],
        &["--upstream-user", "alice", "--upstream-password", "pw"],
        &cmd(&[b"AUTH", b"alice", b"pw"]),
        &cmd(&[b"HELLO", b"3", b"AUTH", b"alice", b"pw"]),
    );
}

/// Without a password nothing is limited, and the check costs one PING
/// upstream per connection.
#[test]
fn no_limits_without_a_password() {
    let upstream = redis_server_with(&[]);
    let ours = ferrous(upstream.port, &["--memory-limit-mb", "64"]);
    let mut probe = Client::connect(upstream.port).expect("connect upstream");
    let pings_before = pings(&mut probe);
    let mut c = Client::connect(ours.port).expect("connect");
    for _ in 0..3 {
        let keys = ["DEL", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];
        assert_eq!(c.cmd(&keys), b":0\r\n");
        let big = "x".repeat(20000);
        let r = c.cmd(&["ECHO", big.as_str()]);
        assert_eq!(r.len(), 20000 + 10, "{}", show(&r[..20]));
    }
    assert_eq!(pings(&mut probe), pings_before + 1);
}

/// The upstream's count of PING calls.
fn pings(c: &mut Client) -> u32 {
    let stats = c.cmd(&["INFO", "commandstats"]);
    let text = String::from_utf8_lossy(&stats);
    text.lines()
        .find(|l| l.starts_with("cmdstat_ping:"))
        .and_then(|l| l.split("calls=").nth(1))
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0)
}
