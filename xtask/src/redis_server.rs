//! Child servers of the Redis conformance runner: the real redis-server,
//! ferrous-redis (or a second redis-server standing in for it), each on a
//! free loopback port, killed when dropped (so on every exit path that
//! unwinds; Ctrl-C reaches them too because they share our process group).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::conformance_redis::redis_resp::{Conn, Resp};

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Result<TempDir, String> {
        let base = std::env::temp_dir();
        for n in 0..1000u32 {
            let p = base.join(format!("ferrous-{tag}-{}-{n}", std::process::id()));
            if std::fs::create_dir(&p).is_ok() {
                return Ok(TempDir(p));
            }
        }
        Err(format!(
            "cannot create a temporary directory in {}",
            base.display()
        ))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running server process.
pub struct Server {
    pub name: String,
    pub port: u16,
    child: Child,
    /// Where the server's log goes (shown when it fails to start).
    pub log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Whether the process is still alive.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(15);
        lines[from..].join("\n")
    }
}

/// A free TCP port on 127.0.0.1 (bound and released; the tiny race with
/// other programs is acceptable for a test runner).
pub fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind a port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot read the bound port: {e}"))
}

/// Finds `redis-server` on PATH, failing loudly with the install hint.
pub fn find_redis_server() -> Result<PathBuf, String> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join("redis-server");
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(
        "redis-server not found on PATH: install it with `apt-get install redis-server` \
         (the Redis corpus needs the real server, version 7.0)"
            .into(),
    )
}

/// Starts a redis-server on a free port with persistence off, its files in
/// `dir`.
pub fn start_redis(bin: &Path, name: &str, dir: &Path) -> Result<Server, String> {
    start_redis_with(bin, name, dir, &[])
}

/// Starts redis-server with extra arguments (`--loadmodule PATH`).
pub fn start_redis_with(
    bin: &Path,
    name: &str,
    dir: &Path,
    extra: &[&str],
) -> Result<Server, String> {
    let port = free_port()?;
    let log = dir.join(format!("{name}.log"));
    let child = Command::new(bin)
        .arg("--port")
        .arg(port.to_string())
        .args(["--bind", "127.0.0.1"])
        .args(["--save", ""])
        .args(["--appendonly", "no"])
        .args(["--daemonize", "no"])
        .arg("--dir")
        .arg(dir)
        .arg("--dbfilename")
        .arg(format!("{name}.rdb"))
        .arg("--logfile")
        .arg(&log)
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let mut s = Server {
        name: name.to_string(),
        port,
        child,
        log,
    };
    wait_ready(&mut s)?;
    Ok(s)
}

/// Starts ferrous-redis forwarding to `upstream_port`.
pub fn start_ferrous(bin: &Path, upstream_port: u16, dir: &Path) -> Result<Server, String> {
    let port = free_port()?;
    let log = dir.join("ferrous-redis.log");
    let logfile = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let errfile = logfile
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let child = Command::new(bin)
        .arg("--port")
        .arg(port.to_string())
        .arg("--upstream")
        .arg(format!("127.0.0.1:{upstream_port}"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::from(logfile))
        .stderr(Stdio::from(errfile))
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let mut s = Server {
        name: "ferrous-redis".to_string(),
        port,
        child,
        log,
    };
    wait_ready(&mut s)?;
    Ok(s)
}

fn wait_ready(s: &mut Server) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if !s.alive() {
            return Err(format!(
                "{} exited during start-up; its log says:\n{}",
                s.name,
                s.log_tail()
            ));
        }
        if let Ok(mut c) = Conn::connect(s.port, Duration::from_secs(5)) {
            if let Ok(Resp::Status(st)) = c.cmd(&["PING"]) {
                if st == b"PONG" {
                    c.close();
                    return Ok(());
                }
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{} did not answer PING on port {} within 20 s; its log says:\n{}",
                s.name,
                s.port,
                s.log_tail()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
