//! `cargo xtask conformance redis-suite`: Redis 7.0.15's own test units
//! `unit/scripting` and `unit/functions` (../shared/redis-tests, a read-only
//! folder beside the repository) run in external mode against a stock
//! redis-server and against each Ferrous target, side by side.
//!
//! Targets:
//! * `proxy`: `ferrous-redis --upstream` in front of its own stock
//!   redis-server;
//! * `module`: a redis-server that loads `libferrous_redis_module.so`
//!   (skipped, with a message, while the library has not been built).
//!
//! Every (target, unit) pair gets fresh servers on free loopback ports and
//! its own copy of the test folder (the runner writes under tests/tmp). The
//! runner is started without `--durable` and without a skip list; its
//! `--timeout` (seconds without progress) turns a hang into a failed unit,
//! and a wall-clock guard kills its whole process group if even that does
//! not end it. The tests a unit did not reach are counted as failures.
//!
//! Known failures of a target live in tests/redis-suite/known-failures
//! (`target<TAB>unit<TAB>test name<TAB>reason`); the task fails when a test
//! that passes on stock Redis fails on a target and is not listed there.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::conformance_redis::redis_resp::{Conn, Resp};
use crate::conformance_redis::redis_server::{find_redis_server, free_port, TempDir};

const UNITS: [&str; 2] = ["scripting", "functions"];
const TARGETS: [&str; 2] = ["proxy", "module"];

/// What Redis's CI gives a server under test in external mode.
const EXTERNAL_FLAGS: [&str; 10] = [
    "--enable-debug-command",
    "yes",
    "--enable-protected-configs",
    "yes",
    "--enable-module-command",
    "yes",
    "--save",
    "",
    "--appendonly",
    "no",
];

struct Options {
    targets: Vec<String>,
    /// Whether `--target` was given (then a missing target is an error).
    explicit_target: bool,
    units: Vec<String>,
    only: Vec<String>,
    profile: String,
    /// Runner `--timeout`: seconds without progress before it gives up.
    timeout: u64,
    /// Wall-clock limit of one unit run.
    wall: Duration,
    durable: bool,
}

fn usage() -> String {
    "usage: cargo xtask conformance redis-suite [--target proxy|module|all] \
     [--unit scripting|functions] [--only NAME]... [--profile PROFILE] \
     [--timeout SECONDS] [--durable]"
        .into()
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        targets: TARGETS.iter().map(|s| s.to_string()).collect(),
        explicit_target: false,
        units: UNITS.iter().map(|s| s.to_string()).collect(),
        only: Vec::new(),
        profile: "release".into(),
        timeout: 30,
        wall: Duration::from_secs(15 * 60),
        durable: false,
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{a} needs a value\n{}", usage()))
        };
        match a.as_str() {
            "--target" => {
                let v = value()?;
                o.targets = match v.as_str() {
                    "all" => TARGETS.iter().map(|s| s.to_string()).collect(),
                    t if TARGETS.contains(&t) => vec![t.to_string()],
                    _ => return Err(format!("unknown target {v}\n{}", usage())),
                };
                o.explicit_target = v != "all";
            }
            "--unit" => {
                let v = value()?;
                let v = v.strip_prefix("unit/").unwrap_or(&v).to_string();
                if !UNITS.contains(&v.as_str()) {
                    return Err(format!("unknown unit {v}\n{}", usage()));
                }
                o.units = vec![v];
            }
            "--only" => o.only.push(value()?),
            "--profile" => o.profile = value()?,
            "--timeout" => {
                o.timeout = value()?
                    .parse()
                    .map_err(|_| format!("bad --timeout\n{}", usage()))?
            }
            "--durable" => o.durable = true,
            "-h" | "--help" => return Err(usage()),
            _ => return Err(format!("unknown argument {a}\n{}", usage())),
        }
    }
    Ok(o)
}

/// A server process killed on drop.
struct Proc {
    name: String,
    port: u16,
    child: Child,
    log: PathBuf,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proc {
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

fn spawn(name: &str, mut cmd: Command, port: u16, dir: &Path) -> Result<Proc, String> {
    let log = dir.join(format!("{name}.log"));
    let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let child = cmd
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    let mut p = Proc {
        name: name.to_string(),
        port,
        child,
        log,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if !p.alive() {
            return Err(format!(
                "{name} exited during start-up; its log says:\n{}",
                p.log_tail()
            ));
        }
        if let Ok(mut c) = Conn::connect(port, Duration::from_secs(5)) {
            if let Ok(Resp::Status(s)) = c.cmd(&["PING"]) {
                if s == b"PONG" {
                    c.close();
                    return Ok(p);
                }
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{name} did not answer PING on port {port} within 20 s; its log says:\n{}",
                p.log_tail()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A redis-server with the external-mode flags and `extra` arguments.
fn start_redis(bin: &Path, name: &str, dir: &Path, extra: &[String]) -> Result<Proc, String> {
    let port = free_port()?;
    let mut cmd = Command::new(bin);
    cmd.arg("--port")
        .arg(port.to_string())
        .args(["--bind", "127.0.0.1", "--daemonize", "no", "--logfile", ""])
        .args(EXTERNAL_FLAGS)
        .arg("--dir")
        .arg(dir)
        .arg("--dbfilename")
        .arg(format!("{name}.rdb"))
        .args(extra);
    spawn(name, cmd, port, dir)
}

/// The servers of one target: the one the tests talk to comes last.
struct Rig {
    procs: Vec<Proc>,
}

impl Rig {
    fn port(&self) -> u16 {
        self.procs.last().map(|p| p.port).unwrap_or(0)
    }

    /// Names and log tails of servers that died.
    fn dead(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for p in &mut self.procs {
            if !p.alive() {
                out.push(format!(
                    "{} exited; its log says:\n{}",
                    p.name,
                    p.log_tail()
                ));
            }
        }
        out
    }
}

struct Paths {
    redis: PathBuf,
    ferrous: Option<PathBuf>,
    module: Option<PathBuf>,
}

fn start_target(target: &str, paths: &Paths, dir: &Path) -> Result<Rig, String> {
    match target {
        "stock" => Ok(Rig {
            procs: vec![start_redis(&paths.redis, "stock", dir, &[])?],
        }),
        "proxy" => {
            let bin = paths
                .ferrous
                .as_ref()
                .ok_or("ferrous-redis was not built")?;
            let upstream = start_redis(&paths.redis, "upstream", dir, &[])?;
            let port = free_port()?;
            let mut cmd = Command::new(bin);
            cmd.arg("--port")
                .arg(port.to_string())
                .arg("--upstream")
                .arg(format!("127.0.0.1:{}", upstream.port));
            let proxy = spawn("ferrous-redis", cmd, port, dir)?;
            Ok(Rig {
                procs: vec![upstream, proxy],
            })
        }
        "module" => {
            let so = paths.module.as_ref().ok_or("the module was not built")?;
            // The module takes EVAL & co over by itself (a command
            // filter); no renames are needed.
            let extra = vec!["--loadmodule".to_string(), so.display().to_string()];
            Ok(Rig {
                procs: vec![start_redis(&paths.redis, "module", dir, &extra)?],
            })
        }
        _ => Err(format!("unknown target {target}")),
    }
}

/// Copies a folder tree (files and folders only), making the copy writable.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let ft = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", src.display()))?;
        if ft.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("cannot copy {}: {e}", src.display()))?;
            let mut perm = std::fs::metadata(&dst)
                .map_err(|e| format!("{}: {e}", dst.display()))?
                .permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            std::fs::set_permissions(&dst, perm).map_err(|e| format!("{}: {e}", dst.display()))?;
        }
    }
    Ok(())
}

/// The outcome of one unit on one target.
#[derive(Default)]
struct UnitRun {
    /// Test name -> number of times it passed (a name can repeat).
    ok: BTreeMap<String, usize>,
    /// Test name -> first lines of each failure.
    err: BTreeMap<String, Vec<String>>,
    /// `[exception]` or `[TIMEOUT]` text, or a guard/crash message: the
    /// unit stopped before its end.
    aborted: Option<String>,
    ignored: usize,
    seconds: f64,
}

impl UnitRun {
    fn passed(&self) -> usize {
        self.ok.values().sum()
    }
    fn failed(&self) -> usize {
        self.err.values().map(Vec::len).sum()
    }
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads the runner's output into a [`UnitRun`].
fn parse_output(text: &str, run: &mut UnitRun) {
    let text = strip_ansi(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if let Some(rest) = line.strip_prefix("[ok]: ") {
            // "[ok]: NAME (N ms)"
            let name = match rest.rfind(" (") {
                Some(p) if rest.ends_with(" ms)") => &rest[..p],
                _ => rest,
            };
            *run.ok.entry(name.to_string()).or_insert(0) += 1;
        } else if let Some(rest) = line.strip_prefix("[err]: ") {
            // "[err]: NAME in tests/unit/X.tcl" then the message lines.
            let name = match rest.rfind(" in tests/") {
                Some(p) => &rest[..p],
                None => rest,
            };
            let mut msg = Vec::new();
            while i < lines.len() && !lines[i].starts_with('[') && msg.len() < 3 {
                let l = lines[i].trim();
                if !l.is_empty() {
                    msg.push(l.chars().take(200).collect::<String>());
                }
                i += 1;
            }
            run.err
                .entry(name.to_string())
                .or_default()
                .push(msg.join(" | "));
        } else if line.starts_with("[ignore]: ") {
            run.ignored += 1;
        } else if line.starts_with("[exception]: ") || line.starts_with("[TIMEOUT]: ") {
            let mut msg = vec![line.to_string()];
            while i < lines.len() && msg.len() < 6 && !lines[i].trim().is_empty() {
                msg.push(lines[i].trim().chars().take(200).collect());
                i += 1;
            }
            run.aborted = Some(msg.join(" | "));
        }
    }
}

/// Runs one unit with the tests folder copy `tests` against `port`.
fn run_unit(tests: &Path, port: u16, unit: &str, opts: &Options, log: &Path) -> UnitRun {
    let mut run = UnitRun::default();
    let started = Instant::now();
    let out = match std::fs::File::create(log) {
        Ok(f) => f,
        Err(e) => {
            run.aborted = Some(format!("cannot create {}: {e}", log.display()));
            return run;
        }
    };
    let err = match out.try_clone() {
        Ok(f) => f,
        Err(e) => {
            run.aborted = Some(format!("{}: {e}", log.display()));
            return run;
        }
    };
    let mut cmd = Command::new("./runtest");
    cmd.current_dir(tests)
        .args(["--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(["--single", &format!("unit/{unit}")])
        .args(["--timeout", &opts.timeout.to_string()]);
    if opts.durable {
        cmd.arg("--durable");
    }
    for o in &opts.only {
        cmd.args(["--only", o]);
    }
    // No colours; a process group of its own so the guard can end the
    // runner together with its test clients.
    cmd.env("TERM", "dumb")
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .process_group(0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            run.aborted = Some(format!("cannot start ./runtest: {e}"));
            return run;
        }
    };
    let pgid = child.id();
    let mut guard_hit = false;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) => {}
            Err(_) => break,
        }
        if started.elapsed() > opts.wall {
            guard_hit = true;
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pgid}")])
                .status();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The test clients are in the runner's group; make sure none lingers.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status();
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(log) {
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    parse_output(&text, &mut run);
    if guard_hit {
        run.aborted = Some(format!(
            "killed after {} s (wall-clock guard)",
            opts.wall.as_secs()
        ));
    } else if run.aborted.is_none()
        && !text.contains("All tests passed")
        && !text.contains("The End")
    {
        let tail: Vec<&str> = text.lines().rev().take(5).collect();
        run.aborted = Some(format!(
            "the runner stopped early: {}",
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        ));
    }
    run.seconds = started.elapsed().as_secs_f64();
    run
}

/// Where cargo puts `profile`'s artifacts.
fn profile_dir(profile: &str) -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => {
            let t = PathBuf::from(t);
            if t.is_absolute() {
                t
            } else {
                crate::util::root().join(t)
            }
        }
        None => crate::util::root().join("target"),
    };
    target.join(match profile {
        "dev" | "test" => "debug",
        "bench" => "release",
        p => p,
    })
}

fn find_tclsh() -> Result<(), String> {
    for v in ["tclsh8.5", "tclsh8.6", "tclsh8.7"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {v}")])
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if found {
            return Ok(());
        }
    }
    Err("tclsh 8.5+ not found: install it with `apt-get install -y tcl` (or .ci/run, which does it)".into())
}

/// Known failures: (target, unit, test name) -> reason.
type Known = BTreeMap<(String, String, String), String>;

fn load_known(path: &Path) -> Result<Known, String> {
    let mut out = Known::new();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) => return Ok(out),
    };
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.splitn(4, '\t').collect();
        if f.len() != 4 || f[3].trim().is_empty() {
            return Err(format!(
                "{}:{}: expected target<TAB>unit<TAB>test name<TAB>reason",
                path.display(),
                n + 1
            ));
        }
        out.insert(
            (f[0].to_string(), f[1].to_string(), f[2].to_string()),
            f[3].to_string(),
        );
    }
    Ok(out)
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let opts = parse_args(args)?;
    let started = Instant::now();
    find_tclsh()?;
    let root = crate::util::root();
    let suite = root
        .parent()
        .map(|p| p.join("shared").join("redis-tests"))
        .unwrap_or_default();
    if !suite.join("runtest").is_file() {
        return Err(format!(
            "{} not found: the Redis test units live in ../shared/redis-tests beside the repository",
            suite.display()
        ));
    }
    let known = load_known(&root.join("tests/redis-suite/known-failures"))?;
    let redis = find_redis_server()?;

    // Build what the chosen targets need.
    let dir = profile_dir(&opts.profile);
    let mut paths = Paths {
        redis,
        ferrous: None,
        module: None,
    };
    let mut targets: Vec<String> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for t in &opts.targets {
        match t.as_str() {
            "proxy" => {
                crate::util::run_cmd(
                    "cargo",
                    &[
                        "build",
                        "--profile",
                        &opts.profile,
                        "-p",
                        "ferrous-redis",
                        "--bin",
                        "ferrous-redis",
                    ],
                )?;
                let p = dir.join("ferrous-redis");
                if !p.is_file() {
                    return Err(format!(
                        "built ferrous-redis but {} is missing",
                        p.display()
                    ));
                }
                paths.ferrous = Some(p);
                targets.push(t.clone());
            }
            "module" => {
                let members = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
                if members.contains("\"crates/redis-module\"") {
                    if let Err(e) = crate::util::run_cmd(
                        "cargo",
                        &[
                            "build",
                            "--profile",
                            &opts.profile,
                            "-p",
                            "ferrous-redis-module",
                        ],
                    ) {
                        eprintln!("xtask: warning: the module did not build: {e}");
                    }
                }
                let so = dir.join("libferrous_redis_module.so");
                if so.is_file() {
                    paths.module = Some(so);
                    targets.push(t.clone());
                } else {
                    let msg = format!(
                        "target module skipped: {} does not exist \
                         (build it with `cargo build --profile {} -p ferrous-redis-module`)",
                        so.display(),
                        opts.profile
                    );
                    if opts.explicit_target {
                        return Err(msg);
                    }
                    skipped.push(msg);
                }
            }
            _ => {}
        }
    }

    let tmp = TempDir::new("redis-suite")?;
    let mut columns = vec!["stock".to_string()];
    columns.extend(targets.iter().cloned());
    // (column, unit) -> run
    let mut runs: BTreeMap<(String, String), UnitRun> = BTreeMap::new();
    for unit in &opts.units {
        for col in &columns {
            let work = tmp.0.join(format!("{col}-{unit}"));
            copy_tree(&suite, &work.join("tests-copy"))?;
            eprintln!("xtask: redis-suite: unit/{unit} against {col}...");
            let run = match start_target(col, &paths, &work) {
                Ok(mut rig) => {
                    let log = work.join("runtest.log");
                    let mut run = run_unit(&work.join("tests-copy"), rig.port(), unit, &opts, &log);
                    let dead = rig.dead();
                    if !dead.is_empty() {
                        let d = dead.join("\n");
                        run.aborted = Some(match run.aborted.take() {
                            Some(a) => format!("{a}\n{d}"),
                            None => d,
                        });
                    }
                    if run.aborted.is_some() {
                        // Keep the runner's log for a look.
                        let keep = std::env::temp_dir()
                            .join(format!("ferrous-redis-suite-{col}-{unit}.log"));
                        let _ = std::fs::copy(&log, &keep);
                        eprintln!("xtask: runner log kept in {}", keep.display());
                    }
                    drop(rig);
                    run
                }
                Err(e) => UnitRun {
                    aborted: Some(format!("could not start {col}: {e}")),
                    ..UnitRun::default()
                },
            };
            eprintln!(
                "xtask: redis-suite: unit/{unit} on {col}: {} ok, {} err{} ({:.0} s)",
                run.passed(),
                run.failed(),
                if run.aborted.is_some() {
                    ", aborted"
                } else {
                    ""
                },
                run.seconds
            );
            runs.insert((col.clone(), unit.clone()), run);
        }
    }

    // Report.
    println!(
        "redis-suite: Redis 7.0.15 test units in external mode (no --durable{}, no skip list{})",
        if opts.durable {
            " OFF: --durable given"
        } else {
            ""
        },
        if opts.only.is_empty() {
            String::new()
        } else {
            format!("; --only {}", opts.only.join(", "))
        }
    );
    let mut header = format!("{:<16}", "unit");
    for col in &columns {
        header.push_str(&format!("  {col:>12}"));
    }
    println!("{header}");
    let mut unexpected = 0usize;
    let mut details = String::new();
    for unit in &opts.units {
        let Some(stock) = runs.get(&("stock".to_string(), unit.clone())) else {
            continue;
        };
        let total = stock.passed() + stock.failed();
        let mut row = format!("{:<16}", format!("unit/{unit}"));
        for col in &columns {
            let r = &runs[&(col.clone(), unit.clone())];
            row.push_str(&format!(
                "  {:>12}",
                format!(
                    "{}/{}{}",
                    r.passed(),
                    total,
                    if r.aborted.is_some() { "!" } else { "" }
                )
            ));
        }
        println!("{row}");
        if stock.aborted.is_some() || stock.failed() > 0 {
            details.push_str(&format!(
                "\nunit/{unit}: stock redis-server did not pass everything (environment problem?):\n"
            ));
            for (name, msgs) in &stock.err {
                details.push_str(&format!("    {name}: {}\n", msgs.join(" / ")));
            }
            if let Some(a) = &stock.aborted {
                details.push_str(&format!("    aborted: {a}\n"));
            }
        }
        for col in columns.iter().skip(1) {
            let r = &runs[&(col.clone(), unit.clone())];
            let mut lines = Vec::new();
            for (name, &n) in &stock.ok {
                let got = r.ok.get(name).copied().unwrap_or(0);
                if got >= n {
                    continue;
                }
                let why = match r.err.get(name) {
                    Some(m) => m.join(" / "),
                    None => "not run (the unit stopped before it)".to_string(),
                };
                let key = (col.clone(), unit.clone(), name.clone());
                let tag = match known.get(&key) {
                    Some(reason) => format!("[known: {reason}] "),
                    None => {
                        unexpected += n - got;
                        String::new()
                    }
                };
                let times = if n > 1 {
                    format!(" ({} of {n} runs fail)", n - got)
                } else {
                    String::new()
                };
                lines.push(format!("    {tag}{name}{times}: {why}"));
            }
            if let Some(a) = &r.aborted {
                details.push_str(&format!(
                    "\nunit/{unit} on {col}: the unit stopped early: {a}\n"
                ));
            }
            if !lines.is_empty() {
                details.push_str(&format!(
                    "\nunit/{unit}: pass on stock, not on {col} ({}):\n",
                    lines.len()
                ));
                for l in lines {
                    details.push_str(&l);
                    details.push('\n');
                }
            }
        }
    }
    print!("{details}");
    for s in &skipped {
        println!("{s}");
    }
    let any_aborted = runs.values().any(|r| r.aborted.is_some());
    println!(
        "({}{:.0} s)",
        if any_aborted {
            "`!`: the unit stopped early; tests it did not reach count as failures. "
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    if unexpected > 0 {
        return Err(format!(
            "redis-suite: {unexpected} test run(s) pass on stock Redis but not on a Ferrous target \
             (and are not in tests/redis-suite/known-failures)"
        ));
    }
    Ok(())
}
