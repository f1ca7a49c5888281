//! The coroutine library.

use ferrous_vm::{CoStatus, Ctx, LuaError, LuaResult, Native, ThreadRef, Value, Vm};

const FUNCS: &[(&str, ferrous_vm::NativeFn)] = &[
    ("create", create),
    ("resume", resume),
    ("running", running),
    ("status", status),
    ("wrap", wrap),
    ("yield", yield_),
];

/// Opens the `coroutine` table.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    let t = crate::register_lib(vm, "coroutine", FUNCS)?;
    // The VM's own yield: a yield called from Lua is done by the loop.
    let y = vm.yield_function()?;
    vm.raw_set_str(t, b"yield", y)?;
    Ok(())
}

fn status_name(s: CoStatus) -> &'static str {
    match s {
        CoStatus::Running => "running",
        CoStatus::Suspended => "suspended",
        CoStatus::Normal => "normal",
        CoStatus::Dead => "dead",
    }
}

fn new_coroutine(ctx: &mut Ctx) -> LuaResult<ThreadRef> {
    let f = ctx.arg(1);
    let is_lua = matches!(f, Value::Function(fr) if !ctx.vm.is_native(fr));
    if !is_lua {
        return Err(ctx.arg_error(1, "Lua function expected"));
    }
    ctx.vm.new_thread(f)
}

fn create(ctx: &mut Ctx) -> LuaResult<usize> {
    let co = new_coroutine(ctx)?;
    ctx.push(Value::Thread(co))?;
    Ok(1)
}

/// Resumes `co` with the arguments `ctx.arg(from..)`. On success the
/// results are the top `n` values pushed (returns `Ok(Ok(n))`); when the
/// coroutine cannot be resumed or fails, returns `Ok(Err(message))`.
fn aux_resume(ctx: &mut Ctx, co: ThreadRef, from: usize) -> LuaResult<Result<usize, Value>> {
    let st = ctx.vm.thread_status(co);
    if st != CoStatus::Suspended {
        let msg = format!("cannot resume {} coroutine", status_name(st));
        return Ok(Err(ctx.vm.str_value(msg.as_bytes())?));
    }
    // The arguments are handed over from where they are.
    match ctx.resume_args(co, from) {
        Ok((_, n)) => Ok(Ok(n)),
        Err(e) if e.kind == ferrous_vm::ErrorKind::Interrupted => Err(e),
        Err(e) => Ok(Err(e.value)),
    }
}

fn resume(ctx: &mut Ctx) -> LuaResult<usize> {
    let Value::Thread(co) = ctx.arg(1) else {
        return Err(ctx.arg_error(1, "coroutine expected"));
    };
    match aux_resume(ctx, co, 2)? {
        Ok(n) => {
            // `true` goes just below the results: into the slot of the
            // first argument (the coroutine) or of the last one.
            let at = ctx.vm.stack_top() - n - 1;
            ctx.vm.stack_set(at, Value::Boolean(true));
            Ok(n + 1)
        }
        Err(msg) => {
            ctx.push(Value::Boolean(false))?;
            ctx.push(msg)?;
            Ok(2)
        }
    }
}

fn running(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.vm.current_thread();
    if t == ctx.vm.main_thread() {
        ctx.push(Value::Nil)?;
    } else {
        ctx.push(Value::Thread(t))?;
    }
    Ok(1)
}

fn status(ctx: &mut Ctx) -> LuaResult<usize> {
    let Value::Thread(co) = ctx.arg(1) else {
        return Err(ctx.arg_error(1, "coroutine expected"));
    };
    let s = status_name(ctx.vm.thread_status(co));
    ctx.push_str(s.as_bytes())?;
    Ok(1)
}

fn wrap(ctx: &mut Ctx) -> LuaResult<usize> {
    let co = new_coroutine(ctx)?;
    let f = ctx
        .vm
        .native_closure(Native::Fn(wrap_call), vec![Value::Thread(co)])?;
    ctx.push(f)?;
    Ok(1)
}

fn wrap_call(ctx: &mut Ctx) -> LuaResult<usize> {
    let Value::Thread(co) = ctx.upvalue(0) else {
        return Err(ctx.error("cannot resume dead coroutine"));
    };
    match aux_resume(ctx, co, 1)? {
        Ok(n) => Ok(n),
        Err(msg) => {
            // A string error gets the caller's position prepended.
            let v = match msg {
                Value::String(s) => {
                    let mut m = ctx.vm.where_(1);
                    m.extend_from_slice(ctx.vm.str_bytes(s));
                    ctx.vm.str_value(&m)?
                }
                Value::Number(n) => {
                    let mut m = ctx.vm.where_(1);
                    m.extend_from_slice(&ferrous_value::number::fmt_number(n));
                    ctx.vm.str_value(&m)?
                }
                other => other,
            };
            Err(LuaError::runtime(v))
        }
    }
}

fn yield_(ctx: &mut Ctx) -> LuaResult<usize> {
    if !ctx.vm.can_yield() {
        return Err(ctx
            .vm
            .rt_error("attempt to yield across metamethod/C-call boundary"));
    }
    let n = ctx.nargs();
    Err(ctx.vm.yield_error(n))
}
