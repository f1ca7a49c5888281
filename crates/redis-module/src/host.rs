//! The engine's [`Host`] inside redis-server: `redis.call` through
//! `RM_Call`, ACL checks through the module ACL API, busy scripts through
//! `RM_Yield`.

use ferrous_redis::flags;
use ferrous_redis::host::{
    BusyInfo, CallContext, CommandInfo, CommandTable, Host, LogLevel, WriteDenied,
};
use ferrous_redis::reply::{parse_reply, Reply};

use crate::ffi::{ctx_flags, Ctx};
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
    /// A bulk reply's buffer the engine gave back ([`Host::recycle`]),
    /// for the next bulk reply; the module keeps it between commands.
    spare: Vec<u8>,
    /// RM_Call's flags for the last [`CallKey`] seen, and their number.
    flags: ([u8; 8], usize),
    /// What `flags` were made for (`CallKey::NONE` before the first call).
    flags_key: u8,
}

/// The last plain command a script looked up (its exact name, up to 32
/// bytes), and what it is.
pub(crate) struct LastCommand {
    name: [u8; 32],
    /// The name's length; 0: none remembered.
    len: usize,
    info: CommandInfo,
}

impl Default for LastCommand {
    fn default() -> LastCommand {
        LastCommand {
            name: [0; 32],
            len: 0,
            info: CommandInfo { arity: 0, flags: 0 },
        }
    }
}

impl LastCommand {
    fn get(&self, name: &[u8]) -> Option<CommandInfo> {
        (self.len != 0 && self.name.get(..self.len) == Some(name)).then_some(self.info)
    }

    fn set(&mut self, name: &[u8], info: CommandInfo) {
        if let Some(slot) = self.name.get_mut(..name.len()) {
            slot.copy_from_slice(name);
            self.len = name.len();
            self.info = info;
        }
    }

    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }
}

/// What RM_Call's flags depend on, in one byte: the call's
/// [`CallContext`] and whether deny-script is disabled.
struct CallKey;

impl CallKey {
    const NONE: u8 = u8::MAX;

    #[inline]
    fn of(cctx: &CallContext, deny_script_disabled: bool) -> u8 {
        (cctx.oom_exempt as u8)
            | (cctx.repl & 3) << 1
            | ((cctx.resp == 3) as u8) << 3
            | (deny_script_disabled as u8) << 4
    }
}

impl<'a> ModuleHost<'a> {
    pub fn new(ctx: Ctx, m: &'a Module, db: i64) -> ModuleHost<'a> {
        ModuleHost {
            ctx,
            m,
            caller_db: db,
            db,
            busy_reply: None,
            spare: std::mem::take(&mut *m.spare_bulk.borrow_mut()),
            flags: ([0; 8], 0),
            flags_key: CallKey::NONE,
        }
    }

    /// RM_Call's flags for a call in `cctx` (made again only when what
    /// they depend on changed).
    #[cold]
    #[inline(never)]
    fn make_flags(&mut self, cctx: &CallContext, key: u8) {
        // E: errors come back as replies; C: the caller's ACL user; S:
        // script mode (disk errors, read-only replicas, stale masters,
        // min-replicas, as for scripts); M: deny-oom commands fail over
        // maxmemory; !, A, R: replication; 3: RESP3.
        let mut fl = [0u8; 8];
        let mut n = 0;
        let mut add = |c: u8| {
            fl[n] = c;
            n += 1;
        };
        add(b'E');
        add(b'C');
        if !self.m.deny_script_disabled.get() {
            add(b'S');
        }
        if !cctx.oom_exempt {
            add(b'M');
        }
        if cctx.repl & CallContext::REPL_ALL != 0 {
            add(b'!');
            if cctx.repl & CallContext::REPL_AOF == 0 {
                add(b'A');
            }
            if cctx.repl & CallContext::REPL_REPLICA == 0 {
                add(b'R');
            }
        }
        if cctx.resp == 3 {
            add(b'3');
        }
        self.flags = (fl, n);
        self.flags_key = key;
    }

    /// A script's `SELECT n`: its database changes (see `finish`).
    #[cold]
    #[inline(never)]
    fn select(&mut self, n: &[u8]) -> Reply {
        match ferrous_redis::reply::parse_i64(n) {
            Some(n) if self.ctx.select_db(n) => {
                self.db = n;
                Reply::ok()
            }
            Some(_) => Reply::Error(b"ERR DB index is out of range".to_vec()),
            None => Reply::Error(b"ERR value is not an integer or out of range".to_vec()),
        }
    }

    /// Runs the next calls in database `db` (a script's SELECT).
    #[cold]
    #[inline(never)]
    fn switch_db(&mut self, db: i64) {
        if self.ctx.select_db(db) {
            self.db = db;
        }
    }

    /// Gives the caller its database back.
    pub fn finish(&mut self) {
        if self.db != self.caller_db {
            self.ctx.select_db(self.caller_db);
            self.db = self.caller_db;
        }
        if self.spare.capacity() != 0 {
            *self.m.spare_bulk.borrow_mut() = std::mem::take(&mut self.spare);
        }
    }

    fn table(&self) -> std::cell::RefMut<'_, Option<CommandTable>> {
        let mut t = self.m.table.borrow_mut();
        if t.is_none() {
            if let Ok(Ok((reply, _))) = self.ctx.call(&[b"COMMAND"], b"", parse_reply) {
                *t = Some(CommandTable::from_command_reply(&reply));
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
        let (reply, _) = self
            .ctx
            .call(&[b"COMMAND", b"INFO", name], b"", parse_reply)
            .ok()?
            .ok()?;
        let found = CommandTable::from_command_reply(&reply);
        found.base(name)?;
        let info = found.lookup(argv);
        // Keep what was learnt: the entry with its subcommands.
        if let Reply::Array(items) = reply {
            let mut t = self.m.table.borrow_mut();
            if let Some(t) = t.as_mut() {
                t.merge(CommandTable::from_command_reply(&Reply::Array(items)));
            }
            self.m.last_command.borrow_mut().clear();
        }
        info
    }
}

/// A call reply as the engine's [`Reply`]: the common one-line and bulk
/// replies directly, the rest through the RESP parser. An ACL refusal of
/// RM_Call's `C` flag becomes the error Redis gives scripts.
pub(crate) fn read_reply(bytes: &[u8]) -> Reply {
    read_reply_into(bytes, Vec::new())
}

/// [`read_reply`], with `spare` (an empty buffer) for a bulk reply's bytes.
///
/// The replies scripts get most (a bulk string, nil, an integer) are read
/// here in a few lines; everything else goes to [`read_other_reply`], out
/// of line.
#[inline]
fn read_reply_into(bytes: &[u8], spare: Vec<u8>) -> Reply {
    match bytes.first() {
        Some(b'$') => {
            // `$<len>\r\n<bytes>\r\n`, or `$-1\r\n`.
            let mut len = 0usize;
            let mut i = 1;
            while let Some(&d) = bytes.get(i) {
                if !d.is_ascii_digit() || i > 19 {
                    break;
                }
                len = len * 10 + (d - b'0') as usize;
                i += 1;
            }
            if i > 1 && bytes.get(i) == Some(&b'\r') {
                if let Some(body) = bytes.get(i + 2..).and_then(|b| b.get(..len)) {
                    let mut v = spare;
                    v.clear();
                    v.extend_from_slice(body);
                    return Reply::Bulk(v);
                }
            }
        }
        Some(b':') => {
            let mut n = 0i64;
            let mut i = 1;
            while let Some(&d) = bytes.get(i) {
                if !d.is_ascii_digit() || i > 18 {
                    break;
                }
                n = n * 10 + (d - b'0') as i64;
                i += 1;
            }
            if i > 1 && bytes.get(i) == Some(&b'\r') && (bytes[1] != b'0' || i == 2) {
                return Reply::Integer(n);
            }
        }
        _ => {}
    }
    read_other_reply(bytes, spare)
}

/// [`read_reply_into`] for the other replies (statuses, errors, negative
/// or long integers, nil, aggregates).
#[cold]
#[inline(never)]
fn read_other_reply(bytes: &[u8], spare: Vec<u8>) -> Reply {
    let simple = |b: &[u8]| -> Option<Reply> {
        let (&kind, rest) = b.split_first()?;
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = &rest[..line_end];
        match kind {
            b'+' => Some(Reply::Status(line.to_vec())),
            b':' => ferrous_redis::reply::parse_i64(line).map(Reply::Integer),
            b'$' => {
                let len = ferrous_redis::reply::parse_i64(line)?;
                if len < 0 {
                    return Some(Reply::Nil);
                }
                let start = line_end + 2;
                let body = rest.get(start..start.checked_add(len as usize)?)?;
                let mut v = spare;
                v.clear();
                v.extend_from_slice(body);
                Some(Reply::Bulk(v))
            }
            b'-' => Some(Reply::Error(acl_message(line))),
            _ => None,
        }
    };
    if let Some(r) = simple(bytes) {
        return r;
    }
    match parse_reply(bytes) {
        Ok((r, _)) => r,
        Err(_) => Reply::Error(b"ERR the reply of the command could not be read".to_vec()),
    }
}

/// RM_Call words some refusals its own way; a script hears Redis's
/// scripting wording:
/// * `acl verification failed, <reason>.` is `The user executing the
///   script <reason>` (Redis's scriptVerifyACL);
/// * the cluster refusals (a key another node serves, a cluster that is
///   down) are scriptVerifyClusterState's.
fn acl_message(line: &[u8]) -> Vec<u8> {
    const PREFIX: &[u8] = b"ERR acl verification failed, ";
    if let Some(m) = cluster_message(line) {
        return m.to_vec();
    }
    match line.strip_prefix(PREFIX) {
        Some(reason) => {
            let reason = reason.strip_suffix(b".").unwrap_or(reason);
            let mut m = b"ERR The user executing the script ".to_vec();
            m.extend_from_slice(reason);
            m
        }
        None => line.to_vec(),
    }
}

/// Redis's scripting words for RM_Call's cluster refusals (cluster.c's
/// getNodeByQuery said no; RM_Call names the command, scripts do not).
fn cluster_message(line: &[u8]) -> Option<&'static [u8]> {
    let rest = line.strip_prefix(b"ERR ")?;
    if rest == b"Attempted to access a non local key in a cluster node" {
        return Some(b"ERR Script attempted to access a non local key in a cluster node");
    }
    if rest.starts_with(b"Can not execute a write command '")
        && rest.ends_with(b"' while the cluster is down and readonly")
    {
        return Some(
            b"ERR Script attempted to execute a write command while the cluster is down and readonly",
        );
    }
    if rest.starts_with(b"Can not execute a command '")
        && rest.ends_with(b"' while the cluster is down")
    {
        return Some(b"ERR Script attempted to execute a command while the cluster is down");
    }
    None
}

impl Host for ModuleHost<'_> {
    fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
        // Scripts call the same few commands again and again: the last
        // plain command (no subcommands) is remembered, by its exact name.
        let name = argv.first()?;
        let cached = self.m.last_command.borrow().get(name);
        let mut info = match cached {
            Some(info) => info,
            None => {
                let info = self.lookup(argv)?;
                let plain = self
                    .m
                    .table
                    .borrow()
                    .as_ref()
                    .is_some_and(|t| !t.has_subcommands(name));
                if plain {
                    self.m.last_command.borrow_mut().set(name, info);
                }
                info
            }
        };
        if self.m.deny_script_disabled.get() {
            info.flags &= !flags::NOSCRIPT;
        }
        Some(info)
    }

    fn call(&mut self, cctx: &CallContext, argv: &[&[u8]]) -> Reply {
        if argv.is_empty() {
            return Reply::Error(b"ERR Unknown Redis command called from script".to_vec());
        }
        if cctx.db != self.db {
            self.switch_db(cctx.db);
        }
        // SELECT: the script's database changes, the caller's does not
        // (given back in `finish`).
        if argv.len() == 2 && argv[0].len() == 6 && argv[0].eq_ignore_ascii_case(b"select") {
            return self.select(argv[1]);
        }
        let key = CallKey::of(cctx, self.m.deny_script_disabled.get());
        if key != self.flags_key {
            self.make_flags(cctx, key);
        }
        let spare = std::mem::take(&mut self.spare);
        let (fl, n) = &self.flags;
        match self
            .ctx
            .call(argv, &fl[..*n], |b| read_reply_into(b, spare))
        {
            Ok(r) => r,
            Err(errno) => call_failed(errno),
        }
    }

    fn recycle(&mut self, reply: Reply) {
        // A small bulk buffer is kept for the next call's bulk reply.
        if let Reply::Bulk(v) = reply {
            if v.capacity() <= 4096 && self.spare.capacity() == 0 {
                self.spare = v;
            }
        }
    }

    fn out_of_memory(&mut self) -> bool {
        self.ctx.context_flags() & ctx_flags::OOM != 0
    }

    fn acl_check(&mut self, argv: &[&[u8]]) -> bool {
        self.ctx.acl_allows(argv)
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
            if let Ok(Ok((Reply::Bulk(text), _))) =
                self.ctx.call(&[b"INFO", b"replication"], b"", parse_reply)
            {
                {
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
/// scripting command and after any CONFIG SET (the command filter
/// marks them stale), so a script pays nothing for it.
pub(crate) fn refresh_config(ctx: Ctx, m: &Module, engine: &mut ferrous_redis::Engine) {
    if !m.config_stale.replace(false) {
        return;
    }
    let Ok(Ok((Reply::Array(items), _))) = ctx.call(
        &[
            b"CONFIG",
            b"GET",
            b"busy-reply-threshold",
            b"min-replicas-to-write",
        ],
        b"",
        parse_reply,
    ) else {
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

/// The reply when `RM_Call` itself failed (no reply object).
#[cold]
#[inline(never)]
fn call_failed(errno: i32) -> Reply {
    Reply::Error(format!("ERR the command could not run (errno {errno})").into_bytes())
}
