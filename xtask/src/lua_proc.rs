//! Running a Lua interpreter on one script: a timeout that kills the whole
//! process group, capped output capture, and wall-clock timing.
//!
//! Shared by `conformance lua` and `bench`. Std-only: the only foreign
//! function is libc's `kill(2)`, which std already links.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Output beyond this many bytes per stream is read and discarded, so a
/// runaway `print` loop cannot exhaust memory before the timeout hits.
pub const OUTPUT_CAP: usize = 16 << 20;

/// `struct timeval` and `struct rusage` as Linux x86-64/aarch64 lay them
/// out (two timevals, then fourteen longs).
#[repr(C)]
#[derive(Default, Clone, Copy)]
struct TimeVal {
    sec: i64,
    usec: i64,
}

#[repr(C)]
#[derive(Default)]
struct RUsage {
    utime: TimeVal,
    stime: TimeVal,
    rest: [i64; 14],
}

extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
    fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut RUsage) -> i32;
}

/// Waits for `pid` with wait4(2): its raw wait status and the CPU time
/// (user + system) it used.
fn wait_pid(pid: i32) -> Result<(i32, Duration), String> {
    loop {
        let mut status = 0i32;
        let mut usage = RUsage::default();
        // SAFETY: plain libc call with valid pointers to owned locals.
        let r = unsafe { wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            let t = |tv: TimeVal| {
                Duration::from_micros((tv.sec.max(0) as u64) * 1_000_000 + tv.usec.max(0) as u64)
            };
            return Ok((status, t(usage.utime) + t(usage.stime)));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {err}"));
        }
    }
}

const SIGKILL: i32 = 9;

/// An interpreter command: a program plus fixed leading arguments
/// (`luajit -joff` is `luajit` with `["-joff"]`).
#[derive(Clone, Debug)]
pub struct Interp {
    /// Short label for reports: `lua5.1`, `luajit -joff`, `ferrous-lua`.
    pub label: String,
    /// The program as it will be spawned (a bare name is looked up in PATH).
    pub program: String,
    pub args: Vec<String>,
}

impl Interp {
    pub fn new(label: &str, program: &str, args: &[&str]) -> Interp {
        Interp {
            label: label.to_string(),
            program: program.to_string(),
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The names an interpreter may put in front of its error messages: its
    /// argv[0] as spawned and that path's final component.
    pub fn prefixes(&self) -> Vec<String> {
        let mut v = vec![self.program.clone()];
        if let Some(base) = Path::new(&self.program).file_name() {
            let base = base.to_string_lossy().into_owned();
            if !v.contains(&base) {
                v.push(base);
            }
        }
        v
    }
}

/// The result of one run.
#[derive(Debug)]
pub struct Outcome {
    /// `None` when the process was killed by a signal (including our own
    /// timeout kill).
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Wall-clock time from spawn to exit.
    pub elapsed: Duration,
    /// CPU time (user + system) of the process.
    pub cpu: Duration,
}

impl Outcome {
    /// A short description of how the process ended.
    pub fn status_text(&self) -> String {
        if self.timed_out {
            "timed out".to_string()
        } else if let Some(c) = self.code {
            format!("exit status {c}")
        } else if let Some(s) = self.signal {
            format!("killed by signal {s}")
        } else {
            "unknown exit".to_string()
        }
    }
}

/// Exit code and terminating signal from a raw wait status.
fn decode_status(raw: i32) -> (Option<i32>, Option<i32>) {
    let sig = raw & 0x7f;
    if sig == 0 {
        (Some((raw >> 8) & 0xff), None)
    } else {
        (None, Some(sig))
    }
}

fn reader<R: Read + Send + 'static>(mut r: R) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let room = OUTPUT_CAP.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        kept
    })
}

/// Runs `interp FILE_ARG` in `dir` with stdin closed, killing the process
/// group after `timeout`. `env_set`/`env_remove` adjust the environment.
pub fn run(
    interp: &Interp,
    dir: &Path,
    file_arg: &str,
    timeout: Duration,
    env_set: &[(&str, &str)],
    env_remove: &[&str],
) -> Result<Outcome, String> {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(&interp.program);
    cmd.args(&interp.args)
        .arg(file_arg)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for k in env_remove {
        cmd.env_remove(k);
    }
    for (k, v) in env_set {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", interp.program))?;
    let pid = child.id() as i32;
    let out = child.stdout.take().map(reader);
    let err = child.stderr.take().map(reader);
    let (tx, rx) = mpsc::channel();
    // The child is reaped with wait4 (for its CPU time) instead of
    // Child::wait; the Child handle is only kept so std does not reap it.
    let waiter = thread::spawn(move || {
        let r = wait_pid(pid);
        let _ = tx.send((r, Instant::now()));
        drop(child);
    });
    let mut timed_out = false;
    let (status, end) = match rx.recv_timeout(timeout) {
        Ok(v) => v,
        Err(_) => {
            timed_out = true;
            // SAFETY: plain libc call; the child leads its own process
            // group (process_group(0)), so -pid names only that group.
            unsafe {
                kill(-pid, SIGKILL);
            }
            rx.recv()
                .map_err(|_| "waiter thread vanished".to_string())?
        }
    };
    let _ = waiter.join();
    let (raw, cpu) = status.map_err(|e| format!("waiting for {}: {e}", interp.program))?;
    let (code, signal) = decode_status(raw);
    // Grandchildren (a wrapper script's interpreter) could keep the pipes
    // open after the direct child exits: clear out the group.
    // SAFETY: as above.
    unsafe {
        kill(-pid, SIGKILL);
    }
    let stdout = out.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = err.and_then(|h| h.join().ok()).unwrap_or_default();
    Ok(Outcome {
        code,
        signal,
        timed_out,
        stdout,
        stderr,
        elapsed: end.saturating_duration_since(start),
        cpu,
    })
}

/// The reference interpreter, or an error telling how to install it.
pub fn reference_lua() -> Result<Interp, String> {
    match Command::new("lua5.1")
        .arg("-v")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(_) => Ok(Interp::new("lua5.1", "lua5.1", &[])),
        Err(_) => Err(
            "lua5.1 (the reference interpreter) is not installed: run `apt-get install lua5.1`"
                .into(),
        ),
    }
}

/// Whether `program -v` runs and succeeds.
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("-v")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// `luajit -joff` when luajit is installed.
pub fn luajit_interp() -> Option<Interp> {
    installed("luajit").then(|| Interp::new("luajit -joff", "luajit", &["-joff"]))
}

/// `lua5.4` (PUC-Rio's current interpreter) when installed: a reference
/// column for `bench`. Programs that use 5.1-only functions fail under it.
pub fn lua54_interp() -> Option<Interp> {
    installed("lua5.4").then(|| Interp::new("lua5.4", "lua5.4", &[]))
}

/// Makes a program path usable from any working directory: a path with a
/// slash is made absolute, a bare name is left for PATH lookup.
fn absolutize(p: &str) -> String {
    if !p.contains('/') {
        return p.to_string();
    }
    let path = PathBuf::from(p);
    match std::fs::canonicalize(&path) {
        Ok(abs) => abs.to_string_lossy().into_owned(),
        Err(_) => match std::env::current_dir() {
            Ok(cwd) if path.is_relative() => cwd.join(path).to_string_lossy().into_owned(),
            _ => p.to_string(),
        },
    }
}

/// The interpreter under test: `--ferrous PATH`, else `$FERROUS_LUA`, else
/// a release build of the `ferrous-lua` binary.
pub fn ferrous_interp(explicit: Option<&str>) -> Result<Interp, String> {
    let chosen = explicit
        .map(str::to_string)
        .or_else(|| std::env::var("FERROUS_LUA").ok().filter(|s| !s.is_empty()));
    if let Some(p) = chosen {
        let prog = absolutize(&p);
        return Ok(Interp::new("ferrous-lua", &prog, &[]));
    }
    let root = crate::util::root();
    eprintln!(
        "xtask: building ferrous-lua (cargo build --release -p ferrous-lua-cli --bin ferrous-lua)"
    );
    let status = Command::new("cargo")
        .args([
            "build",
            "--release",
            "-p",
            "ferrous-lua-cli",
            "--bin",
            "ferrous-lua",
        ])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building ferrous-lua failed (use --ferrous PATH or FERROUS_LUA=PATH to test another binary)".into());
    }
    let target = match std::env::var("CARGO_TARGET_DIR") {
        Ok(t) if !t.is_empty() => {
            let t = PathBuf::from(t);
            if t.is_absolute() {
                t
            } else {
                root.join(t)
            }
        }
        _ => root.join("target"),
    };
    let bin = target.join("release").join("ferrous-lua");
    if !bin.is_file() {
        return Err(format!(
            "built ferrous-lua but {} does not exist",
            bin.display()
        ));
    }
    Ok(Interp::new("ferrous-lua", &bin.to_string_lossy(), &[]))
}

/// Finds every `*.lua` file under `dir`, recursively, sorted by path.
/// Hidden entries (names starting with '.') are skipped.
pub fn lua_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in rd {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", d.display()))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let ft = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if ft.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "lua") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
