//! The debug library (ldblib.c's functions, in its registration order).

use ferrous_vm::{Ctx, Level, LuaResult, ThreadRef, Value, Vm, MASK_CALL, MASK_LINE, MASK_RET};

const FUNCS: &[(&str, ferrous_vm::NativeFn)] = &[
    ("debug", debug),
    ("getfenv", getfenv),
    ("gethook", gethook),
    ("getinfo", getinfo),
    ("getlocal", getlocal),
    ("getregistry", getregistry),
    ("getmetatable", getmetatable),
    ("getupvalue", getupvalue),
    ("setfenv", setfenv),
    ("sethook", sethook),
    ("setlocal", setlocal),
    ("setmetatable", setmetatable),
    ("setupvalue", setupvalue),
    ("traceback", traceback),
];

/// Opens the `debug` table.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    crate::register_lib(vm, "debug", FUNCS)?;
    Ok(())
}

/// An optional thread as first argument: the thread and the index of the
/// next argument (Lua 5.1's getthread).
fn thread_arg(ctx: &Ctx) -> (ThreadRef, usize) {
    match ctx.arg(1) {
        Value::Thread(t) => (t, 1),
        _ => (ctx.vm.current_thread(), 0),
    }
}

fn debug(ctx: &mut Ctx) -> LuaResult<usize> {
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    loop {
        // lua5.1 does not flush standard output here; glibc does, when a
        // line-buffered stdin (a terminal) reads while stdout is line
        // buffered (a terminal too).
        if stdin.is_terminal() && crate::output::stdout_line_buffered() {
            let _ = crate::output::flush_stdout();
        }
        let _ = std::io::stderr().write_all(b"lua_debug> ");
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(0),
            Ok(_) => {}
        }
        if line == "cont\n" {
            return Ok(0);
        }
        let r = ctx
            .vm
            .load(line.as_bytes(), b"=(debug command)")
            .and_then(|f| ctx.vm.pcall(f, &[], None));
        if let Err(e) = r {
            let msg = match e.value {
                Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
                _ => Vec::new(),
            };
            let mut err = std::io::stderr();
            let _ = err.write_all(&msg);
            let _ = err.write_all(b"\n");
        }
    }
}

fn getfenv(ctx: &mut Ctx) -> LuaResult<usize> {
    let v = ctx.check_any(1)?;
    let env = ctx.vm.object_env(v);
    ctx.push(env.map_or(Value::Nil, Value::Table))?;
    Ok(1)
}

fn setfenv(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(2)?;
    let v = ctx.arg(1);
    if !ctx.vm.set_object_env(v, t) {
        return Err(ctx.error("'setfenv' cannot change environment of given object"));
    }
    ctx.push(v)?;
    Ok(1)
}

fn gethook(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, _) = thread_arg(ctx);
    let (f, mask, count) = ctx.vm.get_hook(t);
    let mut m = Vec::new();
    if mask & MASK_CALL != 0 {
        m.push(b'c');
    }
    if mask & MASK_RET != 0 {
        m.push(b'r');
    }
    if mask & MASK_LINE != 0 {
        m.push(b'l');
    }
    ctx.push(f)?;
    ctx.push_str(&m)?;
    ctx.push(Value::Number(count as f64))?;
    Ok(3)
}

fn sethook(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, arg) = thread_arg(ctx);
    let f = ctx.arg(arg + 1);
    if f.is_nil() {
        ctx.vm.set_hook(t, Value::Nil, 0, 0);
        return Ok(0);
    }
    let smask = ctx.check_bytes(arg + 2)?;
    ctx.check_type(arg + 1, ferrous_vm::Type::Function)?;
    let count = ctx.opt_integer(arg + 3, 0)?;
    let mut mask = 0;
    if smask.contains(&b'c') {
        mask |= MASK_CALL;
    }
    if smask.contains(&b'r') {
        mask |= MASK_RET;
    }
    if smask.contains(&b'l') {
        mask |= MASK_LINE;
    }
    let count = count.clamp(0, i32::MAX as i64) as u32;
    ctx.vm.set_hook(t, f, mask, count);
    Ok(0)
}

fn getinfo(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, arg) = thread_arg(ctx);
    let options = match ctx.opt_string(arg + 2)? {
        Some(s) => ctx.vm.str_bytes(s).to_vec(),
        None => b"flnSu".to_vec(),
    };
    let target = ctx.arg(arg + 1);
    let info = match target {
        Value::Number(n) => {
            let level = ferrous_vm::num_to_integer(n);
            let lv = if level < 0 {
                Some(Level::TailCall)
            } else {
                ctx.vm.thread_level(t, level as usize)
            };
            let Some(lv) = lv else {
                ctx.push(Value::Nil)?;
                return Ok(1);
            };
            let opts: Vec<u8> = options.iter().copied().filter(|&c| c != b'>').collect();
            ctx.vm.info_at(t, lv, &opts)
        }
        Value::String(s) if ferrous_value::number::str_to_number(ctx.vm.str_bytes(s)).is_some() => {
            let n = ferrous_value::number::str_to_number(ctx.vm.str_bytes(s)).unwrap_or(0.0);
            let level = ferrous_vm::num_to_integer(n);
            let lv = if level < 0 {
                Some(Level::TailCall)
            } else {
                ctx.vm.thread_level(t, level as usize)
            };
            let Some(lv) = lv else {
                ctx.push(Value::Nil)?;
                return Ok(1);
            };
            ctx.vm.info_at(t, lv, &options)
        }
        Value::Function(f) => ctx.vm.info_of_function(f, &options),
        _ => return Err(ctx.arg_error(arg + 1, "function or level expected")),
    };
    let Some(info) = info else {
        return Err(ctx.arg_error(arg + 2, "invalid option"));
    };
    let vm = &mut *ctx.vm;
    let tab = vm.new_table(0, 2)?;
    let has = |c: u8| options.contains(&c);
    if has(b'S') {
        let v = vm.str_value(&info.source)?;
        vm.raw_set_str(tab, b"source", v)?;
        let v = vm.str_value(info.short_src.as_bytes())?;
        vm.raw_set_str(tab, b"short_src", v)?;
        vm.raw_set_str(tab, b"linedefined", Value::Number(info.line_defined as f64))?;
        vm.raw_set_str(
            tab,
            b"lastlinedefined",
            Value::Number(info.last_line_defined as f64),
        )?;
        let v = vm.str_value(info.what.as_bytes())?;
        vm.raw_set_str(tab, b"what", v)?;
    }
    if has(b'l') {
        vm.raw_set_str(tab, b"currentline", Value::Number(info.current_line as f64))?;
    }
    if has(b'u') {
        vm.raw_set_str(tab, b"nups", Value::Number(info.nups as f64))?;
    }
    if has(b'n') {
        let name = match &info.name {
            Some(n) => vm.str_value(n)?,
            None => Value::Nil,
        };
        vm.raw_set_str(tab, b"name", name)?;
        let nw = vm.str_value(info.name_what.as_bytes())?;
        vm.raw_set_str(tab, b"namewhat", nw)?;
    }
    if has(b'L') {
        let v = match &info.active_lines {
            Some(lines) => {
                let lt = vm.new_table(0, 0)?;
                for &l in lines {
                    vm.raw_set(lt, Value::Number(l as f64), Value::Boolean(true))?;
                }
                Value::Table(lt)
            }
            None => Value::Nil,
        };
        vm.raw_set_str(tab, b"activelines", v)?;
    }
    if has(b'f') {
        vm.raw_set_str(tab, b"func", info.func.unwrap_or(Value::Nil))?;
    }
    ctx.push(Value::Table(tab))?;
    Ok(1)
}

/// The frame index for a level argument ("level out of range" otherwise).
fn level_frame(ctx: &mut Ctx, t: ThreadRef, i: usize) -> LuaResult<Option<usize>> {
    let level = ctx.check_integer(i)? as i32 as i64;
    let lv = if level < 0 {
        Some(Level::TailCall)
    } else {
        ctx.vm.thread_level(t, level as usize)
    };
    match lv {
        Some(Level::Frame(f)) => Ok(Some(f)),
        Some(Level::TailCall) => Ok(None),
        None => Err(ctx.arg_error(i, "level out of range")),
    }
}

fn getlocal(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, arg) = thread_arg(ctx);
    let frame = level_frame(ctx, t, arg + 1)?;
    let n = ctx.check_integer(arg + 2)?;
    let found = frame.and_then(|f| ctx.vm.get_local(t, f, n));
    match found {
        Some((name, v)) => {
            ctx.push_str(&name)?;
            ctx.push(v)?;
            Ok(2)
        }
        None => {
            ctx.push(Value::Nil)?;
            Ok(1)
        }
    }
}

fn setlocal(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, arg) = thread_arg(ctx);
    let frame = level_frame(ctx, t, arg + 1)?;
    let v = ctx.check_any(arg + 3)?;
    let n = ctx.check_integer(arg + 2)?;
    let name = frame.and_then(|f| ctx.vm.set_local(t, f, n, v));
    match name {
        Some(n) => ctx.push_str(&n)?,
        None => ctx.push(Value::Nil)?,
    }
    Ok(1)
}

fn getregistry(ctx: &mut Ctx) -> LuaResult<usize> {
    let r = ctx.vm.registry();
    ctx.push(Value::Table(r))?;
    Ok(1)
}

fn getmetatable(ctx: &mut Ctx) -> LuaResult<usize> {
    let v = ctx.check_any(1)?;
    let mt = ctx.vm.metatable_of(v);
    ctx.push(mt.map_or(Value::Nil, Value::Table))?;
    Ok(1)
}

fn setmetatable(ctx: &mut Ctx) -> LuaResult<usize> {
    let mt = match ctx.arg(2) {
        Value::Nil if ctx.nargs() >= 2 => None,
        Value::Table(t) => Some(t),
        _ => return Err(ctx.arg_error(2, "nil or table expected")),
    };
    let v = ctx.arg(1);
    ctx.vm.set_metatable(v, mt)?;
    ctx.push(Value::Boolean(true))?;
    Ok(1)
}

/// The function and index arguments of get/setupvalue; `None` for a
/// native function ("cannot touch C upvalues from Lua", as 5.1 says).
fn upvalue_target(ctx: &mut Ctx) -> LuaResult<Option<(ferrous_vm::FnRef, usize)>> {
    let n = ctx.check_integer(2)?;
    match ctx.arg(1) {
        Value::Function(f) if ctx.vm.is_native(f) => Ok(None),
        Value::Function(f) => Ok(Some((f, n.max(0) as usize))),
        _ => Err(ctx.type_error(1, "function")),
    }
}

fn getupvalue(ctx: &mut Ctx) -> LuaResult<usize> {
    let Some((f, n)) = upvalue_target(ctx)? else {
        return Ok(0);
    };
    match ctx.vm.get_upvalue(f, n) {
        Some((name, v)) => {
            ctx.push_str(&name)?;
            ctx.push(v)?;
            Ok(2)
        }
        None => Ok(0),
    }
}

fn setupvalue(ctx: &mut Ctx) -> LuaResult<usize> {
    let v = ctx.check_any(3)?;
    let Some((f, n)) = upvalue_target(ctx)? else {
        return Ok(0);
    };
    match ctx.vm.set_upvalue(f, n, v) {
        Some(name) => {
            ctx.push_str(&name)?;
            Ok(1)
        }
        None => Ok(0),
    }
}

fn traceback(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, arg) = thread_arg(ctx);
    let is_self = t == ctx.vm.current_thread();
    // Lua 5.1 works on its argument stack literally: a numeric level at
    // arg+2 pops the top argument; everything left from arg+1 on is
    // concatenated in front of the traceback.
    let mut args: Vec<Value> = ctx.args().get(arg..).unwrap_or(&[]).to_vec();
    let level_arg = args.get(1).copied();
    let level = match level_arg.and_then(|v| ctx.vm.to_number(v)) {
        Some(n) => {
            args.pop();
            ferrous_vm::num_to_integer(n)
        }
        None => i64::from(is_self),
    };
    // 5.1's lua_getstack answers a negative level with a tail-call entry:
    // one "(tail call): ?" line per level below 0, then level 0 on.
    let tail_lines = usize::try_from(level.min(0).unsigned_abs()).unwrap_or(usize::MAX);
    if tail_lines > 1 << 22 {
        return Err(ctx.vm.memory_error());
    }
    let level = level.max(0) as usize;
    let mut text: Vec<u8> = Vec::new();
    if args.is_empty() {
        // No message.
    } else {
        if !matches!(args[0], Value::String(_) | Value::Number(_)) {
            let top = *args.last().unwrap_or(&Value::Nil);
            ctx.push(top)?;
            return Ok(1);
        }
        for v in &args {
            match *v {
                Value::String(s) => text.extend_from_slice(ctx.vm.str_bytes(s)),
                Value::Number(n) => text.extend_from_slice(&ferrous_value::number::fmt_number(n)),
                other => {
                    let msg = format!("attempt to concatenate a {} value", other.type_name());
                    return Err(ctx.vm.rt_error(msg));
                }
            }
        }
    }
    let mut tb = ctx
        .vm
        .traceback_of(t, if args.is_empty() { None } else { Some(&text) }, level);
    if tail_lines > 0 {
        const HEADER: &[u8] = b"stack traceback:";
        let at = tb
            .windows(HEADER.len())
            .position(|w| w == HEADER)
            .map_or(tb.len(), |p| p + HEADER.len());
        let lines = b"\n\t(tail call): ?".repeat(tail_lines);
        tb.splice(at..at, lines);
    }
    ctx.push_str(&tb)?;
    Ok(1)
}
