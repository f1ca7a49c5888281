//! `ferrous-redis`: a RESP2/RESP3 server that runs Redis's scripting
//! commands itself and forwards everything else (and every `redis.call`)
//! to an upstream Redis-compatible server.
//!
//! * One thread per client connection, each with its own upstream
//!   connection for forwarded commands (so SELECT, HELLO, WATCH, CLIENT
//!   SETNAME and the like keep their per-connection meaning), and a second
//!   pair of upstream connections (RESP2 and RESP3) used by scripts.
//! * One [`Engine`], behind a [`Gate`]: a script runs alone, so it is
//!   atomic for this server's clients; forwarded commands run concurrently
//!   with each other but never during a script. Once a script passes the
//!   time limit, other clients get `-BUSY` and may send SCRIPT KILL or
//!   FUNCTION KILL.
//! * MULTI/EXEC is queued here (scripts may be inside a transaction): a
//!   transaction without scripting commands is sent to the upstream as a
//!   real MULTI/EXEC (WATCH keeps working); one with scripts runs under the
//!   gate, so it is atomic for this server's clients.
//! * SUBSCRIBE and friends switch the connection to a transparent proxy.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread;
use std::time::Duration;

use crate::engine::{Config, Engine, Shared};
use crate::host::{flags, BusyInfo, CallContext, CommandInfo, CommandTable, Host, LogLevel};
use crate::reply::{
    self, encode_command, parse_reply, parse_request, reply_len, ParseError, Reply,
};
use crate::Controller;

/// Stack size of connection threads (scripts run on them: the VM's nested
/// calls and the reply conversion of deeply nested tables need room).
const THREAD_STACK: usize = 64 * 1024 * 1024;

/// Server settings.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Address to listen on (loopback by default).
    pub listen: SocketAddr,
    /// The upstream server.
    pub upstream: SocketAddr,
    /// Credentials for the upstream (`AUTH [user] password`) on the
    /// connections the server opens for itself (scripts, the command
    /// table); client connections authenticate with their own AUTH.
    pub upstream_auth: Option<(Option<String>, String)>,
    pub engine: Config,
}

// -------------------------------------------------------------------- gate

#[derive(Default)]
struct GateState {
    exclusive: bool,
    shared: usize,
    waiting_exclusive: usize,
    busy: bool,
}

/// Scripts exclusive, forwarded commands shared; a busy script makes
/// waiters give up (they answer -BUSY).
#[derive(Default)]
pub struct Gate {
    m: Mutex<GateState>,
    cv: Condvar,
}

struct Busy;

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        match self.m.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    fn wait<'a>(&self, g: MutexGuard<'a, GateState>) -> MutexGuard<'a, GateState> {
        match self.cv.wait_timeout(g, Duration::from_millis(100)) {
            Ok((g, _)) => g,
            Err(p) => p.into_inner().0,
        }
    }

    fn shared(&self) -> Result<SharedGuard<'_>, Busy> {
        let mut g = self.lock();
        loop {
            if g.busy {
                return Err(Busy);
            }
            if !g.exclusive && g.waiting_exclusive == 0 {
                g.shared += 1;
                return Ok(SharedGuard(self));
            }
            g = self.wait(g);
        }
    }

    fn exclusive(&self) -> Result<ExclusiveGuard<'_>, Busy> {
        let mut g = self.lock();
        g.waiting_exclusive += 1;
        loop {
            if g.busy {
                g.waiting_exclusive -= 1;
                self.cv.notify_all();
                return Err(Busy);
            }
            if !g.exclusive && g.shared == 0 {
                g.waiting_exclusive -= 1;
                g.exclusive = true;
                return Ok(ExclusiveGuard(self));
            }
            g = self.wait(g);
        }
    }

    /// Waits until no script runs, or until the running one is busy
    /// (`true`).
    fn idle_or_busy(&self) -> bool {
        let mut g = self.lock();
        loop {
            if g.busy {
                return true;
            }
            if !g.exclusive {
                return false;
            }
            g = self.wait(g);
        }
    }

    fn set_busy(&self, b: bool) {
        self.lock().busy = b;
        self.cv.notify_all();
    }
}

struct SharedGuard<'a>(&'a Gate);

impl Drop for SharedGuard<'_> {
    fn drop(&mut self) {
        let mut g = self.0.lock();
        g.shared -= 1;
        drop(g);
        self.0.cv.notify_all();
    }
}

struct ExclusiveGuard<'a>(&'a Gate);

impl Drop for ExclusiveGuard<'_> {
    fn drop(&mut self) {
        let mut g = self.0.lock();
        g.exclusive = false;
        g.busy = false;
        drop(g);
        self.0.cv.notify_all();
    }
}

// ---------------------------------------------------------------- upstream

/// A connection to the upstream server.
struct Upstream {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Upstream {
    fn connect(addr: SocketAddr) -> io::Result<Upstream> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_nodelay(true)?;
        Ok(Upstream {
            stream,
            buf: Vec::with_capacity(16 * 1024),
        })
    }

    /// A connection for the server's own use, authenticated if configured.
    fn connect_own(
        addr: SocketAddr,
        auth: &Option<(Option<String>, String)>,
    ) -> io::Result<Upstream> {
        let mut c = Upstream::connect(addr)?;
        if let Some((user, pass)) = auth {
            let r = match user {
                Some(u) => c.command(&["AUTH", u.as_str(), pass.as_str()])?,
                None => c.command(&["AUTH", pass.as_str()])?,
            };
            if r.is_error() {
                return Err(io::Error::other("upstream refused AUTH"));
            }
        }
        Ok(c)
    }

    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    fn send_command<A: AsRef<[u8]>>(&mut self, argv: &[A]) -> io::Result<()> {
        let mut out = Vec::new();
        encode_command(argv, &mut out);
        self.send(&out)
    }

    /// The raw bytes of the next reply.
    fn read_raw(&mut self) -> io::Result<Vec<u8>> {
        loop {
            match reply_len(&self.buf) {
                Ok(n) => {
                    let raw: Vec<u8> = self.buf.drain(..n).collect();
                    return Ok(raw);
                }
                Err(ParseError::Incomplete) => {
                    let mut chunk = [0u8; 64 * 1024];
                    let n = self.stream.read(&mut chunk)?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "upstream closed",
                        ));
                    }
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                Err(ParseError::Protocol(m)) => {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, m))
                }
            }
        }
    }

    fn command<A: AsRef<[u8]>>(&mut self, argv: &[A]) -> io::Result<Reply> {
        self.send_command(argv)?;
        let raw = self.read_raw()?;
        parse_reply(&raw)
            .map(|(r, _)| r)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad reply"))
    }
}

fn upstream_error(e: &io::Error) -> Reply {
    Reply::Error(format!("ERR upstream server unavailable: {e}").into_bytes())
}

// ------------------------------------------------------------- script host

struct ScriptConn {
    conn: Upstream,
    db: i64,
}

/// The [`Host`] scripts run against: the upstream's command table, and
/// two upstream connections (RESP2 and RESP3 replies).
struct ScriptHost {
    upstream: SocketAddr,
    auth: Option<(Option<String>, String)>,
    conns: [Option<ScriptConn>; 2],
    table: Arc<CommandTable>,
    gate: Arc<Gate>,
    verbose: bool,
}

impl ScriptHost {
    fn conn(&mut self, resp: u8) -> io::Result<&mut ScriptConn> {
        let i = usize::from(resp >= 3);
        if self.conns[i].is_none() {
            let mut c = Upstream::connect_own(self.upstream, &self.auth)?;
            if i == 1 {
                let r = c.command(&["HELLO", "3"])?;
                if r.is_error() {
                    return Err(io::Error::other("upstream refused HELLO 3"));
                }
            }
            self.conns[i] = Some(ScriptConn { conn: c, db: 0 });
        }
        match self.conns[i].as_mut() {
            Some(c) => Ok(c),
            None => Err(io::Error::other("no connection")),
        }
    }

    fn try_call(&mut self, ctx: &CallContext, argv: &[&[u8]]) -> io::Result<Reply> {
        let c = self.conn(ctx.resp)?;
        if c.db != ctx.db {
            let db = ctx.db.to_string();
            let r = c.conn.command(&[b"SELECT".as_slice(), db.as_bytes()])?;
            if !r.is_error() {
                c.db = ctx.db;
            }
        }
        let mut r = c.conn.command(argv)?;
        if ctx.oom_exempt && matches!(&r, Reply::Error(e) if e.starts_with(b"OOM ")) {
            // The upstream refuses the command over maxmemory where Redis
            // would run it for this script: run it through an upstream
            // script that has the allow-oom flag.
            let wrapper: &[u8] = if ctx.resp >= 3 {
                b"#!lua flags=allow-oom\nredis.setresp(3)\nreturn redis.pcall(unpack(ARGV))"
            } else {
                b"#!lua flags=allow-oom\nreturn redis.pcall(unpack(ARGV))"
            };
            let wrapper = wrapper.to_vec();
            let mut eval: Vec<&[u8]> = vec![b"EVAL", &wrapper, b"0"];
            eval.extend_from_slice(argv);
            r = c.conn.command(&eval)?;
        }
        if argv.len() == 2 && argv[0].eq_ignore_ascii_case(b"select") && !r.is_error() {
            if let Some(n) = reply::parse_i64(argv[1]) {
                c.db = n;
            }
        }
        Ok(r)
    }
}

impl Host for ScriptHost {
    fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
        self.table.lookup(argv)
    }

    fn call(&mut self, ctx: &CallContext, argv: &[&[u8]]) -> Reply {
        match self.try_call(ctx, argv) {
            Ok(r) => r,
            Err(e) => {
                self.conns[usize::from(ctx.resp >= 3)] = None;
                upstream_error(&e)
            }
        }
    }

    fn out_of_memory(&mut self) -> bool {
        let Ok(c) = self.conn(2) else { return false };
        let Ok(Reply::Bulk(info)) = c.conn.command(&["INFO", "memory"]) else {
            return false;
        };
        let field = |name: &str| -> u64 {
            let text = String::from_utf8_lossy(&info);
            text.lines()
                .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(':')))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        let max = field("maxmemory");
        max > 0 && field("used_memory") > max
    }

    fn log(&mut self, level: LogLevel, message: &[u8]) {
        if level == LogLevel::Debug || (level == LogLevel::Verbose && !self.verbose) {
            return;
        }
        let mark = match level {
            LogLevel::Debug => '.',
            LogLevel::Verbose => '-',
            LogLevel::Notice => '*',
            LogLevel::Warning => '#',
        };
        eprintln!(
            "{}:M {} {}",
            std::process::id(),
            mark,
            String::from_utf8_lossy(message)
        );
    }

    fn script_busy(&mut self, _info: &BusyInfo) {
        self.gate.set_busy(true);
    }

    fn script_done(&mut self) {
        self.gate.set_busy(false);
    }
}

// ------------------------------------------------------------------ server

struct Global {
    upstream: SocketAddr,
    auth: Option<(Option<String>, String)>,
    gate: Arc<Gate>,
    engine: Mutex<(Engine, ScriptHost)>,
    controller: Controller,
    table: RwLock<Arc<CommandTable>>,
}

impl Global {
    fn table(&self) -> Arc<CommandTable> {
        let t = match self.table.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        };
        if !t.is_empty() {
            return t;
        }
        // Not fetched yet (the upstream was down at start): try again.
        if let Ok(fresh) = fetch_table(self.upstream, &self.auth) {
            let fresh = Arc::new(fresh);
            if let Ok(mut w) = self.table.write() {
                *w = fresh.clone();
            }
            if let Ok(mut e) = self.engine.lock() {
                e.1.table = fresh.clone();
            }
            return fresh;
        }
        t
    }
}

fn fetch_table(
    upstream: SocketAddr,
    auth: &Option<(Option<String>, String)>,
) -> io::Result<CommandTable> {
    let mut c = Upstream::connect_own(upstream, auth)?;
    let r = c.command(&["COMMAND"])?;
    let t = CommandTable::from_command_reply(&r);
    if t.is_empty() {
        return Err(io::Error::other("empty COMMAND reply"));
    }
    Ok(t)
}

/// Runs the server until the listener fails.
pub fn run(cfg: ServerConfig) -> io::Result<()> {
    let listener = TcpListener::bind(cfg.listen)?;
    serve(listener, cfg)
}

/// Serves on an already bound listener (tests bind port 0).
pub fn serve(listener: TcpListener, cfg: ServerConfig) -> io::Result<()> {
    let table = Arc::new(fetch_table(cfg.upstream, &cfg.upstream_auth).unwrap_or_default());
    let gate = Arc::new(Gate::default());
    let engine = Engine::new(Shared::new(), cfg.engine.clone());
    let controller = engine.controller();
    let host = ScriptHost {
        upstream: cfg.upstream,
        auth: cfg.upstream_auth.clone(),
        conns: [None, None],
        table: table.clone(),
        gate: gate.clone(),
        verbose: false,
    };
    let global = Arc::new(Global {
        upstream: cfg.upstream,
        auth: cfg.upstream_auth.clone(),
        gate,
        engine: Mutex::new((engine, host)),
        controller,
        table: RwLock::new(table),
    });
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(_) => continue,
        };
        let g = global.clone();
        let _ = thread::Builder::new()
            .name("ferrous-redis-client".into())
            .stack_size(THREAD_STACK)
            .spawn(move || {
                let _ = Client::new(g, stream).serve();
            });
    }
    Ok(())
}

// ------------------------------------------------------------------ client

struct Client {
    g: Arc<Global>,
    stream: TcpStream,
    inbuf: Vec<u8>,
    out: Vec<u8>,
    upstream: Option<Upstream>,
    resp: u8,
    db: i64,
    multi: Option<Vec<Vec<Vec<u8>>>>,
    multi_error: bool,
    quit: bool,
    /// The client's upstream connection is authenticated (checked once
    /// before its first scripting command when the upstream wants AUTH:
    /// scripts run on the server's own connections).
    authed: bool,
}

enum Action {
    Reply,
    Proxy,
}

impl Client {
    fn new(g: Arc<Global>, stream: TcpStream) -> Client {
        let _ = stream.set_nodelay(true);
        Client {
            g,
            stream,
            inbuf: Vec::with_capacity(16 * 1024),
            out: Vec::with_capacity(16 * 1024),
            upstream: None,
            resp: 2,
            db: 0,
            multi: None,
            multi_error: false,
            quit: false,
            authed: false,
        }
    }

    fn upstream(&mut self) -> io::Result<&mut Upstream> {
        if self.upstream.is_none() {
            self.upstream = Some(Upstream::connect(self.g.upstream)?);
        }
        match self.upstream.as_mut() {
            Some(u) => Ok(u),
            None => Err(io::Error::other("no upstream")),
        }
    }

    fn serve(mut self) -> io::Result<()> {
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            self.inbuf.extend_from_slice(&chunk[..n]);
            let mut requests = Vec::new();
            loop {
                match parse_request(&self.inbuf) {
                    Ok((args, used)) => {
                        self.inbuf.drain(..used);
                        if !args.is_empty() {
                            requests.push(args);
                        }
                    }
                    Err(ParseError::Incomplete) => break,
                    Err(ParseError::Protocol(m)) => {
                        let r = Reply::Error(format!("ERR Protocol error: {m}").into_bytes());
                        r.encode(self.resp, &mut self.out);
                        self.flush()?;
                        let _ = self.stream.shutdown(Shutdown::Both);
                        return Ok(());
                    }
                }
            }
            let mut i = 0;
            while i < requests.len() {
                // A run of plain commands is forwarded as one pipeline.
                let run = self.forward_run(&requests[i..]);
                if run > 1 {
                    self.forward_many(&requests[i..i + run])?;
                    i += run;
                    continue;
                }
                let req = std::mem::take(&mut requests[i]);
                i += 1;
                match self.handle(req)? {
                    Action::Reply => {}
                    Action::Proxy => {
                        self.flush()?;
                        let rest: Vec<Vec<Vec<u8>>> = requests.drain(i..).collect();
                        return self.proxy(rest);
                    }
                }
                if self.quit {
                    self.flush()?;
                    let _ = self.stream.shutdown(Shutdown::Both);
                    return Ok(());
                }
            }
            self.flush()?;
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.out.is_empty() {
            self.stream.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    fn reply(&mut self, r: &Reply) {
        r.encode(self.resp, &mut self.out);
    }

    /// How many requests from the start of `reqs` are plain commands that
    /// can be forwarded together.
    fn forward_run(&self, reqs: &[Vec<Vec<u8>>]) -> usize {
        if self.multi.is_some() {
            return 0;
        }
        let table = self.g.table();
        reqs.iter().take_while(|r| is_plain(r, &table)).count()
    }

    fn forward_many(&mut self, reqs: &[Vec<Vec<u8>>]) -> io::Result<()> {
        let gate = self.g.gate.clone();
        let _guard = match gate.shared() {
            Ok(g) => g,
            Err(Busy) => {
                for _ in reqs {
                    self.busy_reply();
                }
                return Ok(());
            }
        };
        let mut payload = Vec::new();
        for r in reqs {
            encode_command(r, &mut payload);
        }
        let res = (|| -> io::Result<Vec<u8>> {
            let u = self.upstream()?;
            u.send(&payload)?;
            let mut all = Vec::new();
            for _ in reqs {
                all.extend_from_slice(&u.read_raw()?);
            }
            Ok(all)
        })();
        match res {
            Ok(bytes) => self.out.extend_from_slice(&bytes),
            Err(e) => {
                self.upstream = None;
                for _ in reqs {
                    self.reply(&upstream_error(&e));
                }
            }
        }
        Ok(())
    }

    fn busy_reply(&mut self) {
        let r = self
            .g
            .controller
            .busy_reply()
            .unwrap_or_else(|| Reply::Error(crate::control::BUSY_EVAL.to_vec()));
        self.reply(&r);
    }

    /// Forwards one command and returns its raw reply.
    fn forward_raw(&mut self, argv: &[Vec<u8>]) -> Vec<u8> {
        let res = (|| -> io::Result<Vec<u8>> {
            let u = self.upstream()?;
            u.send_command(argv)?;
            u.read_raw()
        })();
        match res {
            Ok(raw) => raw,
            Err(e) => {
                self.upstream = None;
                upstream_error(&e).to_bytes(self.resp)
            }
        }
    }

    fn handle(&mut self, argv: Vec<Vec<u8>>) -> io::Result<Action> {
        let name = argv[0].to_ascii_lowercase();
        if self.multi.is_some() {
            self.handle_in_multi(&name, argv);
            return Ok(Action::Reply);
        }
        match name.as_slice() {
            b"quit" => {
                self.reply(&Reply::ok());
                self.quit = true;
            }
            b"multi" => {
                if argv.len() != 1 {
                    self.reply(&wrong_args("multi"));
                } else {
                    self.multi = Some(Vec::new());
                    self.multi_error = false;
                    self.reply(&Reply::ok());
                }
            }
            b"exec" | b"discard" => {
                let r = if argv.len() != 1 {
                    wrong_args(if name == b"exec" { "exec" } else { "discard" })
                } else if name == b"exec" {
                    Reply::Error(b"ERR EXEC without MULTI".to_vec())
                } else {
                    Reply::Error(b"ERR DISCARD without MULTI".to_vec())
                };
                self.reply(&r);
            }
            _ if is_kill(&argv) => {
                let is_eval = name == b"script";
                let r = if argv.len() != 2 {
                    wrong_args(if is_eval {
                        "script|kill"
                    } else {
                        "function|kill"
                    })
                } else {
                    // Like Redis: the kill is only processed when no script
                    // runs or the running one is busy.
                    self.g.gate.idle_or_busy();
                    self.g.controller.kill(is_eval)
                };
                self.reply(&r);
            }
            _ if Engine::is_scripting_command(&name) => {
                if let Some(refused) = self.check_auth() {
                    self.out.extend_from_slice(&refused);
                    return Ok(Action::Reply);
                }
                let bytes = self.run_scripting(&argv, true);
                self.out.extend_from_slice(&bytes);
            }
            b"subscribe" | b"psubscribe" | b"ssubscribe" | b"monitor" => {
                let raw = self.forward_gated(&argv);
                self.out.extend_from_slice(&raw);
                if !raw.starts_with(b"-") {
                    return Ok(Action::Proxy);
                }
            }
            _ => {
                let raw = self.forward_gated(&argv);
                self.track(&name, &argv, &raw);
                self.out.extend_from_slice(&raw);
            }
        }
        Ok(Action::Reply)
    }

    /// When the upstream wants a password, scripts (which run on the
    /// server's own authenticated connections) are refused to a client
    /// whose own connection is not authenticated: the upstream's answer to
    /// a PING on it says.
    fn check_auth(&mut self) -> Option<Vec<u8>> {
        if self.g.auth.is_none() || self.authed {
            return None;
        }
        let raw = self.forward_raw(&[b"PING".to_vec()]);
        if raw.starts_with(b"-") {
            return Some(raw);
        }
        self.authed = true;
        None
    }

    /// Forwards one command through the gate (or answers -BUSY).
    fn forward_gated(&mut self, argv: &[Vec<u8>]) -> Vec<u8> {
        let table = self.g.table();
        let info = table.lookup(&as_slices(argv));
        let allowed_busy = info.is_some_and(|i| i.has(flags::ALLOW_BUSY));
        // A blocking command may wait for long on the upstream: it must not
        // hold scripts back, so it only waits for the running one (as any
        // command does) and then goes without the gate. It runs atomically
        // on the upstream when it unblocks.
        let blocking = info.is_some_and(|i| i.has(flags::BLOCKING));
        let gate = self.g.gate.clone();
        let guard = if allowed_busy {
            None
        } else {
            match gate.shared() {
                Ok(g) => Some(g),
                Err(Busy) => {
                    let r = self
                        .g
                        .controller
                        .busy_reply()
                        .unwrap_or_else(|| Reply::Error(crate::control::BUSY_EVAL.to_vec()));
                    return r.to_bytes(self.resp);
                }
            }
        };
        let guard = if blocking {
            drop(guard);
            None
        } else {
            guard
        };
        let raw = self.forward_raw(argv);
        drop(guard);
        raw
    }

    /// Connection state the bridge must follow: the database, the protocol.
    fn track(&mut self, name: &[u8], argv: &[Vec<u8>], raw: &[u8]) {
        if raw.starts_with(b"-") || raw.starts_with(b"!") {
            return;
        }
        match name {
            b"select" if argv.len() == 2 => {
                if let Some(n) = reply::parse_i64(&argv[1]) {
                    self.db = n;
                }
            }
            b"hello" if argv.len() >= 2 => {
                if let Some(v) = reply::parse_i64(&argv[1]) {
                    if v == 2 || v == 3 {
                        self.resp = v as u8;
                    }
                }
            }
            b"reset" => {
                self.db = 0;
                self.resp = 2;
                self.authed = false;
            }
            _ => {}
        }
    }

    /// Runs a scripting command under the gate; returns the encoded reply.
    fn run_scripting(&mut self, argv: &[Vec<u8>], gated: bool) -> Vec<u8> {
        let gate = self.g.gate.clone();
        let guard = if gated {
            match gate.exclusive() {
                Ok(g) => Some(g),
                Err(Busy) => {
                    let r = self
                        .g
                        .controller
                        .busy_reply()
                        .unwrap_or_else(|| Reply::Error(crate::control::BUSY_EVAL.to_vec()));
                    return r.to_bytes(self.resp);
                }
            }
        } else {
            None
        };
        let _ = self.g.table();
        let reply = {
            let mut slot = match self.g.engine.lock() {
                Ok(s) => s,
                Err(p) => p.into_inner(),
            };
            let (engine, host) = &mut *slot;
            engine
                .execute(host, self.db, &as_slices(argv))
                .unwrap_or_else(|| Reply::Error(b"ERR unknown command".to_vec()))
        };
        drop(guard);
        reply.to_bytes(self.resp)
    }

    fn handle_in_multi(&mut self, name: &[u8], argv: Vec<Vec<u8>>) {
        match name {
            b"exec" if argv.len() == 1 => {
                let queue = self.multi.take().unwrap_or_default();
                if self.multi_error {
                    self.multi_error = false;
                    self.forward_raw(&[b"UNWATCH".to_vec()]);
                    self.reply(&Reply::Error(
                        b"EXECABORT Transaction discarded because of previous errors.".to_vec(),
                    ));
                    return;
                }
                self.exec(queue);
                return;
            }
            b"discard" if argv.len() == 1 => {
                self.multi = None;
                self.multi_error = false;
                self.forward_raw(&[b"UNWATCH".to_vec()]);
                self.reply(&Reply::ok());
                return;
            }
            b"multi" => {
                self.reply(&Reply::Error(b"ERR MULTI calls can not be nested".to_vec()));
                return;
            }
            b"watch" => {
                self.reply(&Reply::Error(
                    b"ERR WATCH inside MULTI is not allowed".to_vec(),
                ));
                return;
            }
            _ => {}
        }
        let table = self.g.table();
        let slices = as_slices(&argv);
        let info = if Engine::is_scripting_command(name) {
            scripting_info(&slices)
        } else {
            table.lookup(&slices)
        };
        let err = match info {
            None => {
                if !Engine::is_scripting_command(name)
                    && table.has_subcommands(name)
                    && argv.len() > 1
                {
                    let mut m = b"ERR unknown subcommand '".to_vec();
                    m.extend_from_slice(&argv[1][..argv[1].len().min(128)]);
                    m.extend_from_slice(
                        format!(
                            "'. Try {} HELP.",
                            String::from_utf8_lossy(&argv[0]).to_uppercase()
                        )
                        .as_bytes(),
                    );
                    Some(Reply::Error(m))
                } else {
                    Some(unknown_command(&argv))
                }
            }
            Some(i) if !i.arity_ok(argv.len()) => Some(wrong_args(&full_name(&argv, &table))),
            Some(i) if i.has(flags::NO_MULTI) => Some(Reply::Error(
                format!(
                    "ERR Command not allowed inside a transaction: {}",
                    String::from_utf8_lossy(name)
                )
                .into_bytes(),
            )),
            Some(_) => None,
        };
        match err {
            Some(e) => {
                self.multi_error = true;
                self.reply(&e);
            }
            None => {
                if let Some(q) = self.multi.as_mut() {
                    q.push(argv);
                }
                self.reply(&Reply::Status(b"QUEUED".to_vec()));
            }
        }
    }

    fn exec(&mut self, queue: Vec<Vec<Vec<u8>>>) {
        let has_scripts = queue.iter().any(|c| Engine::is_scripting_command(&c[0]));
        if !has_scripts {
            // A real transaction upstream (WATCH keeps working).
            let gate = self.g.gate.clone();
            let _guard = match gate.shared() {
                Ok(g) => g,
                Err(Busy) => {
                    self.busy_reply();
                    return;
                }
            };
            let res = (|| -> io::Result<Vec<u8>> {
                let u = self.upstream()?;
                let mut payload = Vec::new();
                encode_command(&[b"MULTI"], &mut payload);
                for c in &queue {
                    encode_command(c, &mut payload);
                }
                encode_command(&[b"EXEC"], &mut payload);
                u.send(&payload)?;
                for _ in 0..=queue.len() {
                    u.read_raw()?;
                }
                u.read_raw()
            })();
            match res {
                Ok(raw) => {
                    // Follow SELECT/HELLO inside the transaction.
                    if let Ok((Reply::Array(items), _)) = parse_reply(&raw) {
                        for (c, r) in queue.iter().zip(items.iter()) {
                            if !r.is_error() {
                                let name = c[0].to_ascii_lowercase();
                                let rb = r.to_bytes(self.resp);
                                self.track(&name, c, &rb);
                            }
                        }
                    }
                    self.out.extend_from_slice(&raw);
                }
                Err(e) => {
                    self.upstream = None;
                    self.reply(&upstream_error(&e));
                }
            }
            return;
        }
        if let Some(refused) = self.check_auth() {
            self.out.extend_from_slice(&refused);
            return;
        }
        // With scripts: every command in order, alone.
        let gate = self.g.gate.clone();
        let guard = match gate.exclusive() {
            Ok(g) => g,
            Err(Busy) => {
                self.busy_reply();
                return;
            }
        };
        let mut parts = Vec::new();
        for c in &queue {
            let name = c[0].to_ascii_lowercase();
            let raw = if Engine::is_scripting_command(&name) {
                self.run_scripting(c, false)
            } else {
                let raw = self.forward_raw(c);
                self.track(&name, c, &raw);
                raw
            };
            parts.push(raw);
        }
        drop(guard);
        self.forward_raw(&[b"UNWATCH".to_vec()]);
        self.out.push(b'*');
        reply::push_int(&mut self.out, parts.len() as i64);
        self.out.extend_from_slice(b"\r\n");
        for p in parts {
            self.out.extend_from_slice(&p);
        }
    }

    /// Pub/sub and MONITOR: from here on the connection is a transparent
    /// proxy to the upstream.
    fn proxy(mut self, pending: Vec<Vec<Vec<u8>>>) -> io::Result<()> {
        let mut up = match self.upstream.take() {
            Some(u) => u,
            None => return Ok(()),
        };
        for r in pending {
            up.send_command(&r)?;
        }
        if !up.buf.is_empty() {
            self.stream.write_all(&up.buf)?;
            up.buf.clear();
        }
        if !self.inbuf.is_empty() {
            up.send(&self.inbuf)?;
            self.inbuf.clear();
        }
        let mut up_read = up.stream.try_clone()?;
        let mut client_write = self.stream.try_clone()?;
        let t = thread::spawn(move || {
            let _ = io::copy(&mut up_read, &mut client_write);
            let _ = client_write.shutdown(Shutdown::Both);
        });
        let _ = io::copy(&mut self.stream, &mut up.stream);
        let _ = up.stream.shutdown(Shutdown::Both);
        let _ = t.join();
        Ok(())
    }
}

fn as_slices(argv: &[Vec<u8>]) -> Vec<&[u8]> {
    argv.iter().map(|a| a.as_slice()).collect()
}

fn is_kill(argv: &[Vec<u8>]) -> bool {
    argv.len() >= 2
        && (argv[0].eq_ignore_ascii_case(b"script") || argv[0].eq_ignore_ascii_case(b"function"))
        && argv[1].eq_ignore_ascii_case(b"kill")
}

/// Commands forwarded as they are, without tracking anything.
fn is_plain(argv: &[Vec<u8>], table: &CommandTable) -> bool {
    let name = argv[0].to_ascii_lowercase();
    if Engine::is_scripting_command(&name) {
        return false;
    }
    if matches!(
        name.as_slice(),
        b"quit"
            | b"multi"
            | b"exec"
            | b"discard"
            | b"select"
            | b"hello"
            | b"reset"
            | b"subscribe"
            | b"psubscribe"
            | b"ssubscribe"
            | b"monitor"
    ) {
        return false;
    }
    match table.lookup(&as_slices(argv)) {
        Some(i) => !i.has(flags::BLOCKING) && !i.has(flags::ALLOW_BUSY),
        None => false,
    }
}

fn wrong_args(name: &str) -> Reply {
    Reply::Error(format!("ERR wrong number of arguments for '{name}' command").into_bytes())
}

fn full_name(argv: &[Vec<u8>], table: &CommandTable) -> String {
    let base = String::from_utf8_lossy(&argv[0]).to_lowercase();
    if argv.len() > 1 && table.has_subcommands(&argv[0]) {
        format!(
            "{base}|{}",
            String::from_utf8_lossy(&argv[1]).to_lowercase()
        )
    } else {
        base
    }
}

fn unknown_command(argv: &[Vec<u8>]) -> Reply {
    let mut args = Vec::new();
    for a in &argv[1..] {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push(b'\'');
        args.extend_from_slice(&a[..a.len().min(room)]);
        args.extend_from_slice(b"' ");
    }
    let mut m = b"ERR unknown command '".to_vec();
    m.extend_from_slice(&argv[0][..argv[0].len().min(128)]);
    m.extend_from_slice(b"', with args beginning with: ");
    m.extend_from_slice(&args);
    Reply::Error(crate::convert::one_line(m))
}

/// Arity of the scripting commands (for MULTI's queue-time check).
fn scripting_info(argv: &[&[u8]]) -> Option<CommandInfo> {
    let name = argv[0].to_ascii_lowercase();
    let arity = match name.as_slice() {
        b"eval" | b"evalsha" | b"eval_ro" | b"evalsha_ro" | b"fcall" | b"fcall_ro" => -3,
        b"script" | b"function" => {
            if argv.len() == 1 {
                -2
            } else {
                let sub = argv[1].to_ascii_lowercase();
                match (name.as_slice(), sub.as_slice()) {
                    (b"script", b"exists") => -3,
                    (b"script", b"flush") => -2,
                    (b"script", b"load") | (b"script", b"debug") => 3,
                    (b"script", b"kill") | (b"script", b"help") => 2,
                    (b"function", b"load") | (b"function", b"restore") => -3,
                    (b"function", b"delete") => 3,
                    (b"function", b"list") | (b"function", b"flush") => -2,
                    (b"function", b"dump")
                    | (b"function", b"kill")
                    | (b"function", b"stats")
                    | (b"function", b"help") => 2,
                    _ => return None,
                }
            }
        }
        _ => return None,
    };
    Some(CommandInfo { arity, flags: 0 })
}
