//! A small single-threaded Redis-compatible server over an in-memory
//! keyspace, with Redis 7.0's scripting from ferrous-redis: the pattern a
//! Rust server follows to embed the engine.
//!
//! ```text
//! cargo run -p ferrous-redis --example mini_server -- 6399
//! redis-cli -p 6399 EVAL "return redis.call('INCR', KEYS[1])" 1 counter
//! ```
//!
//! What it shows:
//! * the server owns the engine and the keyspace side by side; a scripting
//!   command borrows both at once (`Server::dispatch` splits the borrow),
//!   so the host that runs `redis.call` is a short-lived view of the
//!   keyspace, not the server itself;
//! * the command table is Redis 7.0's own, trimmed to what the server
//!   implements ([`CommandTable::redis_7_0`] + `retain`): scripts calling
//!   anything else get Redis's "Unknown Redis command called from script";
//! * SELECT inside a script changes the script's database only;
//! * a busy script: the engine calls [`Host::busy_tick`] regularly; the
//!   host serves the other connections from there, answering `-BUSY`
//!   except SCRIPT KILL, FUNCTION KILL and FUNCTION STATS, which
//!   [`Engine::allow_busy_command`] answers without the borrowed engine.
//!
//! Strings only (GET, SET, DEL, INCR, EXISTS, DBSIZE, FLUSHALL, SELECT,
//! PING, ECHO, CONFIG SET busy-reply-threshold), RESP2, no persistence.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use ferrous_redis::reply::{parse_i64, parse_request, ParseError};
use ferrous_redis::{
    CallContext, CommandInfo, CommandTable, Config, Controller, Engine, Host, Reply, Shared,
};

const DATABASES: usize = 16;
const IMPLEMENTED: [&str; 19] = [
    "get",
    "set",
    "del",
    "incr",
    "exists",
    "dbsize",
    "flushall",
    "select",
    "ping",
    "echo",
    "config",
    "eval",
    "evalsha",
    "eval_ro",
    "evalsha_ro",
    "fcall",
    "fcall_ro",
    "script",
    "function",
];

/// The data: one map per database.
struct Keyspace {
    dbs: Vec<HashMap<Vec<u8>, Vec<u8>>>,
}

impl Keyspace {
    /// Runs a data command in database `db`. `None`: not a data command.
    fn run(&mut self, db: usize, argv: &[&[u8]]) -> Option<Reply> {
        let map = self.dbs.get_mut(db)?;
        let name = argv.first()?.to_ascii_lowercase();
        let arg = |i: usize| argv.get(i).copied().unwrap_or_default();
        Some(match name.as_slice() {
            b"get" => map
                .get(arg(1))
                .map_or(Reply::Nil, |v| Reply::Bulk(v.clone())),
            b"set" => {
                map.insert(arg(1).to_vec(), arg(2).to_vec());
                Reply::ok()
            }
            b"del" => Reply::Integer(
                argv[1..]
                    .iter()
                    .filter(|k| map.remove(**k).is_some())
                    .count() as i64,
            ),
            b"exists" => {
                Reply::Integer(argv[1..].iter().filter(|k| map.contains_key(**k)).count() as i64)
            }
            b"incr" => {
                let old = match map.get(arg(1)) {
                    None => 0,
                    Some(v) => match parse_i64(v) {
                        Some(n) => n,
                        None => {
                            return Some(Reply::error(
                                "ERR value is not an integer or out of range",
                            ))
                        }
                    },
                };
                let Some(n) = old.checked_add(1) else {
                    return Some(Reply::error("ERR increment or decrement would overflow"));
                };
                map.insert(arg(1).to_vec(), n.to_string().into_bytes());
                Reply::Integer(n)
            }
            b"dbsize" => Reply::Integer(map.len() as i64),
            b"flushall" => {
                self.dbs.iter_mut().for_each(HashMap::clear);
                Reply::ok()
            }
            b"ping" => Reply::Status(b"PONG".to_vec()),
            b"echo" => Reply::Bulk(arg(1).to_vec()),
            _ => return None,
        })
    }
}

/// A client connection.
struct Conn {
    stream: TcpStream,
    input: Vec<u8>,
    db: i64,
    closed: bool,
}

impl Conn {
    /// Reads what has arrived (non-blocking).
    fn fill(&mut self) {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    self.closed = true;
                    return;
                }
                Ok(n) => self.input.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.closed = true;
                    return;
                }
            }
        }
    }

    /// The next complete request, if any.
    fn next_request(&mut self) -> Option<Vec<Vec<u8>>> {
        loop {
            match parse_request(&self.input) {
                Ok((args, used)) => {
                    self.input.drain(..used);
                    if !args.is_empty() {
                        return Some(args);
                    }
                }
                Err(ParseError::Incomplete) => return None,
                Err(_) => {
                    self.send(&Reply::error("ERR Protocol error"));
                    self.closed = true;
                    return None;
                }
            }
        }
    }

    fn send(&mut self, r: &Reply) {
        let bytes = r.to_bytes(2);
        // A blocking write of a small reply; a real server would queue it.
        let _ = self.stream.set_nonblocking(false);
        if self.stream.write_all(&bytes).is_err() {
            self.closed = true;
        }
        let _ = self.stream.set_nonblocking(true);
    }
}

/// The host of one scripting command: the keyspace, the command table, and
/// the other connections (served while the script is busy).
struct ScriptHost<'a> {
    ks: &'a mut Keyspace,
    table: &'a CommandTable,
    others: &'a mut Vec<Conn>,
    listener: &'a TcpListener,
    shared: &'a Shared,
    controller: &'a Controller,
}

impl Host for ScriptHost<'_> {
    fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
        self.table.lookup(argv)
    }

    fn call(&mut self, ctx: &CallContext, argv: &[&[u8]]) -> Reply {
        let name = argv[0].to_ascii_lowercase();
        if name == b"select" {
            // The engine keeps the script's database; the caller's stays.
            return match argv.get(1).and_then(|a| parse_i64(a)) {
                Some(n) if (0..DATABASES as i64).contains(&n) => Reply::ok(),
                _ => Reply::error("ERR DB index is out of range"),
            };
        }
        self.ks
            .run(ctx.db as usize, argv)
            .unwrap_or_else(|| Reply::error("ERR command not supported by this server"))
    }

    fn busy_tick(&mut self) {
        // Redis answers its other clients while a script is busy: -BUSY,
        // except for the commands that may run then.
        accept(self.listener, self.others);
        for c in self.others.iter_mut() {
            c.fill();
            while let Some(args) = c.next_request() {
                let argv: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
                let reply = Engine::allow_busy_command(self.shared, self.controller, &argv)
                    .or_else(|| self.controller.busy_reply())
                    .unwrap_or_else(Reply::ok);
                c.send(&reply);
            }
        }
    }
}

/// Takes the connections waiting on the listener (non-blocking).
fn accept(listener: &TcpListener, conns: &mut Vec<Conn>) -> bool {
    let mut any = false;
    while let Ok((stream, _)) = listener.accept() {
        if stream.set_nonblocking(true).is_err() {
            continue;
        }
        let _ = stream.set_nodelay(true);
        conns.push(Conn {
            stream,
            input: Vec::new(),
            db: 0,
            closed: false,
        });
        any = true;
    }
    any
}

struct Server {
    listener: TcpListener,
    engine: Engine,
    ks: Keyspace,
    table: CommandTable,
    conns: Vec<Conn>,
}

impl Server {
    fn new(listener: TcpListener) -> Server {
        let mut table = CommandTable::redis_7_0();
        table.retain(|name| IMPLEMENTED.iter().any(|n| n.as_bytes() == name));
        Server {
            listener,
            engine: Engine::new(Shared::new(), Config::default()),
            ks: Keyspace {
                dbs: vec![HashMap::new(); DATABASES],
            },
            table,
            conns: Vec::new(),
        }
    }

    /// Runs one request of connection `conn` (taken out of `self.conns`).
    fn dispatch(&mut self, conn: &mut Conn, argv: &[&[u8]]) -> Reply {
        let name = argv[0].to_ascii_lowercase();
        if name == b"select" {
            return match argv.get(1).and_then(|a| parse_i64(a)) {
                Some(n) if (0..DATABASES as i64).contains(&n) => {
                    conn.db = n;
                    Reply::ok()
                }
                _ => Reply::error("ERR DB index is out of range"),
            };
        }
        if name == b"config" && argv.len() == 4 && argv[1].eq_ignore_ascii_case(b"set") {
            if argv[2].eq_ignore_ascii_case(b"busy-reply-threshold")
                || argv[2].eq_ignore_ascii_case(b"lua-time-limit")
            {
                if let Some(ms) = parse_i64(argv[3]).filter(|n| *n >= 0) {
                    self.engine.set_time_limit(Duration::from_millis(ms as u64));
                    return Reply::ok();
                }
            }
            return Reply::error("ERR unsupported CONFIG parameter");
        }
        if Engine::is_scripting_command(argv[0]) {
            // Split borrows: the engine runs while the host views the
            // keyspace and the other connections.
            let Server {
                listener,
                engine,
                ks,
                table,
                conns,
            } = self;
            let shared = engine.shared().clone();
            let controller = engine.controller();
            let mut host = ScriptHost {
                ks,
                table,
                others: conns,
                listener,
                shared: &shared,
                controller: &controller,
            };
            return engine
                .execute(&mut host, conn.db, argv)
                .unwrap_or_else(|| Reply::error("ERR unknown command"));
        }
        self.ks.run(conn.db as usize, argv).unwrap_or_else(|| {
            let mut m = b"ERR unknown command '".to_vec();
            m.extend_from_slice(argv[0]);
            m.extend_from_slice(b"'");
            Reply::Error(m)
        })
    }

    fn serve(&mut self) -> std::io::Result<()> {
        self.listener.set_nonblocking(true)?;
        loop {
            let mut idle = !accept(&self.listener, &mut self.conns);
            let mut i = 0;
            while i < self.conns.len() {
                // Take the connection out: a busy script serves the rest.
                let mut conn = self.conns.swap_remove(i);
                conn.fill();
                while let Some(args) = conn.next_request() {
                    idle = false;
                    let argv: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
                    let reply = self.dispatch(&mut conn, &argv);
                    conn.send(&reply);
                }
                if conn.closed {
                    continue; // dropped
                }
                self.conns.push(conn);
                let last = self.conns.len() - 1;
                self.conns.swap(i, last);
                i += 1;
            }
            if idle {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(6399);
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("mini_server: cannot listen on port {port}: {e}");
            std::process::exit(1);
        }
    };
    eprintln!("mini_server: listening on 127.0.0.1:{port}");
    if let Err(e) = Server::new(listener).serve() {
        eprintln!("mini_server: {e}");
        std::process::exit(1);
    }
}
