//! The embedding server's side of the bridge.
//!
//! The engine knows nothing about keys or storage: `redis.call` and
//! `redis.pcall` hand each command to the [`Host`], which runs it and
//! answers with a [`Reply`]. Before that the engine applies Redis's script
//! rules (arity, commands refused in scripts, writes in read-only scripts),
//! for which it asks the host to describe commands ([`Host::command_info`]);
//! [`CommandTable`] builds those descriptions from a `COMMAND` reply.

use std::collections::HashMap;

use crate::reply::Reply;

/// Command flags the script rules look at (Redis's `CMD_*` flags, as
/// `COMMAND INFO` names them).
pub mod flags {
    /// `write`: may modify the keyspace.
    pub const WRITE: u32 = 1 << 0;
    /// `readonly`.
    pub const READONLY: u32 = 1 << 1;
    /// `denyoom`: refused when the server is over maxmemory.
    pub const DENYOOM: u32 = 1 << 2;
    /// `noscript`: refused inside scripts.
    pub const NOSCRIPT: u32 = 1 << 3;
    /// `may_replicate`: treated as a write by read-only scripts.
    pub const MAY_REPLICATE: u32 = 1 << 4;
    /// `allow_busy`: runs while a script is busy.
    pub const ALLOW_BUSY: u32 = 1 << 5;
    /// `stale`.
    pub const STALE: u32 = 1 << 6;
    /// `admin`.
    pub const ADMIN: u32 = 1 << 7;
    /// `pubsub`.
    pub const PUBSUB: u32 = 1 << 8;
    /// `blocking`.
    pub const BLOCKING: u32 = 1 << 9;
    /// `no_multi`: refused inside MULTI.
    pub const NO_MULTI: u32 = 1 << 10;
    /// `loading`.
    pub const LOADING: u32 = 1 << 11;

    /// The flag bit for a name as `COMMAND INFO` prints it (0 if the name
    /// is not one the bridge uses).
    pub fn from_name(name: &[u8]) -> u32 {
        match name {
            b"write" => WRITE,
            b"readonly" => READONLY,
            b"denyoom" => DENYOOM,
            b"noscript" => NOSCRIPT,
            b"may_replicate" => MAY_REPLICATE,
            b"allow_busy" => ALLOW_BUSY,
            b"stale" => STALE,
            b"admin" => ADMIN,
            b"pubsub" => PUBSUB,
            b"blocking" => BLOCKING,
            b"no_multi" => NO_MULTI,
            b"loading" => LOADING,
            _ => 0,
        }
    }
}

/// What the engine needs to know about one command.
///
/// ```
/// use ferrous_redis::{flags, CommandInfo};
///
/// let get = CommandInfo { arity: 2, flags: flags::READONLY };
/// assert!(get.arity_ok(2));
/// assert!(!get.arity_ok(3));
/// let mset = CommandInfo { arity: -3, flags: flags::WRITE | flags::DENYOOM };
/// assert!(mset.arity_ok(5));
/// assert!(!mset.arity_ok(2));
/// assert!(mset.has(flags::WRITE) && !mset.has(flags::READONLY));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandInfo {
    /// Redis's arity: `n` exactly n arguments (name included), `-n` at
    /// least n.
    pub arity: i32,
    /// [`flags`] bits.
    pub flags: u32,
}

impl CommandInfo {
    /// Whether `argc` arguments (the name included) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let a = self.arity as i64;
        if a > 0 {
            a == argc
        } else {
            argc >= -a
        }
    }

    /// True if the command has the flag (one of the [`flags`] constants).
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

/// The settings under which `redis.call` runs a command.
///
/// ```
/// use ferrous_redis::{CallContext, CommandInfo, Engine, Host, Reply};
///
/// /// Records the database of every call.
/// struct Recorder(Vec<i64>);
/// impl Host for Recorder {
///     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
///         Some(CommandInfo { arity: -1, flags: 0 })
///     }
///     fn call(&mut self, ctx: &CallContext, argv: &[&[u8]]) -> Reply {
///         self.0.push(ctx.db);
///         if argv[0].eq_ignore_ascii_case(b"select") {
///             Reply::ok()
///         } else {
///             Reply::Nil
///         }
///     }
/// }
///
/// let mut engine = Engine::standalone();
/// let mut host = Recorder(Vec::new());
/// let script: &[u8] = b"redis.call('ping') redis.call('select', '2') redis.call('ping')";
/// engine.execute(&mut host, 5, &[b"EVAL", script, b"0"]);
/// // Called from database 5; after the script's SELECT its calls run in 2.
/// assert_eq!(host.0, [5, 5, 2]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallContext {
    /// The database the script has selected (it starts as the caller's;
    /// `SELECT` inside the script changes it for the rest of the script).
    pub db: i64,
    /// The protocol the reply must use (the script's `redis.setresp`).
    pub resp: u8,
    /// Redis would run this command even over `maxmemory`: the script has
    /// the `allow-oom` flag, or it already wrote (Redis does not stop a
    /// script half way for memory).
    pub oom_exempt: bool,
    /// Where the command's effects go (`redis.set_repl`): bit 0 the AOF,
    /// bit 1 the replicas; [`CallContext::REPL_ALL`] unless the script
    /// changed it.
    pub repl: u8,
}

impl CallContext {
    /// `redis.REPL_ALL`: effects go to the AOF and the replicas.
    pub const REPL_ALL: u8 = 3;
    /// `redis.REPL_AOF`.
    pub const REPL_AOF: u8 = 1;
    /// `redis.REPL_REPLICA`.
    pub const REPL_REPLICA: u8 = 2;
}

/// Why Redis refuses to start a script that may write (one with a
/// shebang and without `no-writes`), in the order Redis checks
/// ([`Host::script_write_denied`]).
///
/// ```
/// use ferrous_redis::{CallContext, CommandInfo, Engine, Host, Reply, WriteDenied};
///
/// struct Replica;
/// impl Host for Replica {
///     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
///         None
///     }
///     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
///         Reply::Nil
///     }
///     fn script_write_denied(&mut self) -> Option<WriteDenied> {
///         Some(WriteDenied::ReadOnlyReplica)
///     }
/// }
///
/// let mut engine = Engine::standalone();
/// // A script with a shebang may write: a read-only replica refuses it.
/// let r = engine.execute(&mut Replica, 0, &[b"EVAL", b"#!lua\nreturn 1", b"0"]);
/// assert!(matches!(&r, Some(Reply::Error(e)) if e.starts_with(b"READONLY")), "{r:?}");
/// // Declared read-only, it runs.
/// let r = engine.execute(&mut Replica, 0, &[b"EVAL", b"#!lua flags=no-writes\nreturn 1", b"0"]);
/// assert_eq!(r, Some(Reply::Integer(1)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteDenied {
    /// The server is a read-only replica and the caller is not its master.
    ReadOnlyReplica,
    /// The server cannot persist: the whole error (`MISCONF ...`).
    Misconf(Vec<u8>),
    /// Fewer good replicas than `min-replicas-to-write`.
    NoReplicas,
}

/// Why the calling user may not run a command, as Redis's ACL check
/// tells it ([`Host::check_acl`]).
///
/// ```
/// use ferrous_redis::{AclDenied, CallContext, CommandInfo, Engine, Host, Reply};
///
/// /// A user who may not touch any key.
/// struct NoKeys;
/// impl Host for NoKeys {
///     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
///         Some(CommandInfo { arity: -1, flags: 0 })
///     }
///     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
///         Reply::Nil
///     }
///     fn check_acl(&mut self, argv: &[&[u8]]) -> Result<(), AclDenied> {
///         if argv.len() > 1 { Err(AclDenied::Key) } else { Ok(()) }
///     }
/// }
///
/// let mut engine = Engine::standalone();
/// let r = engine.execute(&mut NoKeys, 0, &[b"EVAL", b"return redis.call('get', 'k')", b"0"]);
/// let Some(Reply::Error(e)) = r else { panic!("the call must be refused: {r:?}") };
/// let why = AclDenied::Key.script_message();
/// assert!(e.windows(why.len()).any(|w| w == why), "{}", String::from_utf8_lossy(&e));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AclDenied {
    /// The command or subcommand is not allowed.
    Command,
    /// One of the keys is not allowed.
    Key,
    /// The channel is not allowed.
    Channel,
    /// Another reason.
    Other,
}

impl AclDenied {
    /// The error a script gets (Redis's `scriptVerifyACL`).
    pub fn script_message(self) -> &'static [u8] {
        match self {
            AclDenied::Command => {
                b"The user executing the script can't run this command or subcommand"
            }
            AclDenied::Key => {
                b"The user executing the script can't access at least one of the keys mentioned in the command arguments"
            }
            AclDenied::Channel => {
                b"The user executing the script can't publish to the channel mentioned in the command"
            }
            AclDenied::Other => b"The user executing the script is lacking the permissions for the command",
        }
    }
}

/// `redis.log` levels.
///
/// ```
/// use ferrous_redis::{CallContext, CommandInfo, Engine, Host, LogLevel, Reply};
///
/// struct Logger(Vec<(LogLevel, Vec<u8>)>);
/// impl Host for Logger {
///     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
///         None
///     }
///     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
///         Reply::Nil
///     }
///     fn log(&mut self, level: LogLevel, message: &[u8]) {
///         self.0.push((level, message.to_vec()));
///     }
/// }
///
/// let mut engine = Engine::standalone();
/// let mut host = Logger(Vec::new());
/// let script: &[u8] = b"redis.log(redis.LOG_WARNING, 'disk', 'low')";
/// engine.execute(&mut host, 0, &[b"EVAL", script, b"0"]);
/// assert_eq!(host.0, [(LogLevel::Warning, b"disk low".to_vec())]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    /// `redis.LOG_DEBUG`: logged under `loglevel debug` only.
    Debug,
    /// `redis.LOG_VERBOSE`: logged under `loglevel verbose` or `debug`.
    Verbose,
    /// `redis.LOG_NOTICE`: logged unless `loglevel warning`.
    Notice,
    /// `redis.LOG_WARNING`: always logged.
    Warning,
}

/// What a busy script is (for the host's `-BUSY` bookkeeping and
/// `FUNCTION STATS`).
///
/// ```
/// use std::time::Duration;
/// use ferrous_redis::{sha1_hex, BusyInfo, CallContext, CommandInfo, Engine, Host, Reply};
///
/// /// Tells the script (through a command) whether it was reported busy.
/// struct Watcher(Option<BusyInfo>);
/// impl Host for Watcher {
///     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
///         Some(CommandInfo { arity: 1, flags: 0 })
///     }
///     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
///         Reply::Integer(self.0.is_some() as i64)
///     }
///     fn script_busy(&mut self, info: &BusyInfo) {
///         self.0 = Some(info.clone());
///     }
/// }
///
/// let mut engine = Engine::standalone();
/// engine.set_time_limit(Duration::from_millis(1));
/// let mut host = Watcher(None);
/// let body: &[u8] = b"while redis.call('busy') == 0 do end return 'done'";
/// let r = engine.execute(&mut host, 0, &[b"EVAL", body, b"0"]);
/// assert_eq!(r, Some(Reply::Bulk(b"done".to_vec())));
/// assert_eq!(host.0, Some(BusyInfo { is_eval: true, name: sha1_hex(body) }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusyInfo {
    /// True for EVAL/EVALSHA, false for FCALL.
    pub is_eval: bool,
    /// The function name (FCALL) or the script's SHA-1 (EVAL).
    pub name: Vec<u8>,
}

/// The embedding server.
///
/// All methods run on the thread that called the engine, while the engine
/// is executing a command.
///
/// ```
/// use std::collections::HashMap;
/// use ferrous_redis::{flags, CallContext, CommandInfo, Engine, Host, Reply};
///
/// /// A tiny key-value store with GET and SET.
/// struct Store(HashMap<Vec<u8>, Vec<u8>>);
/// impl Host for Store {
///     fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
///         match argv[0].to_ascii_lowercase().as_slice() {
///             b"get" => Some(CommandInfo { arity: 2, flags: flags::READONLY }),
///             b"set" => Some(CommandInfo { arity: 3, flags: flags::WRITE }),
///             _ => None,
///         }
///     }
///     fn call(&mut self, _ctx: &CallContext, argv: &[&[u8]]) -> Reply {
///         match argv[0].to_ascii_lowercase().as_slice() {
///             b"get" => self.0.get(argv[1]).map_or(Reply::Nil, |v| Reply::Bulk(v.clone())),
///             _ => {
///                 self.0.insert(argv[1].to_vec(), argv[2].to_vec());
///                 Reply::ok()
///             }
///         }
///     }
/// }
///
/// let mut engine = Engine::standalone();
/// let mut store = Store(HashMap::new());
/// let script: &[u8] = b"redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])";
/// let r = engine.execute(&mut store, 0, &[b"EVAL", script, b"1", b"k", b"v"]);
/// assert_eq!(r, Some(Reply::Bulk(b"v".to_vec())));
/// assert_eq!(store.0[&b"k"[..]], b"v");
/// // A command the host does not describe is refused before `call`.
/// let r = engine.execute(&mut store, 0, &[b"EVAL", b"return redis.call('nope')", b"0"]);
/// assert!(matches!(r, Some(Reply::Error(_))));
/// ```
pub trait Host {
    /// Describes the command `argv` names, as Redis's `lookupCommand`
    /// finds it: the name is case-insensitive and, for container commands
    /// (CONFIG, CLIENT, ...), `argv[1]` chooses the subcommand. `None` for
    /// an unknown command or subcommand.
    fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo>;

    /// Runs one command for `redis.call`/`redis.pcall` in `ctx.db`, replying
    /// in protocol `ctx.resp`.
    ///
    /// SELECT is passed here like any command: the host checks the index
    /// and answers (`+OK` or `-ERR DB index is out of range`); on success
    /// the engine runs the script's later calls with `ctx.db` set to it.
    /// The caller's own database does not change (Redis 7): a host that
    /// switches a connection's database to run a call gives it back when
    /// the script ends. Errors are [`Reply::Error`] with their code
    /// (`WRONGTYPE Operation...`).
    fn call(&mut self, ctx: &CallContext, argv: &[&[u8]]) -> Reply;

    /// Whether the server is over its memory limit (Redis refuses scripts
    /// and functions without `allow-oom` then).
    fn out_of_memory(&mut self) -> bool {
        false
    }

    /// `redis.acl_check_cmd`: whether the calling user may run `argv`.
    fn acl_check(&mut self, _argv: &[&[u8]]) -> bool {
        true
    }

    /// Whether the calling user may run `argv` from a script, and if not
    /// why: `redis.call` checks it after the command's arity and script
    /// flags, as Redis does, and fails with Redis's message. The default
    /// allows everything (a host without users).
    fn check_acl(&mut self, _argv: &[&[u8]]) -> Result<(), AclDenied> {
        Ok(())
    }

    /// Whether a script that may write can start now (see
    /// [`WriteDenied`]); asked only for scripts with a shebang and
    /// without `no-writes`.
    fn script_write_denied(&mut self) -> Option<WriteDenied> {
        None
    }

    /// The busy-script threshold now in force, when the host has a
    /// setting for it (Redis's `busy-reply-threshold`, which `CONFIG SET`
    /// may change between scripts). Asked once per script, and only of
    /// scripts that run long enough to reach a budget check; `None` keeps
    /// the engine's [`crate::Config::time_limit`].
    fn time_limit(&mut self) -> Option<std::time::Duration> {
        None
    }

    /// `redis.call`/`redis.pcall` refused `argv` before running it
    /// (unknown command, arity, `noscript`, ACL, a write from a read-only
    /// script): `error` is the error as the script sees it (`ERR ...`).
    /// Redis counts such a refusal in INFO (the command's
    /// `rejected_calls`, the error's errorstat). The default does nothing.
    fn call_rejected(&mut self, _argv: &[&[u8]], _error: &[u8]) {}

    /// Takes back a reply [`Host::call`] returned, once the script has
    /// its value: a host that builds many replies can keep their buffers
    /// for the next call instead of freeing them. The default drops it.
    fn recycle(&mut self, reply: Reply) {
        drop(reply);
    }

    /// `redis.log`.
    fn log(&mut self, _level: LogLevel, _message: &[u8]) {}

    /// A script (`is_eval`: its SHA-1 is `name`) or function (`name`)
    /// starts; every `redis.call` it makes comes before
    /// [`Host::script_end`]. A server that replicates wraps the effects
    /// in between in MULTI/EXEC for its replicas and AOF, as Redis 7 does,
    /// sending each call where [`CallContext::repl`] says.
    fn script_start(&mut self, _is_eval: bool, _name: &[u8]) {}

    /// The script started by [`Host::script_start`] returned or failed.
    fn script_end(&mut self) {}

    /// The running script passed the time limit: until
    /// [`Host::script_done`], other clients should get `-BUSY` and may send
    /// SCRIPT KILL / FUNCTION KILL (see [`crate::Controller`]).
    fn script_busy(&mut self, _info: &BusyInfo) {}

    /// Called regularly while a busy script runs (a single-threaded server
    /// answers its other clients from here).
    fn busy_tick(&mut self) {}

    /// The script that was reported busy has ended.
    fn script_done(&mut self) {}
}

// ------------------------------------------------------------ command table

/// Commands and subcommands with their arity and flags, as a `COMMAND`
/// reply lists them.
///
/// ```
/// use ferrous_redis::{flags, CommandInfo, CommandTable};
///
/// let mut t = CommandTable::new();
/// let get = CommandInfo { arity: 2, flags: flags::READONLY };
/// t.insert(b"GET", get);
/// t.insert(b"config", CommandInfo { arity: -2, flags: 0 });
/// t.insert_subcommand(b"config", b"get", CommandInfo { arity: -3, flags: flags::ADMIN });
/// assert_eq!(t.len(), 2);
/// assert_eq!(t.lookup(&[b"get", b"k"]), Some(get)); // names in any case
/// assert_eq!(t.lookup(&[b"CONFIG", b"GET", b"x"]).map(|c| c.flags), Some(flags::ADMIN));
/// assert_eq!(t.lookup(&[b"config", b"nope"]), None);
/// assert_eq!(t.lookup(&[b"nope"]), None);
/// ```
#[derive(Clone, Debug, Default)]
pub struct CommandTable {
    commands: HashMap<Vec<u8>, Entry, NameHash>,
}

#[derive(Clone, Debug)]
struct Entry {
    info: CommandInfo,
    subcommands: HashMap<Vec<u8>, CommandInfo, NameHash>,
}

impl CommandTable {
    /// An empty table.
    pub fn new() -> CommandTable {
        CommandTable::default()
    }

    /// Builds the table from the reply to `COMMAND` (or `COMMAND INFO ...`):
    /// an array of entries `[name, arity, [flags...], first, last, step,
    /// [acl...], [tips...], [key specs...], [subcommands...]]`.
    pub fn from_command_reply(reply: &Reply) -> CommandTable {
        let mut t = CommandTable::new();
        if let Reply::Array(items) | Reply::Set(items) = reply {
            for item in items {
                if let Some((name, info, subs)) = parse_entry(item) {
                    let mut subcommands = HashMap::default();
                    for s in subs {
                        if let Some((sname, sinfo, _)) = parse_entry(s) {
                            // Subcommands are listed as "config|get".
                            let short = match sname.iter().position(|&b| b == b'|') {
                                Some(i) => sname[i + 1..].to_vec(),
                                None => sname,
                            };
                            subcommands.insert(short, sinfo);
                        }
                    }
                    let mut info = info;
                    if HIDDEN_MAY_REPLICATE.contains(&name.as_slice()) {
                        info.flags |= flags::MAY_REPLICATE;
                    }
                    t.commands.insert(name, Entry { info, subcommands });
                }
            }
        }
        t
    }

    /// Adds or replaces a command (name in any case).
    pub fn insert(&mut self, name: &[u8], info: CommandInfo) {
        self.commands.insert(
            name.to_ascii_lowercase(),
            Entry {
                info,
                subcommands: HashMap::default(),
            },
        );
    }

    /// Redis 7.0.15's own commands and subcommands, with their arity and
    /// flags, for a host that implements Redis's commands without a
    /// `COMMAND` reply of its own to build the table from. Keep only the
    /// commands the host implements with [`CommandTable::retain`]: a
    /// script calling another one then gets Redis's "Unknown Redis command
    /// called from script".
    ///
    /// ```
    /// use ferrous_redis::CommandTable;
    /// let mut t = CommandTable::redis_7_0();
    /// t.retain(|name| [&b"get"[..], b"set", b"config"].contains(&name));
    /// assert_eq!(t.lookup(&[b"GET", b"k"]).map(|i| i.arity), Some(2));
    /// assert!(t.lookup(&[b"config", b"set", b"a", b"b"]).is_some());
    /// assert!(t.lookup(&[b"hset", b"h", b"f", b"v"]).is_none());
    /// ```
    pub fn redis_7_0() -> CommandTable {
        let mut t = CommandTable::new();
        let mut subs: Vec<(&str, &str, CommandInfo)> = Vec::new();
        for line in REDIS_7_0_COMMANDS.lines() {
            let mut f = line.split(' ');
            let (Some(name), Some(arity), Some(fl)) = (f.next(), f.next(), f.next()) else {
                continue; // comments
            };
            let Ok(arity) = arity.parse::<i32>() else {
                continue;
            };
            let mut bits = fl
                .split(',')
                .fold(0, |acc, n| acc | flags::from_name(n.as_bytes()));
            if HIDDEN_MAY_REPLICATE.contains(&name.as_bytes()) {
                bits |= flags::MAY_REPLICATE;
            }
            let info = CommandInfo { arity, flags: bits };
            match name.split_once('|') {
                Some((parent, sub)) => subs.push((parent, sub, info)),
                None => t.insert(name.as_bytes(), info),
            }
        }
        for (parent, sub, info) in subs {
            t.insert_subcommand(parent.as_bytes(), sub.as_bytes(), info);
        }
        t
    }

    /// Keeps the commands (lower-case names) for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8]) -> bool) {
        self.commands.retain(|name, _| keep(name));
    }

    /// Adds every command of `other` (replacing those of the same name).
    pub fn merge(&mut self, other: CommandTable) {
        self.commands.extend(other.commands);
    }

    /// Adds a subcommand of a command already in the table.
    pub fn insert_subcommand(&mut self, name: &[u8], sub: &[u8], info: CommandInfo) {
        if let Some(e) = self.commands.get_mut(&name.to_ascii_lowercase()) {
            e.subcommands.insert(sub.to_ascii_lowercase(), info);
        }
    }

    /// True if the table describes no command.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// The number of top-level commands described (subcommands not counted).
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Redis's `lookupCommand`: the command named by `argv[0]`, or with
    /// subcommands and more than one argument, the subcommand `argv[1]`.
    pub fn lookup(&self, argv: &[&[u8]]) -> Option<CommandInfo> {
        let name = argv.first()?;
        let e = self.get(name)?;
        if argv.len() == 1 || e.subcommands.is_empty() {
            return Some(e.info);
        }
        let sub = argv[1].to_ascii_lowercase();
        e.subcommands.get(&sub).copied()
    }

    /// The base command (no subcommand lookup).
    pub fn base(&self, name: &[u8]) -> Option<CommandInfo> {
        self.get(name).map(|e| e.info)
    }

    /// Whether the command has subcommands.
    pub fn has_subcommands(&self, name: &[u8]) -> bool {
        self.get(name).is_some_and(|e| !e.subcommands.is_empty())
    }

    fn get(&self, name: &[u8]) -> Option<&Entry> {
        if !name.iter().any(|b| b.is_ascii_uppercase()) {
            return self.commands.get(name);
        }
        // Command names are short: lower-case them on the stack (this runs
        // for every redis.call).
        let mut buf = [0u8; 32];
        match buf.get_mut(..name.len()) {
            Some(low) => {
                for (d, s) in low.iter_mut().zip(name) {
                    *d = s.to_ascii_lowercase();
                }
                self.commands.get(&*low)
            }
            None => self.commands.get(&name.to_ascii_lowercase()),
        }
    }
}

/// FNV-1a for command names: short keys the server itself chose, so a
/// keyed hash (SipHash, the default) buys nothing and costs more than the
/// lookup.
#[derive(Clone, Copy, Debug, Default)]
struct NameHasher(u64);

impl std::hash::Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type NameHash = std::hash::BuildHasherDefault<NameHasher>;

/// `cargo xtask gen-commands` writes it from redis-server 7.0.15's COMMAND.
const REDIS_7_0_COMMANDS: &str = include_str!("redis70-commands.txt");

/// Commands Redis 7.0 flags `may_replicate` without listing the flag in
/// `COMMAND` (it is hidden on purpose there), and that scripts may call:
/// read-only scripts refuse them as writes.
const HIDDEN_MAY_REPLICATE: [&[u8]; 3] = [b"publish", b"spublish", b"pfcount"];

fn parse_entry(item: &Reply) -> Option<(Vec<u8>, CommandInfo, &[Reply])> {
    let Reply::Array(fields) = item else {
        return None;
    };
    let name = match fields.first()? {
        Reply::Bulk(b) | Reply::Status(b) => b.to_ascii_lowercase(),
        _ => return None,
    };
    let arity = match fields.get(1)? {
        Reply::Integer(n) => *n as i32,
        _ => return None,
    };
    let mut fl = 0;
    if let Some(Reply::Array(fs) | Reply::Set(fs)) = fields.get(2) {
        for f in fs {
            if let Reply::Status(s) | Reply::Bulk(s) = f {
                fl |= flags::from_name(s);
            }
        }
    }
    let subs: &[Reply] = match fields.get(9) {
        Some(Reply::Array(s)) => s,
        _ => &[],
    };
    Some((name, CommandInfo { arity, flags: fl }, subs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, arity: i64, fl: &[&str], subs: Vec<Reply>) -> Reply {
        let mut v = vec![
            Reply::bulk(name),
            Reply::Integer(arity),
            Reply::Array(
                fl.iter()
                    .map(|f| Reply::Status(f.as_bytes().to_vec()))
                    .collect(),
            ),
            Reply::Integer(0),
            Reply::Integer(0),
            Reply::Integer(0),
            Reply::Array(vec![]),
            Reply::Array(vec![]),
            Reply::Array(vec![]),
        ];
        v.push(Reply::Array(subs));
        Reply::Array(v)
    }

    #[test]
    fn lookup_follows_redis() {
        let r = Reply::Array(vec![
            entry("get", 2, &["readonly", "fast"], vec![]),
            entry(
                "config",
                -2,
                &[],
                vec![entry("config|get", -3, &["admin", "noscript"], vec![])],
            ),
        ]);
        let t = CommandTable::from_command_reply(&r);
        assert_eq!(t.lookup(&[b"GET", b"k"]).map(|i| i.arity), Some(2));
        assert!(t
            .lookup(&[b"config", b"get", b"x"])
            .unwrap()
            .has(flags::NOSCRIPT));
        assert_eq!(t.lookup(&[b"config"]).map(|i| i.arity), Some(-2));
        assert!(t.lookup(&[b"config", b"nosuch"]).is_none());
        assert!(t.lookup(&[b"nosuch"]).is_none());
        assert!(CommandInfo {
            arity: -2,
            flags: 0
        }
        .arity_ok(3));
        assert!(!CommandInfo { arity: 2, flags: 0 }.arity_ok(3));
    }
}
