//! `ferrous-redis`: a RESP2/RESP3 server that runs Redis's scripting
//! commands itself and forwards everything else (and every `redis.call`)
//! to an upstream Redis-compatible server.
//!
//! * One thread per client connection, each with its own upstream
//!   connection for forwarded commands (so SELECT, HELLO, WATCH, CLIENT
//!   SETNAME and the like keep their per-connection meaning), and a second
//!   pair of upstream connections (RESP2 and RESP3) used by scripts.
//! * One [`Engine`], behind a gate (`Gate`): a script runs alone, so it is
//!   atomic for this server's clients; forwarded commands run concurrently
//!   with each other but never during a script. Once a script passes the
//!   time limit, other clients get `-BUSY` and may send SCRIPT KILL or
//!   FUNCTION KILL.
//! * MULTI/EXEC is queued here (scripts may be inside a transaction): a
//!   transaction without scripting commands is sent to the upstream as a
//!   real MULTI/EXEC (WATCH keeps working); one with scripts runs under the
//!   gate, so it is atomic for this server's clients.
//! * SUBSCRIBE and friends switch the connection to a transparent proxy.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::engine::{Config, Engine, Shared};
use crate::host::{
    flags, AclDenied, BusyInfo, CallContext, CommandInfo, CommandTable, Host, LogLevel, WriteDenied,
};
use crate::reply::{
    self, encode_command, parse_reply, reply_len, ParseError, Reply, RequestReader,
};
use crate::Controller;

/// Stack size of connection threads (scripts run on them: the VM's nested
/// calls and the reply conversion of deeply nested tables need room).
const THREAD_STACK: usize = 64 * 1024 * 1024;

/// Server settings.
///
/// ```no_run
/// // `no_run`: it needs a redis-server listening on port 6379 as the
/// // upstream, and `run` serves until the process ends.
/// use ferrous_redis::server::{run, ServerConfig};
/// use ferrous_redis::Config;
///
/// let cfg = ServerConfig {
///     listen: "127.0.0.1:7379".parse().unwrap(),
///     upstream: "127.0.0.1:6379".parse().unwrap(),
///     upstream_auth: None,
///     engine: Config::default(),
/// };
/// run(cfg).unwrap();
/// ```
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
    /// The settings of the engine that runs the scripts (time limit,
    /// memory limit per state).
    pub engine: Config,
}

// -------------------------------------------------------------------- gate

#[derive(Default)]
struct GateState {
    exclusive: bool,
    shared: usize,
    waiting_exclusive: usize,
    /// Threads waiting in `shared` or `idle_or_busy`.
    waiting_shared: usize,
    busy: bool,
}

/// Scripts exclusive, forwarded commands shared; a busy script makes
/// waiters give up (they answer -BUSY).
///
/// Scripts waiting for their turn sleep on their own condition variable
/// and a release wakes one of them, not all: with many clients sending
/// scripts, waking every waiter on each release (a thundering herd) cost
/// more than the scripts. The server makes one and shares it between
/// its connection threads.
#[derive(Default)]
pub(crate) struct Gate {
    m: Mutex<GateState>,
    exclusive_cv: Condvar,
    shared_cv: Condvar,
}

struct Busy;

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        match self.m.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Waits on `cv` (with a time-out, so that a missed wake-up only
    /// delays).
    fn wait<'a>(&self, cv: &Condvar, g: MutexGuard<'a, GateState>) -> MutexGuard<'a, GateState> {
        match cv.wait_timeout(g, Duration::from_millis(100)) {
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
            g.waiting_shared += 1;
            g = self.wait(&self.shared_cv, g);
            g.waiting_shared -= 1;
        }
    }

    fn exclusive(&self) -> Result<ExclusiveGuard<'_>, Busy> {
        let mut g = self.lock();
        g.waiting_exclusive += 1;
        loop {
            if g.busy {
                g.waiting_exclusive -= 1;
                if g.waiting_exclusive == 0 && g.waiting_shared > 0 {
                    self.shared_cv.notify_all();
                }
                return Err(Busy);
            }
            if !g.exclusive && g.shared == 0 {
                g.waiting_exclusive -= 1;
                g.exclusive = true;
                return Ok(ExclusiveGuard(self));
            }
            g = self.wait(&self.exclusive_cv, g);
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
            g.waiting_shared += 1;
            g = self.wait(&self.shared_cv, g);
            g.waiting_shared -= 1;
        }
    }

    fn set_busy(&self, b: bool) {
        self.lock().busy = b;
        self.exclusive_cv.notify_all();
        self.shared_cv.notify_all();
    }
}

impl Gate {
    /// Waits until `done()` (`true`) or a script is busy (`false`);
    /// `done` is checked under the gate's lock, which
    /// [`Gate::wake_exclusive_waiters`] takes.
    fn done_or_busy(&self, done: &dyn Fn() -> bool) -> bool {
        let mut g = self.lock();
        loop {
            if done() {
                return true;
            }
            if g.busy {
                return false;
            }
            g = self.wait(&self.exclusive_cv, g);
        }
    }

    fn is_busy(&self) -> bool {
        self.lock().busy
    }

    /// Waits until `done()`, whatever the gate's state.
    fn wait_done(&self, done: &dyn Fn() -> bool) {
        let mut g = self.lock();
        while !done() {
            g = self.wait(&self.exclusive_cv, g);
        }
    }

    /// Wakes the script threads whose scripts a combiner ran.
    fn wake_exclusive_waiters(&self) {
        let _g = self.lock();
        self.exclusive_cv.notify_all();
    }
}

/// A scripting command queued for whichever thread has the scripts' turn.
struct Job {
    argv: Vec<Vec<u8>>,
    db: i64,
    user: Vec<u8>,
    resp: u8,
    /// The encoded reply, once run (when not `direct`).
    slot: Arc<Mutex<Option<Vec<u8>>>>,
    /// Written straight to the client by the thread that runs it.
    direct: Option<Direct>,
}

/// Where a direct job's reply stands.
enum DState {
    Pending,
    Delivered,
    /// The client's socket was full: its own thread writes the rest.
    Remainder(Vec<u8>),
}

/// A client whose thread went back to reading while its script waits: the
/// thread that runs the script writes the reply to the socket itself
/// (without blocking), saving the client thread a wake-up per script.
struct Direct {
    stream: Arc<TcpStream>,
    /// Wakes the client's thread when it must write a remainder.
    waker: Arc<UnixStream>,
    state: Arc<Mutex<DState>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Hands a direct job's reply over: written now if the socket takes it
/// all, else left to the client's thread, which is woken.
fn deliver(d: &Direct, bytes: Vec<u8>) {
    let mut st = lock(&d.state);
    let mut sent = 0usize;
    while sent < bytes.len() {
        // SAFETY: the pointer and length describe the unsent tail of
        // `bytes`, which outlives the call.
        let n = unsafe {
            send(
                d.stream.as_raw_fd(),
                bytes.as_ptr().add(sent),
                bytes.len() - sent,
                MSG_DONTWAIT | MSG_NOSIGNAL,
            )
        };
        if n > 0 {
            sent += n as usize;
            continue;
        }
        let e = io::Error::last_os_error();
        if n < 0 && e.kind() == io::ErrorKind::Interrupted {
            continue;
        }
        if n < 0 && e.kind() == io::ErrorKind::WouldBlock {
            *st = DState::Remainder(bytes[sent..].to_vec());
            drop(st);
            let _ = (&*d.waker).write(&[1]);
            return;
        }
        // The client is gone: nothing to deliver.
        break;
    }
    *st = DState::Delivered;
}

struct SharedGuard<'a>(&'a Gate);

impl Drop for SharedGuard<'_> {
    fn drop(&mut self) {
        let mut g = self.0.lock();
        g.shared -= 1;
        let wake = g.shared == 0 && g.waiting_exclusive > 0;
        drop(g);
        if wake {
            self.0.exclusive_cv.notify_one();
        }
    }
}

struct ExclusiveGuard<'a>(&'a Gate);

impl Drop for ExclusiveGuard<'_> {
    fn drop(&mut self) {
        let mut g = self.0.lock();
        g.exclusive = false;
        g.busy = false;
        let (excl, shared) = (g.waiting_exclusive > 0, g.waiting_shared > 0);
        drop(g);
        if excl {
            self.0.exclusive_cv.notify_one();
        }
        if shared {
            self.0.shared_cv.notify_all();
        }
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

    /// Reads what the upstream sent into `buf`'s spare room (0: it
    /// closed), without zeroing a scratch buffer first.
    ///
    /// (Polling the socket briefly before sleeping was tried: on a loaded
    /// two-core machine it took the CPU from the upstream and was 2.7x
    /// slower.)
    fn fill(&mut self) -> io::Result<usize> {
        let start = self.buf.len();
        self.buf.reserve(16 * 1024);
        let room = self.buf.capacity() - start;
        let fd = self.stream.as_raw_fd();
        loop {
            // SAFETY: the pointer and length describe the vector's spare
            // capacity, which recv only writes to; the length is then set
            // to cover exactly the bytes it wrote.
            let n = unsafe { recv(fd, self.buf.as_mut_ptr().add(start), room, 0) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            // SAFETY: recv initialised n <= room bytes after `start`.
            unsafe { self.buf.set_len(start + n as usize) };
            return Ok(n as usize);
        }
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
                    let n = self.fill()?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "upstream closed",
                        ));
                    }
                }
                Err(ParseError::Protocol(m)) => {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, m))
                }
            }
        }
    }

    /// [`Upstream::read_raw`] for a reply that may take long (a blocking
    /// command): `None` when the client hangs up first.
    fn read_raw_watch(&mut self, client: &TcpStream) -> io::Result<Option<Vec<u8>>> {
        loop {
            match reply_len(&self.buf) {
                Ok(n) => return Ok(Some(self.buf.drain(..n).collect())),
                Err(ParseError::Incomplete) => {
                    if !wait_reply_or_hangup(&self.stream, client) {
                        return Ok(None);
                    }
                    let mut chunk = [0u8; 16 * 1024];
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

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

extern "C" {
    fn poll(fds: *mut PollFd, nfds: u64, timeout: i32) -> i32;
    fn recv(fd: i32, buf: *mut u8, len: usize, flags: i32) -> isize;
    fn send(fd: i32, buf: *const u8, len: usize, flags: i32) -> isize;
}

const MSG_DONTWAIT: i32 = 0x40;
const MSG_NOSIGNAL: i32 = 0x4000;

const POLLIN: i16 = 0x1;
const POLLERR: i16 = 0x8;
const POLLHUP: i16 = 0x10;
const POLLRDHUP: i16 = 0x2000;

/// Waits until `up` has bytes to read (`true`) or the client `client`
/// hung up (`false`).
fn wait_reply_or_hangup(up: &TcpStream, client: &TcpStream) -> bool {
    loop {
        let mut fds = [
            PollFd {
                fd: up.as_raw_fd(),
                events: POLLIN,
                revents: 0,
            },
            PollFd {
                fd: client.as_raw_fd(),
                events: POLLRDHUP,
                revents: 0,
            },
        ];
        // SAFETY: `fds` is a valid array of two pollfd structures (same
        // layout as C's) that outlives the call; both descriptors are open.
        let n = unsafe { poll(fds.as_mut_ptr(), 2, -1) };
        if n < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            // Cannot watch: fall back to a plain blocking read.
            return true;
        }
        if fds[1].revents & (POLLRDHUP | POLLHUP | POLLERR) != 0 {
            return false;
        }
        if fds[0].revents != 0 {
            return true;
        }
    }
}

// ---------------------------------------------------------------- settings

/// What the server follows of the upstream's configuration and of its
/// clients' DEBUG/ACL commands; shared by the client threads and the
/// script host.
struct Settings {
    /// `DEBUG SET-DISABLE-DENY-SCRIPTS`: `noscript` commands are allowed
    /// in scripts.
    disable_deny_scripts: AtomicBool,
    /// `busy-reply-threshold` (`lua-time-limit`) in ms once a client set
    /// it; `u64::MAX` until then (the engine's configured limit applies).
    time_limit_ms: AtomicU64,
    /// `min-replicas-to-write`.
    min_replicas: AtomicI64,
    /// Bumped on every ACL command a client sends: cached answers about
    /// users are stale then.
    acl_epoch: AtomicU64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            disable_deny_scripts: AtomicBool::new(false),
            time_limit_ms: AtomicU64::new(u64::MAX),
            min_replicas: AtomicI64::new(0),
            acl_epoch: AtomicU64::new(0),
        }
    }
}

impl Settings {
    /// Follows a successful `CONFIG SET name value [name value ...]`.
    fn config_set(&self, argv: &[Vec<u8>]) {
        let mut i = 2;
        while i + 1 < argv.len() {
            let name = argv[i].to_ascii_lowercase();
            let value = std::str::from_utf8(&argv[i + 1]).ok().map(str::trim);
            match name.as_slice() {
                b"busy-reply-threshold" | b"lua-time-limit" => {
                    if let Some(ms) = value.and_then(|v| v.parse::<u64>().ok()) {
                        self.time_limit_ms.store(ms, Ordering::SeqCst);
                    }
                }
                b"min-replicas-to-write" | b"min-slaves-to-write" => {
                    if let Some(n) = value.and_then(|v| v.parse::<i64>().ok()) {
                        self.min_replicas.store(n, Ordering::SeqCst);
                    }
                }
                _ => {}
            }
            i += 2;
        }
    }
}

/// Figures INFO adds for the commands this server runs itself.
#[derive(Default)]
struct Stats {
    /// `cmdstat_<name>`: calls, microseconds, rejected, failed.
    commands: HashMap<String, [u64; 4]>,
    /// `errorstat_<CODE>` of the errors this server replied itself.
    errors: HashMap<String, u64>,
    total_errors: u64,
}

impl Stats {
    fn record(&mut self, name: String, usec: u64, reply: &Reply, from_upstream: bool) {
        let e = self.commands.entry(name).or_insert([0; 4]);
        e[0] += 1;
        e[1] += usec;
        if let Reply::Error(msg) = reply {
            e[3] += 1;
            if !from_upstream {
                let code = msg.split(|&b| b == b' ').next().unwrap_or(b"ERR").to_vec();
                let code = String::from_utf8_lossy(&code).into_owned();
                *self.errors.entry(code).or_insert(0) += 1;
                self.total_errors += 1;
            }
        }
    }
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
    settings: Arc<Settings>,
    /// The calling user when its rights must be checked (`None`: a user
    /// allowed every command, key and channel).
    caller: Option<Vec<u8>>,
    /// user -> (ACL epoch, allowed everything).
    acl_cache: HashMap<Vec<u8>, (u64, bool)>,
    /// The last reply the upstream gave a script's command in this run
    /// was an error (an error that a script passes on is not counted
    /// twice in INFO's errorstats).
    last_upstream_error: Option<Vec<u8>>,
    stats: Arc<Mutex<Stats>>,
    /// The queued scripts: answered -BUSY while a script is busy.
    jobs: Arc<Mutex<std::collections::VecDeque<Job>>>,
    busy_error: Option<Reply>,
}

/// A script wrapper run on the upstream for the commands that behave
/// differently inside scripts (blocking commands never block, XREAD
/// BLOCK is refused, SORT BY constant is sorted): the upstream's own
/// script context gives Redis's exact behaviour.
fn script_context_wrapper(resp3: bool, allow_oom: bool) -> &'static [u8] {
    match (resp3, allow_oom) {
        (false, false) => b"return redis.pcall(unpack(ARGV))",
        (true, false) => b"redis.setresp(3)\nreturn redis.pcall(unpack(ARGV))",
        (false, true) => b"#!lua flags=allow-oom\nreturn redis.pcall(unpack(ARGV))",
        (true, true) => {
            b"#!lua flags=allow-oom\nredis.setresp(3)\nreturn redis.pcall(unpack(ARGV))"
        }
    }
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

    /// Whether a user may run every command on every key and channel
    /// (then nothing needs checking), from `ACL GETUSER`, cached until the
    /// next ACL command.
    fn unrestricted(&mut self, user: &[u8]) -> bool {
        let epoch = self.settings.acl_epoch.load(Ordering::SeqCst);
        if let Some(&(e, all)) = self.acl_cache.get(user) {
            if e == epoch {
                return all;
            }
        }
        let all = (|| -> io::Result<bool> {
            let c = self.conn(2)?;
            let r = c
                .conn
                .command(&[b"ACL".as_slice(), b"GETUSER".as_slice(), user])?;
            let Reply::Array(items) = r else {
                return Ok(false);
            };
            let mut all = [false; 4];
            let mut it = items.iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                let text = |r: &Reply| match r {
                    Reply::Bulk(b) | Reply::Status(b) => Some(b.clone()),
                    _ => None,
                };
                match text(k).as_deref() {
                    Some(b"commands") => all[0] = text(v).as_deref() == Some(b"+@all"),
                    Some(b"keys") => all[1] = text(v).as_deref() == Some(b"~*"),
                    Some(b"channels") => all[2] = text(v).as_deref() == Some(b"&*"),
                    Some(b"selectors") => all[3] = matches!(v, Reply::Array(s) if s.is_empty()),
                    _ => {}
                }
            }
            Ok(all.iter().all(|&b| b))
        })()
        .unwrap_or(false);
        self.acl_cache.insert(user.to_vec(), (epoch, all));
        all
    }

    /// `ACL DRYRUN user argv...`: `None` if allowed, else why not.
    fn dryrun(&mut self, user: &[u8], argv: &[&[u8]]) -> Option<Vec<u8>> {
        let mut cmd: Vec<&[u8]> = vec![b"ACL", b"DRYRUN", user];
        cmd.extend_from_slice(argv);
        let r = match self.conn(2) {
            Ok(c) => c.conn.command(&cmd),
            Err(e) => Err(e),
        };
        match r {
            Ok(Reply::Status(s)) if s == b"OK" => None,
            Ok(Reply::Bulk(m)) | Ok(Reply::Error(m)) | Ok(Reply::Status(m)) => Some(m),
            Ok(_) => Some(b"ACL check failed".to_vec()),
            Err(e) => {
                self.conns[0] = None;
                Some(format!("ACL check failed: {e}").into_bytes())
            }
        }
    }

    fn try_call(&mut self, ctx: &CallContext, argv: &[&[u8]]) -> io::Result<Reply> {
        let wrap = needs_script_context(argv, &self.table);
        let c = self.conn(ctx.resp)?;
        if c.db != ctx.db {
            let db = ctx.db.to_string();
            let r = c.conn.command(&[b"SELECT".as_slice(), db.as_bytes()])?;
            if !r.is_error() {
                c.db = ctx.db;
            }
        }
        if wrap {
            let wrapper = script_context_wrapper(ctx.resp >= 3, ctx.oom_exempt);
            let mut eval: Vec<&[u8]> = vec![b"EVAL", wrapper, b"0"];
            eval.extend_from_slice(argv);
            return c.conn.command(&eval);
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
        let mut info = self.table.lookup(argv)?;
        if self.settings.disable_deny_scripts.load(Ordering::Relaxed) {
            info.flags &= !flags::NOSCRIPT;
        }
        Some(info)
    }

    fn check_acl(&mut self, argv: &[&[u8]]) -> Result<(), AclDenied> {
        let Some(user) = self.caller.clone() else {
            return Ok(());
        };
        match self.dryrun(&user, argv) {
            None => Ok(()),
            Some(m) => {
                let m = m.to_ascii_lowercase();
                let has = |w: &[u8]| m.windows(w.len()).any(|x| x == w);
                Err(if has(b"'") && has(b" key") {
                    AclDenied::Key
                } else if has(b"channel") {
                    AclDenied::Channel
                } else if has(b"command") {
                    AclDenied::Command
                } else {
                    AclDenied::Other
                })
            }
        }
    }

    fn acl_check(&mut self, argv: &[&[u8]]) -> bool {
        self.check_acl(argv).is_ok()
    }

    fn call_rejected(&mut self, argv: &[&[u8]], error: &[u8]) {
        let name = match argv.first() {
            Some(n) if self.table.lookup(argv).is_some() => {
                let base = String::from_utf8_lossy(n).to_lowercase();
                if argv.len() > 1 && self.table.has_subcommands(n) {
                    format!("{base}|{}", String::from_utf8_lossy(argv[1]).to_lowercase())
                } else {
                    base
                }
            }
            _ => String::new(),
        };
        let code = error.split(|&b| b == b' ').next().unwrap_or(b"ERR");
        let code = String::from_utf8_lossy(code).into_owned();
        let mut stats = match self.stats.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if !name.is_empty() {
            stats.commands.entry(name).or_insert([0; 4])[2] += 1;
        }
        *stats.errors.entry(code).or_insert(0) += 1;
        stats.total_errors += 1;
        drop(stats);
        // Counted now: not again when the script passes it on.
        self.last_upstream_error = Some(error.to_vec());
    }

    fn time_limit(&mut self) -> Option<Duration> {
        match self.settings.time_limit_ms.load(Ordering::Relaxed) {
            u64::MAX => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }

    fn script_write_denied(&mut self) -> Option<WriteDenied> {
        let min = self.settings.min_replicas.load(Ordering::Relaxed);
        if min <= 0 {
            return None;
        }
        let c = self.conn(2).ok()?;
        let Ok(Reply::Bulk(info)) = c.conn.command(&["INFO", "replication"]) else {
            return None;
        };
        let text = String::from_utf8_lossy(&info);
        let good = text
            .lines()
            .find_map(|l| l.strip_prefix("min_slaves_good_slaves:"))
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(0);
        if good < min {
            Some(WriteDenied::NoReplicas)
        } else {
            None
        }
    }

    fn call(&mut self, ctx: &CallContext, argv: &[&[u8]]) -> Reply {
        match self.try_call(ctx, argv) {
            Ok(r) => {
                self.last_upstream_error = match &r {
                    Reply::Error(e) => Some(e.clone()),
                    _ => None,
                };
                r
            }
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

    fn script_busy(&mut self, info: &BusyInfo) {
        self.busy_error = Some(Reply::Error(
            if info.is_eval {
                crate::control::BUSY_EVAL
            } else {
                crate::control::BUSY_FUNCTION
            }
            .to_vec(),
        ));
        self.gate.set_busy(true);
        self.busy_tick();
    }

    fn busy_tick(&mut self) {
        // Scripts queued behind a busy one get -BUSY now, as in Redis.
        let Some(err) = &self.busy_error else {
            return;
        };
        let queued: Vec<Job> = lock(&self.jobs).drain(..).collect();
        if queued.is_empty() {
            return;
        }
        for job in queued {
            let bytes = err.to_bytes(job.resp);
            match &job.direct {
                Some(d) => deliver(d, bytes),
                None => *lock(&job.slot) = Some(bytes),
            }
        }
        self.gate.wake_exclusive_waiters();
    }

    fn script_done(&mut self) {
        self.busy_error = None;
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
    settings: Arc<Settings>,
    /// The engine's store (scripts, libraries), for what is answered
    /// without the engine: FUNCTION STATS while a script is busy, INFO.
    shared: Arc<Shared>,
    stats: Arc<Mutex<Stats>>,
    /// Bytes the engine's EVAL and functions Lua states used after the
    /// last scripting command (INFO's `used_memory_vm_eval`,
    /// `used_memory_vm_functions`).
    lua_memory: [AtomicU64; 2],
    /// Scripting commands waiting for their turn (see `run_scripting`).
    jobs: Arc<Mutex<std::collections::VecDeque<Job>>>,
    /// Signals the script runner (see `script_runner`).
    jobs_cv: Condvar,
    runner_waiting: AtomicBool,
    /// The most bytes a script's encoded reply may take: the memory limit
    /// of a Lua state (`None`: no limit).
    reply_limit: Option<usize>,
}

impl Global {
    fn jobs(&self) -> MutexGuard<'_, std::collections::VecDeque<Job>> {
        match self.jobs.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Runs the queued scripting commands (the caller has the scripts'
    /// turn) and hands each reply to its thread.
    fn combine(&self) {
        loop {
            let Some(job) = self.jobs().pop_front() else {
                return;
            };
            // A panic must not lose the reply (its client would wait
            // for it forever) nor the runner.
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.execute_script(&job.argv, job.db, &job.user, job.resp)
            }));
            let bytes = run.unwrap_or_else(|_| {
                Reply::Error(
                    b"ERR internal error in ferrous-redis while running the script".to_vec(),
                )
                .to_bytes(job.resp)
            });
            match &job.direct {
                Some(d) => deliver(d, bytes),
                None => *lock(&job.slot) = Some(bytes),
            }
        }
    }

    /// Queues jobs for the script runner and wakes it if it sleeps.
    fn submit(&self, jobs: impl IntoIterator<Item = Job>) {
        self.jobs().extend(jobs);
        if self.runner_waiting.load(Ordering::SeqCst) {
            self.jobs_cv.notify_one();
        }
    }

    /// Answers the queued jobs with `reply` (a script is busy).
    fn refuse_queued(&self, reply: &Reply) {
        let queued: Vec<Job> = self.jobs().drain(..).collect();
        for job in queued {
            let bytes = reply.to_bytes(job.resp);
            match &job.direct {
                Some(d) => deliver(d, bytes),
                None => *lock(&job.slot) = Some(bytes),
            }
        }
        self.gate.wake_exclusive_waiters();
    }
}

/// The script runner: one thread runs every queued scripting command in
/// turn, holding the gate for a batch, and hands each reply over (written
/// to the client's socket for a direct job). No client thread ever runs
/// another client's script, so a long script never keeps a client from
/// being answered; while the runner works, client threads only wake to
/// read their clients' requests.
fn script_runner(g: Arc<Global>) {
    loop {
        {
            let mut q = g.jobs();
            while q.is_empty() {
                g.runner_waiting.store(true, Ordering::SeqCst);
                q = match g.jobs_cv.wait_timeout(q, Duration::from_millis(100)) {
                    Ok((q, _)) => q,
                    Err(p) => p.into_inner().0,
                };
                g.runner_waiting.store(false, Ordering::SeqCst);
            }
        }
        match g.gate.exclusive() {
            Ok(guard) => {
                g.combine();
                drop(guard);
                g.gate.wake_exclusive_waiters();
            }
            Err(Busy) => {
                // A transaction's script is busy: the queued scripts get
                // -BUSY, as in Redis.
                let r = g
                    .controller
                    .busy_reply()
                    .unwrap_or_else(|| Reply::Error(crate::control::BUSY_EVAL.to_vec()));
                g.refuse_queued(&r);
                thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

impl Global {
    /// One scripting command, run now (the caller has the turn); returns
    /// the reply encoded in protocol `resp`.
    fn execute_script(&self, argv: &[Vec<u8>], db: i64, user: &[u8], resp: u8) -> Vec<u8> {
        let _ = self.table();
        let started = Instant::now();
        let slices = as_slices(argv);
        let (reply, from_upstream, rejected) = {
            let mut slot = match self.engine.lock() {
                Ok(s) => s,
                Err(p) => p.into_inner(),
            };
            let (engine, host) = &mut *slot;
            let outcome = run_engine(engine, host, &slices, db, user);
            let (eval, funcs) = engine.memory_by_state();
            self.lua_memory[0].store(eval as u64, Ordering::Relaxed);
            self.lua_memory[1].store(funcs as u64, Ordering::Relaxed);
            outcome
        };
        let usec = started.elapsed().as_micros() as u64;
        {
            let mut stats = self.stats();
            let name = stat_name(argv);
            if rejected {
                stats.commands.entry(name).or_insert([0; 4])[2] += 1;
                if let Reply::Error(e) = &reply {
                    let code = e.split(|&b| b == b' ').next().unwrap_or(b"ERR");
                    *stats
                        .errors
                        .entry(String::from_utf8_lossy(code).into_owned())
                        .or_insert(0) += 1;
                    stats.total_errors += 1;
                }
            } else {
                stats.record(name, usec, &reply, from_upstream);
            }
        }
        encode_script_reply(&reply, resp, self.reply_limit)
    }

    fn stats(&self) -> MutexGuard<'_, Stats> {
        match self.stats.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
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

/// Loads the upstream's function libraries (`FUNCTION DUMP` there) into
/// the engine: at start, and after the upstream reloaded its data set
/// (DEBUG RELOAD). `flush`: replace the engine's libraries.
fn load_upstream_functions(engine: &mut Engine, host: &mut ScriptHost, flush: bool) {
    let dump = match host
        .conn(2)
        .and_then(|c| c.conn.command(&["FUNCTION", "DUMP"]))
    {
        Ok(Reply::Bulk(d)) => d,
        _ => return,
    };
    let policy: &[u8] = if flush { b"FLUSH" } else { b"REPLACE" };
    let argv: [&[u8]; 4] = [b"FUNCTION", b"RESTORE", &dump, policy];
    if let Some(Reply::Error(e)) = engine.execute(host, 0, &argv) {
        host.log(
            LogLevel::Warning,
            format!(
                "cannot load the upstream's function libraries: {}",
                String::from_utf8_lossy(&e)
            )
            .as_bytes(),
        );
    }
}

/// FUNCTION LOAD/DELETE/FLUSH/RESTORE that succeeded here are repeated on
/// the upstream, whose RDB/AOF then persists the libraries (a restart of
/// either process keeps them; the upstream compiles them with its own Lua,
/// which is only storage for it).
fn mirror_functions(host: &mut ScriptHost, argv: &[&[u8]]) {
    if argv.len() < 2 || !argv[0].eq_ignore_ascii_case(b"function") {
        return;
    }
    let sub = argv[1].to_ascii_lowercase();
    if !matches!(sub.as_slice(), b"load" | b"delete" | b"flush" | b"restore") {
        return;
    }
    let r = match host.conn(2) {
        Ok(c) => c.conn.command(argv),
        Err(e) => Err(e),
    };
    let problem = match r {
        Ok(Reply::Error(e)) => Some(String::from_utf8_lossy(&e).into_owned()),
        Ok(_) => None,
        Err(e) => {
            host.conns[0] = None;
            Some(e.to_string())
        }
    };
    if let Some(p) = problem {
        host.log(
            LogLevel::Warning,
            format!(
                "FUNCTION {} could not be repeated on the upstream (the library will not be persisted there): {p}",
                String::from_utf8_lossy(&sub).to_uppercase()
            )
            .as_bytes(),
        );
    }
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
    let shared = Shared::new();
    let mut engine = Engine::new(shared.clone(), cfg.engine.clone());
    let controller = engine.controller();
    let settings = Arc::new(Settings::default());
    let stats = Arc::new(Mutex::new(Stats::default()));
    let jobs = Arc::new(Mutex::new(std::collections::VecDeque::new()));
    let mut host = ScriptHost {
        upstream: cfg.upstream,
        auth: cfg.upstream_auth.clone(),
        conns: [None, None],
        table: table.clone(),
        gate: gate.clone(),
        verbose: false,
        settings: settings.clone(),
        caller: None,
        acl_cache: HashMap::new(),
        last_upstream_error: None,
        stats: stats.clone(),
        jobs: jobs.clone(),
        busy_error: None,
    };
    // What the upstream is configured with, and its function libraries
    // (it persists them: see `mirror_functions`).
    if let Ok(c) = host.conn(2) {
        if let Ok(Reply::Array(kv)) = c.conn.command(&["CONFIG", "GET", "min-replicas-to-write"]) {
            if let Some(Reply::Bulk(v)) = kv.get(1) {
                if let Some(n) = reply::parse_i64(v) {
                    settings.min_replicas.store(n, Ordering::SeqCst);
                }
            }
        }
    }
    load_upstream_functions(&mut engine, &mut host, false);
    let global = Arc::new(Global {
        upstream: cfg.upstream,
        auth: cfg.upstream_auth.clone(),
        gate,
        engine: Mutex::new((engine, host)),
        controller,
        table: RwLock::new(table),
        settings,
        shared,
        stats,
        lua_memory: [AtomicU64::new(0), AtomicU64::new(0)],
        jobs,
        jobs_cv: Condvar::new(),
        runner_waiting: AtomicBool::new(false),
        reply_limit: cfg.engine.memory_limit,
    });
    {
        let g = global.clone();
        thread::Builder::new()
            .name("ferrous-redis-scripts".into())
            .stack_size(THREAD_STACK)
            .spawn(move || script_runner(g))?;
    }
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
    /// The user the client authenticated as (scripts run with its rights).
    user: Vec<u8>,
    /// Redis's `authRequired` is known to be false for this client (it
    /// authenticated, or the upstream said so): the unauthenticated
    /// protocol limits are off. See `auth_required`.
    auth_known: bool,
    /// CLIENT REPLY OFF.
    reply_off: bool,
    /// CLIENT REPLY SKIP: 2 while the SKIP itself runs, 1 for the next
    /// command.
    skip_next: u8,
    /// The client hung up while a forwarded blocking command waited.
    hung_up: bool,
    /// Where another thread puts the reply of this client's script.
    slot: Arc<Mutex<Option<Vec<u8>>>>,
    /// The socket for other threads to write replies to (direct jobs).
    writer: Option<Arc<TcpStream>>,
    /// (this thread's end, the other threads' end) of the direct jobs'
    /// wake-up pair.
    waker: Option<(UnixStream, Arc<UnixStream>)>,
    /// The direct job whose reply is not known to be written yet.
    outstanding: Option<Arc<Mutex<DState>>>,
    /// The request being handled is the last one received.
    last_in_batch: bool,
    /// Reads requests from `inbuf` (keeps a multibulk's finished arguments).
    reader: RequestReader,
    /// A protocol error to answer once the requests before it are done.
    pending_refusal: Option<Vec<u8>>,
}

enum Action {
    Reply,
    Proxy,
}

impl Client {
    fn new(g: Arc<Global>, stream: TcpStream) -> Client {
        let _ = stream.set_nodelay(true);
        let writer = stream.try_clone().ok().map(Arc::new);
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
            user: b"default".to_vec(),
            auth_known: false,
            reply_off: false,
            skip_next: 0,
            hung_up: false,
            slot: Arc::new(Mutex::new(None)),
            writer,
            waker: None,
            outstanding: None,
            last_in_batch: false,
            reader: RequestReader::new(),
            pending_refusal: None,
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
            self.await_input()?;
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            self.settle()?;
            // A bulk whose length is known is reserved once, fallibly.
            let short = self.reader.bulk_shortfall(self.inbuf.len());
            if short > n && self.inbuf.try_reserve_exact(short).is_err() {
                let _ = self.stream.shutdown(Shutdown::Both);
                return Ok(());
            }
            self.inbuf.extend_from_slice(&chunk[..n]);
            // Rounds of reading then running requests: a second round when
            // a length past the unauthenticated limits was met before the
            // client was known to be authenticated (the requests before it,
            // an AUTH say, run first, then the upstream is asked).
            loop {
                let mut requests = Vec::new();
                let mut pos = 0;
                let mut refused = None;
                let mut recheck = None;
                let limits = !self.auth_known;
                loop {
                    let before = pos;
                    match self.reader.next(&self.inbuf, &mut pos, limits) {
                        Ok(Some(args)) if limits && over_unauthenticated_limits(&args) => {
                            // Only an inline request gets here (a multibulk
                            // one was refused at its length line). Redis
                            // answers it NOAUTH, while the upstream would
                            // refuse it as a multibulk: it is read again
                            // once the requests before it have run.
                            pos = before;
                            recheck = Some(Vec::new());
                            break;
                        }
                        Ok(Some(args)) => {
                            if !args.is_empty() {
                                requests.push(args);
                            }
                        }
                        Ok(None) => break,
                        Err(m) if limits && m.starts_with(b"unauthenticated ") => {
                            // The reader stopped before the length line.
                            recheck = Some(m);
                            break;
                        }
                        Err(m) => {
                            refused = Some(m);
                            break;
                        }
                    }
                }
                self.inbuf.drain(..pos);
                if let Some(m) = refused {
                    // Redis runs the requests before the bad bytes, then
                    // answers the protocol error and closes the connection.
                    self.inbuf.clear();
                    self.pending_refusal = Some(m);
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
                    // A run of scripting commands is queued at once.
                    let run = self.script_run(&requests[i..]);
                    if run > 1 {
                        self.settle()?;
                        let replies = self.run_scripts(&requests[i..i + run]);
                        for r in replies {
                            self.put_out(r);
                        }
                        i += run;
                        continue;
                    }
                    let req = std::mem::take(&mut requests[i]);
                    i += 1;
                    self.last_in_batch = i == requests.len() && self.inbuf.is_empty();
                    let before = self.out.len();
                    let action = self.handle(req)?;
                    if self.hung_up {
                        return Ok(());
                    }
                    if self.reply_off {
                        self.out.truncate(before);
                    } else if self.skip_next > 0 {
                        if self.skip_next == 1 {
                            self.out.truncate(before);
                        }
                        self.skip_next -= 1;
                    }
                    match action {
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
                match recheck {
                    Some(m) if m.is_empty() => {
                        if self.auth_required() {
                            let mut at = 0;
                            match self.reader.next(&self.inbuf, &mut at, false) {
                                Ok(Some(_)) => {
                                    self.inbuf.drain(..at);
                                    Reply::Error(NOAUTH.to_vec()).encode(self.resp, &mut self.out);
                                }
                                _ => {
                                    self.inbuf.clear();
                                    break;
                                }
                            }
                        }
                        continue;
                    }
                    Some(m) => {
                        if !self.auth_required() {
                            continue;
                        }
                        self.inbuf.clear();
                        self.pending_refusal = Some(m);
                    }
                    None => {}
                }
                break;
            }
            if let Some(m) = self.pending_refusal.take() {
                if m.is_empty() {
                    // Past the request size limit: closed without a reply.
                    self.flush()?;
                    let _ = self.stream.shutdown(Shutdown::Both);
                    return Ok(());
                }
                let mut text = b"ERR Protocol error: ".to_vec();
                text.extend_from_slice(&m);
                Reply::Error(text).encode(self.resp, &mut self.out);
                self.flush()?;
                let _ = self.stream.shutdown(Shutdown::Both);
                return Ok(());
            }
            self.flush()?;
        }
    }

    /// Before reading: with a direct job outstanding, waits for the
    /// client's next bytes or for a remainder to write.
    fn await_input(&mut self) -> io::Result<()> {
        while let Some(st) = self.outstanding.clone() {
            if !matches!(*lock(&st), DState::Pending) {
                return self.settle();
            }
            let Some((wake, _)) = &self.waker else {
                return self.settle();
            };
            let mut fds = [
                PollFd {
                    fd: self.stream.as_raw_fd(),
                    events: POLLIN | POLLRDHUP,
                    revents: 0,
                },
                PollFd {
                    fd: wake.as_raw_fd(),
                    events: POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: `fds` is a valid array of two pollfd structures that
            // outlives the call; both descriptors are open.
            let n = unsafe { poll(fds.as_mut_ptr(), 2, 1000) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return self.settle();
            }
            if fds[1].revents != 0 {
                continue;
            }
            if fds[0].revents != 0 {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Waits until the outstanding direct job's reply is handed over and
    /// writes what the other thread could not.
    fn settle(&mut self) -> io::Result<()> {
        let Some(st) = self.outstanding.take() else {
            return Ok(());
        };
        let done = || !matches!(*lock(&st), DState::Pending);
        if !done() {
            self.g.gate.wait_done(&done);
        }
        if let Some((wake, _)) = &self.waker {
            let mut b = [0u8; 64];
            while let Ok(n) = (&*wake).read(&mut b) {
                if n == 0 {
                    break;
                }
            }
        }
        let state = std::mem::replace(&mut *lock(&st), DState::Delivered);
        if let DState::Remainder(r) = state {
            self.stream.write_all(&r)?;
        }
        Ok(())
    }

    /// Whether a scripting command can be a direct job: the last request
    /// received, outside a transaction and CLIENT REPLY games.
    fn direct_ok(&self) -> bool {
        self.writer.is_some()
            && self.last_in_batch
            && self.multi.is_none()
            && !self.reply_off
            && self.skip_next == 0
            && self.g.auth.is_none()
    }

    /// Queues a scripting command as a direct job and runs the queue if
    /// the scripts' turn is free; the thread then goes back to reading.
    fn submit_direct(&mut self, argv: &[Vec<u8>]) -> io::Result<()> {
        self.flush()?;
        if self.waker.is_none() {
            let (a, b) = UnixStream::pair()?;
            a.set_nonblocking(true)?;
            b.set_nonblocking(true)?;
            self.waker = Some((a, Arc::new(b)));
        }
        let (Some(stream), Some((_, waker))) = (&self.writer, &self.waker) else {
            return Ok(());
        };
        if self.g.gate.is_busy() {
            self.busy_reply();
            return Ok(());
        }
        let state = Arc::new(Mutex::new(DState::Pending));
        let job = Job {
            argv: argv.to_vec(),
            db: self.db,
            user: self.user.clone(),
            resp: self.resp,
            slot: self.slot.clone(),
            direct: Some(Direct {
                stream: stream.clone(),
                waker: waker.clone(),
                state: state.clone(),
            }),
        };
        self.outstanding = Some(state);
        self.g.submit([job]);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.out.is_empty() {
            self.settle()?;
            self.stream.write_all(&self.out)?;
            self.out.clear();
            // A big reply's buffer is not kept for the connection's life.
            if self.out.capacity() > 1 << 20 {
                self.out = Vec::with_capacity(16 * 1024);
            }
        }
        Ok(())
    }

    /// Queues encoded reply bytes; a big script reply is moved into the
    /// empty output buffer rather than copied.
    fn put_out(&mut self, bytes: Vec<u8>) {
        if self.out.is_empty() && bytes.len() > self.out.capacity() {
            self.out = bytes;
        } else {
            self.out.extend_from_slice(&bytes);
        }
    }

    fn reply(&mut self, r: &Reply) {
        r.encode(self.resp, &mut self.out);
    }

    /// How many requests from the start of `reqs` are plain commands that
    /// can be forwarded together.
    fn forward_run(&self, reqs: &[Vec<Vec<u8>>]) -> usize {
        if self.multi.is_some() || self.reply_off || self.skip_next > 0 {
            return 0;
        }
        let table = self.g.table();
        reqs.iter().take_while(|r| is_plain(r, &table)).count()
    }

    /// How many requests from the start of `reqs` are scripting commands
    /// that can be queued together (no transaction, no CLIENT REPLY
    /// games, no upstream password to check per command).
    fn script_run(&self, reqs: &[Vec<Vec<u8>>]) -> usize {
        if self.multi.is_some() || self.reply_off || self.skip_next > 0 || self.g.auth.is_some() {
            return 0;
        }
        reqs.iter()
            .take_while(|r| {
                Engine::is_scripting_command(&r[0]) && !is_kill(r) && !is_function_stats(r)
            })
            .count()
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
        // Commands answered here rather than upstream get Redis's NOAUTH
        // (after its arity check) from a client that must log in first.
        let local = match name.as_slice() {
            b"multi" | b"exec" | b"discard" => argv.len() == 1,
            b"client" => argv.len() == 3 && argv[1].eq_ignore_ascii_case(b"reply"),
            _ => false,
        };
        if local && self.auth_required() {
            // Redis's rejectCommand answers a refused EXEC as an abort.
            let mut e = Vec::new();
            if name == b"exec" {
                e.extend_from_slice(b"EXECABORT Transaction discarded because of: ");
            }
            e.extend_from_slice(NOAUTH);
            self.reply(&Reply::Error(e));
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
            b"sync" | b"psync" => {
                // A replica: from here on a transparent pipe to the
                // upstream, never holding the gate (the RDB and the
                // replication stream follow, not a reply).
                let sent = self.upstream().and_then(|u| u.send_command(&argv));
                match sent {
                    Ok(()) => return Ok(Action::Proxy),
                    Err(e) => {
                        self.upstream = None;
                        self.reply(&upstream_error(&e));
                    }
                }
            }
            b"client" if argv.len() >= 2 && argv[1].eq_ignore_ascii_case(b"reply") => {
                // Kept here: forwarded, the upstream would stop answering
                // and the bridge would wait for replies that never come.
                let mode = argv.get(2).map(|m| m.to_ascii_lowercase());
                match (argv.len(), mode.as_deref()) {
                    (3, Some(b"on")) => {
                        self.reply_off = false;
                        self.skip_next = 0;
                        self.reply(&Reply::ok());
                    }
                    (3, Some(b"off")) => self.reply_off = true,
                    (3, Some(b"skip")) => {
                        if !self.reply_off {
                            self.skip_next = 2;
                        }
                    }
                    (3, _) => self.reply(&Reply::Error(b"ERR syntax error".to_vec())),
                    _ => self.reply(&wrong_args("client|reply")),
                }
            }
            b"debug"
                if argv.len() == 3 && argv[1].eq_ignore_ascii_case(b"set-disable-deny-scripts") =>
            {
                let raw = self.forward_gated(&argv);
                if raw.starts_with(b"+") {
                    let on = reply::parse_i64(&argv[2]).unwrap_or(0) != 0;
                    self.g
                        .settings
                        .disable_deny_scripts
                        .store(on, Ordering::SeqCst);
                }
                self.out.extend_from_slice(&raw);
            }
            b"debug"
                if argv.len() >= 2
                    && (argv[1].eq_ignore_ascii_case(b"reload")
                        || argv[1].eq_ignore_ascii_case(b"loadaof")) =>
            {
                let raw = self.forward_gated(&argv);
                if !raw.starts_with(b"-") {
                    // The upstream's libraries may have changed with its data.
                    self.resync_functions();
                }
                self.out.extend_from_slice(&raw);
            }
            b"config" if argv.len() >= 2 => {
                let raw = self.forward_gated(&argv);
                if raw.starts_with(b"+") {
                    if argv[1].eq_ignore_ascii_case(b"set") {
                        self.g.settings.config_set(&argv);
                    } else if argv[1].eq_ignore_ascii_case(b"resetstat") {
                        *self.g.stats() = Stats::default();
                    }
                }
                self.out.extend_from_slice(&raw);
            }
            b"acl" => {
                let raw = self.forward_gated(&argv);
                self.g.settings.acl_epoch.fetch_add(1, Ordering::SeqCst);
                self.out.extend_from_slice(&raw);
            }
            b"info" => {
                let raw = self.forward_gated(&argv);
                let patched = self.patch_info(&raw);
                self.out.extend_from_slice(&patched);
            }
            _ if is_function_stats(&argv) => {
                // allow-busy: answered from the store while a script runs.
                self.g.gate.idle_or_busy();
                let r = Engine::allow_busy_command(
                    &self.g.shared,
                    &self.g.controller,
                    &as_slices(&argv),
                )
                .unwrap_or_else(|| wrong_args("function|stats"));
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
                if self.direct_ok() {
                    self.submit_direct(&argv)?;
                } else {
                    self.settle()?;
                    let bytes = self.run_scripting(&argv, true);
                    self.put_out(bytes);
                }
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

    /// Redis's `authRequired` for this client: true while the upstream's
    /// default user has a password (or is off) and the client has not
    /// authenticated. Redis then refuses a multibulk of more than 10
    /// arguments and a bulk of more than 16384 bytes ("Protocol error:
    /// unauthenticated ..."). The client's own upstream connection, which
    /// has seen the client's AUTH, HELLO and RESET, answers a PING with
    /// -NOAUTH exactly then. Asked only when such a length arrives; a
    /// PONG is kept (`auth_known`) until RESET.
    fn auth_required(&mut self) -> bool {
        if self.auth_known {
            return false;
        }
        let raw = self.forward_raw(&[b"PING".to_vec()]);
        if raw.starts_with(b"-NOAUTH") {
            return true;
        }
        // An upstream that cannot be reached is asked again next time.
        self.auth_known = !raw.starts_with(b"-");
        false
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
        if blocking {
            drop(guard);
            return self.forward_blocking(argv);
        }
        let raw = self.forward_raw(argv);
        drop(guard);
        raw
    }

    /// Forwards a command that may wait long on the upstream, watching the
    /// client meanwhile: if it hangs up, the upstream connection is closed,
    /// which cancels the wait there (no item is taken for nobody).
    fn forward_blocking(&mut self, argv: &[Vec<u8>]) -> Vec<u8> {
        if let Err(e) = self.upstream().and_then(|u| u.send_command(argv)) {
            self.upstream = None;
            return upstream_error(&e).to_bytes(self.resp);
        }
        let res = match self.upstream.as_mut() {
            Some(u) => u.read_raw_watch(&self.stream),
            None => Err(io::Error::other("no upstream")),
        };
        match res {
            Ok(Some(raw)) => raw,
            Ok(None) => {
                if let Some(u) = self.upstream.take() {
                    let _ = u.stream.shutdown(Shutdown::Both);
                }
                self.hung_up = true;
                Vec::new()
            }
            Err(e) => {
                self.upstream = None;
                upstream_error(&e).to_bytes(self.resp)
            }
        }
    }

    /// Reloads the engine's libraries from the upstream (after it reloaded
    /// its data set).
    fn resync_functions(&mut self) {
        let gate = self.g.gate.clone();
        let Ok(_guard) = gate.exclusive() else {
            return;
        };
        let mut slot = match self.g.engine.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        let (engine, host) = &mut *slot;
        load_upstream_functions(engine, host, true);
    }

    /// INFO from the upstream with this server's own figures: the
    /// scripting commands it runs, the errors it replies, its script cache
    /// and Lua memory.
    fn patch_info(&mut self, raw: &[u8]) -> Vec<u8> {
        let (text, verbatim) = match parse_reply(raw) {
            Ok((Reply::Bulk(t), _)) => (t, false),
            Ok((Reply::Verbatim { text, .. }, _)) => (text, true),
            _ => return raw.to_vec(),
        };
        let text = String::from_utf8_lossy(&text).into_owned();
        let (libs, funcs) = self.g.shared.library_counts();
        let scripts = self.g.shared.script_count();
        let lua = self.g.lua_memory[0].load(Ordering::Relaxed);
        let funcs_mem = self.g.lua_memory[1].load(Ordering::Relaxed);
        let stats = self.g.stats();
        let kb = |n: u64| format!("{:.2}K", n as f64 / 1024.0);
        let field_of = |l: &str| l.split(':').next().unwrap_or("").to_string();
        let num_after = |l: &str, key: &str| -> u64 {
            l.split(key)
                .nth(1)
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map_or(0, |v| v as u64)
        };
        // Sections: a header line, then its lines, then an empty line.
        let mut out: Vec<String> = Vec::new();
        let mut section = String::new();
        let mut seen: Vec<String> = Vec::new();
        let lines: Vec<&str> = text.split("\r\n").collect();
        for (i, line) in lines.iter().enumerate() {
            if let Some(h) = line.strip_prefix("# ") {
                section = h.to_ascii_lowercase();
                seen.clear();
            }
            let field = field_of(line);
            let mut line = line.to_string();
            match field.as_str() {
                "used_memory_lua" | "used_memory_vm_eval" => line = format!("{field}:{lua}"),
                "used_memory_lua_human" => line = format!("{field}:{}", kb(lua)),
                "used_memory_vm_functions" => line = format!("{field}:{funcs_mem}"),
                "used_memory_vm_total" => line = format!("{field}:{}", lua + funcs_mem),
                "used_memory_vm_total_human" => line = format!("{field}:{}", kb(lua + funcs_mem)),
                "number_of_cached_scripts" => line = format!("{field}:{scripts}"),
                "number_of_functions" => line = format!("{field}:{funcs}"),
                "number_of_libraries" => line = format!("{field}:{libs}"),
                "total_error_replies" => {
                    line = format!("{field}:{}", num_after(&line, ":") + stats.total_errors)
                }
                _ => {}
            }
            let mut keep = true;
            if section == "commandstats" {
                if let Some(name) = field.strip_prefix("cmdstat_") {
                    if SCRIPTING_STATS.contains(&name) {
                        // This server runs these; the upstream's figures
                        // are its own wrappers'.
                        keep = false;
                    } else if let Some(c) = stats.commands.get(name) {
                        let calls = num_after(&line, "calls=") + c[0];
                        let usec = num_after(&line, "usec=") + c[1];
                        line = format!(
                            "cmdstat_{name}:calls={calls},usec={usec},usec_per_call={:.2},rejected_calls={},failed_calls={}",
                            if calls > 0 { usec as f64 / calls as f64 } else { 0.0 },
                            num_after(&line, "rejected_calls=") + c[2],
                            num_after(&line, "failed_calls=") + c[3]
                        );
                        seen.push(name.to_string());
                    }
                }
            } else if section == "errorstats" {
                if let Some(code) = field.strip_prefix("errorstat_") {
                    if let Some(&n) = stats.errors.get(code) {
                        line = format!("errorstat_{code}:count={}", num_after(&line, "count=") + n);
                        seen.push(code.to_string());
                    }
                }
            }
            if keep {
                out.push(line.clone());
            }
            // The end of a section: add what the upstream did not have.
            let end = lines.get(i + 1).is_none_or(|l| l.is_empty()) && !line.is_empty();
            if end && section == "commandstats" {
                let mut names: Vec<&String> = stats.commands.keys().collect();
                names.sort();
                for n in names {
                    if seen.contains(n) {
                        continue;
                    }
                    let c = stats.commands[n];
                    out.push(format!(
                        "cmdstat_{n}:calls={},usec={},usec_per_call={:.2},rejected_calls={},failed_calls={}",
                        c[0],
                        c[1],
                        if c[0] > 0 { c[1] as f64 / c[0] as f64 } else { 0.0 },
                        c[2],
                        c[3]
                    ));
                }
            } else if end && section == "errorstats" {
                let mut codes: Vec<&String> = stats.errors.keys().collect();
                codes.sort();
                for c in codes {
                    if !seen.contains(c) {
                        out.push(format!("errorstat_{c}:count={}", stats.errors[c]));
                    }
                }
            }
        }
        let out = out.join("\r\n");
        drop(stats);
        if verbatim {
            Reply::Verbatim {
                format: *b"txt",
                text: out.into_bytes(),
            }
            .to_bytes(self.resp)
        } else {
            Reply::Bulk(out.into_bytes()).to_bytes(self.resp)
        }
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
                if let Some(i) = argv.iter().position(|a| a.eq_ignore_ascii_case(b"auth")) {
                    if let Some(u) = argv.get(i + 1) {
                        self.user = u.clone();
                        self.auth_known = true;
                    }
                }
            }
            b"reset" => {
                self.db = 0;
                self.resp = 2;
                self.authed = false;
                self.auth_known = false;
                self.user = b"default".to_vec();
            }
            b"auth" if argv.len() == 2 || argv.len() == 3 => {
                self.auth_known = true;
                self.user = if argv.len() == 3 {
                    argv[1].clone()
                } else {
                    b"default".to_vec()
                };
            }
            _ => {}
        }
    }

    /// Runs a scripting command under the gate; returns the encoded reply.
    /// Runs a scripting command (`gated`: taking its turn among scripts
    /// and forwarded commands; a transaction already holds the gate);
    /// returns the encoded reply.
    ///
    /// Scripts run one at a time. Rather than each client thread waking up
    /// in turn to run its own script (a wake-up per script on the critical
    /// path), a thread that gets the turn also runs the scripts other
    /// clients queued meanwhile (flat combining) and wakes their threads
    /// once its batch is done.
    fn run_scripting(&mut self, argv: &[Vec<u8>], gated: bool) -> Vec<u8> {
        if !gated {
            return self.g.execute_script(argv, self.db, &self.user, self.resp);
        }
        self.run_scripts(std::slice::from_ref(&argv.to_vec()))
            .pop()
            .unwrap_or_default()
    }

    /// Queues scripting commands (a client's pipelined run of them) and
    /// returns their encoded replies once run, by this thread or another.
    fn run_scripts(&mut self, batch: &[Vec<Vec<u8>>]) -> Vec<Vec<u8>> {
        type Slot = Arc<Mutex<Option<Vec<u8>>>>;
        let slots: Vec<Slot> = if batch.len() == 1 {
            if let Ok(mut s) = self.slot.lock() {
                *s = None;
            }
            vec![self.slot.clone()]
        } else {
            batch.iter().map(|_| Arc::new(Mutex::new(None))).collect()
        };
        let gate = self.g.gate.clone();
        if gate.is_busy() {
            let r = self
                .g
                .controller
                .busy_reply()
                .unwrap_or_else(|| Reply::Error(crate::control::BUSY_EVAL.to_vec()))
                .to_bytes(self.resp);
            return batch.iter().map(|_| r.clone()).collect();
        }
        let jobs: Vec<Job> = batch
            .iter()
            .zip(&slots)
            .map(|(argv, slot)| Job {
                argv: argv.clone(),
                db: self.db,
                user: self.user.clone(),
                resp: self.resp,
                slot: slot.clone(),
                direct: None,
            })
            .collect();
        self.g.submit(jobs);
        let is_done = |s: &Slot| s.lock().map(|s| s.is_some()).unwrap_or(true);
        // Jobs run in queue order: the last done means all done.
        let mut withdrawn = vec![false; slots.len()];
        let last = slots.len() - 1;
        if !gate.done_or_busy(&|| is_done(&slots[last])) {
            // A script is busy: the ones still queued are withdrawn
            // (-BUSY); a taken one (the busy script) is waited for.
            let mut q = self.g.jobs();
            for (k, slot) in slots.iter().enumerate() {
                if let Some(pos) = q.iter().position(|j| Arc::ptr_eq(&j.slot, slot)) {
                    q.remove(pos);
                    withdrawn[k] = true;
                }
            }
            drop(q);
            if let Some(k) = withdrawn.iter().rposition(|w| !w) {
                gate.wait_done(&|| is_done(&slots[k]));
            }
        }
        let busy = || {
            self.g
                .controller
                .busy_reply()
                .unwrap_or_else(|| Reply::Error(crate::control::BUSY_EVAL.to_vec()))
                .to_bytes(self.resp)
        };
        slots
            .iter()
            .zip(&withdrawn)
            .map(|(s, &w)| {
                let r = s.lock().ok().and_then(|mut s| s.take());
                match r {
                    Some(r) if !w => r,
                    _ => busy(),
                }
            })
            .collect()
    }
}

/// One scripting command in the engine, as `user` in database `db`: its
/// reply, whether an error reply only passes on one the upstream gave
/// (already counted there), and whether it was rejected before running.
fn run_engine(
    engine: &mut Engine,
    host: &mut ScriptHost,
    argv: &[&[u8]],
    db: i64,
    user: &[u8],
) -> (Reply, bool, bool) {
    {
        host.caller = if host.unrestricted(user) {
            None
        } else {
            Some(user.to_vec())
        };
        if let Some(user) = host.caller.clone() {
            if let Some(why) = host.dryrun(&user, argv) {
                let mut m = b"NOPERM ".to_vec();
                let mut why = why;
                if let Some(c) = why.first_mut() {
                    *c = c.to_ascii_lowercase();
                }
                m.extend_from_slice(&why);
                return (Reply::Error(m), false, true);
            }
        }
        // FUNCTION LOAD and RESTORE are `denyoom` in Redis.
        if argv.len() >= 2
            && argv[0].eq_ignore_ascii_case(b"function")
            && (argv[1].eq_ignore_ascii_case(b"load") || argv[1].eq_ignore_ascii_case(b"restore"))
            && host.out_of_memory()
        {
            return (
                Reply::Error(b"OOM command not allowed when used memory > 'maxmemory'.".to_vec()),
                false,
                true,
            );
        }
        // FUNCTION LOAD/DELETE/FLUSH/RESTORE are writes: refused without
        // enough good replicas, as processCommand does.
        if argv.len() >= 2
            && argv[0].eq_ignore_ascii_case(b"function")
            && [&b"load"[..], b"delete", b"flush", b"restore"]
                .iter()
                .any(|s| argv[1].eq_ignore_ascii_case(s))
            && host.script_write_denied() == Some(WriteDenied::NoReplicas)
        {
            return (
                Reply::Error(b"NOREPLICAS Not enough good replicas to write.".to_vec()),
                false,
                true,
            );
        }
        host.last_upstream_error = None;
        let reply = engine
            .execute(host, db, argv)
            .unwrap_or_else(|| Reply::Error(b"ERR unknown command".to_vec()));
        if !reply.is_error() {
            mirror_functions(host, argv);
        }
        let from_upstream = match (&reply, &host.last_upstream_error) {
            (Reply::Error(e), Some(u)) => e.starts_with(u),
            _ => false,
        };
        host.caller = None;
        (reply, from_upstream, false)
    }
}

impl Client {
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
        let partial = self.reader.pending_bytes();
        if !partial.is_empty() {
            up.send(&partial)?;
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

/// A script's reply, encoded into a buffer reserved fallibly and no
/// longer than the state's memory limit: past that (many small elements
/// or deep nesting encode to more bytes than the converted reply was
/// charged for), the reply is the error a reply over the limit gets.
fn encode_script_reply(reply: &Reply, resp: u8, limit: Option<usize>) -> Vec<u8> {
    match reply.try_to_bytes(resp, limit.unwrap_or(usize::MAX)) {
        Some(b) => b,
        None => Reply::Error(REPLY_TOO_BIG.to_vec()).to_bytes(resp),
    }
}

/// The error of a script reply over the memory limit (the converter's).
const REPLY_TOO_BIG: &[u8] = b"ERR script reply exceeds the memory limit";

/// Redis's answer to a command from a client that must authenticate.
const NOAUTH: &[u8] = b"NOAUTH Authentication required.";

/// A request Redis would refuse from an unauthenticated client had it
/// come as a multibulk (more than 10 arguments, or one of more than 16384
/// bytes), other than the commands that log in (AUTH, HELLO), which are
/// passed on as they are.
fn over_unauthenticated_limits(argv: &[Vec<u8>]) -> bool {
    let big = argv.len() > 10 || argv.iter().any(|a| a.len() > 16384);
    big && !argv[0].eq_ignore_ascii_case(b"auth") && !argv[0].eq_ignore_ascii_case(b"hello")
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
            | b"sync"
            | b"psync"
            | b"auth"
            | b"acl"
            | b"config"
            | b"info"
            | b"debug"
            | b"client"
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

/// Commands a script's `redis.call` must run in the upstream's script
/// context (see [`script_context_wrapper`]): blocking commands (they
/// never block in a script, and XREAD/XREADGROUP refuse BLOCK there) and
/// SORT (BY a constant sorts a set's elements for determinism).
fn needs_script_context(argv: &[&[u8]], table: &CommandTable) -> bool {
    let Some(name) = argv.first() else {
        return false;
    };
    if name.eq_ignore_ascii_case(b"sort") || name.eq_ignore_ascii_case(b"sort_ro") {
        return true;
    }
    table.lookup(argv).is_some_and(|i| i.has(flags::BLOCKING))
}

/// The scripting commands whose INFO figures come from this server.
const SCRIPTING_STATS: [&str; 21] = [
    "eval",
    "evalsha",
    "eval_ro",
    "evalsha_ro",
    "fcall",
    "fcall_ro",
    "script",
    "script|load",
    "script|exists",
    "script|flush",
    "script|kill",
    "script|help",
    "script|debug",
    "function",
    "function|load",
    "function|delete",
    "function|list",
    "function|flush",
    "function|dump",
    "function|restore",
    "function|stats",
];

/// The name INFO's commandstats gives a scripting command.
fn stat_name(argv: &[Vec<u8>]) -> String {
    let base = String::from_utf8_lossy(&argv[0]).to_lowercase();
    if (base == "script" || base == "function") && argv.len() > 1 {
        let full = format!(
            "{base}|{}",
            String::from_utf8_lossy(&argv[1]).to_lowercase()
        );
        if SCRIPTING_STATS.contains(&full.as_str()) {
            return full;
        }
    }
    base
}

fn is_function_stats(argv: &[Vec<u8>]) -> bool {
    argv.len() >= 2
        && argv[0].eq_ignore_ascii_case(b"function")
        && argv[1].eq_ignore_ascii_case(b"stats")
}
