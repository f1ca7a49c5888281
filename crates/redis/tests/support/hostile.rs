//! The hostile corpus of issue 12 (`tests/hostile.rs` of ferrous-redis
//! and of the module): the cases, and a runner that sends each to a
//! server while another connection PINGs it, compares the reply with a
//! stock redis-server's where Redis survives the case, and measures the
//! server's peak RSS per case.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{peak_rss_kib, show, Client};

pub const LIMIT_MB: u64 = 64;
/// The bar: 4x the memory limit plus 64 MB.
pub const RSS_BAR_KIB: u64 = (4 * LIMIT_MB + 64) * 1024;

/// What a case's reply must be.
pub enum Want {
    /// Byte-identical to a stock redis-server's reply to the same request.
    Redis,
    /// An error whose text holds this.
    ErrorWith(&'static str),
    /// Any reply whose text holds this (a returned message).
    Holds(&'static str),
    /// The script runs until SCRIPT KILL stops it; the reply holds this.
    Killed(&'static str),
}

pub enum Send {
    /// `EVAL script 0`.
    Eval(String),
    /// A command.
    Cmd(Vec<Vec<u8>>),
    /// Raw bytes on a new connection; the connection is read until it
    /// closes or is quiet, then PING must work on a new one.
    Raw(Vec<u8>),
}

pub struct Case {
    pub name: &'static str,
    pub send: Send,
    pub want: Want,
}

fn eval(name: &'static str, script: &str, want: Want) -> Case {
    Case {
        name,
        send: Send::Eval(script.to_string()),
        want,
    }
}

fn cmd(name: &'static str, args: &[&[u8]], want: Want) -> Case {
    Case {
        name,
        send: Send::Cmd(args.iter().map(|a| a.to_vec()).collect()),
        want,
    }
}

fn raw(name: &'static str, bytes: &[u8]) -> Case {
    Case {
        name,
        send: Send::Raw(bytes.to_vec()),
        want: Want::Redis,
    }
}

const OOM: &str = "not enough memory";

pub fn cases() -> Vec<Case> {
    use Want::*;
    vec![
        // Memory bombs: Redis would take gigabytes (or die); here they
        // end in Lua's memory error under the state's limit.
        eval(
            "string.rep 2^31",
            "return string.rep('x', 2^31 - 1)",
            ErrorWith(OOM),
        ),
        eval(
            "doubling ..",
            "local s = 'x' while true do s = s .. s end",
            ErrorWith(OOM),
        ),
        eval(
            "gsub growth",
            "local s = string.rep('a', 1e5) while true do s = s:gsub('a', 'aa') end",
            ErrorWith(OOM),
        ),
        eval(
            "table.concat 200 MB",
            "local s = string.rep('x', 1e6) local t = {} for i = 1, 200 do t[i] = s end \
             return #table.concat(t)",
            ErrorWith(OOM),
        ),
        eval(
            "array growth",
            "local t = {} local i = 1 while true do t[i] = i i = i + 1 end",
            ErrorWith(OOM),
        ),
        eval(
            "hash growth",
            "local t = {} local i = 1 while true do t[i + 0.5] = i i = i + 1 end",
            ErrorWith(OOM),
        ),
        eval(
            ".. temporaries",
            "local s = string.rep('x', 1e6) local t = {} for i = 1, 1e4 do t[i] = s .. i end",
            ErrorWith(OOM),
        ),
        // load with a reader that never ends: the text is kept in a
        // charged buffer (Redis's Lua skips blanks and runs until SCRIPT
        // KILL; an endless identifier grows it without bound).
        eval(
            "load reader never ends (identifier)",
            "local c = string.rep('x', 1e6) return select(2, load(function() return c end))",
            Holds(OOM),
        ),
        eval(
            "load reader of endless whitespace",
            "local c = string.rep(' ', 1e5) return select(2, load(function() return c end))",
            Holds(OOM),
        ),
        eval(
            "loadstring huge identifier",
            "return select(2, loadstring(string.rep('a', 4e7)))",
            Holds(OOM),
        ),
        eval(
            "struct.pack amplification",
            "local s = string.rep('x', 1e6) local t = {} for i = 1, 300 do t[i] = s end \
             return #struct.pack(string.rep('c0', 300), unpack(t))",
            ErrorWith(OOM),
        ),
        eval(
            "cjson huge count",
            "return #cjson.decode('[' .. string.rep('1,', 1e7) .. '1]')",
            ErrorWith(OOM),
        ),
        eval(
            "cmsgpack huge count",
            "return #cmsgpack.unpack('\\221\\0\\152\\150\\128' .. string.rep('\\1', 1e7))",
            ErrorWith(OOM),
        ),
        eval(
            "coroutine bomb",
            "local t = {} for i = 1, 1e7 do t[i] = coroutine.create(function() end) end",
            ErrorWith(OOM),
        ),
        eval(
            "reply of repeated big strings",
            "local s = string.rep('x', 4e6) local t = {} for i = 1, 100 do t[i] = s end return t",
            ErrorWith("script reply exceeds the memory limit"),
        ),
        eval(
            "reply of many small elements",
            "local t = {} for i = 1, 2e6 do t[i] = i end return t",
            ErrorWith("script reply exceeds the memory limit"),
        ),
        // Nesting and counts Redis refuses itself.
        eval(
            "reply nested 100000 deep",
            "local t = {} local c = t for i = 1, 1e5 do c[1] = {} c = c[1] end return t",
            // Redis nests 7995 arrays before the error element; the
            // converter (crates/redis/src/convert.rs) stops 4 earlier.
            Holds("-ERR reached lua stack limit"),
        ),
        eval(
            "cjson.encode nested",
            "local t = {} local c = t for i = 1, 1e5 do c[1] = {} c = c[1] end \
             return cjson.encode(t)",
            Redis,
        ),
        eval(
            "cjson.decode nested",
            "return cjson.decode(string.rep('[', 1e5))",
            Redis,
        ),
        eval(
            "cmsgpack.unpack nested",
            "return #cmsgpack.unpack(string.rep('\\145', 1e5) .. '\\192')",
            Redis,
        ),
        eval(
            "cmsgpack.pack nested",
            "local t = {} for i = 1, 30 do t = {t, t} end return #cmsgpack.pack(t)",
            Redis,
        ),
        eval(
            "cmsgpack array count 2^31-1",
            "return cmsgpack.unpack('\\221\\127\\255\\255\\255')",
            Redis,
        ),
        eval("unpack 1e8", "return unpack({}, 1, 1e8)", Redis),
        eval(
            "unpack full int range",
            "return unpack({}, -2^31, 2^31 - 1)",
            Redis,
        ),
        eval(
            "deep recursion",
            "local function f(n) return 1 + f(n + 1) end return f(1)",
            Redis,
        ),
        eval(
            "coroutine recursion",
            "local function f() return coroutine.resume(coroutine.create(f)) end return f()",
            Redis,
        ),
        eval(
            "pcall recursion",
            "local function f() return pcall(f) end return tostring(f())",
            Redis,
        ),
        // Endless work, stopped by SCRIPT KILL.
        eval(
            "infinite loop",
            "while true do end",
            Killed("Script killed by user"),
        ),
        eval(
            "pattern backtracking",
            "return string.find(string.rep('a', 300), string.rep('%a-', 8) .. '%d')",
            Killed("Script killed by user"),
        ),
        eval(
            "cmsgpack scan of a huge input",
            "local s = '\\221\\127\\255\\255\\255' .. string.rep('\\192', 2e7) \
             while true do pcall(cmsgpack.unpack, s) end",
            Killed("Script killed by user"),
        ),
        eval(
            "pcall cannot catch the kill",
            "while true do pcall(function() while true do end end) end",
            Killed("Script killed by user"),
        ),
        // Errors of every kind.
        eval("error string", "error('boom')", Redis),
        // Stock redis-server 7.0.15 crashes on this one (SIGSEGV).
        eval("error table", "error({})", ErrorWith("ERR")),
        eval("error nil", "error()", Redis),
        eval("error err table", "error({err = 'My Error'})", Redis),
        eval("return err table", "return {err = 'ERR custom'}", Redis),
        eval("return err non-string", "return {err = 1}", Redis),
        eval("error_reply", "return redis.error_reply('E x')", Redis),
        eval(
            "unknown command",
            "return redis.call('nosuchcommand')",
            Redis,
        ),
        eval("no arguments to call", "return redis.call()", Redis),
        eval("call with a table", "return redis.call({})", Redis),
        eval("wrong arity", "return redis.call('set', 'k')", Redis),
        eval("pcall wrong arity", "return redis.pcall('get')", Redis),
        eval("index nil", "local t = nil return t.x", Redis),
        eval("arith on table", "return 1 + {}", Redis),
        eval("length of nil", "return #nil", Redis),
        eval("call a string", "return ('x')()", Redis),
        eval("compare mixed", "return {} < 1", Redis),
        eval("global write", "x = 1", Redis),
        eval("global read", "return undefined_global_name", Redis),
        eval("syntax error", "return (", Redis),
        eval("sha1hex no argument", "return redis.sha1hex()", Redis),
        eval("bit.tohex no argument", "return bit.tohex()", Redis),
        eval("string.rep no argument", "return string.rep()", Redis),
        eval(
            "tostring error object",
            "return type(select(2, pcall(error, {})))",
            Redis,
        ),
        eval(
            "error with level 2",
            "local function f() error('lvl', 2) end f()",
            Redis,
        ),
        // Metatables on basic types and the sandbox.
        eval(
            "string metatable __index",
            "getmetatable('').__index = function() return 1 end return ('x').y",
            Redis,
        ),
        eval(
            "setmetatable on a number",
            "return setmetatable(1, {})",
            Redis,
        ),
        eval("setmetatable _G", "setmetatable(_G, nil)", Redis),
        eval("rawset _G", "rawset(_G, 'y', 1) return y", Redis),
        eval(
            "string metatable __gc",
            "local m = getmetatable('') m.__gc = function() end return 1",
            Redis,
        ),
        eval("debug library", "return debug.getinfo(1).short_src", Redis),
        eval("newproxy", "return type(newproxy)", Redis),
        eval(
            "__tostring loop",
            "local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) \
             return tostring(t)",
            Redis,
        ),
        eval(
            "__index chain loop",
            "local a, b = {}, {} setmetatable(a, {__index = b}) setmetatable(b, {__index = a}) \
             return a.x",
            Redis,
        ),
        // FUNCTION RESTORE with crafted payloads.
        cmd(
            "restore LZF huge length",
            &[
                b"FUNCTION",
                b"RESTORE",
                &[
                    0xf5, 0xc3, 0x04, 0x81, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                    0x61, 0x20, 0x00, 0x0a, 0x00, 0xbd, 0xd0, 0x7f, 0x16, 0x26, 0x59, 0xa9, 0x24,
                ],
            ],
            Redis,
        ),
        cmd(
            "restore garbage",
            &[b"FUNCTION", b"RESTORE", b"garbage!garbage!"],
            Redis,
        ),
        cmd("restore empty", &[b"FUNCTION", b"RESTORE", b""], Redis),
        cmd(
            "restore header only",
            &[b"FUNCTION", b"RESTORE", &[0xf5, 0x0a, 0x00]],
            Redis,
        ),
        // Malformed RESP.
        raw("unterminated bulk count", b"*1\r\n$99999999999\r\n"),
        raw(
            "negative multibulk then junk",
            b"*-7\r\n\x00\xff\r\nPING\r\n",
        ),
        raw("bad bulk prefix", b"*2\r\n$4\r\nECHO\r\n:12\r\n"),
        raw("unbalanced inline quotes", b"SET \"k v\r\n"),
    ]
}

/// The process's resident size now (VmRSS), in KiB.
fn current_rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the process's peak RSS to its current RSS (Linux's clear_refs
/// "5"); false if it cannot.
fn reset_peak(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), b"5").is_ok()
}

/// Sends a request on a fresh connection and reads one reply (or, for
/// raw bytes, everything until close or 500 ms of quiet).
fn run(port: u16, send: &Send) -> Vec<u8> {
    match send {
        Send::Eval(s) => {
            let mut c = Client::connect(port).expect("connect");
            c.try_cmd(&[b"EVAL".as_slice(), s.as_bytes(), b"0"])
                .unwrap_or_else(|e| format!("<{e}>").into_bytes())
        }
        Send::Cmd(args) => {
            let mut c = Client::connect(port).expect("connect");
            c.try_cmd(args)
                .unwrap_or_else(|e| format!("<{e}>").into_bytes())
        }
        Send::Raw(bytes) => {
            let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            let _ = s.write_all(bytes);
            let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
            let mut got = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = s.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&chunk[..n]);
            }
            got
        }
    }
}

/// PINGs `port` every 50 ms on its own connection until `stop`; returns
/// the slowest answer and the unexpected answers.
fn pinger(port: u16, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<(Duration, Vec<String>)> {
    std::thread::spawn(move || {
        let mut worst = Duration::ZERO;
        let mut bad = Vec::new();
        let mut c = match Client::connect(port) {
            Ok(c) => c,
            Err(e) => return (worst, vec![format!("connect: {e}")]),
        };
        while !stop.load(Ordering::SeqCst) {
            let t = Instant::now();
            let r = c.try_cmd(&["PING"]);
            worst = worst.max(t.elapsed());
            match r {
                Ok(r) if r == b"+PONG\r\n" || r.starts_with(b"-BUSY") => {}
                Ok(r) => bad.push(show(&r)),
                Err(e) => {
                    bad.push(e);
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        (worst, bad)
    })
}

/// Sends SCRIPT KILL every 100 ms from 400 ms on until it is answered OK
/// or `stop`.
fn killer(port: u16, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Option<Duration>> {
    std::thread::spawn(move || {
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(400));
        let mut c = Client::connect(port).ok()?;
        while !stop.load(Ordering::SeqCst) {
            if let Ok(r) = c.try_cmd(&["SCRIPT", "KILL"]) {
                if r == b"+OK\r\n" {
                    return Some(start.elapsed());
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    })
}

/// Runs `cases` against the server on `port` (process `pid`), with the
/// stock redis-server on `reference` as the oracle; panics listing every
/// failed case.
pub fn run_corpus(port: u16, pid: u32, reference: u16, cases: Vec<Case>) {
    let started = Instant::now();
    let can_reset = reset_peak(pid);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for case in &cases {
        if can_reset {
            reset_peak(pid);
        }
        let t = Instant::now();
        let stop = Arc::new(AtomicBool::new(false));
        let pings = pinger(port, stop.clone());
        let kill = matches!(case.want, Want::Killed(_)).then(|| killer(port, stop.clone()));
        let got = run(port, &case.send);
        stop.store(true, Ordering::SeqCst);
        let killed_after = kill.and_then(|k| k.join().ok().flatten());
        let (worst_ping, bad_pings) = pings.join().unwrap_or((Duration::MAX, Vec::new()));
        let took = t.elapsed();
        let peak = peak_rss_kib(pid);
        let rss = current_rss_kib(pid);
        eprintln!(
            "{}: {took:?} peak {peak} kB (now {rss} kB) reply {}",
            case.name,
            show(&got[..got.len().min(120)])
        );
        let text = String::from_utf8_lossy(&got).into_owned();
        let ok = match &case.want {
            Want::Redis => {
                let want = run(reference, &case.send);
                if want != got {
                    failures.push(format!(
                        "{}: redis {} ferrous {}",
                        case.name,
                        show(&want[..want.len().min(300)]),
                        show(&got[..got.len().min(300)])
                    ));
                }
                want == got
            }
            Want::ErrorWith(s) => got.starts_with(b"-") && text.contains(s),
            Want::Holds(s) => text.contains(s),
            Want::Killed(s) => got.starts_with(b"-") && text.contains(s) && killed_after.is_some(),
        };
        if !ok && !matches!(case.want, Want::Redis) {
            failures.push(format!(
                "{}: reply {}",
                case.name,
                show(&got[..got.len().min(300)])
            ));
        }
        if !bad_pings.is_empty() || worst_ping > Duration::from_secs(5) {
            failures.push(format!(
                "{}: PING during: slowest {worst_ping:?}, unexpected {bad_pings:?}",
                case.name
            ));
        }
        let mut c = Client::connect(port).expect("connect after");
        if c.try_cmd(&["PING"]).as_deref() != Ok(b"+PONG\r\n".as_slice()) {
            failures.push(format!("{}: no PONG after", case.name));
        }
        if peak > RSS_BAR_KIB {
            failures.push(format!("{}: peak RSS {peak} kB", case.name));
        }
        table.push((case.name, peak, took, killed_after));
    }
    println!(
        "hostile corpus: {} cases in {:?}, limit {LIMIT_MB} MB, bar {} MB, per-case peaks {}",
        cases.len(),
        started.elapsed(),
        RSS_BAR_KIB / 1024,
        if can_reset {
            "(reset before each case)"
        } else {
            "(cumulative)"
        }
    );
    for (name, peak, took, killed) in &table {
        println!(
            "  {name:40} peak {:6.1} MB  {took:>10.1?}{}",
            *peak as f64 / 1024.0,
            killed
                .map(|k| format!("  killed after {k:.1?}"))
                .unwrap_or_default()
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
