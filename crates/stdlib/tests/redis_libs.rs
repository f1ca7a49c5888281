//! Differential test of Redis's script libraries (cjson, cmsgpack, bit,
//! struct) against a real redis-server 7.0.
//!
//! The test starts its own `redis-server` on a free loopback port (it fails,
//! saying how to install it, when the binary is missing) and runs every case
//! twice: as `EVAL script 0` on Redis, and as a chunk named `@user_script` on
//! a fresh Ferrous VM with base, table, string, math and the four libraries
//! opened. The Ferrous result is converted to a RESP2 reply the way Redis
//! converts a script's return value, and the two replies must be equal byte
//! for byte. For errors, Redis appends " script: SHA, on @user_script:N." to
//! the message; that suffix belongs to the scripting bridge, so it is cut
//! from Redis's reply before comparing (the message itself must match).
//!
//! Cases come from the Redis corpus (tests/redis/lib-*/ and the crash
//! regressions of these libraries in tests/redis/crash-regressions/, except
//! those that need the bridge: `--!` directives or `redis.*` calls) and from
//! tests/redis_libs_cases.lua (`--- case: NAME` starts each case). Before
//! every case Redis's shared cjson settings are put back to their defaults.
//!
//! Cases that use a standard library Ferrous does not provide yet (string,
//! table, math while those are being written) are reported as skipped.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ferrous_vm::{ErrorKind, Value, Vm};

// ------------------------------------------------------------ redis-server

struct Server {
    child: Child,
    port: u16,
    _dir: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

fn start_server() -> Server {
    let dir = std::env::temp_dir().join(format!("ferrous-redislibs-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let dir = TempDir(dir);
    for _attempt in 0..5 {
        let port = free_port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ])
            .current_dir(&dir.0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => panic!(
                "cannot start redis-server ({e}): this test needs Redis 7.0 \
                 (`apt-get install redis-server`)"
            ),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Server {
                    child,
                    port,
                    _dir: dir,
                };
            }
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("redis-server did not start");
}

struct Conn {
    r: BufReader<TcpStream>,
    w: TcpStream,
}

impl Conn {
    fn open(port: u16) -> Conn {
        let s = TcpStream::connect(("127.0.0.1", port)).expect("connect to redis-server");
        s.set_read_timeout(Some(Duration::from_secs(120))).ok();
        Conn {
            r: BufReader::new(s.try_clone().expect("clone socket")),
            w: s,
        }
    }

    /// Sends a command and returns the raw reply bytes.
    fn call(&mut self, args: &[&[u8]]) -> Vec<u8> {
        let mut cmd = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            cmd.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            cmd.extend_from_slice(a);
            cmd.extend_from_slice(b"\r\n");
        }
        self.w.write_all(&cmd).expect("write to redis-server");
        let mut out = Vec::new();
        self.read_reply(&mut out);
        out
    }

    fn read_line(&mut self, out: &mut Vec<u8>) -> Vec<u8> {
        let mut line = Vec::new();
        self.r
            .read_until(b'\n', &mut line)
            .expect("read from redis-server");
        out.extend_from_slice(&line);
        line
    }

    fn read_reply(&mut self, out: &mut Vec<u8>) {
        let line = self.read_line(out);
        let body = String::from_utf8_lossy(&line[1..line.len().saturating_sub(2)]).to_string();
        match line.first() {
            Some(b'$') => {
                let n: i64 = body.parse().unwrap_or(-1);
                if n >= 0 {
                    let mut buf = vec![0u8; n as usize + 2];
                    self.r.read_exact(&mut buf).expect("read bulk");
                    out.extend_from_slice(&buf);
                }
            }
            Some(b'*') => {
                let n: i64 = body.parse().unwrap_or(-1);
                for _ in 0..n.max(0) {
                    self.read_reply(out);
                }
            }
            _ => {}
        }
    }
}

/// Cuts the bridge's " script: SHA, on @user_script:N." from an error reply.
fn strip_error_suffix(reply: &[u8]) -> Vec<u8> {
    if reply.first() != Some(&b'-') {
        return reply.to_vec();
    }
    let text = &reply[..reply.len().saturating_sub(2)];
    let marker = b" script: ";
    if let Some(at) = text.windows(marker.len()).rposition(|w| w == marker) {
        let rest = &text[at + marker.len()..];
        let ok = rest.len() > 40
            && rest[..40].iter().all(|c| c.is_ascii_hexdigit())
            && rest[40..].starts_with(b", on @")
            && rest.ends_with(b".");
        if ok {
            let mut v = text[..at].to_vec();
            v.extend_from_slice(b"\r\n");
            return v;
        }
    }
    reply.to_vec()
}

const RESET: &str = "cjson.encode_sparse_array(false, 2, 10) cjson.encode_max_depth(1000) \
    cjson.decode_max_depth(1000) cjson.encode_number_precision(14) \
    cjson.encode_keep_buffer(true) cjson.encode_invalid_numbers(false) \
    cjson.decode_invalid_numbers(true) return 1";

// ------------------------------------------------------------------ ferrous

fn new_vm() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_base(&mut vm).expect("base");
    ferrous_stdlib::open_table(&mut vm).expect("table");
    ferrous_stdlib::open_string(&mut vm).expect("string");
    ferrous_stdlib::open_math(&mut vm).expect("math");
    ferrous_stdlib::open_cjson(&mut vm).expect("cjson");
    ferrous_stdlib::open_struct(&mut vm).expect("struct");
    ferrous_stdlib::open_cmsgpack(&mut vm).expect("cmsgpack");
    ferrous_stdlib::open_bit(&mut vm).expect("bit");
    for name in [&b"KEYS"[..], b"ARGV"] {
        let t = vm.new_table(0, 0).expect("table");
        vm.set_global(name, Value::Table(t)).expect("global");
    }
    vm
}

/// Replaces CR and LF by spaces, as Redis does in error and status lines.
fn one_line(b: &[u8]) -> Vec<u8> {
    b.iter()
        .map(|&c| if c == b'\r' || c == b'\n' { b' ' } else { c })
        .collect()
}

/// A script's return value as Redis 7.0 replies it (RESP2).
fn to_resp(vm: &mut Vm, v: Value, out: &mut Vec<u8>, depth: usize) {
    match v {
        Value::Nil | Value::Boolean(false) => out.extend_from_slice(b"$-1\r\n"),
        Value::Boolean(true) => out.extend_from_slice(b":1\r\n"),
        Value::Number(n) => {
            let i = if n.is_nan() || !(-9.2233720368547758e18..9.2233720368547758e18).contains(&n) {
                i64::MIN
            } else {
                n as i64
            };
            out.extend_from_slice(format!(":{i}\r\n").as_bytes());
        }
        Value::String(s) => {
            let b = vm.str_bytes(s).to_vec();
            out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
            out.extend_from_slice(&b);
            out.extend_from_slice(b"\r\n");
        }
        Value::Table(t) if depth < 20000 => {
            let err = vm.raw_get_str(t, b"err").unwrap_or(Value::Nil);
            if let Value::String(s) = err {
                out.push(b'-');
                out.extend_from_slice(&one_line(vm.str_bytes(s)));
                out.extend_from_slice(b"\r\n");
                return;
            }
            let ok = vm.raw_get_str(t, b"ok").unwrap_or(Value::Nil);
            if let Value::String(s) = ok {
                out.push(b'+');
                out.extend_from_slice(&one_line(vm.str_bytes(s)));
                out.extend_from_slice(b"\r\n");
                return;
            }
            let mut items = Vec::new();
            let mut j = 1;
            loop {
                let e = vm.raw_get(t, Value::Number(j as f64));
                if e.is_nil() {
                    break;
                }
                items.push(e);
                j += 1;
            }
            out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
            for e in items {
                to_resp(vm, e, out, depth + 1);
            }
        }
        _ => out.extend_from_slice(b"$-1\r\n"),
    }
}

fn run_ferrous(script: &str) -> Vec<u8> {
    let mut vm = new_vm();
    let f = match vm.load(script.as_bytes(), b"@user_script") {
        Ok(f) => f,
        Err(e) => {
            let msg = match e.value {
                Value::String(s) => vm.str_bytes(s).to_vec(),
                _ => b"?".to_vec(),
            };
            let mut out = b"-ERR Error compiling script (new function): ".to_vec();
            out.extend_from_slice(&one_line(&msg));
            out.extend_from_slice(b"\r\n");
            return out;
        }
    };
    match vm.pcall(f, &[], None) {
        Ok(vals) => {
            let v = vals.first().copied().unwrap_or(Value::Nil);
            let mut out = Vec::new();
            to_resp(&mut vm, v, &mut out, 0);
            out
        }
        Err(e) => {
            let msg = match (e.kind, e.value) {
                (_, Value::String(s)) => vm.str_bytes(s).to_vec(),
                (ErrorKind::Memory, _) => b"not enough memory".to_vec(),
                _ => b"(error object is not a string)".to_vec(),
            };
            let mut out = b"-ERR ".to_vec();
            out.extend_from_slice(&one_line(&msg));
            out.extend_from_slice(b"\r\n");
            out
        }
    }
}

// -------------------------------------------------------------------- cases

struct Case {
    name: String,
    library: String,
    script: String,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

fn library_of(name: &str, script: &str) -> String {
    for lib in ["cjson", "cmsgpack", "bit", "struct"] {
        if name.contains(&format!("lib-{lib}/"))
            || name.starts_with(&format!("{lib}-"))
            || name.contains(&format!("/{lib}-"))
        {
            return lib.to_string();
        }
    }
    for lib in ["cjson", "cmsgpack", "struct", "bit"] {
        if script.contains(&format!("{lib}.")) {
            return lib.to_string();
        }
    }
    "other".to_string()
}

fn corpus_cases() -> Vec<Case> {
    let root = repo_root().join("tests/redis");
    let mut cases = Vec::new();
    for lib in [
        "lib-cjson",
        "lib-cmsgpack",
        "lib-bit",
        "lib-struct",
        "crash-regressions",
    ] {
        let dir = root.join(lib);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for p in files {
            if p.extension().and_then(|e| e.to_str()) != Some("lua") {
                continue;
            }
            let Ok(script) = std::fs::read_to_string(&p) else {
                continue;
            };
            // Cases that need the scripting bridge run in the xtask harness.
            if script.lines().any(|l| l.starts_with("--!")) || script.contains("redis.") {
                continue;
            }
            let file = p.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            // Of the crash regressions, only those of these libraries.
            if lib == "crash-regressions"
                && !["cjson-", "cmsgpack-", "bit-", "struct-"]
                    .iter()
                    .any(|prefix| file.starts_with(prefix))
            {
                continue;
            }
            let name = format!("{lib}/{file}");
            let library = library_of(&name, &script);
            cases.push(Case {
                name,
                library,
                script,
            });
        }
    }
    cases
}

fn extra_cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/redis_libs_cases.lua");
    let text = std::fs::read_to_string(&path).expect("tests/redis_libs_cases.lua");
    let mut cases = Vec::new();
    let mut cur: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("--- case: ") {
            if let Some((n, s)) = cur.take() {
                let library = library_of(&n, &s);
                cases.push(Case {
                    name: n,
                    library,
                    script: s,
                });
            }
            cur = Some((name.trim().to_string(), String::new()));
        } else if let Some((_, s)) = cur.as_mut() {
            s.push_str(line);
            s.push('\n');
        }
    }
    if let Some((n, s)) = cur.take() {
        let library = library_of(&n, &s);
        cases.push(Case {
            name: n,
            library,
            script: s,
        });
    }
    cases
}

/// Standard libraries a script needs that the Ferrous VM lacks so far.
fn missing_stdlib(vm: &mut Vm, script: &str) -> Option<&'static str> {
    let probes: [(&str, &[u8], &[&str]); 3] = [
        (
            "string",
            b"rep",
            &[
                "string.",
                ":sub(",
                ":byte(",
                ":rep(",
                ":format(",
                ":len(",
                ":gsub(",
                ":find(",
                ":match(",
                ":upper(",
                ":lower(",
                ":reverse(",
                ":gmatch(",
                ":char(",
            ],
        ),
        ("table", b"concat", &["table."]),
        ("math", b"floor", &["math."]),
    ];
    for (lib, probe, uses) in probes {
        if !uses.iter().any(|u| script.contains(u)) {
            continue;
        }
        let present = match vm.get_global(lib.as_bytes()) {
            Ok(Value::Table(t)) => !vm.raw_get_str(t, probe).unwrap_or(Value::Nil).is_nil(),
            _ => false,
        };
        if !present {
            return Some(lib);
        }
    }
    None
}

fn show(b: &[u8]) -> String {
    let s: String = b
        .iter()
        .flat_map(|&c| std::ascii::escape_default(c))
        .map(|c| c as char)
        .collect();
    if s.len() > 400 {
        format!("{}...", &s[..400])
    } else {
        s
    }
}

#[test]
fn redis_libraries_match_redis_7() {
    // Replies of deeply nested tables are converted recursively.
    let t = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(run_all_cases)
        .expect("test thread");
    if let Err(e) = t.join() {
        std::panic::resume_unwind(e);
    }
}

fn run_all_cases() {
    let server = start_server();
    let mut conn = Conn::open(server.port);
    let mut cases = corpus_cases();
    let ncorpus = cases.len();
    cases.extend(extra_cases());
    assert!(ncorpus > 0, "no corpus cases found under tests/redis/lib-*");

    let mut probe_vm = new_vm();
    let mut stats: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    // REDIS_LIBS_CASE=substring runs only the matching cases and prints
    // both replies in full.
    let only = std::env::var("REDIS_LIBS_CASE").ok();
    for case in &cases {
        if let Some(o) = &only {
            if !case.name.contains(o.as_str()) {
                continue;
            }
        }
        let entry = stats.entry(case.library.clone()).or_default();
        entry.0 += 1;
        if let Some(lib) = missing_stdlib(&mut probe_vm, &case.script) {
            entry.2 += 1;
            skipped.push(format!("{} (needs {lib})", case.name));
            continue;
        }
        let reset = conn.call(&[b"EVAL", RESET.as_bytes(), b"0"]);
        assert_eq!(reset, b":1\r\n", "resetting cjson settings failed");
        let expected = strip_error_suffix(&conn.call(&[b"EVAL", case.script.as_bytes(), b"0"]));
        let got = run_ferrous(&case.script);
        if only.is_some() {
            println!(
                "{}\n  redis:   {}\n  ferrous: {}",
                case.name,
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&got)
            );
        }
        if got == expected {
            entry.1 += 1;
        } else {
            failures.push(format!(
                "{}\n    redis:   {}\n    ferrous: {}",
                case.name,
                show(&expected),
                show(&got)
            ));
        }
    }
    drop(conn);
    drop(server);

    println!(
        "redis library cases: {} ({} from tests/redis, {} from tests/redis_libs_cases.lua)",
        cases.len(),
        ncorpus,
        cases.len() - ncorpus
    );
    for (lib, (total, same, skip)) in &stats {
        println!("  {lib:9} {total:4} cases, {same:4} byte-identical to Redis, {skip:3} skipped");
    }
    if !skipped.is_empty() {
        println!(
            "SKIPPED {} cases: Ferrous lacks a standard library they use:",
            skipped.len()
        );
        for s in &skipped {
            println!("  {s}");
        }
    }
    if !failures.is_empty() {
        for f in &failures {
            println!("MISMATCH {f}");
        }
        panic!(
            "{} of {} cases differ from Redis",
            failures.len(),
            cases.len()
        );
    }
}

#[test]
fn error_suffix_is_cut() {
    let r = b"-ERR user_script:1: boom script: 0123456789abcdef0123456789abcdef01234567, on @user_script:1.\r\n";
    assert_eq!(strip_error_suffix(r), b"-ERR user_script:1: boom\r\n");
    assert_eq!(strip_error_suffix(b"$1\r\nx\r\n"), b"$1\r\nx\r\n");
}
