//! ferrous-redis-module: a Redis 7 module that runs Redis's scripting
//! commands on Ferrous Lua, inside redis-server.
//!
//! Load it with the built-in commands renamed away (the crate ships the
//! config snippet `ferrous.conf` that does it):
//!
//! ```text
//! redis-server --loadmodule target/release/libferrous_redis_module.so \
//!              --include crates/redis-module/ferrous.conf
//! ```
//!
//! Every client then gets Ferrous for EVAL, EVALSHA, EVAL_RO, EVALSHA_RO,
//! SCRIPT, FUNCTION, FCALL and FCALL_RO. Without the renames the module
//! registers the same commands as `FERROUS.EVAL`, `FERROUS.SCRIPT`, ...
//! and says so in the log.
//!
//! How it works:
//! * the engine is `ferrous_redis::Engine`; this crate is its host:
//!   `redis.call` runs the command through `RM_Call` in process, with the
//!   flags Redis's own scripting uses (the private `host` module);
//! * long scripts call `RM_Yield`, so other clients get `-BUSY` and SCRIPT
//!   KILL / FUNCTION KILL / FUNCTION STATS (registered `allow-busy`) run
//!   meanwhile, re-entering the module while the engine is busy;
//! * function libraries are saved in RDB files as module aux data and
//!   loaded back at start, on DEBUG RELOAD and on replicas;
//! * INFO has a `ferrous` section; `ferrous.lua-memory-limit` is a module
//!   config.
//!
//! All `unsafe` code is in the private `ffi` module; every callback from Redis catches
//! Rust panics and answers an error instead of unwinding into C.

#![deny(missing_docs)]

mod ffi;
mod host;

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_longlong, c_void};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use ferrous_redis::reply::Reply;
use ferrous_redis::{Config, Controller, Engine, Shared};

use ferrous_redis::control;
use ffi::{ctx_flags, Args, Ctx, RawCtx, RawString};
use host::ModuleHost;

/// The module's name (its configs are `ferrous.<name>`).
pub const MODULE_NAME: &str = "ferrous";
/// Prefix of the command names when the built-ins were not renamed.
const PREFIX: &str = "ferrous.";
/// Bytes each Lua state may use by default (`ferrous.lua-memory-limit`;
/// 0 lifts the limit). Redis's own Lua has none; a script that allocates
/// without bound must not take the server's memory with it.
const DEFAULT_MEMORY_LIMIT: i64 = 512 << 20;
/// Version of the aux data format in RDB files.
const AUX_ENCVER: i32 = 1;

/// The commands the module takes over, with their module flags (Redis
/// 7.0's flags for them; SCRIPT and FUNCTION are registered whole, with
/// `allow-busy`, and the handler applies their subcommands' rules).
const COMMANDS: [(&str, &str); 8] = [
    (
        "eval",
        "deny-script no-monitor may-replicate no-mandatory-keys allow-stale getkeys-api",
    ),
    (
        "evalsha",
        "deny-script no-monitor may-replicate no-mandatory-keys allow-stale getkeys-api",
    ),
    (
        "eval_ro",
        "deny-script no-monitor readonly no-mandatory-keys allow-stale getkeys-api",
    ),
    (
        "evalsha_ro",
        "deny-script no-monitor readonly no-mandatory-keys allow-stale getkeys-api",
    ),
    (
        "fcall",
        "deny-script no-monitor may-replicate no-mandatory-keys allow-stale getkeys-api",
    ),
    (
        "fcall_ro",
        "deny-script no-monitor readonly no-mandatory-keys allow-stale getkeys-api",
    ),
    ("script", "deny-script allow-busy allow-stale"),
    ("function", "deny-script allow-busy"),
];

/// The options of a `DEBUG RELOAD` on its way (seen by the command
/// filter, used by the loading callbacks).
#[derive(Clone, Copy, Default)]
struct Reload {
    noflush: bool,
    merge: bool,
}

/// The registered names of [`COMMANDS`], in their order.
const MODULE_NAMES: [&str; 8] = [
    "ferrous.eval",
    "ferrous.evalsha",
    "ferrous.eval_ro",
    "ferrous.evalsha_ro",
    "ferrous.fcall",
    "ferrous.fcall_ro",
    "ferrous.script",
    "ferrous.function",
];

/// Counters shown in INFO.
#[derive(Default)]
struct Stats {
    evals: Cell<u64>,
    fcalls: Cell<u64>,
    errors: Cell<u64>,
    killed: Cell<u64>,
}

/// The module's state. Redis runs every module callback on its main
/// thread, so it lives in a thread-local of that thread (a forked child
/// saving an RDB has a copy of it).
struct Module {
    /// Borrowed for the whole of a scripting command; a command that
    /// arrives while a script yields finds it borrowed.
    engine: RefCell<Engine>,
    shared: Arc<Shared>,
    controller: Controller,
    /// The command filter sends EVAL & co to the module's commands.
    takeover: bool,
    /// [`MODULE_NAMES`] as Redis strings, for the filter.
    names: Vec<ffi::SharedString>,
    /// `DEBUG SET-DISABLE-DENY-SCRIPTS`, seen by the command filter.
    deny_script_disabled: Cell<bool>,
    /// The DEBUG RELOAD being run, if any.
    reload: Cell<Reload>,
    /// Redis's config changed since the module last read it.
    config_stale: Cell<bool>,
    /// The module's own context, for the `RM_Call`s of the filter.
    detached: Option<Ctx>,
    /// The process that loaded the module (a forked child has another).
    pid: u32,
    /// `min-replicas-to-write`.
    min_replicas: Cell<i64>,
    /// The per-state memory limit in bytes (0: none).
    memory_limit: Cell<i64>,
    table: RefCell<Option<ferrous_redis::CommandTable>>,
    /// The last plain command a script looked up, and what it is.
    last_command: RefCell<host::LastCommand>,
    /// A bulk reply's buffer given back by the engine ([`Host::recycle`]),
    /// reused for the next bulk reply of `redis.call`.
    ///
    /// [`Host::recycle`]: ferrous_redis::Host::recycle
    spare_bulk: RefCell<Vec<u8>>,
    stats: Stats,
}

thread_local! {
    static MODULE: RefCell<Option<Rc<ModuleCell>>> = const { RefCell::new(None) };
}

/// The module state behind an `Rc`, so callbacks hold it without keeping
/// the thread-local borrowed (callbacks nest while a script yields).
struct ModuleCell(Module);

fn module() -> Option<Rc<ModuleCell>> {
    MODULE.with(|m| m.borrow().clone())
}

// ------------------------------------------------------------------ OnLoad

/// Entry point redis-server calls when it loads the module.
///
/// # Safety
/// Called by Redis with its OnLoad context and the module arguments.
#[no_mangle]
pub unsafe extern "C" fn RedisModule_OnLoad(
    ctx: *mut RawCtx,
    argv: *mut *mut RawString,
    argc: c_int,
) -> c_int {
    // SAFETY: Redis passes the OnLoad context, valid for this call.
    let ctx = unsafe { Ctx::new(ctx) };
    ffi::catch(|| {
        // SAFETY: this is the OnLoad context.
        if let Err(missing) = unsafe { ctx.init(MODULE_NAME, 1) } {
            // No API table: nothing (not even logging) can be called.
            let _ = missing;
            return ffi::ERR;
        }
        // SAFETY: Redis passes `argc` module arguments.
        let args = unsafe { Args::new(argv, argc) };
        let list = args.all();
        let loaded = on_load(ctx, &list);
        match loaded {
            Ok(()) => ffi::OK,
            Err(msg) => {
                ctx.log("warning", msg.as_bytes());
                ffi::ERR
            }
        }
    })
    .unwrap_or(ffi::ERR)
}

fn on_load(ctx: Ctx, args: &[&[u8]]) -> Result<(), String> {
    let shared = Shared::new();
    let engine = Engine::new(shared.clone(), Config::default());
    let controller = engine.controller();

    let takeover = match args {
        [] => true,
        [k, v] if k.eq_ignore_ascii_case(b"takeover") && v.eq_ignore_ascii_case(b"yes") => true,
        [k, v] if k.eq_ignore_ascii_case(b"takeover") && v.eq_ignore_ascii_case(b"no") => false,
        _ => return Err("ferrous: the only module argument is TAKEOVER yes|no".into()),
    };
    for ((_, flags), name) in COMMANDS.iter().zip(MODULE_NAMES) {
        if !ctx.create_command(name, cmd_entry, flags, (0, 0, 0)) {
            return Err(format!("ferrous: could not register {name}"));
        }
    }
    if takeover {
        ctx.log(
            "notice",
            b"ferrous: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FUNCTION, FCALL and FCALL_RO \
run on Ferrous Lua (as FERROUS.EVAL and so on; clients keep the usual names)",
        );
    } else {
        ctx.log(
            "notice",
            b"ferrous: TAKEOVER no: Redis's own Lua keeps EVAL and the rest; Ferrous answers \
FERROUS.EVAL, FERROUS.EVALSHA, FERROUS.EVAL_RO, FERROUS.EVALSHA_RO, FERROUS.SCRIPT, \
FERROUS.FUNCTION, FERROUS.FCALL and FERROUS.FCALL_RO",
        );
    }

    if !ctx.create_aux_type("ferrousfn", AUX_ENCVER, aux_load, aux_save, aof_rewrite) {
        return Err("ferrous: could not create the aux data type".into());
    }
    if !ctx.register_info(info_func) {
        return Err("ferrous: could not register the INFO section".into());
    }
    if !ctx.on_loading_start(loading_event) {
        return Err("ferrous: could not subscribe to loading events".into());
    }
    if !ctx.on_persistence(persistence_event) {
        return Err("ferrous: could not subscribe to persistence events".into());
    }
    if !ctx.register_filter(command_filter) {
        return Err("ferrous: could not register the command filter".into());
    }

    let m = Module {
        engine: RefCell::new(engine),
        shared,
        controller,
        takeover,
        names: MODULE_NAMES
            .iter()
            .map(|n| ffi::SharedString::new(n.as_bytes()))
            .collect(),
        deny_script_disabled: Cell::new(false),
        config_stale: Cell::new(true),
        detached: ctx.detached(),
        pid: std::process::id(),
        reload: Cell::new(Reload::default()),
        min_replicas: Cell::new(0),
        memory_limit: Cell::new(0),
        table: RefCell::new(None),
        last_command: RefCell::new(host::LastCommand::default()),
        spare_bulk: RefCell::new(Vec::new()),
        stats: Stats::default(),
    };
    MODULE.with(|slot| *slot.borrow_mut() = Some(Rc::new(ModuleCell(m))));

    if !ctx.register_numeric_config(
        "lua-memory-limit",
        DEFAULT_MEMORY_LIMIT,
        0,
        i64::MAX,
        config_get_memory,
        config_set_memory,
    ) {
        return Err("ferrous: could not register ferrous.lua-memory-limit".into());
    }
    if !ctx.load_configs() {
        return Err("ferrous: bad module configuration".into());
    }
    Ok(())
}

// ---------------------------------------------------------------- commands

/// The callback of every command and subcommand the module registers.
unsafe extern "C" fn cmd_entry(ctx: *mut RawCtx, argv: *mut *mut RawString, argc: c_int) -> c_int {
    // SAFETY: Redis passes a live context and `argc` live arguments.
    let (ctx, args) = unsafe { (Ctx::new(ctx), Args::new(argv, argc)) };
    if ffi::catch(|| command(ctx, args)).is_none() {
        ctx.reply_error(b"ERR internal error in the ferrous module (a bug: please report it)");
    }
    ffi::OK
}

fn command(ctx: Ctx, args: Args) {
    let Some(m) = module() else {
        ctx.reply_error(b"ERR the ferrous module is not initialised");
        return;
    };
    let m = &m.0;
    let mut argv = args.all();
    if argv.is_empty() {
        ctx.reply_error(b"ERR wrong number of arguments");
        return;
    }
    // The engine knows the commands by their Redis names. (Redis calls
    // this only for the module's own FERROUS.* names, in whatever case the
    // client wrote them: the prefix is checked by its dot.)
    if argv[0].len() > PREFIX.len() && argv[0][PREFIX.len() - 1] == b'.' {
        argv[0] = &argv[0][PREFIX.len()..];
    }
    if ctx.is_keys_position_request() {
        declare_keys(ctx, &argv);
        return;
    }
    let Ok(mut engine) = m.engine.try_borrow_mut() else {
        while_busy(ctx, m, &argv);
        return;
    };
    use ferrous_redis::engine::ScriptCommand as C;
    let kind = C::of(argv[0]);
    let is_function = kind == Some(C::Function);
    if matches!(kind, Some(C::EvalSha | C::Eval | C::EvalShaRo | C::EvalRo)) {
        m.stats.evals.set(m.stats.evals.get() + 1);
    } else if matches!(kind, Some(C::Fcall | C::FcallRo)) {
        m.stats.fcalls.set(m.stats.fcalls.get() + 1);
    } else if is_function {
        if let Some(refused) = function_write_refused(ctx, &argv) {
            ctx.reply_error(refused);
            return;
        }
    }
    host::refresh_config(ctx, m, &mut engine);
    let db = ctx.selected_db();
    let reply = {
        let mut host = ModuleHost::new(ctx, m, db);
        let r = engine.execute(&mut host, db, &argv);
        host.finish();
        r
    };
    drop(engine);
    let reply = reply.unwrap_or_else(|| Reply::Error(b"ERR unknown command".to_vec()));
    if reply.is_error() {
        m.stats.errors.set(m.stats.errors.get() + 1);
    } else if is_function && argv.len() > 1 && is_function_write(argv[1]) {
        // FUNCTION LOAD/DELETE/FLUSH/RESTORE change the data set: the
        // replicas and the AOF get the command itself, as from Redis.
        ctx.replicate_verbatim();
    }
    send(ctx, &reply);
    // Its buffer serves the next script that returns a string.
    if let Ok(mut engine) = m.engine.try_borrow_mut() {
        engine.recycle(reply);
    };
}

/// A command that arrived while a script yields: Redis lets only the
/// allow-busy ones through.
#[cold]
#[inline(never)]
fn while_busy(ctx: Ctx, m: &Module, argv: &[&[u8]]) {
    match Engine::allow_busy_command(&m.shared, &m.controller, argv) {
        Some(r) => {
            if matches!(&r, Reply::Status(_)) {
                m.stats.killed.set(m.stats.killed.get() + 1);
            }
            send(ctx, &r)
        }
        None => match m.controller.busy_reply() {
            Some(r) => send(ctx, &r),
            None => ctx.reply_error(control::BUSY_EVAL),
        },
    }
}

/// FUNCTION's writing subcommands obey the rules Redis applies to write
/// commands before running them (registered whole, FUNCTION cannot carry
/// the `write` and `deny-oom` flags of only some subcommands).
fn function_write_refused(ctx: Ctx, argv: &[&[u8]]) -> Option<&'static [u8]> {
    let sub = argv.get(1)?;
    if !is_function_write(sub) {
        return None;
    }
    let fl = ctx.context_flags();
    if fl & ctx_flags::REPLICATED != 0 {
        return None; // the master's stream is obeyed
    }
    if fl & ctx_flags::SLAVE != 0 && fl & ctx_flags::READONLY != 0 {
        return Some(b"READONLY You can't write against a read only replica.");
    }
    let adds = sub.eq_ignore_ascii_case(b"load") || sub.eq_ignore_ascii_case(b"restore");
    if adds && fl & ctx_flags::OOM != 0 {
        return Some(b"OOM command not allowed when used memory > 'maxmemory'.");
    }
    None
}

/// FUNCTION's subcommands that change the libraries.
fn is_function_write(sub: &[u8]) -> bool {
    [&b"load"[..], b"delete", b"flush", b"restore"]
        .iter()
        .any(|w| sub.eq_ignore_ascii_case(w))
}

/// COMMAND GETKEYS and cluster routing: the keys are the `numkeys`
/// arguments after the script, sha or function name.
fn declare_keys(ctx: Ctx, argv: &[&[u8]]) {
    let Some(n) = argv.get(2).and_then(|a| ferrous_redis::reply::parse_i64(a)) else {
        return;
    };
    if n < 0 || n as u64 > (argv.len() as u64).saturating_sub(3) {
        return;
    }
    for i in 0..n as usize {
        ctx.key_at_pos(3 + i);
    }
}

/// Writes `reply` to the client in its protocol.
fn send(ctx: Ctx, reply: &Reply) {
    // An explicit stack: replies nest as deep as the Lua tables they come
    // from, and Rust recursion must stay bounded.
    // (Most replies are one value: no stack for them.)
    let mut stack: smallvec::SmallVec<[&Reply; 16]> = smallvec::smallvec![reply];
    while let Some(r) = stack.pop() {
        match r {
            Reply::Status(s) => ctx.reply_status(s),
            Reply::Error(e) => ctx.reply_error(e),
            Reply::Integer(n) => ctx.reply_integer(*n),
            Reply::Bulk(b) => ctx.reply_bulk(b),
            Reply::Nil => ctx.reply_null(),
            Reply::NilArray => ctx.reply_null_array(),
            Reply::Array(items) | Reply::Push(items) => {
                ctx.reply_array(items.len());
                stack.extend(items.iter().rev());
            }
            Reply::Set(items) => {
                ctx.reply_set(items.len());
                stack.extend(items.iter().rev());
            }
            Reply::Map(pairs) => {
                ctx.reply_map(pairs.len());
                for (k, v) in pairs.iter().rev() {
                    stack.push(v);
                    stack.push(k);
                }
            }
            Reply::Double(d) => ctx.reply_double(*d),
            Reply::Boolean(b) => ctx.reply_bool(*b),
            Reply::BigNumber(n) => ctx.reply_big_number(n),
            Reply::Verbatim { format, text } => ctx.reply_verbatim(format, text),
        }
    }
}

// ------------------------------------------------------------- RDB aux data

/// Saves the function libraries (before the keyspace), as the payload of
/// FUNCTION DUMP.
unsafe extern "C" fn aux_save(io: *mut ffi::RawIo, _when: c_int) {
    // SAFETY: Redis passes the RDB writer of this save.
    let io = unsafe { ffi::Io::new(io) };
    let _ = ffi::catch(|| {
        let payload = module().map(|m| dump_libraries(&m.0)).unwrap_or_default();
        io.save_unsigned(1);
        io.save_bytes(&payload);
    });
}

fn dump_libraries(m: &Module) -> Vec<u8> {
    // From the store, not the engine: a fork may save while a script
    // yields (the engine is borrowed then; the libraries cannot change).
    m.shared.dump_functions()
}

/// Loads the libraries saved by [`aux_save`]: FUNCTION RESTORE of the
/// payload (an existing library of the same name is an error, which
/// fails the load, as it does in Redis).
unsafe extern "C" fn aux_load(io: *mut ffi::RawIo, encver: c_int, _when: c_int) -> c_int {
    // SAFETY: Redis passes the RDB reader of this load.
    let io = unsafe { ffi::Io::new(io) };
    ffi::catch(|| {
        if encver != AUX_ENCVER {
            return ffi::ERR;
        }
        let Some(1) = io.load_unsigned() else {
            return ffi::ERR;
        };
        let Some(payload) = io.load_bytes() else {
            return ffi::ERR;
        };
        let Some(m) = module() else {
            return ffi::ERR;
        };
        if payload.is_empty() {
            return ffi::OK;
        }
        let Ok(mut e) = m.0.engine.try_borrow_mut() else {
            return ffi::ERR;
        };
        // DEBUG RELOAD MERGE replaces libraries of the same name.
        let policy: &[u8] = if m.0.reload.get().merge {
            b"REPLACE"
        } else {
            b"APPEND"
        };
        match e.execute(
            &mut host::NoHost,
            0,
            &[b"FUNCTION", b"RESTORE", &payload, policy],
        ) {
            Some(r) if !r.is_error() => ffi::OK,
            _ => ffi::ERR,
        }
    })
    .unwrap_or(ffi::ERR)
}

/// A data set is about to be loaded (startup, DEBUG RELOAD, a full sync):
/// Redis empties its own functions then, and so does the module, unless
/// the load is a `DEBUG RELOAD NOFLUSH` (the command filter saw it).
unsafe extern "C" fn loading_event(_ctx: *mut RawCtx, sub: u64) {
    let _ = ffi::catch(|| {
        let Some(cell) = module() else { return };
        let m = &cell.0;
        if sub > 2 {
            m.reload.set(Reload::default()); // the load ended
            return;
        }
        if m.reload.get().noflush {
            return;
        }
        if let Ok(mut e) = m.engine.try_borrow_mut() {
            let _ = e.execute(&mut host::NoHost, 0, &[b"FUNCTION", b"FLUSH"]);
        };
    });
}

// -------------------------------------------------------------- AOF rewrite

/// The marker key's name (another name is tried if a key has it).
const MARKER_KEY: &[u8] = b"\xff__ferrous_function_libraries__";

/// A save is starting. An AOF rewrite without the RDB preamble
/// (`aof-use-rdb-preamble no`) writes the data set as commands, and
/// Redis 7.0 gives modules no aux hook there: aux data goes only into RDB
/// form. So, in the forked child that writes the rewrite (its keyspace is
/// its own copy), a key of the module's data type is added; the rewrite
/// reaches it and calls [`aof_rewrite`], which writes the libraries as
/// `FERROUS.FUNCTION RESTORE <payload> REPLACE`. The key never exists in
/// the server itself.
unsafe extern "C" fn persistence_event(ctx: *mut RawCtx, sub: u64) {
    // SAFETY: Redis passes the context of this event.
    let ctx = unsafe { Ctx::new(ctx) };
    let _ = ffi::catch(|| {
        const AOF_START: u64 = 1;
        let Some(m) = module() else { return };
        let m = &m.0;
        if sub != AOF_START || std::process::id() == m.pid {
            return;
        }
        if m.shared.library_counts().0 == 0 {
            return;
        }
        let preamble = ctx.call(
            &[b"CONFIG", b"GET", b"aof-use-rdb-preamble"],
            b"",
            ferrous_redis::reply::parse_reply,
        );
        match preamble {
            Ok(Ok((Reply::Array(kv), _))) if matches!(kv.get(1), Some(Reply::Bulk(v)) if v == b"no") =>
                {}
            _ => return, // the RDB preamble carries the aux data
        }
        for i in 0..16u32 {
            let mut name = MARKER_KEY.to_vec();
            if i > 0 {
                name.extend_from_slice(i.to_string().as_bytes());
            }
            if ctx.add_marker_key(0, &name) {
                return;
            }
        }
        ctx.log(
            "warning",
            b"ferrous: the AOF rewrite holds no function libraries (no free key name)",
        );
    });
}

/// The rewrite reached the marker key: the libraries as one command.
unsafe extern "C" fn aof_rewrite(io: *mut ffi::RawIo, _key: *mut RawString, _v: *mut c_void) {
    // SAFETY: Redis passes the AOF writer of this rewrite.
    let io = unsafe { ffi::Io::new(io) };
    let _ = ffi::catch(|| {
        let Some(m) = module() else { return };
        let payload = dump_libraries(&m.0);
        io.emit_aof("ferrous.function", &[b"RESTORE", &payload, b"REPLACE"]);
    });
}

// -------------------------------------------------------------------- INFO

unsafe extern "C" fn info_func(ictx: *mut ffi::RawInfoCtx, _for_crash: c_int) {
    // SAFETY: Redis passes the INFO context of this call.
    let ictx = unsafe { ffi::InfoCtx::new(ictx) };
    let _ = ffi::catch(|| {
        let Some(m) = module() else { return };
        let m = &m.0;
        if !ictx.section("lua") {
            return;
        }
        ictx.field_str("engine", b"ferrous");
        ictx.field_int("number_of_cached_scripts", m.shared.script_count() as i64);
        let (libs, funcs) = m.shared.library_counts();
        ictx.field_int("number_of_libraries", libs as i64);
        ictx.field_int("number_of_functions", funcs as i64);
        let mem = m.engine.try_borrow().map(|e| e.memory_used()).unwrap_or(0);
        ictx.field_int("used_memory_lua", mem as i64);
        ictx.field_int("lua_memory_limit", m.memory_limit.get());
        ictx.field_int("script_running", m.controller.is_running() as i64);
        ictx.field_int("script_busy", m.controller.is_busy() as i64);
        ictx.field_int("evals", m.stats.evals.get() as i64);
        ictx.field_int("fcalls", m.stats.fcalls.get() as i64);
        ictx.field_int("errors", m.stats.errors.get() as i64);
        ictx.field_int("kills", m.stats.killed.get() as i64);
    });
}

// ----------------------------------------------------------------- configs

unsafe extern "C" fn config_get_memory(_name: *const c_char, _p: *mut c_void) -> c_longlong {
    ffi::catch(|| module().map_or(0, |m| m.0.memory_limit.get())).unwrap_or(0)
}

unsafe extern "C" fn config_set_memory(
    _name: *const c_char,
    val: c_longlong,
    _p: *mut c_void,
    err: *mut *mut RawString,
) -> c_int {
    let ok = ffi::catch(|| {
        let Some(m) = module() else { return false };
        let Ok(mut e) = m.0.engine.try_borrow_mut() else {
            return false;
        };
        e.set_memory_limit((val > 0).then_some(val as usize));
        m.0.memory_limit.set(val.max(0));
        true
    })
    .unwrap_or(false);
    if ok {
        ffi::OK
    } else {
        // SAFETY: `err` is this setter's error out-parameter.
        unsafe { ffi::set_config_error(err, b"cannot change the limit while a script runs") };
        ffi::ERR
    }
}

// ----------------------------------------------------------- command filter

/// Every command passes here before Redis looks it up:
/// * with TAKEOVER, the scripting commands go to the module's
///   (`EVAL` becomes `FERROUS.EVAL`): Redis 7.0 cannot give a module a
///   built-in's name, even renamed away (module.c asserts on it);
/// * ACL SETUSER rules naming `@scripting` or a scripting command get the
///   module command added, since Redis 7.0 cannot put module commands in
///   ACL categories;
/// * `DEBUG SET-DISABLE-DENY-SCRIPTS <0|1>` (Redis's test switch that lets
///   scripts call `noscript` commands such as DEBUG) is noted.
unsafe extern "C" fn command_filter(fctx: *mut ffi::RawFilterCtx) {
    // SAFETY: Redis passes the filter context of this command.
    let f = unsafe { ffi::FilterCtx::new(fctx) };
    let _ = ffi::catch(|| {
        if ACL_STALE.load(Ordering::Relaxed) {
            // Not while a script yields (commands pass here then too):
            // at a later command.
            if let Some(m) = module().filter(|m| m.0.engine.try_borrow_mut().is_ok()) {
                sync_acl_users(&m.0);
            }
        }
        let name = f.arg(0);
        // Fast path (every command passes here): no thread-local, no
        // reference count, unless the name is one of interest.
        let Some(kind) = filter_kind(name) else {
            return;
        };
        let Some(m) = module() else { return };
        let m = &m.0;
        if let Some(shared) = m.names.get(kind) {
            // One of COMMANDS.
            if m.takeover {
                f.replace_shared(0, shared);
            }
            return;
        }
        if name.eq_ignore_ascii_case(b"config") {
            // The module's own CONFIG GET passes here too: only a change
            // makes the cached settings stale.
            if f.arg(1).eq_ignore_ascii_case(b"set") {
                m.config_stale.set(true);
            }
            return;
        }
        if name.eq_ignore_ascii_case(b"acl") && f.arg(1).eq_ignore_ascii_case(b"load") {
            // The users come back from the ACL file as written there:
            // mirrored again at the next command.
            ACL_STALE.store(true, Ordering::Relaxed);
            return;
        }
        if name.eq_ignore_ascii_case(b"acl")
            && f.len() > 3
            && f.arg(1).eq_ignore_ascii_case(b"setuser")
        {
            // Each mirrored rule goes right after its source, so later
            // rules (`reset`, `nocommands`, ...) still apply to it. From the
            // end, so the positions still to visit do not move.
            for i in (3..f.len()).rev() {
                for rule in acl_rule_for_module(f.arg(i)).iter().rev() {
                    f.insert(i + 1, rule);
                }
            }
            return;
        }
        if name.eq_ignore_ascii_case(b"debug") && f.arg(1).eq_ignore_ascii_case(b"reload") {
            let mut r = Reload::default();
            for i in 2..f.len() {
                r.noflush |= f.arg(i).eq_ignore_ascii_case(b"noflush");
                r.merge |= f.arg(i).eq_ignore_ascii_case(b"merge");
            }
            m.reload.set(r);
            return;
        }
        if f.len() == 3
            && name.eq_ignore_ascii_case(b"debug")
            && f.arg(1).eq_ignore_ascii_case(b"set-disable-deny-scripts")
        {
            let on = ferrous_redis::reply::parse_i64(f.arg(2)).is_some_and(|n| n != 0);
            m.deny_script_disabled.set(on);
        }
    });
}

/// Users may have been (re)loaded from the config file or an ACL file
/// without the `FERROUS.*` commands their rules imply: set at start and
/// by `ACL LOAD`, cleared by [`sync_acl_users`]. (A plain static, not in
/// [`Module`]: the filter reads it for every command.)
static ACL_STALE: AtomicBool = AtomicBool::new(true);

/// What the filter has to do with a command of this name: `Some(i)` for
/// `COMMANDS[i]` and for CONFIG, ACL and DEBUG (`i >= COMMANDS.len()`),
/// `None` for every other command.
fn filter_kind(name: &[u8]) -> Option<usize> {
    use ferrous_redis::engine::ScriptCommand as C;
    const OTHERS: [&str; 3] = ["config", "acl", "debug"];
    if !(3..=10).contains(&name.len()) {
        return None;
    }
    // The scripting commands by one lowercasing and one match, in
    // COMMANDS's order.
    if let Some(c) = C::of(name) {
        return Some(match c {
            C::Eval => 0,
            C::EvalSha => 1,
            C::EvalRo => 2,
            C::EvalShaRo => 3,
            C::Fcall => 4,
            C::FcallRo => 5,
            C::Script => 6,
            C::Function => 7,
        });
    }
    OTHERS
        .iter()
        .position(|n| n.len() == name.len() && n.as_bytes().eq_ignore_ascii_case(name))
        .map(|i| COMMANDS.len() + i)
}

/// Gives every user what its rules give the built-in scripting commands
/// on the `FERROUS.*` commands too (Redis 7.0 cannot put module commands
/// in ACL categories): users from the config file or an ACL file are made
/// before any command passes the filter, so their rules are read back
/// with `ACL LIST` (Redis's own normal form: a rule naming `@all` comes
/// first, and replaying the rules in order rebuilds the user) and the
/// mirrored rules applied with `ACL SETUSER`. Rules inside selectors are
/// left alone.
fn sync_acl_users(m: &Module) {
    ACL_STALE.store(false, Ordering::Relaxed);
    let Some(ctx) = m.detached else { return };
    let Ok(Ok((Reply::Array(lines), _))) =
        ctx.call(&[b"ACL", b"LIST"], b"", ferrous_redis::reply::parse_reply)
    else {
        return;
    };
    for line in lines {
        let Reply::Bulk(line) = line else { continue };
        let mut words = line.split(|&b| b == b' ').filter(|w| !w.is_empty());
        let (Some(b"user"), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        let mut rules: Vec<Vec<u8>> = Vec::new();
        let mut in_selector = false;
        for w in words {
            if w.starts_with(b"(") {
                in_selector = true;
            }
            if !in_selector {
                rules.extend(acl_rule_for_module(w));
            }
            if w.ends_with(b")") {
                in_selector = false;
            }
        }
        if rules.is_empty() {
            continue;
        }
        let mut argv: Vec<&[u8]> = vec![b"ACL", b"SETUSER", name];
        argv.extend(rules.iter().map(|r| r.as_slice()));
        if let Ok(Reply::Error(e)) = ctx.call(&argv, b"", host::read_reply) {
            ctx.log("warning", &e);
        }
    }
}

/// The ACL rules that give the module's commands what `rule` gives the
/// built-ins.
fn acl_rule_for_module(rule: &[u8]) -> Vec<Vec<u8>> {
    let (sign, body) = match rule.first() {
        Some(b'+') => (b'+', &rule[1..]),
        Some(b'-') => (b'-', &rule[1..]),
        _ => return Vec::new(),
    };
    let with = |n: &str| {
        let mut v = vec![sign];
        v.extend_from_slice(PREFIX.as_bytes());
        v.extend_from_slice(n.as_bytes());
        v
    };
    if body.eq_ignore_ascii_case(b"@scripting") {
        return COMMANDS.iter().map(|(n, _)| with(n)).collect();
    }
    // `+script|load`: the module command is registered whole.
    let base = match body.iter().position(|&b| b == b'|') {
        Some(i) => &body[..i],
        None => body,
    };
    if body.len() != base.len() && sign == b'-' {
        return Vec::new(); // taking one subcommand away cannot be mirrored
    }
    COMMANDS
        .iter()
        .filter(|(n, _)| n.as_bytes().eq_ignore_ascii_case(base))
        .map(|(n, _)| with(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{filter_kind, COMMANDS};

    #[test]
    fn filter_kinds_follow_the_command_table() {
        for (i, (name, _)) in COMMANDS.iter().enumerate() {
            assert_eq!(filter_kind(name.as_bytes()), Some(i), "{name}");
            let upper = name.to_ascii_uppercase();
            assert_eq!(filter_kind(upper.as_bytes()), Some(i), "{upper}");
        }
        for (i, name) in ["config", "ACL", "Debug"].iter().enumerate() {
            assert_eq!(filter_kind(name.as_bytes()), Some(COMMANDS.len() + i));
        }
        for name in ["get", "evalsha_r", "evalsha_rox", "fcal", "", "functions"] {
            assert_eq!(filter_kind(name.as_bytes()), None, "{name}");
        }
    }
}
