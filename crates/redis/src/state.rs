//! One Lua state of an engine (the EVAL state or the functions state):
//! the sandbox it is built with, the `redis` API natives, the error
//! handler, the budget hook (time limit, busy notification, kill), and
//! running a script or function in it.
//!
//! # Reaching the host from Lua
//!
//! Natives are `'static` closures, while the host is borrowed only for the
//! duration of one engine call. [`RunState::enter`] stores a pointer to it
//! that a guard clears when the call ends; natives and the budget hook
//! reach it through [`RunState::with_host`]. They only run inside that
//! window (Lua code runs nowhere else), and never while another borrow of
//! the host is live (the host does not call back into Lua).

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ferrous_compiler::bytecode::Proto;
use ferrous_stdlib::math::Rng;
use ferrous_value::number;
use ferrous_vm::{Ctx, ErrorKind, Level, LuaError, LuaResult, Native, TableRef, Type, Value, Vm};
use smallvec::SmallVec;

use crate::control::ControlState;
use crate::convert::{self, c_str, error_table, ErrorInfo, Names};
use crate::host::{flags, BusyInfo, CallContext, Host, LogLevel};
use crate::reply::Reply;

/// Chunk name of EVAL scripts.
pub const EVAL_CHUNK: &[u8] = b"@user_script";
/// Chunk name of function libraries.
pub const FUNCTION_CHUNK: &[u8] = b"@user_function";
/// `redis.REDIS_VERSION`.
pub const REDIS_VERSION: &str = "7.0.15";
/// `redis.REDIS_VERSION_NUM` (0x00MMmmpp).
pub const REDIS_VERSION_NUM: f64 = ((7 << 16) | 15) as f64;
/// FUNCTION LOAD stops library code that runs longer than this.
const LOAD_TIMEOUT: Duration = Duration::from_millis(500);

/// Which of an engine's two Lua states this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Eval,
    Functions,
}

/// The run being executed (or nothing).
pub(crate) struct Run {
    /// A script or function is running: `redis.call` and friends work.
    pub active: bool,
    pub is_eval: bool,
    /// The SHA-1 or function name (error suffixes use it).
    pub name: Vec<u8>,
    pub db: i64,
    /// `redis.setresp`.
    pub resp: u8,
    pub read_only: bool,
    /// The script's `allow-oom` flag.
    pub allow_oom: bool,
    /// `redis.set_repl` ([`CallContext::repl`]).
    pub repl: u8,
    /// When the script started, as the budget hook first saw it (reading
    /// the clock at every call would cost more than a short script: the
    /// time limit is counted from the first budget check, at most one
    /// budget interval late).
    pub start: Option<Instant>,
    /// Reported busy to the host.
    pub busy: bool,
    /// Position last seen by the budget hook while busy (kill reports use
    /// it).
    pub last_pos: Option<(Vec<u8>, i64)>,
}

impl Default for Run {
    fn default() -> Self {
        Run {
            active: false,
            is_eval: true,
            name: Vec::new(),
            db: 0,
            resp: 2,
            read_only: false,
            allow_oom: false,
            repl: CallContext::REPL_ALL,
            start: None,
            busy: false,
            last_pos: None,
        }
    }
}

/// A function registered by `redis.register_function` during FUNCTION LOAD.
#[derive(Clone, Debug)]
pub(crate) struct Registered {
    pub name: Vec<u8>,
    pub desc: Option<Vec<u8>>,
    pub flags: u32,
    /// Index of the callback in the state's pending table.
    pub slot: i64,
}

/// FUNCTION LOAD in progress.
pub(crate) struct Loading {
    pub start: Instant,
    pub functions: Vec<Registered>,
    pub timed_out: bool,
}

/// Engine state shared with natives and the budget hook.
pub(crate) struct RunState {
    host: Cell<Option<NonNull<dyn Host>>>,
    pub run: RefCell<Run>,
    pub loading: RefCell<Option<Loading>>,
    pub names: Names,
    pub control: Arc<ControlState>,
    /// The busy threshold of the running script ([`Host::time_limit`]
    /// may replace the configured one when a script starts).
    pub time_limit: Cell<Duration>,
    /// The engine's setting ([`crate::Config::time_limit`]).
    pub configured_time_limit: Cell<Duration>,
    /// Registry table holding callbacks registered by the load in progress.
    pub pending: Cell<Option<TableRef>>,
    /// Reused buffer for command arguments.
    argbuf: RefCell<Vec<u8>>,
    /// The command running the current script, read only if the script
    /// becomes busy (FUNCTION STATS shows it): set by [`RunState::command_for`]
    /// for the length of a run, so that a script that ends in time costs
    /// no copy of its command.
    command: Cell<Option<NonNull<[&'static [u8]]>>>,
}

/// Forgets the command of a run when the run ends.
pub(crate) struct CommandGuard<'a> {
    rs: &'a RunState,
    prev: Option<NonNull<[&'static [u8]]>>,
}

impl Drop for CommandGuard<'_> {
    fn drop(&mut self) {
        self.rs.command.set(self.prev);
    }
}

/// Clears the host pointer when an engine call ends.
pub(crate) struct HostGuard<'a> {
    rs: &'a RunState,
    prev: Option<NonNull<dyn Host>>,
}

impl Drop for HostGuard<'_> {
    fn drop(&mut self) {
        self.rs.host.set(self.prev);
    }
}

impl RunState {
    /// Makes `host` reachable from natives until the guard drops.
    pub fn enter<'a>(&'a self, host: &'a mut dyn Host) -> HostGuard<'a> {
        let p: NonNull<dyn Host + 'a> = NonNull::from(host);
        // SAFETY: only the lifetime is erased. The pointer is cleared by the
        // guard, which cannot outlive 'a, so it is never used after the
        // borrow ends (see the module comment).
        let p: NonNull<dyn Host + 'static> = unsafe { std::mem::transmute(p) };
        let prev = self.host.replace(Some(p));
        HostGuard { rs: self, prev }
    }

    /// Makes `command` readable by [`RunState::command`] until the guard
    /// drops.
    pub fn command_for<'a>(&'a self, command: &'a [&'a [u8]]) -> CommandGuard<'a> {
        let p: NonNull<[&'a [u8]]> = NonNull::from(command);
        // SAFETY: only the lifetimes are erased (same layout). The guard,
        // which cannot outlive 'a, puts the previous pointer back, so the
        // pointer is never read after the borrow ends.
        let p: NonNull<[&'static [u8]]> = unsafe { std::mem::transmute(p) };
        let prev = self.command.replace(Some(p));
        CommandGuard { rs: self, prev }
    }

    /// A copy of the command of the running script (empty outside a run).
    pub fn command(&self) -> Vec<Vec<u8>> {
        match self.command.get() {
            // SAFETY: set only while the run that borrowed the command
            // lasts (CommandGuard); the slices are only read here.
            Some(p) => unsafe { p.as_ref() }.iter().map(|a| a.to_vec()).collect(),
            None => Vec::new(),
        }
    }

    /// Runs `f` with the host of the current engine call.
    pub fn with_host<R>(&self, f: impl FnOnce(&mut dyn Host) -> R) -> Option<R> {
        let p = self.host.get()?;
        // SAFETY: the pointer is set only while the engine call that
        // borrowed the host runs (HostGuard), and no other reference to
        // the host is live while natives run (module comment).
        Some(f(unsafe { &mut *p.as_ptr() }))
    }
}

/// One Lua state with the bridge's sandbox.
pub(crate) struct LuaState {
    pub vm: Vm,
    pub rs: Rc<RunState>,
    /// The error handler (a native kept in the registry).
    pub handler: Value,
    /// Registry table keeping compiled scripts / library callbacks alive.
    pub store: TableRef,
    /// Functions state: the metatable of the (empty) globals proxy, whose
    /// `__index` points to the real globals or to the load-time API.
    pub proxy_mt: Option<TableRef>,
    pub real_globals: TableRef,
    pub load_api: Option<TableRef>,
    /// The tables the globals KEYS and ARGV hold (EVAL states), as
    /// [`LuaState::set_global_array`] last stored them: the globals are
    /// readonly, so no script can make them name another table.
    eval_arrays: [Option<TableRef>; 2],
    /// A bulk reply's buffer the host gave back ([`crate::Engine::recycle`]),
    /// reused when a script returns a string.
    pub spare_bulk: Vec<u8>,
}

// ------------------------------------------------------------- building

type Body = fn(&RunState, &mut Ctx) -> LuaResult<usize>;

fn closure(vm: &mut Vm, rs: &Rc<RunState>, f: Body) -> LuaResult<Value> {
    let rs = rs.clone();
    vm.native_closure(Native::Closure(Rc::new(move |ctx| f(&rs, ctx))), Vec::new())
}

fn set(vm: &mut Vm, t: TableRef, k: &[u8], v: Value) -> LuaResult<()> {
    vm.raw_set_str(t, k, v)
}

impl LuaState {
    /// Builds a state: the libraries Redis 7.0 loads, the `redis` table,
    /// the error handler, readonly globals and libraries.
    pub fn new(
        kind: Kind,
        control: Arc<ControlState>,
        rng: Box<dyn Rng>,
        time_limit: Duration,
        memory_limit: Option<usize>,
        budget_interval: i64,
    ) -> LuaResult<LuaState> {
        let mut vm = Vm::new();
        let names = Names::new(&mut vm)?;
        let rs = Rc::new(RunState {
            host: Cell::new(None),
            run: RefCell::new(Run::default()),
            loading: RefCell::new(None),
            names,
            control,
            time_limit: Cell::new(time_limit),
            configured_time_limit: Cell::new(time_limit),
            pending: Cell::new(None),
            argbuf: RefCell::new(Vec::new()),
            command: Cell::new(None),
        });
        // Libraries, in the order Redis loads them.
        ferrous_stdlib::open_base(&mut vm)?;
        ferrous_stdlib::open_table(&mut vm)?;
        ferrous_stdlib::open_string(&mut vm)?;
        ferrous_stdlib::math::open_with_rng(&mut vm, rng)?;
        ferrous_stdlib::open_debug(&mut vm)?;
        ferrous_stdlib::open_cjson(&mut vm)?;
        ferrous_stdlib::open_struct(&mut vm)?;
        ferrous_stdlib::open_cmsgpack(&mut vm)?;
        ferrous_stdlib::open_bit(&mut vm)?;
        let g = vm.globals();
        // What a script may not have.
        for name in [
            &b"print"[..],
            b"dofile",
            b"loadfile",
            b"getfenv",
            b"setfenv",
            b"newproxy",
        ] {
            set(&mut vm, g, name, Value::Nil)?;
        }
        // Redis's pcall: an error table with an `err` string is caught as
        // that string.
        let f = vm.native(sandbox_pcall)?;
        set(&mut vm, g, b"pcall", f)?;
        // Loaders that never take precompiled chunks.
        let f = vm.native(sandbox_loadstring)?;
        set(&mut vm, g, b"loadstring", f)?;
        let f = vm.native(sandbox_load)?;
        set(&mut vm, g, b"load", f)?;

        let redis = vm.new_table(0, 0)?;
        register_api(&mut vm, &rs, redis, kind)?;
        set(&mut vm, g, b"redis", Value::Table(redis))?;

        let handler = closure(&mut vm, &rs, error_handler)?;
        if kind == Kind::Eval {
            set(&mut vm, g, b"__redis__err__handler", handler)?;
        }
        set(&mut vm, g, b"debug", Value::Nil)?;

        // Reading an absent global is an error; globals and everything
        // reachable from them are readonly.
        set_error_metatable(&mut vm, g)?;
        protect(&mut vm, g)?;
        if let Some(mt) = vm.metatable_of(Value::String(rs.names.err)) {
            protect(&mut vm, mt)?;
        }

        let reg = vm.registry();
        let store = vm.new_table(0, 0)?;
        set(&mut vm, reg, b"ferrous.redis.store", Value::Table(store))?;
        set(&mut vm, reg, b"ferrous.redis.handler", handler)?;

        let mut st = LuaState {
            vm,
            rs,
            handler,
            store,
            proxy_mt: None,
            real_globals: g,
            load_api: None,
            eval_arrays: [None; 2],
            spare_bulk: Vec::new(),
        };
        if kind == Kind::Functions {
            st.build_function_globals()?;
        }
        st.install_hook(budget_interval);
        st.vm
            .heap
            .set_memory_limit(memory_limit.map(|m| m + st.vm.heap.bytes_in_use()));
        Ok(st)
    }

    /// Functions run with an empty readonly table as globals whose
    /// metatable's `__index` is the real globals (at run time) or the
    /// load-time API (during FUNCTION LOAD).
    fn build_function_globals(&mut self) -> LuaResult<()> {
        let vm = &mut self.vm;
        let g = self.real_globals;
        // Load-time API: redis.register_function, redis.log and the
        // version, nothing else.
        let api = vm.new_table(0, 0)?;
        let lredis = vm.new_table(0, 0)?;
        let f = closure(vm, &self.rs, register_function)?;
        set(vm, lredis, b"register_function", f)?;
        register_log(vm, &self.rs, lredis)?;
        register_version(vm, lredis)?;
        set_error_metatable(vm, lredis)?;
        set(vm, api, b"redis", Value::Table(lredis))?;
        set_error_metatable(vm, api)?;
        protect(vm, api)?;

        let proxy = vm.new_table(0, 0)?;
        let mt = vm.new_table(0, 0)?;
        set(vm, mt, b"__index", Value::Table(g))?;
        vm.set_metatable(Value::Table(proxy), Some(mt))?;
        set_readonly(vm, mt, true);
        set_readonly(vm, proxy, true);
        vm.set_thread_globals(proxy);
        let reg = vm.registry();
        set(vm, reg, b"ferrous.redis.load_api", Value::Table(api))?;
        set(vm, reg, b"ferrous.redis.globals", Value::Table(g))?;
        self.proxy_mt = Some(mt);
        self.load_api = Some(api);
        Ok(())
    }

    fn install_hook(&mut self, interval: i64) {
        let rs = self.rs.clone();
        self.vm.set_budget_hook(
            interval,
            Some(Box::new(move |vm: &mut Vm| budget_hook(&rs, vm))),
        );
        self.vm.set_kill_flag(Some(self.rs.control.kill.clone()));
    }

    /// Loads a compiled chunk as a function of this state (globals as its
    /// environment) and keeps it alive under `key` in the store.
    pub fn load(&mut self, proto: Arc<Proto>, key: &[u8]) -> LuaResult<Value> {
        let env = self.vm.globals();
        let f = self.vm.load_proto(proto, env)?;
        let store = self.store;
        self.vm.raw_set_str(store, key, f)?;
        Ok(f)
    }

    /// Drops what the store keeps under `key`.
    pub fn forget(&mut self, key: &[u8]) {
        let store = self.store;
        let _ = self.vm.raw_set_str(store, key, Value::Nil);
    }

    /// Sets the global KEYS or ARGV (globals are readonly, except for
    /// this).
    fn set_global_array(
        &mut self,
        slot: usize,
        name: ferrous_vm::StrRef,
        items: &[&[u8]],
    ) -> LuaResult<()> {
        let g = self.real_globals;
        // The previous script's table is refilled when the script left it
        // a plain array: nothing else can still refer to it (the globals
        // are readonly and an EVAL script keeps no state between runs), so
        // no script can tell it from a new one, and KEYS/ARGV cost no
        // allocation (and no garbage) per EVAL.
        if let Some(t) = self.eval_arrays[slot] {
            // (A table grown much larger than this run needs is replaced:
            // clearing it would cost more than a new one.)
            let limit = 2 * items.len() + 16;
            let old_len = self.vm.heap.table(t).and_then(|tab| {
                let plain = tab.metatable().is_none() && tab.node_len() == 0;
                (plain && tab.array_len() <= limit).then(|| tab.array_len())
            });
            if let Some(old_len) = old_len {
                for (i, it) in items.iter().enumerate() {
                    // Scripts are called with the same keys again and
                    // again (a queue's keys, a user's hash): an element
                    // that already holds these bytes stays, which saves
                    // interning them anew (a hash, a lookup and often an
                    // allocation, the string having been collected).
                    let same = match self.vm.heap.table(t).map(|tab| tab.get_int(i as i64 + 1)) {
                        Some(Value::String(s)) => self.vm.heap.str_bytes(s) == Some(*it),
                        _ => false,
                    };
                    if same {
                        continue;
                    }
                    let v = self.vm.str_value(it)?;
                    self.vm.raw_set_int(t, i as i64 + 1, v)?;
                }
                for i in items.len()..old_len {
                    self.vm.raw_set_int(t, i as i64 + 1, Value::Nil)?;
                }
                return Ok(());
            }
        }
        let t = new_array(&mut self.vm, items)?;
        set_readonly(&mut self.vm, g, false);
        let r = self.vm.raw_set(g, Value::String(name), Value::Table(t));
        set_readonly(&mut self.vm, g, true);
        self.eval_arrays[slot] = r.is_ok().then_some(t);
        r
    }

    /// Runs `func` as Redis runs a script (`is_eval`: KEYS and ARGV as
    /// globals, no arguments) or a function (`keys`, `args` as its two
    /// arguments), and converts the outcome into the reply.
    #[allow(clippy::too_many_arguments)]
    pub fn run(
        &mut self,
        host: &mut dyn Host,
        func: Value,
        is_eval: bool,
        name: &[u8],
        command: &[&[u8]],
        keys: &[&[u8]],
        args: &[&[u8]],
        db: i64,
        read_only: bool,
        allow_oom: bool,
    ) -> Reply {
        let rs = self.rs.clone();
        let _guard = rs.enter(host);
        {
            let mut r = rs.run.borrow_mut();
            r.active = true;
            r.is_eval = is_eval;
            r.name.clear();
            r.name.extend_from_slice(name);
            r.db = db;
            r.resp = 2;
            r.repl = CallContext::REPL_ALL;
            r.read_only = read_only;
            r.allow_oom = allow_oom;
            r.start = None;
            r.busy = false;
            r.last_pos = None;
        }
        rs.control.begin();
        let _command = rs.command_for(command);
        rs.with_host(|h| h.script_start(is_eval, name));
        let outcome = self.call_script(func, is_eval, keys, args);
        rs.with_host(|h| h.script_end());
        let (busy, resp) = {
            let mut r = rs.run.borrow_mut();
            r.active = false;
            (r.busy, r.resp)
        };
        let reply = match outcome {
            // A string (the usual result) goes into the spare buffer.
            Ok(Value::String(s)) => {
                let mut b = std::mem::take(&mut self.spare_bulk);
                b.clear();
                b.extend_from_slice(self.vm.str_bytes(s));
                Reply::Bulk(b)
            }
            Ok(v) => convert::lua_to_reply(&self.vm, &rs.names, v, resp),
            Err(e) => self.error_reply(e, name),
        };
        rs.control.end(busy);
        // A script cannot leave the collector stopped for the next one
        // (collectgarbage("stop") lasts until the script ends; Redis
        // restarts it with a GC step every 50 scripts).
        if self.vm.heap.gc_threshold_is_stop() {
            self.vm.heap.gc_restart();
        }
        // KEYS, ARGV and converted replies are garbage now: let the
        // collector keep up even when the script itself allocated nothing.
        // Near the limit, collect fully: what the script left is garbage
        // now, but a cycle it started while that was reachable would keep
        // it, and the next script's first allocation would fail on it.
        if self.vm.heap.near_limit() {
            let _ = self.vm.full_gc();
        } else {
            let _ = self.vm.check_gc();
        }
        if busy {
            rs.with_host(|h| h.script_done());
        }
        reply
    }

    fn call_script(
        &mut self,
        func: Value,
        is_eval: bool,
        keys: &[&[u8]],
        args: &[&[u8]],
    ) -> LuaResult<Value> {
        let (keys_name, argv_name) = (self.rs.names.keys, self.rs.names.argv);
        let handler = self.handler;
        let base = self.vm.stack_top();
        self.vm.push_value(func)?;
        if is_eval {
            self.set_global_array(0, keys_name, keys)?;
            self.set_global_array(1, argv_name, args)?;
        } else {
            // The tables are reachable from the stack as they are made.
            let kt = new_array(&mut self.vm, keys)?;
            self.vm.push_value(Value::Table(kt))?;
            let at = new_array(&mut self.vm, args)?;
            self.vm.push_value(Value::Table(at))?;
        }
        let r = self.vm.pcall_at(base, 1, Some(handler));
        let v = self.vm.stack_get(base);
        self.vm.set_stack_top(base)?;
        r.map(|()| v)
    }

    /// The reply for a script that failed with `e`.
    #[cold]
    #[inline(never)]
    fn error_reply(&mut self, e: LuaError, name: &[u8]) -> Reply {
        let rs = self.rs.clone();
        if e.kind == ErrorKind::Interrupted {
            let killed = rs.control.kill.load(Ordering::SeqCst);
            // Redis says SCRIPT KILL for FUNCTION KILL too.
            let what = if killed {
                "Script killed by user with SCRIPT KILL..."
            } else {
                "Script stopped by the host"
            };
            let mut m = format!("ERR {what}").into_bytes();
            if let Some((src, line)) = rs.run.borrow().last_pos.clone() {
                append_suffix(&mut m, name, &src, line.to_string().as_bytes());
            }
            return Reply::Error(convert::one_line(m));
        }
        let reply = self.error_value_reply(&e, name);
        if e.kind == ErrorKind::Memory {
            // Give back what the failed script held.
            let _ = self.vm.full_gc();
        }
        reply
    }

    fn error_value_reply(&mut self, e: &LuaError, name: &[u8]) -> Reply {
        let rs = self.rs.clone();
        match e.value {
            Value::Table(_) => {
                let info = ErrorInfo::extract(&self.vm, &rs.names, e.value);
                let mut m = info.msg.unwrap_or_else(|| b"ERR unknown error".to_vec());
                if let (Some(src), Some(line)) = (info.source, info.line) {
                    append_suffix(&mut m, name, &src, &line);
                }
                Reply::Error(convert::one_line(m))
            }
            v => {
                let text: Vec<u8> = match v {
                    Value::String(s) => c_str(self.vm.str_bytes(s)).to_vec(),
                    Value::Number(n) => number::fmt_number(n).as_bytes().to_vec(),
                    _ => b"execution failure".to_vec(),
                };
                let mut m = b"ERR Error running script ".to_vec();
                m.extend_from_slice(name);
                m.extend_from_slice(b", ");
                // `%.100s`
                m.extend_from_slice(&text[..text.len().min(100)]);
                Reply::Error(convert::one_line(m))
            }
        }
    }
}

fn append_suffix(m: &mut Vec<u8>, name: &[u8], src: &[u8], line: &[u8]) {
    m.extend_from_slice(b" script: ");
    m.extend_from_slice(name);
    m.extend_from_slice(b", on ");
    m.extend_from_slice(src);
    m.push(b':');
    m.extend_from_slice(line);
    m.push(b'.');
}

fn new_array(vm: &mut Vm, items: &[&[u8]]) -> LuaResult<TableRef> {
    let t = vm.new_table(items.len(), 0)?;
    for (i, it) in items.iter().enumerate() {
        let v = vm.str_value(it)?;
        vm.raw_set_int(t, i as i64 + 1, v)?;
    }
    Ok(t)
}

pub(crate) fn set_readonly(vm: &mut Vm, t: TableRef, on: bool) {
    if let Some(tab) = vm.heap.table(t) {
        tab.set_readonly(on);
    }
}

/// Marks `t`, every table reachable from it through values, and their
/// metatables readonly (iteratively: an explicit work list).
fn protect(vm: &mut Vm, t: TableRef) -> LuaResult<()> {
    let mut work = vec![t];
    while let Some(t) = work.pop() {
        let Some(tab) = vm.heap.table(t) else {
            continue;
        };
        if tab.is_readonly() {
            continue;
        }
        tab.set_readonly(true);
        if let Some(mt) = tab.metatable() {
            work.push(mt);
        }
        let mut k = Value::Nil;
        while let Ok(Some((key, val))) = vm.heap.table_next(t, &k) {
            if let Value::Table(sub) = val {
                work.push(sub);
            }
            k = key;
        }
    }
    Ok(())
}

/// Gives `t` a metatable whose `__index` raises Redis's
/// "nonexistent global variable" error.
fn set_error_metatable(vm: &mut Vm, t: TableRef) -> LuaResult<()> {
    let mt = vm.new_table(0, 0)?;
    let f = vm.native(protected_table_error)?;
    set(vm, mt, b"__index", f)?;
    vm.set_metatable(Value::Table(t), Some(mt))
}

fn protected_table_error(ctx: &mut Ctx) -> LuaResult<usize> {
    if ctx.nargs() != 2 {
        return Err(ctx.error("Wrong number of arguments to luaProtectedTableError"));
    }
    let name = match ctx.arg(2) {
        Value::String(s) => c_str(ctx.vm.str_bytes(s)).to_vec(),
        Value::Number(n) => number::fmt_number(n).as_bytes().to_vec(),
        _ => {
            return Err(
                ctx.error("Second argument to luaProtectedTableError must be a string or number")
            )
        }
    };
    let mut m = b"Script attempted to access nonexistent global variable '".to_vec();
    m.extend_from_slice(&name);
    m.push(b'\'');
    Err(ctx.error(m))
}

fn register_log(vm: &mut Vm, rs: &Rc<RunState>, t: TableRef) -> LuaResult<()> {
    let f = closure(vm, rs, log)?;
    set(vm, t, b"log", f)?;
    set(vm, t, b"LOG_DEBUG", Value::Number(0.0))?;
    set(vm, t, b"LOG_VERBOSE", Value::Number(1.0))?;
    set(vm, t, b"LOG_NOTICE", Value::Number(2.0))?;
    set(vm, t, b"LOG_WARNING", Value::Number(3.0))
}

fn register_version(vm: &mut Vm, t: TableRef) -> LuaResult<()> {
    set(
        vm,
        t,
        b"REDIS_VERSION_NUM",
        Value::Number(REDIS_VERSION_NUM),
    )?;
    let v = vm.str_value(REDIS_VERSION.as_bytes())?;
    set(vm, t, b"REDIS_VERSION", v)
}

/// The run-time `redis` table, in Redis's registration order.
fn register_api(vm: &mut Vm, rs: &Rc<RunState>, t: TableRef, kind: Kind) -> LuaResult<()> {
    let f = closure(vm, rs, |rs, ctx| generic_call(rs, ctx, true))?;
    set(vm, t, b"call", f)?;
    let f = closure(vm, rs, |rs, ctx| generic_call(rs, ctx, false))?;
    set(vm, t, b"pcall", f)?;
    register_log(vm, rs, t)?;
    register_version(vm, t)?;
    let f = closure(vm, rs, setresp)?;
    set(vm, t, b"setresp", f)?;
    let f = closure(vm, rs, sha1hex)?;
    set(vm, t, b"sha1hex", f)?;
    let f = closure(vm, rs, error_reply)?;
    set(vm, t, b"error_reply", f)?;
    let f = closure(vm, rs, status_reply)?;
    set(vm, t, b"status_reply", f)?;
    let f = closure(vm, rs, set_repl)?;
    set(vm, t, b"set_repl", f)?;
    set(vm, t, b"REPL_NONE", Value::Number(0.0))?;
    set(vm, t, b"REPL_AOF", Value::Number(1.0))?;
    set(vm, t, b"REPL_SLAVE", Value::Number(2.0))?;
    set(vm, t, b"REPL_REPLICA", Value::Number(2.0))?;
    set(vm, t, b"REPL_ALL", Value::Number(3.0))?;
    let f = closure(vm, rs, acl_check_cmd)?;
    set(vm, t, b"acl_check_cmd", f)?;
    if kind == Kind::Eval {
        let f = vm.native(breakpoint)?;
        set(vm, t, b"breakpoint", f)?;
        let f = vm.native(debug)?;
        set(vm, t, b"debug", f)?;
        let f = vm.native(replicate_commands)?;
        set(vm, t, b"replicate_commands", f)?;
    }
    Ok(())
}

// ------------------------------------------------------------ error helpers

/// Raises `{err = "ERR <msg>"}` (Redis's `luaPushError` + `luaError`).
#[cold]
#[inline(never)]
fn raise(rs: &RunState, ctx: &mut Ctx, msg: &[u8]) -> LuaError {
    match error_table(ctx.vm, &rs.names, msg) {
        Ok(t) => LuaError::runtime(Value::Table(t)),
        Err(e) => e,
    }
}

/// Pushes `{err = "ERR <msg>"}` as the single result.
fn push_error(names: &Names, ctx: &mut Ctx, msg: &[u8]) -> LuaResult<usize> {
    let t = error_table(ctx.vm, names, msg)?;
    ctx.push(Value::Table(t))?;
    Ok(1)
}

fn names_of(rs: &RunState) -> &Names {
    &rs.names
}

// ------------------------------------------------------------------ natives

/// Why the arguments of `redis.call` & co cannot be used.
enum ArgError {
    /// Redis's message (none given, or one neither a string nor a number).
    Msg(&'static [u8]),
    /// The numbers' text does not fit under the memory limit.
    Memory,
}

/// How many arguments of `redis.call` & co are gathered in place; longer
/// calls use a vector ([`collect_many_args`]).
const INLINE_ARGS: usize = 6;

/// The arguments of `redis.call` & co, into `inline` (or `spill`, for more
/// than [`INLINE_ARGS`]): Lua strings as they are, without a copy, numbers
/// as their text formatted into `nums`. Returns how many there are. The
/// host copies every argument into its own command (a RESP request,
/// Redis's argument objects): their total size is charged to the state's
/// limit while the returned guard lives, so one big string passed many
/// times is "not enough memory" in the script, not a command of many times
/// the limit (issue 12).
#[inline]
fn collect_args<'a>(
    rs: &RunState,
    ctx: &'a Ctx,
    nums: &'a mut Vec<u8>,
    inline: &mut [&'a [u8]; INLINE_ARGS],
    spill: &mut Vec<&'a [u8]>,
) -> Result<(usize, ferrous_vm::Reservation), ArgError> {
    let args = ctx.args();
    if args.is_empty() || args.len() > INLINE_ARGS {
        return collect_many_args(rs, ctx, nums, spill);
    }
    let mut numbers = 0usize;
    let mut total = 0usize;
    for (slot, v) in inline.iter_mut().zip(args) {
        *slot = match *v {
            Value::String(s) => ctx.vm.str_bytes(s),
            Value::Number(_) => {
                numbers += 1;
                &[]
            }
            _ => return Err(ArgError::Msg(NOT_STRING_OR_INTEGER)),
        };
        total += slot.len();
    }
    let charge = ctx
        .vm
        .heap
        .reserve_transient(total.saturating_add(numbers * 64))
        .map_err(|_| ArgError::Memory)?;
    if numbers > 0 {
        format_numbers(rs, args, numbers, nums, &mut inline[..args.len()])?;
    }
    Ok((args.len(), charge))
}

const NOT_STRING_OR_INTEGER: &[u8] = b"Lua redis lib command arguments must be strings or integers";

/// [`collect_args`] for no argument or more than [`INLINE_ARGS`] (and
/// `redis.acl_check_cmd`): into `spill`, whose size is charged too.
#[cold]
#[inline(never)]
fn collect_many_args<'a>(
    rs: &RunState,
    ctx: &'a Ctx,
    nums: &'a mut Vec<u8>,
    spill: &mut Vec<&'a [u8]>,
) -> Result<(usize, ferrous_vm::Reservation), ArgError> {
    let args = ctx.args();
    if args.is_empty() {
        return Err(ArgError::Msg(
            b"Please specify at least one argument for this redis lib call",
        ));
    }
    // (The list is as long as the arguments on the Lua stack, which the
    // state already holds; it is charged below.)
    if spill.try_reserve(args.len()).is_err() {
        return Err(ArgError::Memory);
    }
    let mut numbers = 0usize;
    let mut total = 0usize;
    for v in args {
        match *v {
            Value::String(s) => {
                let b = ctx.vm.str_bytes(s);
                total = total.saturating_add(b.len());
                spill.push(b);
            }
            Value::Number(_) => {
                numbers += 1;
                spill.push(&[]);
            }
            _ => return Err(ArgError::Msg(NOT_STRING_OR_INTEGER)),
        }
    }
    let list = if args.len() > 16 {
        args.len().saturating_mul(16)
    } else {
        0
    };
    let total = total
        .saturating_add(numbers.saturating_mul(64))
        .saturating_add(list);
    let charge = ctx
        .vm
        .heap
        .reserve_transient(total)
        .map_err(|_| ArgError::Memory)?;
    if numbers > 0 {
        format_numbers(rs, args, numbers, nums, spill)?;
    }
    Ok((args.len(), charge))
}

/// The numbers among `args` as their text in `nums` (the buffer the
/// state keeps for them), each put in its slot of `out` (out of line:
/// most calls pass only strings).
#[cold]
#[inline(never)]
fn format_numbers<'a>(
    rs: &RunState,
    args: &[Value],
    numbers: usize,
    nums: &'a mut Vec<u8>,
    out: &mut [&'a [u8]],
) -> Result<(), ArgError> {
    std::mem::swap(nums, &mut *rs.argbuf.borrow_mut());
    nums.clear();
    if nums.try_reserve(numbers.saturating_mul(32)).is_err() {
        return Err(ArgError::Memory);
    }
    let mut ends: SmallVec<[usize; 8]> = SmallVec::new();
    for v in args {
        if let Value::Number(x) = *v {
            // Not Lua's %.14g: Redis keeps full precision.
            number::format_float(nums, x, b'g', 17, false);
            ends.push(nums.len());
        }
    }
    let nums: &'a Vec<u8> = nums;
    let mut ends = ends.into_iter();
    let mut start = 0usize;
    for (slot, v) in out.iter_mut().zip(args) {
        if let Value::Number(_) = v {
            let end = ends.next().unwrap_or(start);
            *slot = nums.get(start..end).unwrap_or_default();
            start = end;
        }
    }
    Ok(())
}

/// Gives the numbers' buffer back to the state for the next call, unless
/// it grew large (its bytes are charged only while a call runs).
#[cold]
#[inline(never)]
fn keep_numbers_buffer(rs: &RunState, nums: Vec<u8>) {
    if nums.capacity() <= 1 << 16 {
        *rs.argbuf.borrow_mut() = nums;
    }
}

/// What a script hears of an [`ArgError`]: "not enough memory", or
/// Redis's message, raised (`redis.call`) or returned as an error table
/// (`redis.pcall`).
#[cold]
#[inline(never)]
fn arg_error(rs: &RunState, ctx: &mut Ctx, e: ArgError, raise_errors: bool) -> LuaResult<usize> {
    match e {
        ArgError::Memory => Err(ctx.vm.memory_error()),
        ArgError::Msg(msg) if raise_errors => Err(raise(rs, ctx, msg)),
        ArgError::Msg(msg) => push_error(&rs.names, ctx, msg),
    }
}

/// `redis.call` (`raise`) and `redis.pcall`.
fn generic_call(rs: &RunState, ctx: &mut Ctx, raise_errors: bool) -> LuaResult<usize> {
    // A collector safe point: the arguments are on the stack and nothing
    // else is held yet. Replies converted here are garbage soon, and a
    // script that only calls Redis in a loop allocates nowhere else.
    ctx.vm.check_gc()?;
    let names = names_of(rs);
    let (active, db, resp, read_only, allow_oom, repl) = {
        let r = rs.run.borrow();
        (r.active, r.db, r.resp, r.read_only, r.allow_oom, r.repl)
    };
    if !active {
        return Err(raise(rs, ctx, NOT_IN_SCRIPT));
    }
    // The numbers' text, if any (the state's buffer is taken only then).
    let mut nums = Vec::new();
    // (Filled from a value the compiler does not know, the array's
    // initialisation is a store from a register per word instead of a
    // store of a constant, 12 bytes of code each.)
    let empty: &[u8] = std::hint::black_box(&[]);
    let mut inline: [&[u8]; INLINE_ARGS] = [empty; INLINE_ARGS];
    let mut spill: Vec<&[u8]> = Vec::new();
    let shared: &Ctx = ctx;
    let (argc, charge) = match collect_args(rs, shared, &mut nums, &mut inline, &mut spill) {
        Ok(c) => c,
        Err(e) => {
            drop(spill);
            if nums.capacity() != 0 {
                keep_numbers_buffer(rs, nums);
            }
            return arg_error(rs, ctx, e, raise_errors);
        }
    };
    let argv: &[&[u8]] = if spill.is_empty() {
        &inline[..argc]
    } else {
        &spill
    };
    // Redis's scriptCall checks, in its order.
    let outcome: Result<Reply, &'static [u8]> = rs
        .with_host(|host| {
            let Some(info) = host.command_info(argv) else {
                return Err(&b"Unknown Redis command called from script"[..]);
            };
            if !info.arity_ok(argv.len()) {
                return Err(&b"Wrong number of args calling Redis command from script"[..]);
            }
            if info.has(flags::NOSCRIPT) {
                return Err(&b"This Redis command is not allowed from script"[..]);
            }
            if let Err(why) = host.check_acl(argv) {
                return Err(why.script_message());
            }
            if read_only && info.flags & (flags::WRITE | flags::MAY_REPLICATE) != 0 {
                return Err(&b"Write commands are not allowed from read-only scripts."[..]);
            }
            let dirty = rs.control.write_dirty.load(Ordering::Relaxed);
            if info.has(flags::WRITE) && !dirty {
                rs.control.write_dirty.store(true, Ordering::SeqCst);
            }
            let ctx = CallContext {
                db,
                resp,
                oom_exempt: allow_oom || dirty,
                repl,
            };
            Ok(script_command(host, &ctx, argv))
        })
        .unwrap_or(Err(NOT_IN_SCRIPT));
    let reply = match outcome {
        Ok(r) => r,
        Err(msg) => {
            rejected_call(rs, argv, msg);
            drop(spill);
            drop(charge);
            if nums.capacity() != 0 {
                keep_numbers_buffer(rs, nums);
            }
            return rejection(ctx, names, msg, raise_errors);
        }
    };
    // SELECT inside a script changes the script's database.
    if argv.len() == 2
        && argv[0].len() == 6
        && argv[0].eq_ignore_ascii_case(b"select")
        && !reply.is_error()
    {
        if let Some(n) = crate::reply::parse_i64(argv[1]) {
            rs.run.borrow_mut().db = n;
        }
    }
    drop(spill);
    if nums.capacity() != 0 {
        keep_numbers_buffer(rs, nums);
    }
    drop(charge);
    // A bulk string or an integer (most replies) is converted here; the
    // rest by the general conversion.
    let v = match &reply {
        Reply::Bulk(b) => ctx.vm.str_value(b),
        Reply::Integer(i) => Ok(Value::Number(*i as f64)),
        _ => convert::reply_to_lua(ctx.vm, names, &reply, resp),
    };
    let is_error = reply.is_error();
    rs.with_host(|h| h.recycle(reply));
    let v = v?;
    if raise_errors && is_error {
        return Err(LuaError::runtime(v));
    }
    ctx.push(v)?;
    Ok(1)
}

const NOT_IN_SCRIPT: &[u8] = b"redis.call/pcall can only be called inside a script invocation";

/// Tells the host that a script's call was refused before it ran.
#[cold]
#[inline(never)]
fn rejected_call(rs: &RunState, argv: &[&[u8]], msg: &[u8]) {
    let text = crate::convert::error_text(msg);
    rs.with_host(|h| h.call_rejected(argv, &text));
}

/// What `redis.call` raises (or `redis.pcall` returns) for a call refused
/// before it ran: `{err = msg}` marked so error stats ignore it.
#[cold]
#[inline(never)]
fn rejection(ctx: &mut Ctx, names: &Names, msg: &[u8], raise_errors: bool) -> LuaResult<usize> {
    let t = error_table(ctx.vm, names, msg)?;
    ctx.vm
        .raw_set(t, Value::String(names.ignore), Value::Boolean(true))?;
    if raise_errors {
        Err(LuaError::runtime(Value::Table(t)))
    } else {
        ctx.push(Value::Table(t))?;
        Ok(1)
    }
}

/// Runs a command for a script, with the changes Redis makes for
/// commands a script calls (its `CLIENT_SCRIPT` special cases), so that
/// every host gets them:
/// * XREAD / XREADGROUP refuse the BLOCK option;
/// * SORT of a set `BY` a pattern without `*` (no sorting asked) sorts
///   the elements as strings, so the reply does not depend on the set's
///   internal order.
fn script_command(host: &mut dyn Host, ctx: &CallContext, argv: &[&[u8]]) -> Reply {
    let name = argv[0];
    // Only XREAD, XREADGROUP, SORT and SORT_RO are special: any other
    // command goes straight to the host.
    if !matches!(name.first().map(u8::to_ascii_lowercase), Some(b'x' | b's')) {
        return host.call(ctx, argv);
    }
    if name.eq_ignore_ascii_case(b"xread") || name.eq_ignore_ascii_case(b"xreadgroup") {
        // Options come before STREAMS; the check is made as the option
        // is parsed, so it needs the option's value to follow.
        let options = argv
            .get(1..argv.len().saturating_sub(1))
            .unwrap_or_default();
        for opt in options {
            if opt.eq_ignore_ascii_case(b"streams") {
                break;
            }
            if opt.eq_ignore_ascii_case(b"block") {
                let mut msg = b"ERR ".to_vec();
                msg.extend_from_slice(name);
                msg.extend_from_slice(b" command is not allowed with BLOCK option from scripts");
                return Reply::Error(msg);
            }
        }
    }
    if (name.eq_ignore_ascii_case(b"sort") || name.eq_ignore_ascii_case(b"sort_ro"))
        && argv.len() > 3
    {
        if let Some(by) = (2..argv.len() - 1)
            .find(|&i| argv[i].eq_ignore_ascii_case(b"by") && !argv[i + 1].contains(&b'*'))
        {
            let is_set = matches!(
                host.call(ctx, &[b"TYPE", argv[1]]),
                Reply::Status(t) if t == b"set"
            );
            if is_set {
                let mut v: Vec<&[u8]> = Vec::with_capacity(argv.len());
                v.extend_from_slice(&argv[..by]);
                v.extend_from_slice(&argv[by + 2..]);
                v.push(b"ALPHA");
                return host.call(ctx, &v);
            }
        }
    }
    host.call(ctx, argv)
}

fn log(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    let argc = ctx.nargs();
    if argc < 2 {
        return Err(raise(
            rs,
            ctx,
            b"redis.log() requires two arguments or more.",
        ));
    }
    let Some(level) = ctx.vm.to_number(ctx.arg(1)) else {
        return Err(raise(
            rs,
            ctx,
            b"First argument must be a number (log level).",
        ));
    };
    let level = c_int(level);
    let level = match level {
        0 => LogLevel::Debug,
        1 => LogLevel::Verbose,
        2 => LogLevel::Notice,
        3 => LogLevel::Warning,
        _ => return Err(raise(rs, ctx, b"Invalid debug level.")),
    };
    let mut msg = Vec::new();
    for j in 2..=argc {
        let part: Option<Vec<u8>> = match ctx.arg(j) {
            Value::String(s) => Some(ctx.vm.str_bytes(s).to_vec()),
            Value::Number(n) => Some(number::fmt_number(n).as_bytes().to_vec()),
            _ => None,
        };
        if let Some(p) = part {
            if j != 2 {
                msg.push(b' ');
            }
            msg.extend_from_slice(&p);
        }
    }
    rs.with_host(|h| h.log(level, &msg));
    Ok(0)
}

/// C's `(int)d` on x86-64.
fn c_int(d: f64) -> i32 {
    if d.is_nan() || !(-2147483648.0..2147483648.0).contains(&d) {
        i32::MIN
    } else {
        d as i32
    }
}

fn setresp(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    if !rs.run.borrow().active {
        return Err(raise(
            rs,
            ctx,
            b"redis.setresp can only be called inside a script invocation",
        ));
    }
    if ctx.nargs() != 1 {
        return Err(raise(rs, ctx, b"redis.setresp() requires one argument."));
    }
    let resp = c_int(ctx.vm.to_number(ctx.arg(1)).unwrap_or(0.0));
    if resp != 2 && resp != 3 {
        return Err(raise(rs, ctx, b"RESP version must be 2 or 3."));
    }
    rs.run.borrow_mut().resp = resp as u8;
    Ok(0)
}

fn set_repl(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    if !rs.run.borrow().active {
        return Err(raise(
            rs,
            ctx,
            b"redis.set_repl can only be called inside a script invocation",
        ));
    }
    if ctx.nargs() != 1 {
        return Err(raise(rs, ctx, b"redis.set_repl() requires two arguments."));
    }
    let fl = c_int(ctx.vm.to_number(ctx.arg(1)).unwrap_or(0.0));
    if fl & !3 != 0 {
        return Err(raise(
            rs,
            ctx,
            b"Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
        ));
    }
    rs.run.borrow_mut().repl = fl as u8;
    Ok(0)
}

fn acl_check_cmd(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    if !rs.run.borrow().active {
        return Err(raise(
            rs,
            ctx,
            b"redis.acl_check_cmd can only be called inside a script invocation",
        ));
    }
    let mut nums = Vec::new();
    let shared: &Ctx = ctx;
    let mut argv: Vec<&[u8]> = Vec::new();
    let charge = match collect_many_args(rs, shared, &mut nums, &mut argv) {
        Ok((_, c)) => c,
        Err(e) => {
            drop(argv);
            if nums.capacity() != 0 {
                keep_numbers_buffer(rs, nums);
            }
            return arg_error(rs, ctx, e, true);
        }
    };
    let allowed = rs.with_host(|h| h.command_info(&argv).map(|_| h.acl_check(&argv)));
    drop(argv);
    drop(charge);
    if nums.capacity() != 0 {
        keep_numbers_buffer(rs, nums);
    }
    match allowed.flatten() {
        None => Err(raise(
            rs,
            ctx,
            b"Invalid command passed to redis.acl_check_cmd()",
        )),
        Some(ok) => {
            ctx.push(Value::Boolean(ok))?;
            Ok(1)
        }
    }
}

fn sha1hex(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    if ctx.nargs() != 1 {
        return Err(raise(rs, ctx, b"wrong number of arguments"));
    }
    let bytes: Vec<u8> = match ctx.arg(1) {
        Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
        Value::Number(n) => number::fmt_number(n).as_bytes().to_vec(),
        _ => Vec::new(),
    };
    let hex = crate::sha1_hex(&bytes);
    ctx.push_str(&hex)?;
    Ok(1)
}

fn single_string_arg(ctx: &Ctx) -> Option<ferrous_vm::StrRef> {
    if ctx.nargs() != 1 {
        return None;
    }
    match ctx.arg(1) {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn error_reply(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    let names = rs.names;
    let Some(s) = single_string_arg(ctx) else {
        return push_error(&names, ctx, b"wrong number or type of arguments");
    };
    let text = c_str(ctx.vm.str_bytes(s)).to_vec();
    let raw = if text.first() == Some(&b'-') {
        text
    } else {
        let mut r = b"-".to_vec();
        r.extend_from_slice(&text);
        r
    };
    let t = error_table(ctx.vm, &names, &raw)?;
    ctx.push(Value::Table(t))?;
    Ok(1)
}

fn status_reply(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    let names = rs.names;
    let Some(s) = single_string_arg(ctx) else {
        return push_error(&names, ctx, b"wrong number or type of arguments");
    };
    let t = ctx.vm.new_table(0, 0)?;
    ctx.vm
        .raw_set(t, Value::String(names.ok), Value::String(s))?;
    ctx.push(Value::Table(t))?;
    Ok(1)
}

fn breakpoint(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.push(Value::Boolean(false))?;
    Ok(1)
}

fn debug(_ctx: &mut Ctx) -> LuaResult<usize> {
    Ok(0)
}

fn replicate_commands(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.push(Value::Boolean(true))?;
    Ok(1)
}

/// The message handler of every script call (Redis's
/// `__redis__err__handler`): turns the error into a table `{err=...}` and
/// records where it happened (the raising Lua function: one level further
/// when a native raised it).
fn error_handler(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    let names = rs.names;
    let err = ctx.arg(1);
    let thread = ctx.vm.current_thread();
    let mut info = ctx
        .vm
        .stack_level(1)
        .and_then(|l| ctx.vm.info_at(thread, l, b"Sl"));
    if info.as_ref().is_some_and(|i| i.what == "C") {
        info = ctx
            .vm
            .stack_level(2)
            .and_then(|l| ctx.vm.info_at(thread, l, b"Sl"));
    }
    let t = match err {
        Value::Table(t) => t,
        other => {
            let s = ctx.vm.tostring(other)?;
            ctx.push(s)?;
            let text = match s {
                Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
                _ => Vec::new(),
            };
            let mut m = b"ERR ".to_vec();
            m.extend_from_slice(&text);
            let t = ctx.vm.new_table(0, 0)?;
            ctx.push(Value::Table(t))?;
            let v = ctx.vm.str_value(&m)?;
            ctx.vm.raw_set(t, Value::String(names.err), v)?;
            t
        }
    };
    ctx.push(Value::Table(t))?;
    if let Some(i) = info {
        let src = ctx.vm.str_value(c_str(&i.source))?;
        ctx.vm
            .set_index(Value::Table(t), Value::String(names.source), src)?;
        ctx.vm.set_index(
            Value::Table(t),
            Value::String(names.line),
            Value::Number(i.current_line as f64),
        )?;
    }
    ctx.push(Value::Table(t))?;
    Ok(1)
}

/// Redis's replacement of `pcall` (`luaRedisPcall`): no argument check
/// (calling nothing fails inside the protected call), and a caught error
/// that is a table with a string (or number) `err` field is replaced by
/// that field.
fn sandbox_pcall(ctx: &mut Ctx) -> LuaResult<usize> {
    let func = ctx.base();
    if ctx.nargs() == 0 {
        // Lua calls the slot above the pushed `true`: a boolean.
        ctx.push(Value::Boolean(true))?;
    }
    match ctx.vm.pcall_at(func, -1, None) {
        Ok(()) => {
            ctx.vm.stack_insert(func, Value::Boolean(true))?;
            Ok(ctx.vm.stack_top() - func)
        }
        Err(e) => {
            if matches!(e.kind, ErrorKind::Interrupted | ErrorKind::Yield) {
                return Err(e);
            }
            let mut v = e.value;
            ctx.vm.set_stack_top(func)?;
            ctx.push(v)?;
            if let Value::Table(_) = v {
                let key = ctx.vm.str_value(b"err")?;
                let err = ctx.vm.index(v, key)?;
                if matches!(err, Value::String(_) | Value::Number(_)) {
                    v = err;
                }
            }
            ctx.vm.set_stack_top(func)?;
            ctx.push(Value::Boolean(false))?;
            ctx.push(v)?;
            Ok(2)
        }
    }
}

/// Lua 5.1's MAXARG_Bx: the most constants (and nested functions) one
/// function may have. The compiler has no such limit; Redis's Lua raises
/// "constant table overflow" past it.
const MAXARG_BX: usize = (1 << 18) - 1;

/// Whether a compiled chunk has a function past 5.1's constant limits.
pub(crate) fn exceeds_lua51_limits(p: &Proto) -> bool {
    let mut work = vec![p];
    while let Some(p) = work.pop() {
        if p.constants.len() > MAXARG_BX || p.protos.len() > MAXARG_BX {
            return true;
        }
        work.extend(p.protos.iter().map(|c| &**c));
    }
    false
}

/// Compiles source text (never bytecode: Redis parses a binary chunk as
/// text, so it fails to parse) as `loadstring` and `load` do.
fn load_text(ctx: &mut Ctx, source: &[u8], name: &[u8]) -> LuaResult<usize> {
    // The compiler's working memory is charged to the state's limit while
    // it runs (as Vm::load does); a chunk too big for it is a memory error.
    let estimate = ferrous_compiler::compile_memory_estimate(source.len());
    let Ok(reserve) = ctx.vm.heap.reserve_transient(estimate) else {
        let v = ctx.vm.str_value(b"not enough memory")?;
        ctx.push(Value::Nil)?;
        ctx.push(v)?;
        return Ok(2);
    };
    let compiled = ferrous_compiler::compile_source(source, name);
    drop(reserve);
    match compiled {
        Ok(p) if exceeds_lua51_limits(&p) => {
            // A runtime error inside the parser in 5.1: the running
            // message handler sees it (Redis's turns it into a table).
            let mut v = ctx.vm.str_value(b"constant table overflow")?;
            if let Some(h) = ctx.vm.current_handler() {
                ctx.push(v)?;
                v = match ctx.vm.call(h, &[v]) {
                    Ok(r) => r.first().copied().unwrap_or(Value::Nil),
                    Err(e) if e.kind == ErrorKind::Interrupted => return Err(e),
                    Err(e) => e.value,
                };
            }
            ctx.push(Value::Nil)?;
            ctx.push(v)?;
            Ok(2)
        }
        Ok(p) => {
            let env = ctx.vm.thread_globals();
            let f = ctx.vm.load_proto(Arc::new(p), env)?;
            ctx.push(f)?;
            Ok(1)
        }
        Err(e) => {
            ctx.push(Value::Nil)?;
            ctx.push_str(e.to_string().as_bytes())?;
            Ok(2)
        }
    }
}

/// `loadstring` that never loads precompiled chunks: the text is always
/// parsed as source (as Redis does, so bytecode fails to parse).
fn sandbox_loadstring(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = ctx.check_bytes(1)?;
    let name = match ctx.opt_string(2)? {
        Some(n) => ctx.vm.str_bytes(n).to_vec(),
        None => s.clone(),
    };
    load_text(ctx, &s, &name)
}

fn load_result(ctx: &mut Ctx, r: LuaResult<Value>) -> LuaResult<usize> {
    match r {
        Ok(f) => {
            ctx.push(f)?;
            Ok(1)
        }
        Err(e) if e.kind == ErrorKind::Interrupted => Err(e),
        Err(e) => {
            ctx.push(Value::Nil)?;
            ctx.push(e.value)?;
            Ok(2)
        }
    }
}

/// `load` with a reader function, source text only.
fn sandbox_load(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = match ctx.opt_string(2)? {
        Some(n) => ctx.vm.str_bytes(n).to_vec(),
        None => b"=(load)".to_vec(),
    };
    ctx.check_type(1, Type::Function)?;
    let reader = ctx.arg(1);
    // The text is charged to the state's limit as it grows: a reader
    // that never ends is "not enough memory", as for ferrous-stdlib's
    // `load`, not a buffer past the limit (issue 12).
    let mut source = ctx.vm.heap.buf();
    loop {
        let piece = match ctx.vm.pcall(reader, &[], None) {
            Ok(r) => r.first().copied().unwrap_or(Value::Nil),
            Err(e) => return load_result(ctx, Err(e)),
        };
        let grown = match piece {
            Value::Nil => break,
            Value::String(s) => {
                let b = ctx.vm.str_bytes(s);
                if b.is_empty() {
                    break;
                }
                source.extend(&ctx.vm.heap, b)
            }
            Value::Number(n) => source.extend(&ctx.vm.heap, number::fmt_number(n).as_bytes()),
            _ => {
                let e = ctx.error("reader function must return a string");
                return load_result(ctx, Err(e));
            }
        };
        if grown.is_err() {
            drop(source);
            let e = ctx.vm.memory_error();
            return load_result(ctx, Err(e));
        }
    }
    load_text(ctx, source.as_slice(), &name)
}

// -------------------------------------------------------- register_function

fn register_function(rs: &RunState, ctx: &mut Ctx) -> LuaResult<usize> {
    if rs.loading.borrow().is_none() {
        return Err(raise(
            rs,
            ctx,
            b"redis.register_function can only be called on FUNCTION LOAD command",
        ));
    }
    let argc = ctx.nargs();
    if !(1..=2).contains(&argc) {
        return Err(raise(
            rs,
            ctx,
            b"wrong number of arguments to redis.register_function",
        ));
    }
    let (name, desc, fl, callback) = if argc == 2 {
        let name = match ctx.arg(1) {
            Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
            Value::Number(n) => number::fmt_number(n).as_bytes().to_vec(),
            _ => {
                return Err(raise(
                    rs,
                    ctx,
                    b"first argument to redis.register_function must be a string",
                ))
            }
        };
        let Value::Function(_) = ctx.arg(2) else {
            return Err(raise(
                rs,
                ctx,
                b"second argument to redis.register_function must be a function",
            ));
        };
        (name, None, 0u32, ctx.arg(2))
    } else {
        read_named_args(rs, ctx)?
    };
    if name.is_empty() || !name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        return Err(raise(
            rs,
            ctx,
            b"Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
        ));
    }
    let dup = rs
        .loading
        .borrow()
        .as_ref()
        .is_some_and(|l| l.functions.iter().any(|f| f.name == name));
    if dup {
        return Err(raise(rs, ctx, b"Function already exists in the library"));
    }
    let Some(pending) = rs.pending.get() else {
        return Err(raise(
            rs,
            ctx,
            b"redis.register_function can only be called on FUNCTION LOAD command",
        ));
    };
    let slot = {
        let l = rs.loading.borrow();
        l.as_ref().map_or(0, |l| l.functions.len() as i64 + 1)
    };
    ctx.vm.raw_set_int(pending, slot, callback)?;
    if let Some(l) = rs.loading.borrow_mut().as_mut() {
        l.functions.push(Registered {
            name,
            desc,
            flags: fl,
            slot,
        });
    }
    Ok(0)
}

type NamedArgs = (Vec<u8>, Option<Vec<u8>>, u32, Value);

fn read_named_args(rs: &RunState, ctx: &mut Ctx) -> LuaResult<NamedArgs> {
    let Value::Table(t) = ctx.arg(1) else {
        return Err(raise(
            rs,
            ctx,
            b"calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
        ));
    };
    let mut name = None;
    let mut desc = None;
    let mut callback = None;
    let mut fl = 0u32;
    let mut k = Value::Nil;
    loop {
        let next = ctx.vm.heap.table_next(t, &k).unwrap_or_default();
        let Some((key, val)) = next else { break };
        k = key;
        let key_text: Vec<u8> = match key {
            Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
            Value::Number(n) => number::fmt_number(n).as_bytes().to_vec(),
            _ => {
                return Err(raise(
                    rs,
                    ctx,
                    b"named argument key given to redis.register_function is not a string",
                ))
            }
        };
        let key_text = c_str(&key_text).to_ascii_lowercase();
        let as_string = |ctx: &Ctx, v: Value| -> Option<Vec<u8>> {
            match v {
                Value::String(s) => Some(ctx.vm.str_bytes(s).to_vec()),
                Value::Number(n) => Some(number::fmt_number(n).as_bytes().to_vec()),
                _ => None,
            }
        };
        match key_text.as_slice() {
            b"function_name" => {
                match as_string(ctx, val) {
                    Some(s) => name = Some(s),
                    None => return Err(raise(
                        rs,
                        ctx,
                        b"function_name argument given to redis.register_function must be a string",
                    )),
                }
            }
            b"description" => {
                match as_string(ctx, val) {
                    Some(s) => desc = Some(s),
                    None => return Err(raise(
                        rs,
                        ctx,
                        b"description argument given to redis.register_function must be a string",
                    )),
                }
            }
            b"callback" => {
                if !matches!(val, Value::Function(_)) {
                    return Err(raise(
                        rs,
                        ctx,
                        b"callback argument given to redis.register_function must be a function",
                    ));
                }
                callback = Some(val);
            }
            b"flags" => {
                let Value::Table(ft) = val else {
                    return Err(raise(
                        rs,
                        ctx,
                        b"flags argument to redis.register_function must be a table representing function flags",
                    ));
                };
                match read_flags(ctx, ft)? {
                    Some(f) => fl = f,
                    None => return Err(raise(rs, ctx, b"unknown flag given")),
                }
            }
            _ => {
                return Err(raise(
                    rs,
                    ctx,
                    b"unknown argument given to redis.register_function",
                ))
            }
        }
    }
    let Some(name) = name else {
        return Err(raise(
            rs,
            ctx,
            b"redis.register_function must get a function name argument",
        ));
    };
    let Some(callback) = callback else {
        return Err(raise(
            rs,
            ctx,
            b"redis.register_function must get a callback argument",
        ));
    };
    Ok((name, desc, fl, callback))
}

/// Script flags by name (shebang `flags=` and register_function's flags).
pub(crate) const SCRIPT_FLAGS: [(&[u8], u32); 5] = [
    (b"no-writes", crate::SCRIPT_NO_WRITES),
    (b"allow-oom", crate::SCRIPT_ALLOW_OOM),
    (b"allow-stale", crate::SCRIPT_ALLOW_STALE),
    (b"no-cluster", crate::SCRIPT_NO_CLUSTER),
    (b"allow-cross-slot-keys", crate::SCRIPT_ALLOW_CROSS_SLOT),
];

/// The flags array of register_function: `None` for an unknown flag or a
/// value that is not a string.
fn read_flags(ctx: &mut Ctx, t: TableRef) -> LuaResult<Option<u32>> {
    let mut out = 0;
    let mut j = 1;
    loop {
        let v = ctx.vm.index(Value::Table(t), Value::Number(j as f64))?;
        j += 1;
        let text = match v {
            Value::Nil => break,
            Value::String(s) => c_str(ctx.vm.str_bytes(s)).to_vec(),
            Value::Number(n) => number::fmt_number(n).as_bytes().to_vec(),
            _ => return Ok(None),
        };
        match SCRIPT_FLAGS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&text))
        {
            Some((_, f)) => out |= f,
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

// -------------------------------------------------------------- budget hook

/// Runs every budget interval: FUNCTION LOAD's timeout, the script time
/// limit (the host is told once, then ticked), and the position a kill
/// will report.
fn budget_hook(rs: &RunState, vm: &mut Vm) -> LuaResult<()> {
    if let Some(l) = rs.loading.borrow_mut().as_mut() {
        if l.start.elapsed() > LOAD_TIMEOUT {
            l.timed_out = true;
            return Err(vm.interrupt_error("FUNCTION LOAD timeout"));
        }
        return Ok(());
    }
    let (active, busy) = {
        let r = rs.run.borrow();
        (r.active, r.busy)
    };
    if !active {
        return Ok(());
    }
    if !busy {
        let start = {
            let mut r = rs.run.borrow_mut();
            match r.start {
                Some(t) => t,
                None => {
                    r.start = Some(Instant::now());
                    drop(r);
                    let limit = rs
                        .with_host(|h| h.time_limit())
                        .flatten()
                        .unwrap_or(rs.configured_time_limit.get());
                    rs.time_limit.set(limit);
                    return Ok(());
                }
            }
        };
        if start.elapsed() < rs.time_limit.get() {
            return Ok(());
        }
        let (is_eval, name) = {
            let mut r = rs.run.borrow_mut();
            r.busy = true;
            (r.is_eval, r.name.clone())
        };
        rs.control.publish(is_eval, &name, &rs.command(), start);
        rs.with_host(|h| h.script_busy(&BusyInfo { is_eval, name }));
    }
    // Busy: remember where the script is (a kill reports it), let the host
    // serve its other clients.
    let thread = vm.current_thread();
    let pos = vm
        .stack_level(0)
        .and_then(|l| match l {
            Level::Frame(_) => vm.info_at(thread, l, b"Sl"),
            Level::TailCall => None,
        })
        .filter(|i| i.what != "C")
        .map(|i| (c_str(&i.source).to_vec(), i.current_line));
    if pos.is_some() {
        rs.run.borrow_mut().last_pos = pos;
    }
    rs.with_host(|h| h.busy_tick());
    Ok(())
}
