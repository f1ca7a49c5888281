//! The engine's [`Host`] inside redis-server: `redis.call` through
//! `RM_Call`, ACL checks through the module ACL API, busy scripts through
//! `RM_Yield`.

use ferrous_redis::flags;
use ferrous_redis::host::{
    AclDenied, BusyInfo, CallContext, CommandInfo, CommandTable, Host, LogLevel, WriteDenied,
};
use ferrous_redis::reply::{parse_reply, Reply};

use crate::ffi::{ctx_flags, CallOutcome, Ctx};
use crate::Module;

/// The host of one scripting command.
pub(crate) struct ModuleHost<'a> {
    ctx: Ctx,
    m: &'a Module,
    /// The caller's database, given back when the command ends (SELECT in
    /// a script does not change the caller's, as in Redis 7).
    caller_db: i64,
    /// The database the context has selected now.
    db: i64,
    /// The `-BUSY` text of the script that was reported busy.
    busy_reply: Option<&'static [u8]>,
}

impl<'a> ModuleHost<'a> {
    pub fn new(ctx: Ctx, m: &'a Module, db: i64) -> ModuleHost<'a> {
        ModuleHost {
            ctx,
            m,
            caller_db: db,
            db,
            busy_reply: None,
        }
    }

    /// Gives the caller its database back.
    pub fn finish(&mut self) {
        if self.db != self.caller_db {
            self.ctx.select_db(self.caller_db);
            self.db = self.caller_db;
        }
    }

    fn table(&self) -> std::cell::RefMut<'_, Option<CommandTable>> {
        let mut t = self.m.table.borrow_mut();
        if t.is_none() {
            if let CallOutcome::Reply(bytes) = self.ctx.call(&[b"COMMAND"], "") {
                if let Ok((reply, _)) = parse_reply(&bytes) {
                    *t = Some(CommandTable::from_command_reply(&reply));
                }
            }
        }
        t
    }

    /// Looks a command up in the table, asking Redis about commands the
    /// table does not know yet (a module loaded after this one).
    fn lookup(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
        let name = argv.first()?;
        {
            let t = self.table();
            if let Some(t) = t.as_ref() {
                if t.base(name).is_some() {
                    return t.lookup(argv);
                }
            }
        }
        let CallOutcome::Reply(bytes) = self.ctx.call(&[b"COMMAND", b"INFO", name], "") else {
            return None;
        };
        let (reply, _) = parse_reply(&bytes).ok()?;
        let found = CommandTable::from_command_reply(&reply);
        found.base(name)?;
        let info = found.lookup(argv);
        // Keep what was learnt: the entry with its subcommands.
        if let Reply::Array(items) = reply {
            let mut t = self.m.table.borrow_mut();
            if let Some(t) = t.as_mut() {
                t.merge(CommandTable::from_command_reply(&Reply::Array(items)));
            }
        }
        info
    }
}

/// Redis's `ACLCheckAllUserCommandPerm` tells which rule failed; the
/// module API tells only yes or no. A denied command is asked again
/// without its arguments (keys and channels are arguments): allowed then
/// means a key or channel was the problem.
fn acl_reason(ctx: Ctx, argv: &[&[u8]], has_subcommands: bool, pubsub: bool) -> AclDenied {
    let n = if has_subcommands && argv.len() > 1 {
        2
    } else {
        1
    };
    if !ctx.acl_allows(&argv[..n.min(argv.len())]) {
        return AclDenied::Command;
    }
    if pubsub {
        AclDenied::Channel
    } else {
        AclDenied::Key
    }
}

impl Host for ModuleHost<'_> {
    fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
        let mut info = self.lookup(argv)?;
        if self.m.deny_script_disabled.get() {
            info.flags &= !flags::NOSCRIPT;
        }
        Some(info)
    }

    fn call(&mut self, cctx: &CallContext, argv: &[&[u8]]) -> Reply {
        if argv.is_empty() {
            return Reply::Error(b"ERR Unknown Redis command called from script".to_vec());
        }
        if cctx.db != self.db && self.ctx.select_db(cctx.db) {
            self.db = cctx.db;
        }
        // SELECT: the script's database changes, the caller's does not
        // (given back in `finish`).
        if argv[0].eq_ignore_ascii_case(b"select") && argv.len() == 2 {
            return match ferrous_redis::reply::parse_i64(argv[1]) {
                Some(n) if self.ctx.select_db(n) => {
                    self.db = n;
                    Reply::ok()
                }
                Some(_) => Reply::Error(b"ERR DB index is out of range".to_vec()),
                None => Reply::Error(b"ERR value is not an integer or out of range".to_vec()),
            };
        }
        // E: errors come back as replies; S: script mode (disk errors,
        // read-only replicas, stale masters, min-replicas, as for scripts);
        // M: deny-oom commands fail over maxmemory; !, A, R: replication.
        let mut fl = String::with_capacity(8);
        fl.push('E');
        if !self.m.deny_script_disabled.get() {
            fl.push('S');
        }
        if !cctx.oom_exempt {
            fl.push('M');
        }
        if cctx.repl & CallContext::REPL_ALL != 0 {
            fl.push('!');
            if cctx.repl & CallContext::REPL_AOF == 0 {
                fl.push('A');
            }
            if cctx.repl & CallContext::REPL_REPLICA == 0 {
                fl.push('R');
            }
        }
        if cctx.resp == 3 {
            fl.push('3');
        }
        match self.ctx.call(argv, &fl) {
            CallOutcome::Reply(bytes) => match parse_reply(&bytes) {
                Ok((r, _)) => r,
                Err(_) => Reply::Error(b"ERR the reply of the command could not be read".to_vec()),
            },
            CallOutcome::Failed(errno) => {
                Reply::Error(format!("ERR the command could not run (errno {errno})").into_bytes())
            }
        }
    }

    fn out_of_memory(&mut self) -> bool {
        self.ctx.context_flags() & ctx_flags::OOM != 0
    }

    fn acl_check(&mut self, argv: &[&[u8]]) -> bool {
        self.ctx.acl_allows(argv)
    }

    fn check_acl(&mut self, argv: &[&[u8]]) -> Result<(), AclDenied> {
        if self.ctx.acl_allows(argv) {
            return Ok(());
        }
        let (subs, pubsub) = {
            let t = self.table();
            match (t.as_ref(), argv.first()) {
                (Some(t), Some(name)) => (
                    t.has_subcommands(name),
                    t.base(name).is_some_and(|i| i.has(flags::PUBSUB)),
                ),
                _ => (false, false),
            }
        };
        Err(acl_reason(self.ctx, argv, subs, pubsub))
    }

    fn log(&mut self, level: LogLevel, message: &[u8]) {
        let l = match level {
            LogLevel::Debug => "debug",
            LogLevel::Verbose => "verbose",
            LogLevel::Notice => "notice",
            LogLevel::Warning => "warning",
        };
        self.ctx.log(l, message);
    }

    fn script_write_denied(&mut self) -> Option<WriteDenied> {
        let fl = self.ctx.context_flags();
        if fl & ctx_flags::REPLICATED == 0
            && fl & ctx_flags::SLAVE != 0
            && fl & ctx_flags::READONLY != 0
        {
            return Some(WriteDenied::ReadOnlyReplica);
        }
        let min = self.m.min_replicas.get();
        if min > 0 {
            // INFO shows the good replicas only while the check is on
            // (min-replicas-max-lag set too, and this server a master).
            if let CallOutcome::Reply(bytes) = self.ctx.call(&[b"INFO", b"replication"], "") {
                if let Ok((Reply::Bulk(text), _)) = parse_reply(&bytes) {
                    let good = text
                        .split(|&b| b == b'\n')
                        .find_map(|l| l.strip_prefix(b"min_slaves_good_slaves:"))
                        .and_then(|v| ferrous_redis::reply::parse_i64(v.trim_ascii()));
                    if good.is_some_and(|g| g < min) {
                        return Some(WriteDenied::NoReplicas);
                    }
                }
            }
        }
        None
    }

    fn script_busy(&mut self, info: &BusyInfo) {
        let text: &'static [u8] = if info.is_eval {
            ferrous_redis::control::BUSY_EVAL
        } else {
            ferrous_redis::control::BUSY_FUNCTION
        };
        // RM_Yield adds the "BUSY " code itself.
        self.busy_reply = Some(text.strip_prefix(b"BUSY ").unwrap_or(text));
        self.busy_tick();
    }

    fn busy_tick(&mut self) {
        if let Some(text) = self.busy_reply {
            self.ctx.yield_to_clients(text);
        }
    }

    fn script_done(&mut self) {
        self.busy_reply = None;
    }
}

/// Reads the settings the module follows from Redis's config
/// (`busy-reply-threshold`, `min-replicas-to-write`): at the first
/// scripting command and after any CONFIG command (the command filter
/// marks them stale), so a script pays nothing for it.
pub(crate) fn refresh_config(ctx: Ctx, m: &Module, engine: &mut ferrous_redis::Engine) {
    if !m.config_stale.replace(false) {
        return;
    }
    let CallOutcome::Reply(bytes) = ctx.call(
        &[
            b"CONFIG",
            b"GET",
            b"busy-reply-threshold",
            b"min-replicas-to-write",
        ],
        "",
    ) else {
        return;
    };
    let Ok((Reply::Array(items), _)) = parse_reply(&bytes) else {
        return;
    };
    for pair in items.chunks(2) {
        let [Reply::Bulk(k), Reply::Bulk(v)] = pair else {
            continue;
        };
        let Some(n) = ferrous_redis::reply::parse_i64(v) else {
            continue;
        };
        match k.as_slice() {
            b"busy-reply-threshold" => {
                engine.set_time_limit(std::time::Duration::from_millis(n.max(0) as u64))
            }
            b"min-replicas-to-write" => m.min_replicas.set(n),
            _ => {}
        }
    }
}

/// A host for engine commands that never run a script (FUNCTION DUMP,
/// RESTORE and FLUSH while loading or saving data).
pub(crate) struct NoHost;

impl Host for NoHost {
    fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
        None
    }

    fn call(&mut self, _ctx: &CallContext, _argv: &[&[u8]]) -> Reply {
        Reply::Error(b"ERR no commands while loading".to_vec())
    }
}
