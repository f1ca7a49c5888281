//! Test support: a real redis-server as the upstream, the ferrous-redis
//! binary in front of it, and a raw RESP client.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ferrous_redis::reply::{encode_command, reply_len, ParseError};

pub mod hostile;

pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().map(|a| a.port()).unwrap_or(0)
}

/// A child process killed on drop.
pub struct Proc {
    pub child: Child,
    pub port: u16,
    dir: Option<PathBuf>,
}

impl Proc {
    /// A started process listening on `port`.
    pub fn new(child: Child, port: u16) -> Proc {
        Proc {
            child,
            port,
            dir: None,
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// Waits until the port answers anything (a server wanting AUTH answers
/// PING with -NOAUTH). `Err` when the child exits first: the port was
/// taken between `free_port` and the child's bind (another test's server
/// or an outgoing connection's ephemeral port), and the caller retries on
/// a new port.
fn wait_started(child: &mut Child, port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited with {status} before answering on {port}"));
        }
        if let Ok(mut c) = Client::connect(port) {
            let _ = c.stream.set_read_timeout(Some(Duration::from_secs(5)));
            if c.try_cmd(&["PING"]).is_ok_and(|r| !r.is_empty()) {
                // Whoever answered, our child must still be alive: a child
                // that lost the port exits right after its failed bind.
                std::thread::sleep(Duration::from_millis(30));
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!(
                        "exited with {status}; port {port} belongs to another process"
                    ));
                }
                return Ok(());
            }
        }
        if Instant::now() >= deadline {
            return Err(format!("did not answer on port {port} within 20 s"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Spawns `make(port)` on a free port until one attempt answers PING.
pub fn start_on_free_port(what: &str, mut make: impl FnMut(u16) -> Command) -> (Child, u16) {
    let mut last = String::new();
    for _ in 0..5 {
        let port = free_port();
        let mut child = make(port)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        match wait_started(&mut child, port) {
            Ok(()) => return (child, port),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                last = e;
            }
        }
    }
    panic!("{what} did not start: {last}");
}

/// Starts redis-server (the Debian package) on a free port.
pub fn redis_server() -> Proc {
    redis_server_with(&[])
}

/// Starts redis-server with extra arguments (`--requirepass x`...).
pub fn redis_server_with(extra: &[&str]) -> Proc {
    let mut dir = PathBuf::new();
    let (child, port) = start_on_free_port("redis-server (apt-get install redis-server)", |port| {
        dir =
            std::env::temp_dir().join(format!("ferrous-redis-test-{}-{port}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let mut c = Command::new("redis-server");
        c.args([
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--bind",
            "127.0.0.1",
        ])
        .arg("--dir")
        .arg(&dir)
        .args(extra);
        c
    });
    Proc {
        child,
        port,
        dir: Some(dir),
    }
}

/// Starts the ferrous-redis binary in front of `upstream`.
pub fn ferrous(upstream: u16, extra: &[&str]) -> Proc {
    // option_env: the module's tests share this file and have no binary.
    let Some(bin) = option_env!("CARGO_BIN_EXE_ferrous-redis") else {
        panic!("the ferrous-redis binary is built only for ferrous-redis's own tests")
    };
    let (child, port) = start_on_free_port("ferrous-redis", |port| {
        let mut c = Command::new(bin);
        c.args([
            "--port",
            &port.to_string(),
            "--upstream",
            &format!("127.0.0.1:{upstream}"),
        ])
        .args(extra);
        c
    });
    Proc {
        child,
        port,
        dir: None,
    }
}

/// Peak resident size of a process in KiB (`VmHWM` of /proc/PID/status;
/// 0 if it cannot be read).
pub fn peak_rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A raw RESP client.
pub struct Client {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    pub fn connect(port: u16) -> std::io::Result<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream,
            buf: Vec::new(),
        })
    }

    pub fn send<A: AsRef<[u8]>>(&mut self, args: &[A]) {
        let mut out = Vec::new();
        encode_command(args, &mut out);
        self.stream.write_all(&out).expect("send");
    }

    /// The raw bytes of the next reply.
    pub fn recv(&mut self) -> Vec<u8> {
        match self.try_recv() {
            Ok(r) => r,
            Err(e) => panic!("read reply: {e}"),
        }
    }

    /// The next reply, or why there is none.
    pub fn try_recv(&mut self) -> Result<Vec<u8>, String> {
        loop {
            match reply_len(&self.buf) {
                Ok(n) => return Ok(self.buf.drain(..n).collect()),
                Err(ParseError::Incomplete) => {
                    let mut chunk = [0u8; 65536];
                    let n = self.stream.read(&mut chunk).map_err(|e| e.to_string())?;
                    if n == 0 {
                        return Err("connection closed".into());
                    }
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                Err(e) => return Err(format!("bad reply: {e:?}")),
            }
        }
    }

    /// Sends a command and reads its reply, without panicking.
    pub fn try_cmd<A: AsRef<[u8]>>(&mut self, args: &[A]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        encode_command(args, &mut out);
        self.stream.write_all(&out).map_err(|e| e.to_string())?;
        self.try_recv()
    }

    pub fn cmd<A: AsRef<[u8]>>(&mut self, args: &[A]) -> Vec<u8> {
        self.send(args);
        self.recv()
    }
}

/// Shows bytes with \r \n and non-printable bytes escaped.
pub fn show(b: &[u8]) -> String {
    let mut s = String::new();
    for &c in b {
        match c {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s
}

/// What a server did with some raw bytes: everything it sent back, and
/// whether it closed the connection (otherwise it was still waiting).
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub sent: Vec<u8>,
    pub closed: bool,
}

/// Sends `pieces` (30 ms apart, so they arrive as separate reads) and
/// collects the answer until the server closes or stays silent for
/// `quiet` (the protocol tests compare this with redis-server's).
pub fn exchange(port: u16, pieces: &[Vec<u8>], quiet: Duration) -> Outcome {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_nodelay(true).expect("nodelay");
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(Duration::from_millis(30));
        }
        if s.write_all(p).is_err() {
            break;
        }
    }
    s.set_read_timeout(Some(quiet)).expect("timeout");
    let mut sent = Vec::new();
    let mut chunk = [0u8; 4096];
    let closed = loop {
        match s.read(&mut chunk) {
            Ok(0) => break true,
            Ok(n) => sent.extend_from_slice(&chunk[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                break false
            }
            Err(_) => break true,
        }
    };
    Outcome { sent, closed }
}

/// The Redis module library cargo built next to this test binary (the
/// module's own tests include this file).
pub fn module_path() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let deps = exe.parent().expect("deps folder");
    for dir in [deps, deps.parent().unwrap_or(deps)] {
        let p = dir.join("libferrous_redis_module.so");
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "libferrous_redis_module.so not found next to {}",
        exe.display()
    );
}
