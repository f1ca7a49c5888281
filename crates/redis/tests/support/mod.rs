//! Test support: a real redis-server as the upstream, the ferrous-redis
//! binary in front of it, and a raw RESP client.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ferrous_redis::reply::{encode_command, reply_len, ParseError};

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
/// PING with -NOAUTH).
fn wait_started(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(mut c) = Client::connect(port) {
            if !c.cmd(&["PING"]).is_empty() {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "server on port {port} did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts redis-server (the Debian package) on a free port.
pub fn redis_server() -> Proc {
    redis_server_with(&[])
}

/// Starts redis-server with extra arguments (`--requirepass x`...).
pub fn redis_server_with(extra: &[&str]) -> Proc {
    let port = free_port();
    let dir =
        std::env::temp_dir().join(format!("ferrous-redis-test-{}-{port}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let child = Command::new("redis-server")
        .args([
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
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server is needed for this test (apt-get install redis-server)");
    let p = Proc {
        child,
        port,
        dir: Some(dir),
    };
    wait_started(port);
    p
}

/// Starts the ferrous-redis binary in front of `upstream`.
pub fn ferrous(upstream: u16, extra: &[&str]) -> Proc {
    let port = free_port();
    let child = Command::new(
        // option_env: the module's tests share this file and have no binary.
        option_env!("CARGO_BIN_EXE_ferrous-redis").expect("the ferrous-redis binary"),
    )
    .args([
        "--port",
        &port.to_string(),
        "--upstream",
        &format!("127.0.0.1:{upstream}"),
    ])
    .args(extra)
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .expect("start ferrous-redis");
    let p = Proc {
        child,
        port,
        dir: None,
    };
    wait_started(port);
    p
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
        loop {
            match reply_len(&self.buf) {
                Ok(n) => return self.buf.drain(..n).collect(),
                Err(ParseError::Incomplete) => {
                    let mut chunk = [0u8; 65536];
                    let n = self.stream.read(&mut chunk).expect("read reply");
                    assert!(n > 0, "connection closed");
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                Err(e) => panic!("bad reply: {e:?}"),
            }
        }
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
