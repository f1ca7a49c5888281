//! The scripting engine: EVAL / EVALSHA / EVAL_RO / EVALSHA_RO, SCRIPT,
//! FUNCTION, FCALL / FCALL_RO, with Redis 7.0's replies.
//!
//! An [`Engine`] owns two long-lived Lua states, as Redis has: one for
//! EVAL scripts (recreated by SCRIPT FLUSH) and one for function
//! libraries. What the server knows about scripts and libraries lives in a
//! [`Shared`] store that several engines (one per worker thread) can share:
//! each script is compiled once and its prototype loaded into every engine
//! that runs it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use ferrous_compiler::bytecode::Proto;
use ferrous_vm::{ErrorKind, TableRef, Value};

use crate::control::{ControlState, Controller};
use crate::convert::{c_str, ErrorInfo};
use crate::host::{Host, WriteDenied};
use crate::rdb;
use crate::reply::{parse_i64, Reply};
use crate::rng::{RandState, RedisRng};
use crate::state::{self, Kind, Loading, LuaState, SCRIPT_FLAGS};
use crate::{sha1_hex, SCRIPT_ALLOW_OOM, SCRIPT_EVAL_COMPAT, SCRIPT_NO_WRITES};

/// A script of the cache.
///
/// ```
/// # use ferrous_redis::{CallContext, CommandInfo, Host, Reply};
/// # struct NoCommands;
/// # impl Host for NoCommands {
/// #     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
/// #         None
/// #     }
/// #     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
/// #         Reply::error("ERR unknown command")
/// #     }
/// # }
///
/// use ferrous_redis::{sha1_hex, Engine};
///
/// let mut engine = Engine::standalone();
/// let body: &[u8] = b"return 'cached'";
/// // SCRIPT LOAD caches a Script and answers its `sha`.
/// let loaded = engine.execute(&mut NoCommands, 0, &[b"SCRIPT", b"LOAD", body]);
/// assert_eq!(loaded, Some(Reply::Bulk(sha1_hex(body))));
/// assert_eq!(engine.shared().script_count(), 1);
/// let sha = sha1_hex(body);
/// let r = engine.execute(&mut NoCommands, 0, &[b"EVALSHA", &sha, b"0"]);
/// assert_eq!(r, Some(Reply::Bulk(b"cached".to_vec())));
/// ```
#[derive(Debug)]
pub(crate) struct Script {
    /// Lower-case hex SHA-1 of the body.
    pub sha: [u8; 40],
    /// Shebang flags ([`crate::SCRIPT_EVAL_COMPAT`] without a shebang).
    pub flags: u32,
    /// The compiled body, compiled once and shared by every engine.
    pub proto: Arc<Proto>,
}

/// A function of a library.
///
/// ```
/// # use ferrous_redis::{CallContext, CommandInfo, Host, Reply};
/// # struct NoCommands;
/// # impl Host for NoCommands {
/// #     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
/// #         None
/// #     }
/// #     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
/// #         Reply::error("ERR unknown command")
/// #     }
/// # }
///
/// use ferrous_redis::Engine;
///
/// let mut engine = Engine::standalone();
/// let code: &[u8] = b"#!lua name=meta
/// redis.register_function{function_name = 'ro', callback = function() return 1 end,
///                         flags = {'no-writes'}, description = 'reads only'}
/// redis.register_function('rw', function() return 2 end)";
/// assert_eq!(
///     engine.execute(&mut NoCommands, 0, &[b"FUNCTION", b"LOAD", code]),
///     Some(Reply::Bulk(b"meta".to_vec()))
/// );
/// // Each function keeps its flags: FCALL_RO runs only the `no-writes` one.
/// let ro = engine.execute(&mut NoCommands, 0, &[b"FCALL_RO", b"ro", b"0"]);
/// assert_eq!(ro, Some(Reply::Integer(1)));
/// let rw = engine.execute(&mut NoCommands, 0, &[b"FCALL_RO", b"rw", b"0"]);
/// assert!(matches!(rw, Some(Reply::Error(_))), "{rw:?}");
/// ```
#[derive(Clone, Debug)]
pub(crate) struct FunctionMeta {
    /// The name the library registered it under (what FCALL takes).
    pub name: Vec<u8>,
    /// The `description` given to `redis.register_function`, if any.
    pub desc: Option<Vec<u8>>,
    /// Its script flags (`no-writes`, `allow-oom`, ...: the `SCRIPT_*`
    /// constants of the crate root).
    pub flags: u32,
}

/// A function library.
///
/// ```
/// # use ferrous_redis::{CallContext, CommandInfo, Host, Reply};
/// # struct NoCommands;
/// # impl Host for NoCommands {
/// #     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
/// #         None
/// #     }
/// #     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
/// #         Reply::error("ERR unknown command")
/// #     }
/// # }
///
/// use ferrous_redis::Engine;
///
/// let mut engine = Engine::standalone();
/// let code: &[u8] = b"#!lua name=mylib
/// redis.register_function('hello', function(keys, args) return 'hi ' .. args[1] end)";
/// let r = engine.execute(&mut NoCommands, 0, &[b"FUNCTION", b"LOAD", code]);
/// assert_eq!(r, Some(Reply::Bulk(b"mylib".to_vec())));
/// // One library holding one function.
/// assert_eq!(engine.shared().library_counts(), (1, 1));
/// let r = engine.execute(&mut NoCommands, 0, &[b"FCALL", b"hello", b"0", b"you"]);
/// assert_eq!(r, Some(Reply::Bulk(b"hi you".to_vec())));
/// ```
#[derive(Debug)]
pub(crate) struct Library {
    /// Unique for the life of the store (engines key their loaded
    /// callbacks by it).
    pub id: u64,
    /// The name from the `#!lua name=...` line.
    pub name: Vec<u8>,
    /// The whole code, `#!lua` line included.
    pub code: Vec<u8>,
    /// The compiled code; each engine runs it once to collect the library's
    /// callbacks.
    pub proto: Arc<Proto>,
    /// The functions it registered, in registration order.
    pub functions: Vec<FunctionMeta>,
}

#[derive(Default)]
struct Store {
    scripts: HashMap<[u8; 40], Arc<Script>>,
    /// Bumped by SCRIPT FLUSH: engines then recreate their EVAL state.
    script_gen: u64,
    /// Libraries in load order.
    libraries: Vec<Arc<Library>>,
    /// Lower-case function name -> (library id, index in its functions).
    functions: HashMap<Vec<u8>, (u64, usize)>,
    next_lib_id: u64,
}

impl Store {
    fn library(&self, name: &[u8]) -> Option<&Arc<Library>> {
        self.libraries.iter().find(|l| l.name == name)
    }

    fn library_by_id(&self, id: u64) -> Option<&Arc<Library>> {
        self.libraries.iter().find(|l| l.id == id)
    }

    fn link(&mut self, lib: Arc<Library>) {
        for (i, f) in lib.functions.iter().enumerate() {
            self.functions
                .insert(f.name.to_ascii_lowercase(), (lib.id, i));
        }
        self.libraries.push(lib);
    }

    fn unlink(&mut self, name: &[u8]) -> Option<Arc<Library>> {
        let pos = self.libraries.iter().position(|l| l.name == name)?;
        let lib = self.libraries.remove(pos);
        for f in &lib.functions {
            self.functions.remove(&f.name.to_ascii_lowercase());
        }
        Some(lib)
    }

    fn function_count(&self) -> usize {
        self.functions.len()
    }
}

/// What the engines of one server share: the script cache, the function
/// libraries and `math.random`'s generator.
///
/// A script loaded through one engine runs by its SHA on another:
///
/// ```
/// # use ferrous_redis::{CallContext, CommandInfo, Host, Reply};
/// # struct NoCommands;
/// # impl Host for NoCommands {
/// #     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
/// #         None
/// #     }
/// #     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
/// #         Reply::error("ERR unknown command")
/// #     }
/// # }
/// use ferrous_redis::{Config, Engine, Shared};
///
/// let shared = Shared::new();
/// let mut first = Engine::new(shared.clone(), Config::default());
/// let mut second = Engine::new(shared, Config::default());
/// let loaded = first.execute(&mut NoCommands, 0, &[b"SCRIPT", b"LOAD", b"return 7"]);
/// let Some(Reply::Bulk(sha)) = loaded else { panic!("SCRIPT LOAD answers the SHA") };
/// let reply = second.execute(&mut NoCommands, 0, &[b"EVALSHA", &sha, b"0"]);
/// assert_eq!(reply, Some(Reply::Integer(7)));
/// ```
#[derive(Default)]
pub struct Shared {
    store: RwLock<Store>,
    /// `Store::script_gen`, readable without the lock (every EVALSHA
    /// checks it).
    script_gen: AtomicU64,
    rng: Arc<RandState>,
}

impl Shared {
    /// An empty cache and function store, to hand to each engine that
    /// should see the same scripts and libraries.
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared::default())
    }

    fn read(&self) -> RwLockReadGuard<'_, Store> {
        match self.store.read() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        match self.store.write() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The generator behind `math.random` in every engine.
    pub fn rand_state(&self) -> &Arc<RandState> {
        &self.rng
    }

    /// Number of cached scripts.
    pub fn script_count(&self) -> usize {
        self.read().scripts.len()
    }

    /// The number of function libraries and of functions.
    pub fn library_counts(&self) -> (usize, usize) {
        let store = self.read();
        (store.libraries.len(), store.function_count())
    }

    /// The FUNCTION DUMP payload of every library.
    pub fn dump_functions(&self) -> Vec<u8> {
        let store = self.read();
        let codes: Vec<&[u8]> = store.libraries.iter().map(|l| l.code.as_slice()).collect();
        rdb::dump(&codes)
    }
}

/// The commands [`Engine::execute`] answers.
///
/// ```
/// use ferrous_redis::engine::ScriptCommand;
///
/// assert_eq!(ScriptCommand::of(b"EVALSHA"), Some(ScriptCommand::EvalSha));
/// assert_eq!(ScriptCommand::of(b"fcall_ro"), Some(ScriptCommand::FcallRo));
/// assert_eq!(ScriptCommand::of(b"GET"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptCommand {
    /// EVAL.
    Eval,
    /// EVALSHA.
    EvalSha,
    /// EVAL_RO.
    EvalRo,
    /// EVALSHA_RO.
    EvalShaRo,
    /// FCALL.
    Fcall,
    /// FCALL_RO.
    FcallRo,
    /// SCRIPT and its subcommands.
    Script,
    /// FUNCTION and its subcommands.
    Function,
}

impl ScriptCommand {
    /// The command `name` names, in any case; `None` for any other.
    pub fn of(name: &[u8]) -> Option<ScriptCommand> {
        // Every command passes here (a server's dispatch, Redis's command
        // filter): most are rejected by length and first letter, the rest
        // lowercased whole as one 16-byte word and matched as a number.
        const fn word(s: &[u8]) -> u128 {
            let mut b = [0u8; 16];
            let mut i = 0;
            while i < s.len() {
                b[i] = s[i];
                i += 1;
            }
            u128::from_le_bytes(b)
        }
        const EVAL: u128 = word(b"eval");
        const EVALSHA: u128 = word(b"evalsha");
        const EVAL_RO: u128 = word(b"eval_ro");
        const EVALSHA_RO: u128 = word(b"evalsha_ro");
        const FCALL: u128 = word(b"fcall");
        const FCALL_RO: u128 = word(b"fcall_ro");
        const SCRIPT: u128 = word(b"script");
        const FUNCTION: u128 = word(b"function");
        if !(4..=10).contains(&name.len()) || !matches!(name[0] | 0x20, b'e' | b'f' | b's') {
            return None;
        }
        let mut buf = [0u8; 16];
        buf[..name.len()].copy_from_slice(name);
        for b in &mut buf {
            *b = b.to_ascii_lowercase();
        }
        use ScriptCommand::*;
        Some(match u128::from_le_bytes(buf) {
            EVALSHA => EvalSha,
            EVAL => Eval,
            FCALL => Fcall,
            EVALSHA_RO => EvalShaRo,
            EVAL_RO => EvalRo,
            FCALL_RO => FcallRo,
            SCRIPT => Script,
            FUNCTION => Function,
            _ => return None,
        })
    }
}

/// A script's SHA-1 (lower-case hex) as a map key. SHA-1 digits are evenly
/// spread, so eight of them make a good hash: no need to hash all 40.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ShaKey([u8; 40]);

impl Hash for ShaKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[..8]);
        state.write_u64(u64::from_le_bytes(b));
    }
}

/// Hashes the one `u64` a [`ShaKey`] writes.
#[derive(Default)]
struct ShaHasher(u64);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (x ^ (x >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type ShaMap<V> = HashMap<ShaKey, V, BuildHasherDefault<ShaHasher>>;

/// Engine settings.
///
/// A memory limit stops a script that needs more with Redis's words:
///
/// ```
/// # use ferrous_redis::{CallContext, CommandInfo, Host, Reply};
/// # struct NoCommands;
/// # impl Host for NoCommands {
/// #     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
/// #         None
/// #     }
/// #     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
/// #         Reply::error("ERR unknown command")
/// #     }
/// # }
/// use ferrous_redis::{Config, Engine, Shared};
///
/// let config = Config { memory_limit: Some(4 << 20), ..Config::default() };
/// let mut engine = Engine::new(Shared::new(), config);
/// let script = b"local t = {} for i = 1, 1e7 do t[i] = i end";
/// let Some(Reply::Error(e)) = engine.execute(&mut NoCommands, 0, &[b"EVAL", script, b"0"]) else {
///     panic!("the script must fail")
/// };
/// assert!(e.windows(17).any(|w| w == b"not enough memory"), "{}", String::from_utf8_lossy(&e));
/// // The engine goes on.
/// let ok = engine.execute(&mut NoCommands, 0, &[b"EVAL", b"return 1", b"0"]);
/// assert_eq!(ok, Some(Reply::Integer(1)));
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// After this long a script is busy (Redis's busy-reply-threshold,
    /// `lua-time-limit`): the host is told, other clients get -BUSY, and
    /// SCRIPT KILL / FUNCTION KILL work.
    pub time_limit: Duration,
    /// Bytes each Lua state may use on top of its libraries (`None`: no
    /// limit). A script that needs more fails with "not enough memory".
    pub memory_limit: Option<usize>,
    /// Budget charges (backward jumps and calls) between two runs of the
    /// time-limit hook.
    pub budget_interval: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            time_limit: Duration::from_secs(5),
            memory_limit: None,
            budget_interval: 10_000,
        }
    }
}

/// The scripting engine of one worker thread.
///
/// ```
/// # use ferrous_redis::{CallContext, CommandInfo, Host, Reply};
/// # struct NoCommands;
/// # impl Host for NoCommands {
/// #     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
/// #         None
/// #     }
/// #     fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
/// #         Reply::error("ERR unknown command")
/// #     }
/// # }
///
/// use ferrous_redis::Engine;
///
/// assert!(Engine::is_scripting_command(b"evalsha"));
/// assert!(!Engine::is_scripting_command(b"get"));
/// let mut engine = Engine::standalone();
/// let r = engine.execute(&mut NoCommands, 0, &[b"EVAL", b"return {1, 'two', true}", b"0"]);
/// let expected = Reply::Array(vec![
///     Reply::Integer(1),
///     Reply::Bulk(b"two".to_vec()),
///     Reply::Integer(1),
/// ]);
/// assert_eq!(r, Some(expected));
/// ```
pub struct Engine {
    shared: Arc<Shared>,
    config: Config,
    control: Arc<ControlState>,
    eval: Option<LuaState>,
    eval_gen: u64,
    /// Scripts loaded into the EVAL state, with their flags (the state's
    /// store keeps the function values alive).
    eval_loaded: ShaMap<(Value, u32)>,
    funcs: Option<LuaState>,
    /// Library id -> callbacks in the library's function order.
    func_loaded: HashMap<u64, Vec<Value>>,
}

// SAFETY: an Engine is moved between threads as a whole, never shared.
// Its Lua states hold `Rc`s (runtime prototypes inside the VM, the run
// state shared by the natives and hook closures), and every one of them is
// owned by the engine: no `Rc` is handed out by its API (it returns
// `Reply` values and a `Controller`, which holds only `Arc`s and atomics),
// so moving the engine moves every clone of each `Rc` with it and no two
// threads can touch one count. The host pointer inside the run state is
// set only during a call on the calling thread and cleared before it
// returns.
unsafe impl Send for Engine {}

/// Which scripting commands the engine executes.
pub const COMMANDS: [&str; 8] = [
    "eval",
    "evalsha",
    "eval_ro",
    "evalsha_ro",
    "script",
    "function",
    "fcall",
    "fcall_ro",
];

/// `-ERR Error running script ...` and friends are built elsewhere; these
/// are the replies of command parsing.
#[cold]
#[inline(never)]
fn err(msg: impl AsRef<[u8]>) -> Reply {
    let mut v = b"ERR ".to_vec();
    v.extend_from_slice(msg.as_ref());
    Reply::Error(crate::convert::one_line(v))
}

#[cold]
#[inline(never)]
fn wrong_args(name: &str) -> Reply {
    err(format!("wrong number of arguments for '{name}' command"))
}

const NOSCRIPT: &[u8] = b"NOSCRIPT No matching script. Please use EVAL.";
const OOM: &[u8] = b"OOM command not allowed when used memory > 'maxmemory'.";

impl Engine {
    /// A new engine using `shared` (pass the same `Arc` to every engine of
    /// a server).
    pub fn new(shared: Arc<Shared>, config: Config) -> Engine {
        Engine {
            shared,
            config,
            control: Arc::new(ControlState::default()),
            eval: None,
            eval_gen: 0,
            eval_loaded: ShaMap::default(),
            funcs: None,
            func_loaded: HashMap::new(),
        }
    }

    /// An engine with its own store and default settings.
    pub fn standalone() -> Engine {
        Engine::new(Shared::new(), Config::default())
    }

    /// Takes back a reply [`Engine::execute`] returned, once the host has
    /// sent it: the buffer of a small bulk reply is kept for the next
    /// script that returns a string. Optional; dropping the reply is
    /// just as correct.
    pub fn recycle(&mut self, reply: Reply) {
        if let (Reply::Bulk(v), Some(st)) = (reply, self.eval.as_mut()) {
            if v.capacity() <= 4096 && st.spare_bulk.capacity() == 0 {
                st.spare_bulk = v;
            }
        }
    }

    /// A handle other threads use to see and kill this engine's running
    /// script.
    pub fn controller(&self) -> Controller {
        Controller {
            state: self.control.clone(),
        }
    }

    /// Bytes the engine's Lua states use (Redis's `used_memory_lua` and
    /// `used_memory_functions` together).
    pub fn memory_used(&self) -> usize {
        let a = self.eval.as_ref().map_or(0, |s| s.vm.heap.bytes_in_use());
        let b = self.funcs.as_ref().map_or(0, |s| s.vm.heap.bytes_in_use());
        a + b
    }

    /// Bytes used by the EVAL state and by the functions state (Redis's
    /// `used_memory_vm_eval` and `used_memory_vm_functions`).
    pub fn memory_by_state(&self) -> (usize, usize) {
        let a = self.eval.as_ref().map_or(0, |s| s.vm.heap.bytes_in_use());
        let b = self.funcs.as_ref().map_or(0, |s| s.vm.heap.bytes_in_use());
        (a, b)
    }

    /// Changes the memory limit of each Lua state (`None`: no limit). The
    /// states are rebuilt with it: the EVAL state at once (its scripts are
    /// loaded again from the cache when next run), the functions state
    /// with its libraries.
    pub fn set_memory_limit(&mut self, limit: Option<usize>) {
        self.config.memory_limit = limit;
        self.eval = None;
        self.eval_loaded = ShaMap::default();
        self.funcs = None;
        self.func_loaded.clear();
    }

    /// Changes the busy-script threshold (`CONFIG SET
    /// busy-reply-threshold`) for the scripts that start from now on.
    pub fn set_time_limit(&mut self, limit: Duration) {
        self.config.time_limit = limit;
        for st in [self.eval.as_ref(), self.funcs.as_ref()]
            .into_iter()
            .flatten()
        {
            st.rs.configured_time_limit.set(limit);
        }
    }

    /// The commands Redis runs while a script is busy (`allow-busy`):
    /// SCRIPT KILL, FUNCTION KILL and FUNCTION STATS. They need only the
    /// store and the running engine's [`Controller`], so a host can answer
    /// them while that engine is borrowed by the script (a server that
    /// serves clients from [`Host::busy_tick`]). `None` for any other
    /// command.
    pub fn allow_busy_command(
        shared: &Shared,
        controller: &Controller,
        argv: &[&[u8]],
    ) -> Option<Reply> {
        let (cmd, sub) = (argv.first()?, argv.get(1)?);
        let is_script = cmd.eq_ignore_ascii_case(b"script");
        if !is_script && !cmd.eq_ignore_ascii_case(b"function") {
            return None;
        }
        if sub.eq_ignore_ascii_case(b"kill") {
            return Some(if argv.len() != 2 {
                wrong_args(if is_script {
                    "script|kill"
                } else {
                    "function|kill"
                })
            } else {
                controller.kill(is_script)
            });
        }
        if !is_script && sub.eq_ignore_ascii_case(b"stats") {
            return Some(if argv.len() != 2 {
                wrong_args("function|stats")
            } else {
                function_stats(shared, controller)
            });
        }
        None
    }

    /// The store this engine uses.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Whether `name` is one of the commands [`Engine::execute`] handles.
    pub fn is_scripting_command(name: &[u8]) -> bool {
        COMMANDS
            .iter()
            .any(|c| c.as_bytes().eq_ignore_ascii_case(name))
    }

    /// Executes a scripting command for a client whose selected database
    /// is `db`; `None` when `argv` is not a scripting command.
    pub fn execute(&mut self, host: &mut dyn Host, db: i64, argv: &[&[u8]]) -> Option<Reply> {
        use ScriptCommand::*;
        Some(match ScriptCommand::of(argv.first()?)? {
            EvalSha => self.eval_command(host, db, argv, true, false),
            Eval => self.eval_command(host, db, argv, false, false),
            Fcall => self.fcall_command(host, db, argv, false),
            EvalShaRo => self.eval_command(host, db, argv, true, true),
            EvalRo => self.eval_command(host, db, argv, false, true),
            FcallRo => self.fcall_command(host, db, argv, true),
            Script => self.script_command(argv),
            Function => self.function_command(host, argv),
        })
    }

    // ------------------------------------------------------------ states

    fn new_state(&self, kind: Kind) -> Option<LuaState> {
        LuaState::new(
            kind,
            self.control.clone(),
            Box::new(RedisRng(self.shared.rng.clone())),
            self.config.time_limit,
            self.config.memory_limit,
            self.config.budget_interval,
        )
        .ok()
    }

    /// The EVAL state, recreated when SCRIPT FLUSH ran (here or through
    /// another engine).
    fn eval_state(&mut self) -> Option<&mut LuaState> {
        let gen = self.shared.script_gen.load(Ordering::Acquire);
        if self.eval.is_none() || self.eval_gen != gen {
            self.eval = self.new_state(Kind::Eval);
            self.eval_gen = gen;
            self.eval_loaded.clear();
        }
        self.eval.as_mut()
    }

    fn funcs_state(&mut self) -> Option<&mut LuaState> {
        if self.funcs.is_none() {
            self.funcs = self.new_state(Kind::Functions);
            self.func_loaded.clear();
        }
        self.funcs.as_mut()
    }

    /// Whether compiling `len` bytes of source stays within the memory
    /// limit: the parse tree and compiler output are not in any Lua heap,
    /// so their estimated peak (`compile_memory_estimate`) may use at
    /// most twice the limit (issue 12: a big chunk peaked at 2.5 GB under
    /// a 128 MB limit). No limit, no bound.
    fn compile_fits(&self, len: usize) -> bool {
        match self.config.memory_limit {
            Some(limit) => {
                ferrous_compiler::compile_memory_estimate(len) <= limit.saturating_mul(2)
            }
            None => true,
        }
    }

    // -------------------------------------------------------------- EVAL

    /// Compiles a script body (Redis's `luaCreateFunction`): shebang flags,
    /// then the code from the shebang's line feed on, named @user_script.
    fn create_script(&self, body: &[u8]) -> Result<Arc<Script>, Reply> {
        let sha = sha_of(body);
        if let Some(s) = self.shared.read().scripts.get(&sha) {
            return Ok(s.clone());
        }
        let (flags, shebang_len) = extract_shebang_flags(body).map_err(err)?;
        let code = &body[shebang_len..];
        if !self.compile_fits(code.len()) {
            return Err(err(
                "Error compiling script (new function): not enough memory",
            ));
        }
        let proto = match ferrous_compiler::compile_source(code, state::EVAL_CHUNK) {
            Ok(p) if state::exceeds_lua51_limits(&p) => {
                return Err(err(
                    "Error compiling script (new function): constant table overflow",
                ))
            }
            Ok(p) => Arc::new(p),
            Err(e) => {
                let mut m = b"Error compiling script (new function): ".to_vec();
                m.extend_from_slice(c_str(e.to_string().as_bytes()));
                return Err(err(m));
            }
        };
        let script = Arc::new(Script { sha, flags, proto });
        let mut store = self.shared.write();
        Ok(store.scripts.entry(sha).or_insert(script).clone())
    }

    fn eval_command(
        &mut self,
        host: &mut dyn Host,
        db: i64,
        argv: &[&[u8]],
        evalsha: bool,
        ro: bool,
    ) -> Reply {
        let cmd = match (evalsha, ro) {
            (false, false) => "eval",
            (true, false) => "evalsha",
            (false, true) => "eval_ro",
            (true, true) => "evalsha_ro",
        };
        if argv.len() < 3 {
            return wrong_args(cmd);
        }
        let key = if evalsha {
            sha_key(argv[1])
        } else {
            Some(sha_of(argv[1]))
        };
        // This engine's own cache first (no lock), then the shared store.
        let _ = self.eval_state();
        let cached = key.and_then(|k| self.eval_loaded.get(&ShaKey(k)).copied());
        let mut known: Option<Arc<Script>> = None;
        let flags = match cached {
            Some((_, f)) => Some(f),
            None => {
                let (k, f) = self.uncached_script(key, evalsha, argv[1]);
                known = k;
                f
            }
        };
        // The command's flags come from the script's shebang when it has
        // one: without allow-oom or no-writes it is refused over maxmemory.
        if let Some(f) = flags {
            if f & SCRIPT_EVAL_COMPAT == 0
                && f & (SCRIPT_ALLOW_OOM | SCRIPT_NO_WRITES) == 0
                && host.out_of_memory()
            {
                return Reply::Error(OOM.to_vec());
            }
        }
        let numkeys = match parse_i64(argv[2]) {
            Some(n) => n,
            None => return err("value is not an integer or out of range"),
        };
        if numkeys > (argv.len() - 3) as i64 {
            return err("Number of keys can't be greater than number of args");
        }
        if numkeys < 0 {
            return err("Number of keys can't be negative");
        }
        let (func, flags, sha) = match (cached, key) {
            (Some((f, fl)), Some(k)) => (f, fl, k),
            _ => match self.load_for_eval(known, evalsha, argv[1]) {
                Ok(t) => t,
                Err(e) => return e,
            },
        };
        if let Some(e) = prepare_for_run(flags, ro, host) {
            return e;
        }
        let read_only = ro || (flags & SCRIPT_EVAL_COMPAT == 0 && flags & SCRIPT_NO_WRITES != 0);
        let allow_oom = flags & SCRIPT_EVAL_COMPAT == 0 && flags & SCRIPT_ALLOW_OOM != 0;
        let nk = numkeys as usize;
        let keys = &argv[3..3 + nk];
        let args = &argv[3 + nk..];
        let Some(st) = self.eval.as_mut() else {
            return err("Error running script: could not create the Lua state");
        };
        st.run(
            host, func, true, &sha, argv, keys, args, db, read_only, allow_oom,
        )
    }

    /// A script not yet in this engine's EVAL state: the shared store's
    /// entry, and the flags of the script that will run (its shebang's,
    /// for an EVAL body not seen before).
    #[cold]
    #[inline(never)]
    fn uncached_script(
        &self,
        key: Option<[u8; 40]>,
        evalsha: bool,
        body: &[u8],
    ) -> (Option<Arc<Script>>, Option<u32>) {
        let known = key.and_then(|k| self.shared.read().scripts.get(&k).cloned());
        let flags = match &known {
            Some(s) => Some(s.flags),
            None if !evalsha => extract_shebang_flags(body).ok().map(|(f, _)| f),
            None => None,
        };
        (known, flags)
    }

    /// Compiles (EVAL) or finds (EVALSHA) a script not yet in this
    /// engine's EVAL state and loads it there.
    #[cold]
    #[inline(never)]
    fn load_for_eval(
        &mut self,
        known: Option<Arc<Script>>,
        evalsha: bool,
        body: &[u8],
    ) -> Result<(Value, u32, [u8; 40]), Reply> {
        let script = match known {
            Some(s) => s,
            None if evalsha => return Err(Reply::Error(NOSCRIPT.to_vec())),
            None => self.create_script(body)?,
        };
        let Some(func) = self.eval_function(&script) else {
            return Err(err("Error running script: could not create the Lua state"));
        };
        Ok((func, script.flags, script.sha))
    }

    /// The function of a cached script in this engine's EVAL state.
    fn eval_function(&mut self, script: &Arc<Script>) -> Option<Value> {
        self.eval_state()?;
        if let Some((f, _)) = self.eval_loaded.get(&ShaKey(script.sha)) {
            return Some(*f);
        }
        let st = self.eval.as_mut()?;
        let f = st.load(script.proto.clone(), &script.sha).ok()?;
        self.eval_loaded
            .insert(ShaKey(script.sha), (f, script.flags));
        Some(f)
    }

    // ------------------------------------------------------------ SCRIPT

    fn script_command(&mut self, argv: &[&[u8]]) -> Reply {
        if argv.len() < 2 {
            return wrong_args("script");
        }
        let sub = argv[1].to_ascii_lowercase();
        let arity_ok = |a: i32| arity_ok(a, argv.len());
        match sub.as_slice() {
            b"exists" => {
                if !arity_ok(-3) {
                    return wrong_args("script|exists");
                }
                let store = self.shared.read();
                Reply::Array(
                    argv[2..]
                        .iter()
                        .map(|s| {
                            let found = sha_key(s).is_some_and(|k| store.scripts.contains_key(&k));
                            Reply::Integer(found as i64)
                        })
                        .collect(),
                )
            }
            b"load" => {
                if !arity_ok(3) {
                    return wrong_args("script|load");
                }
                match self.create_script(argv[2]) {
                    Ok(s) => Reply::Bulk(s.sha.to_vec()),
                    Err(e) => e,
                }
            }
            b"flush" => {
                if !arity_ok(-2) {
                    return wrong_args("script|flush");
                }
                let ok = argv.len() == 2
                    || (argv.len() == 3
                        && (argv[2].eq_ignore_ascii_case(b"sync")
                            || argv[2].eq_ignore_ascii_case(b"async")));
                if !ok {
                    return err("SCRIPT FLUSH only support SYNC|ASYNC option");
                }
                let old = {
                    let mut store = self.shared.write();
                    let old = std::mem::take(&mut store.scripts);
                    store.script_gen += 1;
                    self.shared
                        .script_gen
                        .store(store.script_gen, Ordering::Release);
                    old
                };
                drop(old);
                // The EVAL state is recreated on next use.
                self.eval = None;
                self.eval_loaded = ShaMap::default();
                release_free_memory();
                Reply::ok()
            }
            b"kill" => {
                if !arity_ok(2) {
                    return wrong_args("script|kill");
                }
                self.controller().kill(true)
            }
            b"debug" => {
                if !arity_ok(3) {
                    return wrong_args("script|debug");
                }
                let mode = argv[2].to_ascii_lowercase();
                match mode.as_slice() {
                    b"no" => Reply::ok(),
                    b"yes" | b"sync" => err("SCRIPT DEBUG is not supported by this server"),
                    _ => err("Use SCRIPT DEBUG YES/SYNC/NO"),
                }
            }
            b"help" => {
                if !arity_ok(2) {
                    return wrong_args("script|help");
                }
                help(SCRIPT_HELP)
            }
            _ => unknown_subcommand(argv[1], "SCRIPT"),
        }
    }

    // ------------------------------------------------------------- FCALL

    fn fcall_command(&mut self, host: &mut dyn Host, db: i64, argv: &[&[u8]], ro: bool) -> Reply {
        let cmd = if ro { "fcall_ro" } else { "fcall" };
        if argv.len() < 3 {
            return wrong_args(cmd);
        }
        let found = {
            let store = self.shared.read();
            store
                .functions
                .get(&argv[1].to_ascii_lowercase())
                .and_then(|&(id, i)| {
                    let lib = store.library_by_id(id)?.clone();
                    let meta = lib.functions.get(i)?.clone();
                    Some((lib, i, meta))
                })
        };
        if let Some((_, _, meta)) = &found {
            if meta.flags & (SCRIPT_ALLOW_OOM | SCRIPT_NO_WRITES) == 0 && host.out_of_memory() {
                return Reply::Error(OOM.to_vec());
            }
        }
        let Some((lib, index, meta)) = found else {
            return err("Function not found");
        };
        let numkeys = match parse_i64(argv[2]) {
            Some(n) => n,
            None => return err("Bad number of keys provided"),
        };
        if numkeys > (argv.len() - 3) as i64 {
            return err("Number of keys can't be greater than number of args");
        }
        if numkeys < 0 {
            return err("Number of keys can't be negative");
        }
        if let Some(e) = prepare_for_run(meta.flags, ro, host) {
            return e;
        }
        let read_only = ro || meta.flags & SCRIPT_NO_WRITES != 0;
        let Some(func) = self.library_callback(host, &lib, index) else {
            return err("Function not found");
        };
        let nk = numkeys as usize;
        let Some(st) = self.funcs.as_mut() else {
            return err("Function not found");
        };
        st.run(
            host,
            func,
            false,
            &meta.name,
            argv,
            &argv[3..3 + nk],
            &argv[3 + nk..],
            db,
            read_only,
            meta.flags & SCRIPT_ALLOW_OOM != 0,
        )
    }

    /// The callback of function `index` of `lib` in this engine's
    /// functions state (running the library code here first if another
    /// engine loaded it).
    fn library_callback(
        &mut self,
        host: &mut dyn Host,
        lib: &Arc<Library>,
        index: usize,
    ) -> Option<Value> {
        self.funcs_state()?;
        if !self.func_loaded.contains_key(&lib.id) {
            let (_, callbacks) = self.run_library(host, lib.proto.clone()).ok()?;
            self.keep_callbacks(lib.id, callbacks);
        }
        self.func_loaded.get(&lib.id)?.get(index).copied()
    }

    /// Keeps a library's callbacks alive in the store table.
    fn keep_callbacks(&mut self, id: u64, callbacks: Vec<Value>) {
        let Some(st) = self.funcs.as_mut() else {
            return;
        };
        let key = format!("lib:{id}");
        if let Ok(t) = st.vm.new_table(callbacks.len(), 0) {
            for (i, f) in callbacks.iter().enumerate() {
                let _ = st.vm.raw_set_int(t, i as i64 + 1, *f);
            }
            let store = st.store;
            let _ = st.vm.raw_set_str(store, key.as_bytes(), Value::Table(t));
        }
        self.func_loaded.insert(id, callbacks);
    }

    fn drop_callbacks(&mut self, id: u64) {
        self.func_loaded.remove(&id);
        if let Some(st) = self.funcs.as_mut() {
            st.forget(format!("lib:{id}").as_bytes());
        }
    }

    /// Runs library code in the functions state with the load-time API
    /// (Redis's `luaEngineCreate`): the registered functions and their
    /// callbacks, or the error text.
    fn run_library(
        &mut self,
        host: &mut dyn Host,
        proto: Arc<Proto>,
    ) -> Result<(Vec<FunctionMeta>, Vec<Value>), Vec<u8>> {
        let Some(st) = self.funcs_state() else {
            return Err(
                b"Error registering functions: ERR could not create the Lua state".to_vec(),
            );
        };
        let rs = st.rs.clone();
        let _guard = rs.enter(host);
        let (Some(mt), Some(api)) = (st.proxy_mt, st.load_api) else {
            return Err(b"Error registering functions: ERR no functions state".to_vec());
        };
        let globals = st.real_globals;
        let pending: Option<TableRef> = st.vm.new_table(0, 0).ok();
        let Some(pending) = pending else {
            return Err(b"Error registering functions: ERR not enough memory".to_vec());
        };
        let store = st.store;
        let _ = st
            .vm
            .raw_set_str(store, b"ferrous.redis.pending", Value::Table(pending));
        rs.pending.set(Some(pending));
        set_index_field(st, mt, Value::Table(api));
        *rs.loading.borrow_mut() = Some(Loading {
            start: std::time::Instant::now(),
            functions: Vec::new(),
            timed_out: false,
        });
        let env = st.vm.globals();
        let result = st
            .vm
            .load_proto(proto, env)
            .and_then(|f| st.vm.pcall(f, &[], None));
        let loading = rs.loading.borrow_mut().take();
        set_index_field(st, mt, Value::Table(globals));
        rs.pending.set(None);
        let out = match result {
            Err(e) => {
                let info = if e.kind == ErrorKind::Interrupted {
                    ErrorInfo {
                        msg: Some(b"ERR FUNCTION LOAD timeout".to_vec()),
                        ..ErrorInfo::default()
                    }
                } else {
                    ErrorInfo::extract(&st.vm, &rs.names, e.value)
                };
                let mut m = b"Error registering functions: ".to_vec();
                m.extend_from_slice(&info.msg.unwrap_or_else(|| b"(null)".to_vec()));
                Err(m)
            }
            Ok(_) => {
                let regs = loading.map(|l| l.functions).unwrap_or_default();
                let mut metas = Vec::new();
                let mut callbacks = Vec::new();
                for r in regs {
                    let f = st
                        .vm
                        .heap
                        .table(pending)
                        .map_or(Value::Nil, |t| t.get_int(r.slot));
                    metas.push(FunctionMeta {
                        name: r.name,
                        desc: r.desc,
                        flags: r.flags,
                    });
                    callbacks.push(f);
                }
                Ok((metas, callbacks))
            }
        };
        let _ = st
            .vm
            .raw_set_str(store, b"ferrous.redis.pending", Value::Nil);
        if out.is_err() {
            let _ = st.vm.full_gc();
        }
        out
    }

    /// Compiles and runs a library's code, returning a new (unlinked)
    /// library and its callbacks (Redis's `functionsCreateWithLibraryCtx`
    /// up to the collision checks).
    fn create_library(
        &mut self,
        host: &mut dyn Host,
        code: &[u8],
    ) -> Result<(Library, Vec<Value>), Vec<u8>> {
        let (name, body) = extract_library_metadata(code)?;
        if !self.compile_fits(body.len()) {
            return Err(b"Error compiling function: not enough memory".to_vec());
        }
        let proto = match ferrous_compiler::compile_source(body, state::FUNCTION_CHUNK) {
            Ok(p) if state::exceeds_lua51_limits(&p) => {
                return Err(b"Error compiling function: constant table overflow".to_vec())
            }
            Ok(p) => Arc::new(p),
            Err(e) => {
                let mut m = b"Error compiling function: ".to_vec();
                m.extend_from_slice(c_str(e.to_string().as_bytes()));
                return Err(m);
            }
        };
        let (functions, callbacks) = self.run_library(host, proto.clone())?;
        if functions.is_empty() {
            return Err(b"No functions registered".to_vec());
        }
        let id = {
            let mut store = self.shared.write();
            store.next_lib_id += 1;
            store.next_lib_id
        };
        Ok((
            Library {
                id,
                name,
                code: code.to_vec(),
                proto,
                functions,
            },
            callbacks,
        ))
    }

    // ---------------------------------------------------------- FUNCTION

    fn function_command(&mut self, host: &mut dyn Host, argv: &[&[u8]]) -> Reply {
        if argv.len() < 2 {
            return wrong_args("function");
        }
        let sub = argv[1].to_ascii_lowercase();
        let arity_ok = |a: i32| arity_ok(a, argv.len());
        match sub.as_slice() {
            b"load" => {
                if !arity_ok(-3) {
                    return wrong_args("function|load");
                }
                self.function_load(host, argv)
            }
            b"delete" => {
                if !arity_ok(3) {
                    return wrong_args("function|delete");
                }
                let removed = self.shared.write().unlink(argv[2]);
                match removed {
                    Some(lib) => {
                        self.drop_callbacks(lib.id);
                        Reply::ok()
                    }
                    None => err("Library not found"),
                }
            }
            b"list" => {
                if !arity_ok(-2) {
                    return wrong_args("function|list");
                }
                self.function_list(argv)
            }
            b"flush" => {
                if !arity_ok(-2) {
                    return wrong_args("function|flush");
                }
                if argv.len() > 3 {
                    return syntax_error(argv[1], "FUNCTION");
                }
                if argv.len() == 3
                    && !argv[2].eq_ignore_ascii_case(b"sync")
                    && !argv[2].eq_ignore_ascii_case(b"async")
                {
                    return err("FUNCTION FLUSH only supports SYNC|ASYNC option");
                }
                self.flush_functions();
                Reply::ok()
            }
            b"dump" => {
                if !arity_ok(2) {
                    return wrong_args("function|dump");
                }
                Reply::Bulk(self.shared.dump_functions())
            }
            b"restore" => {
                if !arity_ok(-3) {
                    return wrong_args("function|restore");
                }
                self.function_restore(host, argv)
            }
            b"kill" => {
                if !arity_ok(2) {
                    return wrong_args("function|kill");
                }
                self.controller().kill(false)
            }
            b"stats" => {
                if !arity_ok(2) {
                    return wrong_args("function|stats");
                }
                function_stats(&self.shared, &self.controller())
            }
            b"help" => {
                if !arity_ok(2) {
                    return wrong_args("function|help");
                }
                help(FUNCTION_HELP)
            }
            _ => unknown_subcommand(argv[1], "FUNCTION"),
        }
    }

    fn flush_functions(&mut self) {
        let ids: Vec<u64> = {
            let mut store = self.shared.write();
            let ids = store.libraries.iter().map(|l| l.id).collect();
            store.libraries.clear();
            store.functions.clear();
            ids
        };
        for id in ids {
            self.drop_callbacks(id);
        }
        release_free_memory();
    }

    fn function_load(&mut self, host: &mut dyn Host, argv: &[&[u8]]) -> Reply {
        let mut replace = false;
        let mut pos = 2;
        while pos < argv.len() - 1 {
            let a = argv[pos];
            pos += 1;
            if a.eq_ignore_ascii_case(b"replace") {
                replace = true;
                continue;
            }
            let mut m = b"Unknown option given: ".to_vec();
            m.extend_from_slice(c_str(a));
            return err(m);
        }
        if pos >= argv.len() {
            return err("Function code is missing");
        }
        match self.load_library(host, argv[pos], replace) {
            Ok(name) => Reply::Bulk(name),
            Err(e) => err(e),
        }
    }

    /// FUNCTION LOAD: metadata, name check, existing library, create,
    /// collision check, link.
    fn load_library(
        &mut self,
        host: &mut dyn Host,
        code: &[u8],
        replace: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let (name, _) = extract_library_metadata(code)?;
        // Unlink the library being replaced; put it back on failure.
        let old = {
            let mut store = self.shared.write();
            match store.library(&name) {
                Some(_) if !replace => {
                    let mut m = b"Library '".to_vec();
                    m.extend_from_slice(&name);
                    m.extend_from_slice(b"' already exists");
                    return Err(m);
                }
                Some(_) => store.unlink(&name),
                None => None,
            }
        };
        let relink = |engine: &mut Engine, old: Option<Arc<Library>>| {
            if let Some(o) = old {
                engine.shared.write().link(o);
            }
        };
        let (lib, callbacks) = match self.create_library(host, code) {
            Ok(x) => x,
            Err(e) => {
                relink(self, old);
                return Err(e);
            }
        };
        {
            let mut store = self.shared.write();
            if let Some(f) = lib
                .functions
                .iter()
                .find(|f| store.functions.contains_key(&f.name.to_ascii_lowercase()))
            {
                let mut m = b"Function ".to_vec();
                m.extend_from_slice(c_str(&f.name));
                m.extend_from_slice(b" already exists");
                drop(store);
                relink(self, old);
                return Err(m);
            }
            store.link(Arc::new(lib_clone_meta(&lib)));
        }
        if let Some(o) = old {
            self.drop_callbacks(o.id);
        }
        self.keep_callbacks(lib.id, callbacks);
        Ok(name)
    }

    fn function_list(&self, argv: &[&[u8]]) -> Reply {
        let mut with_code = false;
        let mut pattern: Option<&[u8]> = None;
        let mut i = 2;
        while i < argv.len() {
            let a = argv[i];
            if !with_code && a.eq_ignore_ascii_case(b"withcode") {
                with_code = true;
                i += 1;
                continue;
            }
            if pattern.is_none() && a.eq_ignore_ascii_case(b"libraryname") {
                if i >= argv.len() - 1 {
                    return err("library name argument was not given");
                }
                pattern = Some(argv[i + 1]);
                i += 2;
                continue;
            }
            let mut m = b"Unknown argument ".to_vec();
            m.extend_from_slice(c_str(a));
            return err(m);
        }
        let store = self.shared.read();
        let mut out = Vec::new();
        for lib in &store.libraries {
            if let Some(p) = pattern {
                if !crate::glob::string_match(p, &lib.name, true) {
                    continue;
                }
            }
            let mut fields = vec![
                (Reply::bulk("library_name"), Reply::Bulk(lib.name.clone())),
                (Reply::bulk("engine"), Reply::bulk("LUA")),
                (
                    Reply::bulk("functions"),
                    Reply::Array(
                        lib.functions
                            .iter()
                            .map(|f| {
                                Reply::Map(vec![
                                    (Reply::bulk("name"), Reply::Bulk(f.name.clone())),
                                    (
                                        Reply::bulk("description"),
                                        match &f.desc {
                                            Some(d) => Reply::Bulk(d.clone()),
                                            None => Reply::Nil,
                                        },
                                    ),
                                    (Reply::bulk("flags"), Reply::Set(flag_names(f.flags))),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ];
            if with_code {
                fields.push((Reply::bulk("library_code"), Reply::Bulk(lib.code.clone())));
            }
            out.push(Reply::Map(fields));
        }
        Reply::Array(out)
    }

    fn function_restore(&mut self, host: &mut dyn Host, argv: &[&[u8]]) -> Reply {
        if argv.len() > 4 {
            return syntax_error(argv[1], "FUNCTION");
        }
        #[derive(PartialEq)]
        enum Policy {
            Append,
            Replace,
            Flush,
        }
        let mut policy = Policy::Append;
        if argv.len() == 4 {
            let p = argv[3];
            policy = if p.eq_ignore_ascii_case(b"append") {
                Policy::Append
            } else if p.eq_ignore_ascii_case(b"replace") {
                Policy::Replace
            } else if p.eq_ignore_ascii_case(b"flush") {
                Policy::Flush
            } else {
                return err(
                    "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
                );
            };
        }
        let codes = match rdb::restore(argv[2]) {
            Ok(c) => c,
            Err(rdb::RestoreError::VersionOrChecksum) => {
                return err("DUMP payload version or checksum are wrong")
            }
            Err(rdb::RestoreError::Corrupt) => return err("given type is not a function"),
            Err(rdb::RestoreError::BadString) => return err("Failed loading library payload"),
        };
        // Create every library in a temporary set first.
        let mut created: Vec<(Library, Vec<Value>)> = Vec::new();
        for code in &codes {
            let (name, _) = match extract_library_metadata(code) {
                Ok(x) => x,
                Err(e) => return err(e),
            };
            if created.iter().any(|(l, _)| l.name == name) {
                let mut m = b"Library '".to_vec();
                m.extend_from_slice(&name);
                m.extend_from_slice(b"' already exists");
                return err(m);
            }
            match self.create_library(host, code) {
                Ok(x) => {
                    let clash = created
                        .iter()
                        .flat_map(|(l, _)| l.functions.iter())
                        .find(|f| {
                            x.0.functions
                                .iter()
                                .any(|g| g.name.eq_ignore_ascii_case(&f.name))
                        });
                    if let Some(f) = clash {
                        let mut m = b"Function ".to_vec();
                        m.extend_from_slice(&f.name);
                        m.extend_from_slice(b" already exists");
                        return err(m);
                    }
                    created.push(x)
                }
                Err(e) => return err(e),
            }
        }
        if policy == Policy::Flush {
            self.flush_functions();
        } else {
            let mut store = self.shared.write();
            // Existing libraries with the same names.
            let mut replaced = Vec::new();
            for (lib, _) in &created {
                if store.library(&lib.name).is_some() {
                    if policy == Policy::Append {
                        for old in replaced {
                            store.link(old);
                        }
                        let mut m = b"Library ".to_vec();
                        m.extend_from_slice(&lib.name);
                        m.extend_from_slice(b" already exists");
                        return err(m);
                    }
                    if let Some(old) = store.unlink(&lib.name) {
                        replaced.push(old);
                    }
                }
            }
            let clash = created
                .iter()
                .flat_map(|(l, _)| l.functions.iter())
                .find(|f| store.functions.contains_key(&f.name.to_ascii_lowercase()))
                .map(|f| f.name.clone());
            if let Some(name) = clash {
                for old in replaced {
                    store.link(old);
                }
                let mut m = b"Function ".to_vec();
                m.extend_from_slice(&name);
                m.extend_from_slice(b" already exists");
                return err(m);
            }
            drop(store);
            for old in replaced {
                self.drop_callbacks(old.id);
            }
        }
        for (lib, callbacks) in created {
            let id = lib.id;
            self.shared.write().link(Arc::new(lib));
            self.keep_callbacks(id, callbacks);
        }
        Reply::ok()
    }
}

/// FUNCTION STATS (refused while an EVAL script is busy, as in Redis).
fn function_stats(shared: &Shared, controller: &Controller) -> Reply {
    if let Some(busy) = controller.busy_reply() {
        if busy == Reply::Error(crate::control::BUSY_EVAL.to_vec()) {
            return busy;
        }
    }
    // Redis cannot describe a running EVAL here: it answers the EVAL's
    // -BUSY (functionStatsCommand).
    if let Some(r @ Reply::Error(_)) = controller.busy_reply() {
        if matches!(&r, Reply::Error(e) if e.as_slice() == crate::control::BUSY_EVAL) {
            return r;
        }
    }
    let (libs, funcs) = shared.library_counts();
    Reply::Map(vec![
        (Reply::bulk("running_script"), controller.running_script()),
        (
            Reply::bulk("engines"),
            Reply::Map(vec![(
                Reply::bulk("LUA"),
                Reply::Map(vec![
                    (Reply::bulk("libraries_count"), Reply::Integer(libs as i64)),
                    (Reply::bulk("functions_count"), Reply::Integer(funcs as i64)),
                ]),
            )]),
        ),
    ])
}

fn lib_clone_meta(l: &Library) -> Library {
    Library {
        id: l.id,
        name: l.name.clone(),
        code: l.code.clone(),
        proto: l.proto.clone(),
        functions: l.functions.clone(),
    }
}

fn set_index_field(st: &mut LuaState, mt: TableRef, v: Value) {
    state::set_readonly(&mut st.vm, mt, false);
    let _ = st.vm.raw_set_str(mt, b"__index", v);
    state::set_readonly(&mut st.vm, mt, true);
}

/// Redis's `scriptPrepareForRun` checks that apply here.
fn prepare_for_run(flags: u32, ro: bool, host: &mut dyn Host) -> Option<Reply> {
    if flags & SCRIPT_EVAL_COMPAT != 0 {
        return None;
    }
    if flags & SCRIPT_NO_WRITES == 0 {
        let denied = host.script_write_denied();
        match &denied {
            Some(WriteDenied::ReadOnlyReplica) => {
                return Some(Reply::Error(
                    b"READONLY Can not run script with write flag on readonly replica".to_vec(),
                ))
            }
            Some(WriteDenied::Misconf(msg)) => return Some(Reply::Error(msg.clone())),
            _ => {}
        }
        if ro {
            return Some(err(
                "Can not execute a script with write flag using *_ro command.",
            ));
        }
        if denied == Some(WriteDenied::NoReplicas) {
            return Some(Reply::Error(
                b"NOREPLICAS Not enough good replicas to write.".to_vec(),
            ));
        }
    }
    if flags & (SCRIPT_ALLOW_OOM | SCRIPT_NO_WRITES) == 0 && host.out_of_memory() {
        return Some(Reply::Error(
            b"OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'"
                .to_vec(),
        ));
    }
    None
}

fn arity_ok(arity: i32, argc: usize) -> bool {
    if arity > 0 {
        argc == arity as usize
    } else {
        argc >= (-arity) as usize
    }
}

fn unknown_subcommand(sub: &[u8], cmd: &str) -> Reply {
    let mut m = b"unknown subcommand '".to_vec();
    m.extend_from_slice(&sub[..sub.len().min(128)]);
    m.extend_from_slice(format!("'. Try {cmd} HELP.").as_bytes());
    err(m)
}

/// Redis's `addReplySubcommandSyntaxError`: the subcommand as the client
/// typed it.
fn syntax_error(sub: &[u8], cmd: &str) -> Reply {
    let mut m = b"unknown subcommand or wrong number of arguments for '".to_vec();
    m.extend_from_slice(&sub[..sub.len().min(128)]);
    m.extend_from_slice(format!("'. Try {cmd} HELP.").as_bytes());
    err(m)
}

fn flag_names(flags: u32) -> Vec<Reply> {
    SCRIPT_FLAGS
        .iter()
        .filter(|(_, f)| flags & f != 0)
        .map(|(n, _)| Reply::Status(n.to_vec()))
        .collect()
}

fn sha_of(body: &[u8]) -> [u8; 40] {
    let hex = sha1_hex(body);
    let mut k = [0u8; 40];
    k.copy_from_slice(&hex);
    k
}

/// A SHA argument as a cache key (case-insensitive), if it has 40 bytes.
fn sha_key(s: &[u8]) -> Option<[u8; 40]> {
    if s.len() != 40 {
        return None;
    }
    let mut k = [0u8; 40];
    for (d, b) in k.iter_mut().zip(s) {
        *d = b.to_ascii_lowercase();
    }
    Some(k)
}

/// Splits a shebang line into arguments like Redis's `sdssplitargs`
/// (spaces separate, double and single quotes group); `None` for
/// unbalanced quotes.
fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        while i < line.len() && line[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= line.len() {
            break;
        }
        let mut cur = Vec::new();
        let mut inq = false;
        let mut insq = false;
        loop {
            if inq {
                if i >= line.len() {
                    return None;
                }
                let c = line[i];
                if c == b'\\'
                    && i + 3 < line.len()
                    && line[i + 1] == b'x'
                    && line[i + 2].is_ascii_hexdigit()
                    && line[i + 3].is_ascii_hexdigit()
                {
                    let h = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
                    cur.push(h(line[i + 2]) * 16 + h(line[i + 3]));
                    i += 3;
                } else if c == b'\\' && i + 1 < line.len() {
                    i += 1;
                    cur.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        o => o,
                    });
                } else if c == b'"' {
                    if i + 1 < line.len() && !line[i + 1].is_ascii_whitespace() {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else if insq {
                if i >= line.len() {
                    return None;
                }
                let c = line[i];
                if c == b'\\' && i + 1 < line.len() && line[i + 1] == b'\'' {
                    i += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < line.len() && !line[i + 1].is_ascii_whitespace() {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else {
                if i >= line.len() {
                    break;
                }
                match line[i] {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        i += 1;
                        break;
                    }
                    b'"' => inq = true,
                    b'\'' => insq = true,
                    c => cur.push(c),
                }
            }
            i += 1;
        }
        out.push(cur);
    }
    Some(out)
}

/// Redis's `evalExtractShebangFlags`: the flags of a `#!lua` first line
/// and its length (0 without a shebang, whose flags are
/// [`SCRIPT_EVAL_COMPAT`]).
fn extract_shebang_flags(body: &[u8]) -> Result<(u32, usize), Vec<u8>> {
    if !body.starts_with(b"#!") {
        return Ok((SCRIPT_EVAL_COMPAT, 0));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err(b"Invalid script shebang".to_vec());
    };
    let parts = match split_args(c_str(&body[..end])) {
        Some(p) if !p.is_empty() => p,
        _ => return Err(b"Invalid engine in script shebang".to_vec()),
    };
    if parts[0] != b"#!lua" {
        let mut m = b"Unexpected engine in script shebang: ".to_vec();
        m.extend_from_slice(c_str(&parts[0]));
        return Err(m);
    }
    let mut flags = 0;
    for p in &parts[1..] {
        if let Some(list) = p.strip_prefix(b"flags=") {
            if list.is_empty() {
                continue;
            }
            for f in list.split(|&b| b == b',') {
                match SCRIPT_FLAGS.iter().find(|(n, _)| *n == c_str(f)) {
                    Some((_, bit)) => flags |= bit,
                    None => {
                        let mut m = b"Unexpected flag in script shebang: ".to_vec();
                        m.extend_from_slice(c_str(f));
                        return Err(m);
                    }
                }
            }
        } else {
            let mut m = b"Unknown lua shebang option: ".to_vec();
            m.extend_from_slice(c_str(p));
            return Err(m);
        }
    }
    Ok((flags, end))
}

/// Redis's `functionExtractLibMetaData` plus the name check: the library
/// name and the code from the shebang's line feed on.
fn extract_library_metadata(code: &[u8]) -> Result<(Vec<u8>, &[u8]), Vec<u8>> {
    if !code.starts_with(b"#!") {
        return Err(b"Missing library metadata".to_vec());
    }
    let Some(end) = code.iter().position(|&b| b == b'\n') else {
        return Err(b"Invalid library metadata".to_vec());
    };
    let parts = match split_args(c_str(&code[..end])) {
        Some(p) if !p.is_empty() => p,
        _ => return Err(b"Invalid library metadata".to_vec()),
    };
    let engine = parts[0].get(2..).unwrap_or_default().to_vec();
    let mut name: Option<Vec<u8>> = None;
    for p in &parts[1..] {
        if p.len() >= 5 && p[..5].eq_ignore_ascii_case(b"name=") {
            if name.is_some() {
                return Err(
                    b"Invalid metadata value, name argument was given multiple times".to_vec(),
                );
            }
            name = Some(c_str(&p[5..]).to_vec());
            continue;
        }
        let mut m = b"Invalid metadata value given: ".to_vec();
        m.extend_from_slice(c_str(p));
        return Err(m);
    }
    let Some(name) = name else {
        return Err(b"Library name was not given".to_vec());
    };
    if name.is_empty() || !name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        return Err(b"Library names can only contain letters, numbers, or underscores(_) and must be at least one character long".to_vec());
    }
    if !engine.eq_ignore_ascii_case(b"lua") {
        let mut m = b"Engine '".to_vec();
        m.extend_from_slice(c_str(&engine));
        m.extend_from_slice(b"' not found");
        return Err(m);
    }
    Ok((name, &code[end..]))
}

fn help(lines: &[&str]) -> Reply {
    Reply::Array(
        lines
            .iter()
            .map(|l| Reply::Status(l.as_bytes().to_vec()))
            .collect(),
    )
}

const SCRIPT_HELP: &[&str] = &[
    "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
    "HELP",
    "    Prints this help.",
];

const FUNCTION_HELP: &[&str] = &[
    "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Library description",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
    "      libraries with the new libraries (notice that even on this option there is a chance of failure",
    "      in case of functions name collision with another library).",
    "HELP",
    "    Prints this help.",
];

/// Gives the memory a flush freed back to the system. glibc's allocator
/// keeps freed blocks in its arenas (the small objects of 20,000 cached
/// scripts left most of a flushed cache's RSS behind, issue 12 item 6);
/// `malloc_trim` returns every free page of every arena. Other allocators
/// are left alone.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim takes no pointers and only hands free
        // memory of glibc's arenas back to the kernel.
        unsafe {
            malloc_trim(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebang_flags() {
        assert_eq!(
            extract_shebang_flags(b"return 1"),
            Ok((SCRIPT_EVAL_COMPAT, 0))
        );
        assert_eq!(extract_shebang_flags(b"#!lua\nreturn 1"), Ok((0, 5)));
        assert_eq!(
            extract_shebang_flags(b"#!lua flags=no-writes,allow-oom\nx").map(|f| f.0),
            Ok(SCRIPT_NO_WRITES | SCRIPT_ALLOW_OOM)
        );
        assert_eq!(
            extract_shebang_flags(b"#!python\nx"),
            Err(b"Unexpected engine in script shebang: #!python".to_vec())
        );
        assert_eq!(
            extract_shebang_flags(b"#!lua name=x\nx"),
            Err(b"Unknown lua shebang option: name=x".to_vec())
        );
        assert_eq!(
            extract_shebang_flags(b"#!lua"),
            Err(b"Invalid script shebang".to_vec())
        );
    }

    #[test]
    fn library_metadata() {
        assert_eq!(
            extract_library_metadata(b"#!lua name=lib\nbody"),
            Ok((b"lib".to_vec(), &b"\nbody"[..]))
        );
        assert_eq!(
            extract_library_metadata(b"#!js name=lib\nx"),
            Err(b"Engine 'js' not found".to_vec())
        );
        assert_eq!(
            extract_library_metadata(b"return 1"),
            Err(b"Missing library metadata".to_vec())
        );
    }
}
