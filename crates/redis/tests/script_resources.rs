//! What scripts leave behind and what they can wait for (issue 12, items
//! 5, 6 and 8), through the ferrous-redis server in front of a real
//! redis-server:
//! - a script cannot leave the collector stopped for the next script;
//! - SCRIPT FLUSH after 20,000 cached scripts gives their memory back
//!   (RSS measured from /proc);
//! - blocking commands called from scripts (BLMPOP, BZMPOP, and the
//!   ones Redis refuses in scripts) answer at once, as redis-server 7.0
//!   answers them, and the server answers PING afterwards.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use ferrous_redis::reply::encode_command;
use support::{ferrous, peak_rss_kib, redis_server, show, Client};

/// Resident size of a process, in KiB (VmRSS).
fn rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn int_reply(r: &[u8]) -> i64 {
    let s = String::from_utf8_lossy(r);
    s.trim()
        .strip_prefix(':')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not an integer reply: {}", show(r)))
}

#[test]
fn a_stopped_collector_does_not_outlive_its_script() {
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", "128"]);
    let mut c = Client::connect(ours.port).expect("connect");
    // KB of garbage left uncollected by 200,000 empty tables.
    let growth = "local b = collectgarbage('count') \
                  for i = 1, 200000 do local t = {} end \
                  return math.floor(collectgarbage('count') - b)";
    // The measure tells a stopped collector from a running one.
    let stopped = int_reply(&c.cmd(&["EVAL", &format!("collectgarbage('stop') {growth}"), "0"]));
    let running = int_reply(&c.cmd(&["EVAL", &format!("collectgarbage('restart') {growth}"), "0"]));
    assert!(
        stopped > 4 * running.max(1000),
        "stopped {stopped} KB, running {running} KB"
    );
    // A script that only stops the collector; the next one collects.
    for _ in 0..3 {
        assert_eq!(
            c.cmd(&["EVAL", "collectgarbage('stop') return 1", "0"]),
            b":1\r\n"
        );
        let next = int_reply(&c.cmd(&["EVAL", growth, "0"]));
        assert!(
            next * 4 < stopped,
            "after a script stopped the collector: {next} KB (stopped: {stopped} KB)"
        );
    }
    // The same through a function.
    let lib = "#!lua name=gcstop\n\
               redis.register_function('gcstop', function() collectgarbage('stop') return 1 end)\n\
               redis.register_function('growth', function() \
                 local b = collectgarbage('count') \
                 for i = 1, 200000 do local t = {} end \
                 return math.floor(collectgarbage('count') - b) end)";
    assert!(c.cmd(&["FUNCTION", "LOAD", lib]).starts_with(b"$"));
    assert_eq!(c.cmd(&["FCALL", "gcstop", "0"]), b":1\r\n");
    let next = int_reply(&c.cmd(&["FCALL", "growth", "0"]));
    assert!(next * 4 < stopped, "after FCALL gcstop: {next} KB");
    assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
}

/// Sends many commands at once and reads as many replies.
fn pipeline(port: u16, cmds: &[Vec<Vec<u8>>]) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let writer = {
        let mut out = Vec::new();
        for c in cmds {
            encode_command(c, &mut out);
        }
        let mut w = s.try_clone().expect("clone");
        std::thread::spawn(move || w.write_all(&out).expect("send"))
    };
    let mut c = Client::connect(port).expect("connect");
    drop(c.cmd(&["PING"]));
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    // Count reply lines: each SCRIPT LOAD answers `$40\r\n<sha>\r\n`.
    let mut seen = 0;
    let mut buf = vec![0u8; 1 << 16];
    let want = cmds.len() * 47;
    while seen < want {
        let n = s.read(&mut buf).expect("read replies");
        assert!(n > 0, "closed after {seen} bytes");
        seen += n;
    }
    writer.join().expect("writer");
}

#[test]
fn script_flush_gives_the_cache_memory_back() {
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", "256"]);
    let pid = ours.child.id();
    let mut c = Client::connect(ours.port).expect("connect");
    let body = "x".repeat(200);
    // Warm up: one state, one script.
    drop(c.cmd(&["EVAL", "return 1", "0"]));
    let mut cycles = Vec::new();
    for round in 0..2 {
        let base = rss_kib(pid);
        let cmds: Vec<Vec<Vec<u8>>> = (0..20_000)
            .map(|i| {
                vec![
                    b"SCRIPT".to_vec(),
                    b"LOAD".to_vec(),
                    format!("local t = {{{round}, {i}, '{body}'}} return #t").into_bytes(),
                ]
            })
            .collect();
        pipeline(ours.port, &cmds);
        // And a few hundred run by EVAL (compiled into the state).
        for i in 0..500 {
            let src = format!("return {{{round}, {i}, KEYS[1]}}");
            assert!(c.cmd(&["EVAL", &src, "1", "k"]).starts_with(b"*3"));
        }
        let loaded = rss_kib(pid);
        assert_eq!(c.cmd(&["SCRIPT", "FLUSH"]), b"+OK\r\n");
        let flushed = rss_kib(pid);
        cycles.push((base, loaded, flushed));
    }
    let (base, loaded, flushed) = cycles[1];
    let grown = loaded.saturating_sub(base);
    let kept = flushed.saturating_sub(base);
    eprintln!("RSS (KiB) before/loaded/flushed: {cycles:?}");
    // The cache must have cost something for the measure to mean anything.
    assert!(
        grown > 8 * 1024,
        "20,000 scripts grew RSS by {grown} KiB only"
    );
    // The documented bound: after SCRIPT FLUSH, at most a quarter of the
    // growth (plus 2 MiB) stays resident.
    assert!(
        kept <= grown / 4 + 2 * 1024,
        "after SCRIPT FLUSH {kept} KiB of {grown} KiB stayed ({cycles:?})"
    );
    assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n");
}

#[test]
fn blocking_commands_in_scripts_answer_at_once_like_redis() {
    let reference = redis_server();
    let upstream = redis_server();
    let ours = ferrous(upstream.port, &["--memory-limit-mb", "128"]);
    let mut r = Client::connect(reference.port).expect("connect redis-server");
    let mut f = Client::connect(ours.port).expect("connect ferrous-redis");
    let calls = [
        "redis.call('BLMPOP', 0, 1, 'nolist', 'LEFT')",
        "redis.call('BLMPOP', 10, 1, 'nolist', 'LEFT')",
        "redis.call('BZMPOP', 0, 1, 'nozset', 'MIN')",
        "redis.call('BZMPOP', 5.5, 2, 'nozset', 'other', 'MAX')",
        "redis.call('BLPOP', 'nolist', 0)",
        "redis.call('BRPOP', 'nolist', 0)",
        "redis.call('BRPOPLPUSH', 'nolist', 'dst', 0)",
        "redis.call('BLMOVE', 'nolist', 'dst', 'LEFT', 'RIGHT', 0)",
        "redis.call('BZPOPMIN', 'nozset', 0)",
        "redis.call('BZPOPMAX', 'nozset', 0)",
        "redis.call('XREAD', 'BLOCK', 0, 'STREAMS', 'nostream', '$')",
        "redis.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', 'nostream', '>')",
        "redis.call('WAIT', 1, 0)",
        "redis.pcall('BLMPOP', 0, 1, 'nolist', 'LEFT')",
        // With data: served at once.
        "redis.call('RPUSH', 'list', 'a', 'b') return redis.call('BLMPOP', 0, 1, 'list', 'LEFT', 'COUNT', 5)",
        "redis.call('ZADD', 'zs', 1, 'a') return redis.call('BZMPOP', 0, 1, 'zs', 'MIN')",
        "redis.call('XADD', 'st', '1-1', 'f', 'v') return redis.call('XREAD', 'COUNT', 1, 'STREAMS', 'st', '0')",
    ];
    let mut failures = Vec::new();
    for call in calls {
        let src = if call.contains("return") {
            call.to_string()
        } else {
            format!("return {call}")
        };
        for flags in ["", "#!lua flags=no-writes\n"] {
            let src = format!("{flags}{src}");
            let want = r.cmd(&["EVAL", &src, "0"]);
            let start = Instant::now();
            let got = f.cmd(&["EVAL", &src, "0"]);
            let took = start.elapsed();
            if took > Duration::from_secs(2) {
                failures.push(format!("{src}: took {took:?}"));
            }
            if want != got {
                failures.push(format!(
                    "{src}: redis {} ferrous {}",
                    show(&want),
                    show(&got)
                ));
            }
            let mut p = Client::connect(ours.port).expect("connect for PING");
            assert_eq!(p.cmd(&["PING"]), b"+PONG\r\n", "PING after {src}");
        }
    }
    // The same from a function.
    let lib = "#!lua name=blk\n\
               redis.register_function('blk', function() \
                 return redis.call('BLMPOP', 0, 1, 'nolist2', 'LEFT') end)";
    assert_eq!(
        r.cmd(&["FUNCTION", "LOAD", lib]),
        f.cmd(&["FUNCTION", "LOAD", lib])
    );
    let start = Instant::now();
    assert_eq!(r.cmd(&["FCALL", "blk", "0"]), f.cmd(&["FCALL", "blk", "0"]));
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Encoder and decoder bombs (cjson, cmsgpack) under a 64 MB limit: each
/// ends in the memory error (or, for 16M nils, is answered), the peak RSS stays
/// within the bar (4x the limit + 64 MB), and the server answers.
#[test]
fn encoder_bombs_stay_under_the_limit() {
    let upstream = redis_server();
    let ours = ferrous(
        upstream.port,
        &["--memory-limit-mb", "64", "--time-limit-ms", "500"],
    );
    let pid = ours.child.id();
    let mut c = Client::connect(ours.port).expect("connect");
    let bombs = [
        // 64 references to a 4 MB string of NULs, escaped 6x: 1.5 GB.
        "local s = string.rep('\\0', 2^22) local t = {} \
         for i = 1, 64 do t[i] = s end return #cjson.encode(t)",
        // 64 references to an 8 MB string packed: 512 MB.
        "local s = string.rep('x', 2^23) local t = {} \
         for i = 1, 64 do t[i] = s end return #cmsgpack.pack(t)",
        // An array of 2^24 nils decoded (16 MB input, a copy, no table
        // growth): answered, whatever it is.
        "local s = string.char(0xdd, 1, 0, 0, 0) .. string.rep('\\192', 2^24) \
         return #cmsgpack.unpack(s)",
        // An array of 2^23 small integers: a table too big for the limit.
        "local s = string.char(0xdd, 0, 128, 0, 0) .. string.rep('\\1', 2^23) \
         return #cmsgpack.unpack(s)",
    ];
    let bar = 4 * 64 * 1024 + 64 * 1024;
    for src in bombs {
        let start = Instant::now();
        let r = c.cmd(&["EVAL", src, "0"]);
        if !src.contains("'\\192'") {
            assert!(
                r.starts_with(b"-") && r.ends_with(b"not enough memory\r\n"),
                "{src}: {}",
                show(&r)
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{src}: {:?}",
            start.elapsed()
        );
        let peak = peak_rss_kib(pid);
        eprintln!("peak RSS {peak} KiB after {:?}", start.elapsed());
        assert!(peak < bar, "{src}: peak RSS {peak} KiB (bar {bar} KiB)");
        assert_eq!(c.cmd(&["PING"]), b"+PONG\r\n", "after {src}");
    }
}
