//! `cargo xtask conformance redis`: the Redis corpus (tests/redis/**/*.lua)
//! run against a real redis-server and against ferrous-redis, comparing raw
//! reply bytes and the keyspace after every case.
//!
//! ```text
//! cargo xtask conformance redis [--corpus DIR]... [--filter SUBSTR]
//!     [--ferrous PATH | --stand-in] [--show]
//! ```
//!
//! * The runner starts its own redis-server (the Debian package) on a free
//!   loopback port with persistence off, in a temporary directory.
//! * ferrous-redis is `--ferrous PATH`, else `$FERROUS_REDIS`, else built
//!   with `cargo build --release -p ferrous-redis --bin ferrous-redis`. It is
//!   started as `ferrous-redis --port P2 --upstream 127.0.0.1:P1`.
//! * `--stand-in` (or `--ferrous stand-in`, or `FERROUS_REDIS=stand-in`)
//!   starts a second redis-server in ferrous-redis's place: it validates the
//!   runner and the corpus (both sides must agree, being the same program).
//!   A stand-in keeps its own keyspace, so setup, flush and the keyspace dump
//!   go to whichever server executed the script.
//! * `--module [PATH]` runs the cases on a second redis-server that loads
//!   the Redis module (crates/redis-module; PATH is the .so, else it is
//!   built with `cargo build --release -p ferrous-redis-module`). That
//!   server keeps its own keyspace, like a stand-in.
//! * `--show` prints every command and the real server's reply (to review
//!   the corpus).
//!
//! Per case and per side: FLUSHALL on the server holding the data, SCRIPT
//! FLUSH and FUNCTION FLUSH on the server running scripts, the `setup`
//! commands, a fresh connection (HELLO 3 first with `resp: 3`), the case's
//! commands with their raw replies captured, a dump of every key of every
//! database, then the `teardown` commands. The real server goes first. The
//! case format is documented in tests/redis/README.md.

#[path = "redis_case.rs"]
pub mod redis_case;
#[path = "redis_resp.rs"]
pub mod redis_resp;
#[path = "redis_server.rs"]
pub mod redis_server;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use redis_case::{Case, Expect, Step};
use redis_resp::{escape, escape_cut, Conn, Resp};
use redis_server::{Server, TempDir};

/// How long one command may take before the case is declared hung.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// Characters of a reply shown in a mismatch report.
const SHOW: usize = 300;

struct Options {
    corpora: Vec<PathBuf>,
    filter: Option<String>,
    ferrous: Option<String>,
    stand_in: bool,
    /// `--module`: Some(explicit path or None to build it).
    module: Option<Option<String>>,
    show: bool,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        corpora: Vec::new(),
        filter: None,
        ferrous: None,
        stand_in: false,
        module: None,
        show: false,
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| it.next().ok_or_else(|| format!("{flag} needs a value"));
        match a.as_str() {
            "--corpus" => o.corpora.push(PathBuf::from(value("--corpus")?)),
            "--filter" => o.filter = Some(value("--filter")?),
            "--ferrous" => o.ferrous = Some(value("--ferrous")?),
            "--stand-in" => o.stand_in = true,
            "--module" => o.module = Some(None),
            "--module-path" => o.module = Some(Some(value("--module-path")?)),
            "--show" => o.show = true,
            _ => {
                return Err(format!(
                    "unknown argument {a}\nusage: cargo xtask conformance redis [--corpus DIR]... \
                     [--filter SUBSTR] [--ferrous PATH | --stand-in | --module | --module-path SO] [--show]"
                ))
            }
        }
    }
    if o.ferrous.as_deref() == Some("stand-in") {
        o.stand_in = true;
        o.ferrous = None;
    }
    if o.ferrous.is_none() && !o.stand_in {
        if let Ok(env) = std::env::var("FERROUS_REDIS") {
            if env == "stand-in" {
                o.stand_in = true;
            } else if !env.is_empty() {
                o.ferrous = Some(env);
            }
        }
    }
    if o.module.is_some() && (o.stand_in || o.ferrous.is_some()) {
        return Err("--module excludes --stand-in and --ferrous".into());
    }
    if o.stand_in && o.ferrous.is_some() {
        return Err("--stand-in and --ferrous PATH exclude each other".into());
    }
    Ok(o)
}

/// One corpus root and its allowlist.
struct Corpus {
    root: PathBuf,
    cases: Vec<Case>,
    allow: BTreeMap<String, String>,
}

fn load_allowlist(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(map);
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if reason.trim().is_empty() {
            return Err(format!(
                "{}:{}: every allowlist entry needs a reason after the case path",
                path.display(),
                n + 1
            ));
        }
        map.insert(key.to_string(), reason.trim().to_string());
    }
    Ok(map)
}

fn load_corpus(root: &Path, filter: Option<&str>) -> Result<Corpus, String> {
    if !root.is_dir() {
        return Err(format!("corpus folder {} does not exist", root.display()));
    }
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for (path, rel) in redis_case::collect(root)? {
        if filter.is_some_and(|f| !rel.contains(f)) {
            continue;
        }
        match redis_case::parse_case(&path, &rel) {
            Ok(c) => cases.push(c),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(format!(
            "bad case files in {}:\n  {}",
            root.display(),
            errors.join("\n  ")
        ));
    }
    let allow = load_allowlist(&root.join("ALLOWLIST"))?;
    Ok(Corpus {
        root: root.to_path_buf(),
        cases,
        allow,
    })
}

/// What one side produced for a case.
#[derive(Default)]
struct SideRun {
    /// (label, raw reply) per command that was answered.
    replies: Vec<(String, Vec<u8>)>,
    keyspace: String,
    /// Things that went wrong outside the compared replies (setup errors,
    /// broken connections...).
    problems: Vec<String>,
}

/// The servers and their admin connections.
struct Rig {
    real: Server,
    other: Server,
    /// `true` when `other` is a redis-server standing in for ferrous-redis.
    stand_in: bool,
    /// The other server is a redis-server with the Ferrous module.
    module: bool,
    real_admin: Conn,
    other_admin: Conn,
}

#[derive(Clone, Copy, PartialEq)]
enum Which {
    Real,
    Other,
}

impl Rig {
    fn admin(&mut self, w: Which) -> &mut Conn {
        match w {
            Which::Real => &mut self.real_admin,
            Which::Other => &mut self.other_admin,
        }
    }

    fn server(&mut self, w: Which) -> &mut Server {
        match w {
            Which::Real => &mut self.real,
            Which::Other => &mut self.other,
        }
    }

    /// Where a side's data lives: ferrous-redis forwards to the real server;
    /// a stand-in keeps its own.
    fn data_of(&self, side: Which) -> Which {
        match side {
            Which::Real => Which::Real,
            Which::Other if self.stand_in || self.module => Which::Other,
            Which::Other => Which::Real,
        }
    }

    /// Reconnects an admin connection after an error, or reports the server
    /// dead.
    fn check_alive(&mut self, w: Which) -> Result<(), String> {
        let ok = matches!(self.admin(w).cmd(&["PING"]), Ok(Resp::Status(ref s)) if s == b"PONG");
        if ok {
            return Ok(());
        }
        let server = self.server(w);
        if !server.alive() {
            return Err(format!(
                "{} (port {}) died; its log ends with:\n{}",
                server.name,
                server.port,
                server.log_tail()
            ));
        }
        let port = server.port;
        let name = server.name.clone();
        let mut c = Conn::connect(port, STEP_TIMEOUT)
            .map_err(|e| format!("{name} no longer accepts connections: {e}"))?;
        match c.cmd(&["PING"]) {
            Ok(Resp::Status(s)) if s == b"PONG" => {
                *self.admin(w) = c;
                Ok(())
            }
            other => Err(format!("{name} does not answer PING: {other:?}")),
        }
    }
}

fn admin_ok(conn: &mut Conn, args: &[Vec<u8>]) -> Result<Resp, String> {
    conn.command(args)
        .map_err(|e| format!("`{}`: {e}", show_args(args)))
}

fn show_args(args: &[Vec<u8>]) -> String {
    args.iter()
        .map(|a| escape_cut(a, 60))
        .collect::<Vec<_>>()
        .join(" ")
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// Runs one case on one side. `Err` means the run cannot go on (a server
/// died).
fn run_side(rig: &mut Rig, case: &Case, side: Which) -> Result<SideRun, String> {
    let data = rig.data_of(side);
    let mut out = SideRun::default();
    let port = rig.server(side).port;

    // Isolation: empty keyspace, empty script cache, no functions.
    for (w, cmd) in [
        (data, vec![b("FLUSHALL")]),
        (side, vec![b("SCRIPT"), b("FLUSH")]),
        (side, vec![b("FUNCTION"), b("FLUSH")]),
    ] {
        match admin_ok(rig.admin(w), &cmd) {
            Ok(Resp::Status(_)) => {}
            Ok(r) => out
                .problems
                .push(format!("`{}` answered {r:?}", show_args(&cmd))),
            Err(e) => {
                rig.check_alive(w)?;
                out.problems.push(e);
            }
        }
    }
    for cmd in &case.setup {
        match admin_ok(rig.admin(data), cmd) {
            Ok(r) if r.is_error() => out.problems.push(format!(
                "setup `{}` failed: {}",
                show_args(cmd),
                escape(r.bytes().unwrap_or_default())
            )),
            Ok(_) => {}
            Err(e) => {
                rig.check_alive(data)?;
                out.problems.push(format!("setup {e}"));
            }
        }
    }

    if out.problems.is_empty() {
        run_steps(case, port, &mut out);
        if !out.problems.is_empty() {
            rig.check_alive(side)?;
        }
    }

    match dump_keyspace(rig.admin(data)) {
        Ok(k) => out.keyspace = k,
        Err(e) => {
            rig.check_alive(data)?;
            out.problems.push(format!("keyspace dump: {e}"));
        }
    }
    for cmd in &case.teardown {
        match admin_ok(rig.admin(data), cmd) {
            Ok(r) if r.is_error() => out.problems.push(format!(
                "teardown `{}` failed: {}",
                show_args(cmd),
                escape(r.bytes().unwrap_or_default())
            )),
            Ok(_) => {}
            Err(e) => {
                rig.check_alive(data)?;
                out.problems.push(format!("teardown {e}"));
            }
        }
    }
    rig.check_alive(side)?;
    if data != side {
        rig.check_alive(data)?;
    }
    Ok(out)
}

/// The case's commands on a fresh connection.
fn run_steps(case: &Case, port: u16, out: &mut SideRun) {
    let mut conn = match Conn::connect(port, STEP_TIMEOUT) {
        Ok(c) => c,
        Err(e) => {
            out.problems.push(format!("cannot connect: {e}"));
            return;
        }
    };
    if case.resp3 {
        match conn.command_raw(&[b("HELLO"), b("3")]) {
            Ok(r) if r.first() == Some(&b'%') => {}
            Ok(r) => {
                out.problems
                    .push(format!("HELLO 3 answered {}", escape_cut(&r, SHOW)));
                return;
            }
            Err(e) => {
                out.problems.push(format!("HELLO 3: {e}"));
                return;
            }
        }
    }
    let mut raws: Vec<Vec<u8>> = Vec::new();
    for step in &case.steps {
        let mut args = step.args.clone();
        for &(arg, from) in &step.reply_refs {
            let content = raws
                .get(from)
                .and_then(|r| redis_resp::parse(r).ok())
                .and_then(|r| match r {
                    Resp::Bulk(Some(b)) | Resp::Status(b) => Some(b),
                    _ => None,
                });
            match content {
                Some(b) => args[arg] = b,
                None => {
                    out.problems.push(format!(
                        "`{}`: $REPLY:{} is not a string reply",
                        step.label,
                        from + 1
                    ));
                    conn.close();
                    return;
                }
            }
        }
        match conn.command_raw(&args) {
            Ok(raw) => {
                raws.push(raw.clone());
                out.replies
                    .push((step.label.clone(), comparable(step, raw)))
            }
            Err(e) => {
                out.problems
                    .push(format!("`{}`: no reply: {e}", step.label));
                break;
            }
        }
    }
    conn.close();
}

/// The part of a reply that is compared: all of it, or for HELLO (which
/// carries a client id) only its type and the protocol version.
fn comparable(step: &Step, raw: Vec<u8>) -> Vec<u8> {
    if step.compare_bytes {
        return raw;
    }
    let kind = raw.first().copied().unwrap_or(b'?');
    let mut v = format!("<HELLO reply of type '{}'", kind as char).into_bytes();
    if let Ok(r) = redis_resp::parse(&raw) {
        let items = match r {
            Resp::Map(v) | Resp::Array(Some(v)) => v,
            _ => Vec::new(),
        };
        for pair in items.chunks(2) {
            if let [Resp::Bulk(Some(k)) | Resp::Status(k), val] = pair {
                if k == b"proto" {
                    v.extend_from_slice(format!(", proto {val:?}").as_bytes());
                }
            }
        }
    }
    v.push(b'>');
    v
}

/// Every key of every database with its type, expiry state and contents, in
/// a deterministic order (keys sorted; set members and hash fields sorted).
fn dump_keyspace(c: &mut Conn) -> Result<String, String> {
    let io = |e: std::io::Error| e.to_string();
    let mut out = String::new();
    for db in 0..16 {
        let sel = c.cmd(&["SELECT", &db.to_string()]).map_err(io)?;
        if sel.is_error() {
            break;
        }
        let size = match c.cmd(&["DBSIZE"]).map_err(io)? {
            Resp::Int(n) => n,
            other => return Err(format!("DBSIZE answered {other:?}")),
        };
        if size == 0 {
            continue;
        }
        let mut keys: BTreeSet<Vec<u8>> = BTreeSet::new();
        let mut cursor = b("0");
        loop {
            let r = c
                .command(&[b("SCAN"), cursor.clone(), b("COUNT"), b("1000")])
                .map_err(io)?;
            let Resp::Array(Some(parts)) = r else {
                return Err(format!("SCAN answered {r:?}"));
            };
            match parts.as_slice() {
                [Resp::Bulk(Some(next)), Resp::Array(Some(found))] => {
                    for k in found {
                        if let Resp::Bulk(Some(k)) = k {
                            keys.insert(k.clone());
                        }
                    }
                    cursor = next.clone();
                }
                _ => return Err("SCAN reply has an unexpected shape".into()),
            }
            if cursor == b"0" {
                break;
            }
        }
        out.push_str(&format!("db{db}: {size} keys\n"));
        for key in keys {
            let ty = match c.command(&[b("TYPE"), key.clone()]).map_err(io)? {
                Resp::Status(t) => String::from_utf8_lossy(&t).into_owned(),
                other => format!("{other:?}"),
            };
            let ttl = match c.command(&[b("PTTL"), key.clone()]).map_err(io)? {
                Resp::Int(-1) => "persistent",
                Resp::Int(-2) => "vanished",
                Resp::Int(_) => "volatile",
                _ => "?",
            };
            let k = key.clone();
            let content = match ty.as_str() {
                "string" => c.command(&[b("GET"), k]).map_err(io)?,
                "list" => c.command(&[b("LRANGE"), k, b("0"), b("-1")]).map_err(io)?,
                "set" => sorted(c.command(&[b("SMEMBERS"), k]).map_err(io)?, 1),
                "zset" => c
                    .command(&[b("ZRANGE"), k, b("0"), b("-1"), b("WITHSCORES")])
                    .map_err(io)?,
                "hash" => sorted(c.command(&[b("HGETALL"), k]).map_err(io)?, 2),
                "stream" => c.command(&[b("XRANGE"), k, b("-"), b("+")]).map_err(io)?,
                _ => Resp::Other(b("(type not dumped)")),
            };
            out.push_str(&format!("  {} {ty} {ttl} = ", escape(&key)));
            render(&content, &mut out, 0);
            out.push('\n');
        }
    }
    c.cmd(&["SELECT", "0"]).map_err(io)?;
    if out.is_empty() {
        out.push_str("(no keys)");
    }
    Ok(out)
}

/// Sorts an array reply in groups of `group` items (set members, hash
/// field/value pairs) by their first item.
fn sorted(r: Resp, group: usize) -> Resp {
    match r {
        Resp::Array(Some(items)) => {
            let mut groups: Vec<Vec<Resp>> = items.chunks(group).map(|c| c.to_vec()).collect();
            groups.sort_by(|a, b| {
                let ka = a.first().and_then(Resp::bytes).unwrap_or_default();
                let kb = b.first().and_then(Resp::bytes).unwrap_or_default();
                ka.cmp(kb)
            });
            Resp::Array(Some(groups.into_iter().flatten().collect()))
        }
        other => other,
    }
}

fn render(r: &Resp, out: &mut String, depth: usize) {
    if depth > 64 {
        out.push_str("...");
        return;
    }
    match r {
        Resp::Status(s) => out.push_str(&format!("+{}", escape(s))),
        Resp::Error(s) => out.push_str(&format!("-{}", escape(s))),
        Resp::Int(n) => out.push_str(&format!(":{n}")),
        Resp::Bulk(None) => out.push_str("nil"),
        Resp::Bulk(Some(s)) => out.push_str(&format!("\"{}\"", escape(s))),
        Resp::Array(None) => out.push_str("nil[]"),
        Resp::Array(Some(items)) | Resp::Map(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(it, out, depth + 1);
            }
            out.push(']');
        }
        Resp::Other(s) => out.push_str(&escape(s)),
    }
}

/// The verdict on one case.
enum Verdict {
    Pass,
    Fail(Vec<String>),
    /// Ferrous-only case while a stand-in plays ferrous-redis.
    Skip,
}

fn compare(real: &SideRun, other: &SideRun, other_name: &str) -> Vec<String> {
    let mut diffs = Vec::new();
    for p in &real.problems {
        diffs.push(format!("on redis-server: {p}"));
    }
    for p in &other.problems {
        diffs.push(format!("on {other_name}: {p}"));
    }
    let n = real.replies.len().max(other.replies.len());
    for i in 0..n {
        match (real.replies.get(i), other.replies.get(i)) {
            (Some((label, a)), Some((_, b))) if a != b => diffs.push(format!(
                "command {}: {label}\n      expected: {}\n      got:      {}",
                i + 1,
                escape_cut(a, SHOW),
                escape_cut(b, SHOW)
            )),
            (Some((label, _)), None) => diffs.push(format!(
                "command {}: {label}: no reply from {other_name}",
                i + 1
            )),
            (None, Some((label, _))) => diffs.push(format!(
                "command {}: {label}: no reply from redis-server",
                i + 1
            )),
            _ => {}
        }
    }
    if real.keyspace != other.keyspace {
        diffs.push(format!(
            "keyspace after the case differs\n      expected: {}\n      got:      {}",
            escape_cut(real.keyspace.as_bytes(), SHOW),
            escape_cut(other.keyspace.as_bytes(), SHOW)
        ));
    }
    diffs
}

fn check_expect(case: &Case, run: &SideRun) -> Vec<String> {
    let mut diffs: Vec<String> = run.problems.clone();
    let Some((label, last)) = run.replies.last() else {
        diffs.push("no reply".into());
        return diffs;
    };
    for e in &case.expect {
        let (ok, want) = match e {
            Expect::Exact(x) => (last == x, format!("exactly {}", escape(x))),
            Expect::Prefix(x) => (
                last.starts_with(x),
                format!("a reply starting {}", escape(x)),
            ),
            Expect::ErrorPrefix(x) => {
                let mut full = vec![b'-'];
                full.extend_from_slice(x);
                (
                    last.starts_with(&full),
                    format!("an error starting -{}", escape(x)),
                )
            }
        };
        if !ok {
            diffs.push(format!(
                "command: {label}\n      expected: {want}\n      got:      {}",
                escape_cut(last, SHOW)
            ));
        }
    }
    diffs
}

fn run_case(rig: &mut Rig, case: &Case, show: bool) -> Result<Verdict, String> {
    if case.ferrous_only() {
        if rig.stand_in {
            // Its input crashes or hangs redis-server.
            return Ok(Verdict::Skip);
        }
        let run = run_side(rig, case, Which::Other)?;
        let diffs = check_expect(case, &run);
        return Ok(if diffs.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail(diffs)
        });
    }
    let real = run_side(rig, case, Which::Real)?;
    if show {
        println!("== {}", case.rel);
        for p in &real.problems {
            println!("   PROBLEM: {p}");
        }
        for (label, raw) in &real.replies {
            println!("   > {label}\n   < {}", escape_cut(raw, 1000));
        }
        if !real.keyspace.is_empty() {
            for l in real.keyspace.lines() {
                println!("   | {l}");
            }
        }
    }
    let other = run_side(rig, case, Which::Other)?;
    let name = if rig.stand_in {
        "the stand-in redis-server"
    } else if rig.module {
        "redis-server with the Ferrous module"
    } else {
        "ferrous-redis"
    };
    let diffs = compare(&real, &other, name);
    Ok(if diffs.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(diffs)
    })
}

fn check_redis_version(bin: &Path) -> Result<(), String> {
    let out = std::process::Command::new(bin)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {} --version: {e}", bin.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !text.contains("v=7.0.") {
        eprintln!(
            "xtask: warning: the corpus was recorded with redis-server 7.0.15; found: {}",
            text.trim()
        );
    }
    Ok(())
}

/// The module's shared library: `explicit`, else built in release mode.
fn module_library(explicit: Option<&str>) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("module library {} does not exist", p.display()))
        };
    }
    crate::util::run_cmd(
        "cargo",
        &["build", "--release", "-p", "ferrous-redis-module"],
    )?;
    let p = crate::util::target_dir()
        .join("release")
        .join("libferrous_redis_module.so");
    if p.is_file() {
        Ok(p)
    } else {
        Err(format!("built the module but {} is missing", p.display()))
    }
}

fn ferrous_binary(explicit: Option<&str>) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        let p = PathBuf::from(p);
        if !p.is_file() {
            return Err(format!(
                "ferrous-redis binary {} does not exist",
                p.display()
            ));
        }
        return Ok(p);
    }
    crate::util::run_cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "ferrous-redis",
            "--bin",
            "ferrous-redis",
        ],
    )
    .map_err(|e| {
        format!(
            "{e}\n(no ferrous-redis binary yet? `--stand-in` validates the runner and the corpus \
             against a second redis-server)"
        )
    })?;
    let p = crate::util::target_dir()
        .join("release")
        .join("ferrous-redis");
    if p.is_file() {
        Ok(p)
    } else {
        Err(format!(
            "built ferrous-redis but {} is missing",
            p.display()
        ))
    }
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let opts = parse_args(args)?;
    let started = Instant::now();

    // The corpus first: a malformed case fails before any server starts.
    let mut roots = vec![crate::util::root().join("tests").join("redis")];
    roots.extend(opts.corpora.iter().cloned());
    let mut corpora = Vec::new();
    for r in &roots {
        corpora.push(load_corpus(r, opts.filter.as_deref())?);
    }
    let total: usize = corpora.iter().map(|c| c.cases.len()).sum();
    if total == 0 {
        return Err("no case matches".into());
    }

    let redis_bin = redis_server::find_redis_server()?;
    check_redis_version(&redis_bin)?;
    let module = match &opts.module {
        Some(explicit) => Some(module_library(explicit.as_deref())?),
        None => None,
    };
    let ferrous = if opts.stand_in || module.is_some() {
        None
    } else {
        Some(ferrous_binary(opts.ferrous.as_deref())?)
    };

    let tmp = TempDir::new("redis-conformance")?;
    let real = redis_server::start_redis(&redis_bin, "redis-server", &tmp.0)?;
    let other = match (&ferrous, &module) {
        (_, Some(so)) => {
            let so = so.display().to_string();
            redis_server::start_redis_with(&redis_bin, "module", &tmp.0, &["--loadmodule", &so])?
        }
        (None, None) => redis_server::start_redis(&redis_bin, "stand-in", &tmp.0)?,
        (Some(bin), None) => redis_server::start_ferrous(bin, real.port, &tmp.0)?,
    };
    let connect =
        |s: &Server| Conn::connect(s.port, STEP_TIMEOUT).map_err(|e| format!("{}: {e}", s.name));
    let real_admin = connect(&real)?;
    let other_admin = connect(&other)?;
    let mut rig = Rig {
        real,
        other,
        stand_in: ferrous.is_none() && module.is_none(),
        module: module.is_some(),
        real_admin,
        other_admin,
    };
    eprintln!(
        "xtask: redis-server on port {}, {} on port {}; {total} cases",
        rig.real.port,
        if rig.stand_in {
            "stand-in redis-server".to_string()
        } else if let Some(so) = &module {
            format!("redis-server with the module ({})", so.display())
        } else {
            format!(
                "ferrous-redis ({})",
                ferrous
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )
        },
        rig.other.port
    );

    // folder -> [passed, failed, allowed, skipped]
    let mut table: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut failures: Vec<(String, Vec<String>)> = Vec::new();
    let mut allowed: Vec<(String, String)> = Vec::new();
    let mut stale_allow: Vec<String> = Vec::new();
    let mut fatal = None;
    'outer: for corpus in &corpora {
        let label = |c: &Case| {
            if corpus.root == roots[0] {
                c.rel.clone()
            } else {
                format!("{}/{}", corpus.root.display(), c.rel)
            }
        };
        for case in &corpus.cases {
            let folder = if corpus.root == roots[0] {
                case.folder.clone()
            } else {
                format!("{}/{}", corpus.root.display(), case.folder)
            };
            let row = table.entry(folder).or_insert([0; 4]);
            let verdict = match run_case(&mut rig, case, opts.show) {
                Ok(v) => v,
                Err(e) => {
                    row[1] += 1;
                    failures.push((label(case), vec![format!("FATAL: {e}")]));
                    fatal = Some(format!("stopped at {}: {e}", label(case)));
                    break 'outer;
                }
            };
            match verdict {
                Verdict::Pass => {
                    row[0] += 1;
                    if corpus.allow.contains_key(&case.rel) {
                        stale_allow.push(label(case));
                    }
                }
                Verdict::Fail(d) => {
                    if let Some(reason) = corpus.allow.get(&case.rel) {
                        row[2] += 1;
                        allowed.push((label(case), reason.clone()));
                    } else {
                        row[1] += 1;
                        failures.push((label(case), d));
                    }
                }
                Verdict::Skip => row[3] += 1,
            }
        }
    }
    let (was_stand_in, was_module) = (rig.stand_in, rig.module);
    drop(rig);

    for (case, diffs) in &failures {
        println!("MISMATCH {case}");
        for d in diffs {
            println!("    {d}");
        }
    }
    if !allowed.is_empty() {
        println!("Allowed differences (tests/redis/ALLOWLIST):");
        for (case, reason) in &allowed {
            println!("    {case}: {reason}");
        }
    }
    for case in &stale_allow {
        println!("note: {case} is in the allowlist but passes; remove its entry");
    }
    let w = table.keys().map(|k| k.len()).max().unwrap_or(6).max(6);
    println!(
        "{:<w$}  {:>6}  {:>6}  {:>7}  {:>7}",
        "folder", "passed", "failed", "allowed", "skipped"
    );
    let mut sum = [0usize; 4];
    for (folder, row) in &table {
        println!(
            "{folder:<w$}  {:>6}  {:>6}  {:>7}  {:>7}",
            row[0], row[1], row[2], row[3]
        );
        for i in 0..4 {
            sum[i] += row[i];
        }
    }
    println!(
        "{:<w$}  {:>6}  {:>6}  {:>7}  {:>7}",
        "total", sum[0], sum[1], sum[2], sum[3]
    );
    println!(
        "({:.1} s{})",
        started.elapsed().as_secs_f64(),
        if was_stand_in {
            "; stand-in mode: ferrous-only cases skipped"
        } else if was_module {
            "; through the Redis module"
        } else {
            ""
        }
    );
    if let Some(f) = fatal {
        return Err(f);
    }
    if sum[1] > 0 {
        return Err(format!("{} Redis case(s) differ", sum[1]));
    }
    Ok(())
}
