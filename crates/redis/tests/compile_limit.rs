//! Compiling a script is charged to the memory limit (issue 12, item 4):
//! a big chunk used to peak at 2.5 GB in ferrous-redis under a 128 MB
//! limit. EVAL, FUNCTION LOAD and loadstring of a chunk whose compilation
//! would not fit answer "not enough memory", the server's peak RSS stays
//! within 4x the limit plus 64 MB, and it answers PING throughout. The
//! arguments of redis.call are charged the same way.

mod support;

use support::{ferrous, peak_rss_kib, redis_server, show, Client};

const LIMIT_MB: u64 = 16;

#[test]
fn big_chunks_fail_to_compile_within_the_limit() {
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", &LIMIT_MB.to_string()]);
    let mut c = Client::connect(ours.port).expect("connect");
    // 6 MB of statements: about 330 MB to compile.
    let big = "x = 1\n".repeat(1_000_000);
    let r = c.cmd(&["EVAL", big.as_str(), "0"]);
    assert_eq!(
        show(&r),
        "-ERR Error compiling script (new function): not enough memory\\r\\n"
    );
    assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
    let lib = format!("#!lua name=big\n{big}");
    let r = c.cmd(&["FUNCTION", "LOAD", lib.as_str()]);
    assert_eq!(
        show(&r),
        "-ERR Error compiling function: not enough memory\\r\\n"
    );
    assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
    // loadstring inside a script: nil and the message, as lua_load's
    // LUA_ERRMEM gives.
    let r = c.cmd(&[
        "EVAL",
        "local f, e = loadstring(string.rep('x = 1 ', 1e6)) return e",
        "0",
    ]);
    assert_eq!(show(&r), "$17\\r\\nnot enough memory\\r\\n");
    // A normal script still runs.
    assert_eq!(c.cmd(&["EVAL", "return 1 + 1", "0"]), b":2\r\n");
    let peak = peak_rss_kib(ours.child.id());
    assert!(
        peak < (4 * LIMIT_MB + 64) * 1024,
        "peak RSS {peak} kB with a {LIMIT_MB} MB limit"
    );
}

/// The arguments of redis.call are built in a buffer charged to the same
/// limit: one big string passed many times (4 MB x 16 under 16 MB) is
/// "not enough memory" in the script, not a 64 MB command.
#[test]
fn amplified_redis_call_arguments_are_charged() {
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", &LIMIT_MB.to_string()]);
    let mut c = Client::connect(ours.port).expect("connect");
    let script = "local s = string.rep('x', 4e6) \
        local ok, e = pcall(redis.call, 'RPUSH', KEYS[1], s, s, s, s, s, s, s, s, \
          s, s, s, s, s, s, s, s) \
        return {tostring(ok), tostring(e), redis.call('EXISTS', KEYS[1])}";
    let r = c.cmd(&["EVAL", script, "1", "big"]);
    assert_eq!(
        show(&r),
        "*3\\r\\n$5\\r\\nfalse\\r\\n$17\\r\\nnot enough memory\\r\\n:0\\r\\n"
    );
    // Arguments within the limit still go through.
    let r = c.cmd(&[
        "EVAL",
        "local s = string.rep('y', 1e6) return redis.call('RPUSH', KEYS[1], s, s)",
        "1",
        "small",
    ]);
    assert_eq!(r, b":2\r\n");
    assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
}

/// A reply copies what the script returned: a table naming one big
/// string many times (64 x 1 MB under 16 MB) is an error reply instead of
/// a reply of any size; smaller replies are unchanged.
#[test]
fn amplified_replies_are_bounded_by_the_limit() {
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", &LIMIT_MB.to_string()]);
    let mut c = Client::connect(ours.port).expect("connect");
    let r = c.cmd(&[
        "EVAL",
        "local s = string.rep('x', 2^20) local t = {} for i = 1, 64 do t[i] = s end return t",
        "0",
    ]);
    assert_eq!(show(&r), "-ERR script reply exceeds the memory limit\\r\\n");
    assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
    let r = c.cmd(&[
        "EVAL",
        "local s = string.rep('x', 2^20) return {s, s, #s}",
        "0",
    ]);
    assert!(
        r.starts_with(b"*3\r\n$1048576\r\nxxx"),
        "{}",
        show(&r[..20])
    );
    assert!(r.ends_with(b"\r\n:1048576\r\n"));
    assert_eq!(r.len(), 4 + 2 * (10 + (1 << 20) + 2) + 10);
    let peak = peak_rss_kib(ours.child.id());
    assert!(
        peak < (4 * LIMIT_MB + 64) * 1024,
        "peak RSS {peak} kB with a {LIMIT_MB} MB limit"
    );
}

/// Compiled functions kept alive by closures count as the state's memory
/// (as Lua 5.1 counts its prototypes): a script keeping 300,000 separately
/// loaded chunks (about 1 KB of prototype each, outside the heap's
/// objects) is stopped by "not enough memory" before the server's RSS
/// passes 4x the limit plus 64 MB; chunks that become garbage are
/// collected as they go (no spurious "not enough memory" in a loop that
/// keeps none), and the next script finds the memory back.
#[test]
fn prototypes_kept_alive_by_closures_are_charged() {
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", &LIMIT_MB.to_string()]);
    let mut c = Client::connect(ours.port).expect("connect");
    let keep = "local t, n = {}, 0 \
        for i = 1, 3e5 do \
          local f, e = loadstring('local a, b, c = ... if a then return a + b * c - ' .. i .. ' end return ' .. i) \
          if not f then return {n, e} end \
          t[i] = f n = n + 1 \
        end \
        return {n, 'all loaded'}";
    let r = show(&c.cmd(&["EVAL", keep, "0"]));
    assert!(
        r.starts_with("*2\\r\\n:") && r.ends_with("$17\\r\\nnot enough memory\\r\\n"),
        "{r}"
    );
    assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
    let churn = "local s = 0 \
        for i = 1, 1e5 do \
          local f = assert(loadstring('local a, b, c = ... if a then return a + b * c end return ' .. i)) \
          s = s + f() \
        end \
        return s";
    assert_eq!(show(&c.cmd(&["EVAL", churn, "0"])), ":5000050000\\r\\n");
    let peak = peak_rss_kib(ours.child.id());
    assert!(
        peak < (4 * LIMIT_MB + 64) * 1024,
        "peak RSS {peak} kB with a {LIMIT_MB} MB limit"
    );
}
