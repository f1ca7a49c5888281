//! The base library: `print`, `type`, `pcall`, `setmetatable`, ... with
//! Lua 5.1's argument checks and messages.

use ferrous_value::number;
use ferrous_vm::{lib_ipairs_aux as ipairs_aux, lib_next as next};
use ferrous_vm::{Ctx, ErrorKind, Level, LuaError, LuaResult, Native, Type, Value, Vm};

use crate::output::write_stdout;

/// Registration order of lbaselib.c (it decides `pairs(_G)` order).
const FUNCS: &[(&str, ferrous_vm::NativeFn)] = &[
    ("assert", assert),
    ("collectgarbage", collectgarbage),
    ("dofile", dofile),
    ("error", error),
    ("gcinfo", gcinfo),
    ("getfenv", getfenv),
    ("getmetatable", getmetatable),
    ("loadfile", loadfile),
    ("load", load),
    ("loadstring", loadstring),
    ("next", next),
    ("pcall", pcall),
    ("print", print),
    ("rawequal", rawequal),
    ("rawget", rawget),
    ("rawset", rawset),
    ("select", select),
    ("setfenv", setfenv),
    ("setmetatable", setmetatable),
    ("tonumber", tonumber),
    ("tostring", tostring),
    ("type", type_),
    ("unpack", unpack),
    ("xpcall", xpcall),
];

/// Opens the base library into the globals.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    let g = vm.globals();
    vm.raw_set_str(g, b"_G", Value::Table(g))?;
    crate::register_lib(vm, "_G", FUNCS)?;
    let version = vm.str_value(b"Lua 5.1")?;
    vm.raw_set_str(g, b"_VERSION", version)?;
    // ipairs and pairs carry their iterator as an upvalue.
    let ipairs_aux = vm.native(ipairs_aux)?;
    let f = vm.native_closure(Native::Fn(ipairs), vec![ipairs_aux])?;
    vm.raw_set_str(g, b"ipairs", f)?;
    let next_f = vm.native(next)?;
    let f = vm.native_closure(Native::Fn(pairs), vec![next_f])?;
    vm.raw_set_str(g, b"pairs", f)?;
    // newproxy keeps a weak set of the metatables it made.
    let weak = vm.new_table(0, 1)?;
    vm.set_metatable(Value::Table(weak), Some(weak))?;
    let kv = vm.str_value(b"kv")?;
    vm.raw_set_str(weak, b"__mode", kv)?;
    let f = vm.native_closure(Native::Fn(newproxy), vec![Value::Table(weak)])?;
    vm.raw_set_str(g, b"newproxy", f)?;
    Ok(())
}

fn assert(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.check_any(1)?;
    if ctx.arg(1).is_falsy() {
        let msg = match ctx.opt_string(2)? {
            Some(s) => ctx.vm.str_bytes(s).to_vec(),
            None => b"assertion failed!".to_vec(),
        };
        return Err(ctx.error(msg));
    }
    Ok(ctx.nargs())
}

fn collectgarbage(ctx: &mut Ctx) -> LuaResult<usize> {
    const OPTS: [&str; 7] = [
        "stop",
        "restart",
        "collect",
        "count",
        "step",
        "setpause",
        "setstepmul",
    ];
    let opt = match ctx.opt_string(1)? {
        Some(s) => ctx.vm.str_bytes(s).to_vec(),
        None => b"collect".to_vec(),
    };
    let Some(which) = OPTS.iter().position(|o| o.as_bytes() == opt.as_slice()) else {
        let msg = format!("invalid option '{}'", String::from_utf8_lossy(&opt));
        return Err(ctx.arg_error(1, &msg));
    };
    let arg = ctx.opt_integer(2, 0)?;
    let result = match which {
        0 => {
            ctx.vm.heap.gc_stop();
            0.0
        }
        1 => {
            ctx.vm.heap.gc_restart();
            0.0
        }
        2 => {
            ctx.vm.full_gc()?;
            0.0
        }
        3 => {
            let kb = ctx.vm.heap.count_kb();
            ctx.push(Value::Number(kb))?;
            return Ok(1);
        }
        4 => {
            let done = ctx.vm.gc_step_kb(arg.max(0) as usize)?;
            ctx.push(Value::Boolean(done))?;
            return Ok(1);
        }
        5 => ctx.vm.heap.set_pause(arg.clamp(0, u32::MAX as i64) as u32) as f64,
        _ => ctx
            .vm
            .heap
            .set_stepmul(arg.clamp(0, u32::MAX as i64) as u32) as f64,
    };
    ctx.push(Value::Number(result))?;
    Ok(1)
}

fn gcinfo(ctx: &mut Ctx) -> LuaResult<usize> {
    let kb = ctx.vm.heap.gcinfo();
    ctx.push(Value::Number(kb as f64))?;
    Ok(1)
}

fn error(ctx: &mut Ctx) -> LuaResult<usize> {
    let level = ctx.opt_integer(2, 1)?;
    let v = ctx.arg(1);
    // lua5.1's error keeps its first argument (lua_settop(L, 1)); the
    // message it raises takes the slot after it (or that one, when it is
    // the argument itself), where the message handler is then called: a
    // handler's debug.getlocal sees one (*temporary) or none.
    let positioned = level > 0 && matches!(v, Value::String(_) | Value::Number(_));
    ctx.truncate(usize::from(positioned));
    if positioned {
        let mut msg = ctx.vm.where_(level as usize);
        match v {
            Value::String(s) => msg.extend_from_slice(ctx.vm.str_bytes(s)),
            Value::Number(n) => msg.extend_from_slice(&number::fmt_number(n)),
            _ => {}
        }
        let s = ctx.vm.str_value(&msg)?;
        return Err(LuaError::runtime(s));
    }
    Err(LuaError::runtime(v))
}

/// The function a `getfenv`/`setfenv` argument designates: a function, or
/// a level of the call stack (0 = the running native itself).
enum EnvTarget {
    Func(ferrous_vm::FnRef),
    Thread,
}

fn env_target(ctx: &mut Ctx, optional: bool) -> LuaResult<EnvTarget> {
    if let Value::Function(f) = ctx.arg(1) {
        return Ok(EnvTarget::Func(f));
    }
    let level = if optional {
        ctx.opt_integer(1, 1)?
    } else {
        ctx.check_integer(1)?
    };
    if level < 0 {
        return Err(ctx.arg_error(1, "level must be non-negative"));
    }
    if level == 0 {
        return Ok(EnvTarget::Thread);
    }
    match ctx.vm.stack_level(level as usize) {
        Some(Level::Frame(i)) => match ctx.vm.frame_function(i) {
            Some(f) => Ok(EnvTarget::Func(f)),
            None => Err(ctx.arg_error(1, "invalid level")),
        },
        Some(Level::TailCall) => Err(ctx.error(format!(
            "no function environment for tail call at level {level}"
        ))),
        None => Err(ctx.arg_error(1, "invalid level")),
    }
}

fn getfenv(ctx: &mut Ctx) -> LuaResult<usize> {
    let env = match env_target(ctx, true)? {
        EnvTarget::Func(f) if !ctx.vm.is_native(f) => ctx
            .vm
            .function_env(f)
            .unwrap_or_else(|| ctx.vm.thread_globals()),
        _ => ctx.vm.thread_globals(),
    };
    ctx.push(Value::Table(env))?;
    Ok(1)
}

fn setfenv(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(2)?;
    let target = env_target(ctx, false)?;
    match target {
        EnvTarget::Thread => {
            ctx.vm.set_thread_globals(t);
            Ok(0)
        }
        EnvTarget::Func(f) => {
            if ctx.vm.is_native(f) || !ctx.vm.set_function_env(f, t) {
                return Err(ctx.error("'setfenv' cannot change environment of given object"));
            }
            ctx.push(Value::Function(f))?;
            Ok(1)
        }
    }
}

fn getmetatable(ctx: &mut Ctx) -> LuaResult<usize> {
    let v = ctx.check_any(1)?;
    let Some(mt) = ctx.vm.metatable_of(v) else {
        ctx.push(Value::Nil)?;
        return Ok(1);
    };
    let protected = ctx.vm.raw_get_str(mt, b"__metatable")?;
    ctx.push(if protected.is_nil() {
        Value::Table(mt)
    } else {
        protected
    })?;
    Ok(1)
}

fn setmetatable(ctx: &mut Ctx) -> LuaResult<usize> {
    let mt = ctx.arg(2);
    let t = ctx.check_table(1)?;
    let mt = match mt {
        Value::Nil if ctx.nargs() >= 2 => None,
        Value::Table(m) => Some(m),
        _ => return Err(ctx.arg_error(2, "nil or table expected")),
    };
    if let Some(old) = ctx.vm.metatable_of(Value::Table(t)) {
        if !ctx.vm.raw_get_str(old, b"__metatable")?.is_nil() {
            return Err(ctx.error("cannot change a protected metatable"));
        }
    }
    ctx.vm.set_metatable(Value::Table(t), mt)?;
    ctx.push(Value::Table(t))?;
    Ok(1)
}

fn pairs(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let f = ctx.upvalue(0);
    ctx.push(f)?;
    ctx.push(Value::Table(t))?;
    ctx.push(Value::Nil)?;
    Ok(3)
}

fn ipairs(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let f = ctx.upvalue(0);
    ctx.push(f)?;
    ctx.push(Value::Table(t))?;
    ctx.push(Value::Number(0.0))?;
    Ok(3)
}

/// Writes `bytes` as C's `fputs` would: up to the first NUL.
fn fputs(bytes: &[u8]) -> Result<(), String> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    write_stdout(&bytes[..end])
}

fn print(ctx: &mut Ctx) -> LuaResult<usize> {
    // As lua5.1's print: each piece written as soon as it is converted
    // (one fputs per value, tab and newline), so a conversion that fails
    // leaves the earlier values written, and glibc's buffering sees the
    // same pieces.
    let n = ctx.nargs();
    let g = ctx.vm.thread_globals();
    let key = ctx.vm.str_value(b"tostring")?;
    let tostring = ctx.vm.index(Value::Table(g), key)?;
    for i in 1..=n {
        let v = ctx.arg(i);
        let r = ctx.vm.call(tostring, &[v])?;
        let s = match r.first().copied() {
            Some(Value::String(s)) => ctx.vm.str_bytes(s).to_vec(),
            Some(Value::Number(x)) => number::fmt_number(x).to_vec(),
            _ => return Err(ctx.error("'tostring' must return a string to 'print'")),
        };
        let written = if i > 1 {
            fputs(b"\t").and_then(|()| fputs(&s))
        } else {
            fputs(&s)
        };
        written.map_err(|e| ctx.vm.rt_error(e))?;
    }
    fputs(b"\n").map_err(|e| ctx.vm.rt_error(e))?;
    Ok(0)
}

fn rawequal(ctx: &mut Ctx) -> LuaResult<usize> {
    let a = ctx.check_any(1)?;
    let b = ctx.check_any(2)?;
    ctx.push(Value::Boolean(a == b))?;
    Ok(1)
}

fn rawget(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let k = ctx.check_any(2)?;
    let v = ctx.vm.raw_get(t, k);
    ctx.push(v)?;
    Ok(1)
}

fn rawset(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let k = ctx.check_any(2)?;
    let v = ctx.check_any(3)?;
    ctx.vm.raw_set(t, k, v)?;
    ctx.push(Value::Table(t))?;
    Ok(1)
}

fn select(ctx: &mut Ctx) -> LuaResult<usize> {
    let n = ctx.nargs() as i64;
    if let Value::String(s) = ctx.arg(1) {
        if ctx.vm.str_bytes(s).first() == Some(&b'#') {
            ctx.push(Value::Number((n - 1) as f64))?;
            return Ok(1);
        }
    }
    let mut i = ctx.check_integer(1)? as i32 as i64;
    if i < 0 {
        i += n;
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(ctx.arg_error(1, "index out of range"));
    }
    // The results are the arguments from i+1 on, which are already the
    // top n - i values of the stack: nothing to copy.
    Ok((n - i) as usize)
}

/// C's `strtoul` for `tonumber(s, base)`: optional whitespace and sign,
/// an optional `0x` in base 16, then digits; returns the value and the
/// bytes consumed (0 when nothing was converted). Overflow saturates, a
/// minus sign negates modulo 2^64, as C does.
fn strtoul(s: &[u8], base: u32) -> (u64, usize) {
    let mut i = 0;
    while i < s.len() && number::is_c_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    if base == 16
        && i + 1 < s.len()
        && s[i] == b'0'
        && (s[i + 1] | 0x20) == b'x'
        && s.get(i + 2).is_some_and(|c| (*c as char).is_digit(16))
    {
        i += 2;
    }
    let start = i;
    let mut v: u64 = 0;
    let mut overflow = false;
    while let Some(d) = s.get(i).and_then(|c| (*c as char).to_digit(base)) {
        match v
            .checked_mul(base as u64)
            .and_then(|x| x.checked_add(d as u64))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return (0, 0);
    }
    if overflow {
        return (u64::MAX, i);
    }
    (if neg { v.wrapping_neg() } else { v }, i)
}

fn tonumber(ctx: &mut Ctx) -> LuaResult<usize> {
    let base = ctx.opt_integer(2, 10)?;
    if base == 10 {
        let v = ctx.check_any(1)?;
        if let Some(n) = ctx.vm.to_number(v) {
            ctx.push(Value::Number(n))?;
            return Ok(1);
        }
    } else {
        let s = ctx.check_bytes(1)?;
        if !(2..=36).contains(&base) {
            return Err(ctx.arg_error(2, "base out of range"));
        }
        // The C string ends at the first NUL.
        let s = match s.iter().position(|&b| b == 0) {
            Some(p) => &s[..p],
            None => &s[..],
        };
        let (n, used) = strtoul(s, base as u32);
        if used > 0 && s[used..].iter().all(|&b| number::is_c_space(b)) {
            ctx.push(Value::Number(n as f64))?;
            return Ok(1);
        }
    }
    ctx.push(Value::Nil)?;
    Ok(1)
}

fn tostring(ctx: &mut Ctx) -> LuaResult<usize> {
    let v = ctx.check_any(1)?;
    let r = ctx.vm.tostring(v)?;
    ctx.push(r)?;
    Ok(1)
}

fn type_(ctx: &mut Ctx) -> LuaResult<usize> {
    let v = ctx.check_any(1)?;
    let s = ctx.vm.type_name_value(&v);
    ctx.push(s)?;
    Ok(1)
}

fn unpack(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let i = ctx.opt_integer(2, 1)? as i32 as i64;
    let e = if ctx.arg(3).is_nil() {
        ctx.vm.heap.table(t).map_or(0, |tab| tab.border()) as i32 as i64
    } else {
        ctx.check_integer(3)? as i32 as i64
    };
    if i > e {
        return Ok(0);
    }
    let n = e - i + 1;
    // Lua 5.1 computes n in a C int and limits the C stack to 8000 slots.
    if n <= 0 || n >= i32::MAX as i64 || n + ctx.nargs() as i64 > 8000 {
        return Err(ctx.error("too many results to unpack"));
    }
    for k in i..=e {
        let v = ctx
            .vm
            .heap
            .table(t)
            .map_or(Value::Nil, |tab| tab.get_int(k));
        ctx.push(v)?;
    }
    Ok(n as usize)
}

fn pcall(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.check_any(1)?;
    let func = ctx.base();
    match ctx.vm.pcall_at(func, -1, None) {
        Ok(()) => {
            ctx.vm.stack_insert(func, Value::Boolean(true))?;
            Ok(ctx.vm.stack_top() - func)
        }
        Err(e) => caught(ctx, func, e),
    }
}

/// Turns a caught error into pcall's `false, value` results; errors that
/// must not be caught (kill, yield) keep travelling.
fn caught(ctx: &mut Ctx, func: usize, e: LuaError) -> LuaResult<usize> {
    if matches!(e.kind, ErrorKind::Interrupted | ErrorKind::Yield) {
        return Err(e);
    }
    ctx.vm.set_stack_top(func)?;
    ctx.push(Value::Boolean(false))?;
    ctx.push(e.value)?;
    Ok(2)
}

fn xpcall(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.check_any(2)?;
    let f = ctx.arg(1);
    let h = ctx.arg(2);
    // As lua5.1's xpcall: the handler under the function called (what
    // debug.getlocal shows of this frame, one (*temporary)).
    ctx.set_arg(1, h);
    ctx.truncate(1);
    let func = ctx.vm.stack_top();
    ctx.push(f)?;
    match ctx.vm.pcall_at(func, -1, Some(h)) {
        Ok(()) => {
            ctx.vm.stack_insert(func, Value::Boolean(true))?;
            Ok(ctx.vm.stack_top() - func)
        }
        Err(e) => caught(ctx, func, e),
    }
}

/// Pushes the result of a load: the function, or nil and the message.
fn load_result(ctx: &mut Ctx, r: LuaResult<Value>) -> LuaResult<usize> {
    match r {
        Ok(f) => {
            ctx.push(f)?;
            Ok(1)
        }
        Err(e) if matches!(e.kind, ErrorKind::Interrupted) => Err(e),
        Err(e) => {
            ctx.push(Value::Nil)?;
            ctx.push(e.value)?;
            Ok(2)
        }
    }
}

fn loadstring(ctx: &mut Ctx) -> LuaResult<usize> {
    let sref = ctx.check_string(1)?;
    // The source is copied out of the heap (the loader needs the VM)
    // into a charged, fallibly reserved buffer; so is the chunk name
    // when it is the source itself.
    let len = ctx.vm.str_bytes(sref).len();
    let mut src = crate::string::result_buf(ctx.vm, len)?;
    crate::string::put(ctx.vm, &mut src, ctx.vm.str_bytes(sref))
        .map_err(|e| crate::string::oom(ctx.vm, e))?;
    let name = match ctx.opt_string(2)? {
        Some(n) => ctx.vm.str_bytes(n).to_vec(),
        None => {
            let mut v = Vec::new();
            if v.try_reserve_exact(len).is_err() {
                return Err(ctx.vm.memory_error());
            }
            v.extend_from_slice(src.as_slice());
            v
        }
    };
    let r = crate::dump::load_chunk(ctx.vm, src.as_slice(), &name);
    drop(src);
    load_result(ctx, r)
}

/// `load`'s reader as lua5.1's `ZIO` sees it: a piece is asked for only
/// when the loader needs it (see [`ferrous_syntax::parse_stream`]). The
/// text read so far grows in a buffer charged to the memory accounting
/// and reserved fallibly, with a reservation for the parse tree and the
/// compiler's output growing along (as `Vm::load` reserves them for a
/// whole source), so a reader that never ends fails with "not enough
/// memory" (as lua5.1's does when its buffer cannot grow) under a memory
/// limit, past the largest string, or when the allocation fails.
struct ReaderStream<'c, 'v> {
    ctx: &'c mut Ctx<'v>,
    reader: Value,
    source: ferrous_vm::Buf,
    reserved: Vec<ferrous_vm::Reservation>,
    /// Text read but not yet covered by `reserved`.
    unreserved: usize,
    /// Text length at which to probe the address space next.
    next_probe: usize,
    /// Why reading stopped, when the reader failed: the load's error.
    /// The parse then sees no text and ends at once.
    error: Option<LuaError>,
    ended: bool,
}

impl ReaderStream<'_, '_> {
    /// Calls the reader once (`generic_reader`) and appends its piece;
    /// false at the end of the stream (nil or an empty string) or on an
    /// error (kept in `error`).
    fn read_piece(&mut self) -> bool {
        let vm = &mut *self.ctx.vm;
        // An error raised while loading runs the active message handler,
        // as lua5.1's protected parser keeps L->errfunc (under lua5.1's
        // command line: a traceback is added).
        let handler = vm.current_handler();
        let piece = match vm.pcall(self.reader, &[], handler) {
            Ok(r) => r.first().copied().unwrap_or(Value::Nil),
            Err(e) => {
                self.error = Some(e);
                self.ended = true;
                return false;
            }
        };
        let put = match piece {
            Value::Nil => return false,
            Value::String(s) => {
                let b = vm.str_bytes(s);
                if b.is_empty() {
                    return false;
                }
                let n = b.len();
                crate::string::put(vm, &mut self.source, b).map(|()| n)
            }
            Value::Number(n) => {
                let text = number::fmt_number(n);
                crate::string::put(vm, &mut self.source, &text).map(|()| text.len())
            }
            _ => {
                let mut e = self.ctx.error("reader function must return a string");
                if let Some(h) = handler {
                    if let Ok(r) = self.ctx.vm.pcall(h, &[e.value], None) {
                        e.value = r.first().copied().unwrap_or(Value::Nil);
                    }
                }
                self.error = Some(e);
                self.ended = true;
                return false;
            }
        };
        let ok = match put {
            Ok(n) => {
                self.unreserved += n;
                self.reserve(false)
            }
            Err(_) => false,
        };
        if !ok {
            self.error = Some(self.ctx.vm.memory_error());
            self.ended = true;
        }
        ok
    }

    /// Reserves the compile estimate for the text read since the last
    /// reservation (in steps of 4 KB of text, or all of it when `all`),
    /// and, without a memory limit, checks from time to time that the
    /// address space for it could be had (as `Vm::load` probes). False
    /// when either fails.
    fn reserve(&mut self, all: bool) -> bool {
        let vm = &mut *self.ctx.vm;
        if self.unreserved >= 4096 || (all && self.unreserved > 0) {
            let n = self
                .unreserved
                .saturating_mul(COMPILE_BYTES_PER_SOURCE_BYTE);
            match vm.heap.reserve_transient(n) {
                Ok(r) => self.reserved.push(r),
                Err(_) => return false,
            }
            self.unreserved = 0;
        }
        let len = self.source.as_slice().len();
        if len >= self.next_probe && vm.heap.memory_limit().is_none() {
            let mut probe: Vec<u8> = Vec::new();
            if probe
                .try_reserve_exact(len.saturating_mul(COMPILE_BYTES_PER_SOURCE_BYTE))
                .is_err()
            {
                return false;
            }
            self.next_probe = len.saturating_mul(2);
        }
        true
    }
}

/// What `ferrous_compiler::compile_memory_estimate` reserves per source
/// byte (its base is reserved once, before the first piece).
const COMPILE_BYTES_PER_SOURCE_BYTE: usize = 64;

impl ferrous_syntax::Stream for ReaderStream<'_, '_> {
    fn bytes(&self) -> &[u8] {
        if self.error.is_some() {
            return &[];
        }
        self.source.as_slice()
    }
    fn fill(&mut self) -> bool {
        if self.ended {
            return false;
        }
        let more = self.read_piece();
        if !more {
            self.ended = true;
            // The rest of the estimate, before the parse's last tokens.
            if self.error.is_none() && !self.reserve(true) {
                self.error = Some(self.ctx.vm.memory_error());
            }
        }
        more
    }
}

fn load(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = match ctx.opt_string(2)? {
        Some(n) => ctx.vm.str_bytes(n).to_vec(),
        None => b"=(load)".to_vec(),
    };
    ctx.check_type(1, Type::Function)?;
    let reader = ctx.arg(1);
    let base = ferrous_compiler::compile_memory_estimate(0);
    let Ok(base) = ctx.vm.heap.reserve_transient(base) else {
        return Err(ctx.vm.memory_error());
    };
    let source = ctx.vm.heap.buf();
    let level = ctx.vm.parse_level();
    let mut st = ReaderStream {
        ctx,
        reader,
        source,
        reserved: vec![base],
        unreserved: 0,
        next_probe: 1 << 20,
        error: None,
        ended: false,
    };
    // lua_load looks at the first character to tell a binary chunk
    // (luaZ_lookahead): one call. When it finds nothing, the lexer still
    // asks once more for its first character.
    st.read_piece();
    let r = if let Some(e) = st.error.take() {
        Err(e)
    } else if st.source.as_slice().first() == Some(&0x1b) {
        // A binary chunk is read as far as it goes (luaZ_read): more
        // pieces only while what was read ends too early.
        while matches!(
            crate::dump::undump(st.source.as_slice()),
            Err(crate::dump::UndumpError::UnexpectedEnd)
        ) && ferrous_syntax::Stream::fill(&mut st)
        {}
        match st.error.take() {
            Some(e) => Err(e),
            None => crate::dump::load_chunk(st.ctx.vm, st.source.as_slice(), &name),
        }
    } else {
        let parsed = ferrous_syntax::parse_stream(&mut st, &name, level);
        match st.error.take() {
            Some(e) => Err(e),
            None => {
                let compiled = parsed
                    .map_err(ferrous_compiler::Error::from)
                    .and_then(|chunk| {
                        ferrous_compiler::compile(&chunk).map_err(ferrous_compiler::Error::from)
                    });
                let vm = &mut *st.ctx.vm;
                match compiled {
                    Ok(p) => {
                        let env = vm.thread_globals();
                        vm.load_proto(std::sync::Arc::new(p), env)
                    }
                    Err(e) => match vm.str_value(e.message()) {
                        Ok(v) => {
                            let mut err = LuaError::runtime(v);
                            err.kind = ErrorKind::Syntax;
                            Err(err)
                        }
                        Err(e) => Err(e),
                    },
                }
            }
        }
    };
    let ReaderStream {
        source, reserved, ..
    } = st;
    drop(source);
    drop(reserved);
    load_result(ctx, r)
}

/// Reads a file for `loadfile`/`dofile` as `luaL_loadfile` does: `None`
/// for standard input. Errors use the message `cannot open NAME...`.
pub fn load_file(vm: &mut Vm, path: Option<&[u8]>) -> LuaResult<Value> {
    let (bytes, chunkname) = match path {
        None => {
            let mut buf = Vec::new();
            use std::io::Read;
            if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
                let msg = format!("cannot read stdin: {}", crate::os_error_text(&e));
                let v = vm.str_value(msg.as_bytes())?;
                return Err(LuaError::runtime(v));
            }
            (buf, b"=stdin".to_vec())
        }
        Some(p) => {
            let os_path = crate::bytes_to_path(p);
            match std::fs::read(&os_path) {
                Ok(b) => {
                    let mut name = b"@".to_vec();
                    name.extend_from_slice(p);
                    (b, name)
                }
                Err(e) => {
                    let mut msg = b"cannot open ".to_vec();
                    msg.extend_from_slice(p);
                    if e.kind() == std::io::ErrorKind::IsADirectory {
                        msg = b"cannot read ".to_vec();
                        msg.extend_from_slice(p);
                    }
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(crate::os_error_text(&e).as_bytes());
                    let v = vm.str_value(&msg)?;
                    return Err(LuaError::runtime(v));
                }
            }
        }
    };
    // A binary file (ESC first, or right after a '#' line) is read from
    // its first ESC, as luaL_loadfile reopens it; not standard input.
    let binary = match bytes.first() {
        Some(0x1b) => true,
        Some(b'#') => {
            let nl = bytes.iter().position(|&b| b == b'\n');
            nl.and_then(|n| bytes.get(n + 1)) == Some(&0x1b)
        }
        _ => false,
    };
    if binary && path.is_some() {
        let at = bytes.iter().position(|&b| b == 0x1b).unwrap_or(0);
        return crate::dump::load_chunk(vm, &bytes[at..], &chunkname);
    }
    // A first line starting with '#' is skipped (its newline kept).
    let source = if bytes.first() == Some(&b'#') {
        let nl = bytes
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(bytes.len());
        bytes[nl..].to_vec()
    } else {
        bytes
    };
    crate::dump::load_chunk(vm, &source, &chunkname)
}

fn loadfile(ctx: &mut Ctx) -> LuaResult<usize> {
    let path = ctx.opt_string(1)?.map(|s| ctx.vm.str_bytes(s).to_vec());
    let r = load_file(ctx.vm, path.as_deref());
    load_result(ctx, r)
}

fn dofile(ctx: &mut Ctx) -> LuaResult<usize> {
    let path = ctx.opt_string(1)?.map(|s| ctx.vm.str_bytes(s).to_vec());
    let f = load_file(ctx.vm, path.as_deref())?;
    let func = ctx.vm.stack_top();
    ctx.push(f)?;
    ctx.vm.call_slot(func, -1)?;
    Ok(ctx.vm.stack_top() - func)
}

fn newproxy(ctx: &mut Ctx) -> LuaResult<usize> {
    let arg = ctx.arg(1);
    let u = ctx.vm.new_userdata(Box::new(()), 0)?;
    let weak = match ctx.upvalue(0) {
        Value::Table(t) => t,
        _ => return Err(ctx.error("newproxy: missing weak table")),
    };
    if arg.is_falsy() {
        ctx.push(Value::Userdata(u))?;
        return Ok(1);
    }
    let mt = if let Value::Boolean(_) = arg {
        let m = ctx.vm.new_table(0, 0)?;
        ctx.vm
            .raw_set(weak, Value::Table(m), Value::Boolean(true))?;
        m
    } else {
        let valid = match ctx.vm.metatable_of(arg) {
            Some(m) => ctx.vm.raw_get(weak, Value::Table(m)).is_truthy(),
            None => false,
        };
        if !valid {
            return Err(ctx.arg_error(1, "boolean or proxy expected"));
        }
        match ctx.vm.metatable_of(arg) {
            Some(m) => m,
            None => return Err(ctx.arg_error(1, "boolean or proxy expected")),
        }
    };
    ctx.vm.set_metatable(Value::Userdata(u), Some(mt))?;
    ctx.push(Value::Userdata(u))?;
    Ok(1)
}

/// `tostring` applied by library code: `__tostring` or the default text.
pub fn to_string_value(vm: &mut Vm, v: Value) -> LuaResult<Value> {
    vm.tostring(v)
}
