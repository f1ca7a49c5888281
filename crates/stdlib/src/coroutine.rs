//! The coroutine library.

use ferrous_vm::{Ctx, LuaResult, ThreadRef, Value, Vm};

const FUNCS: &[(&str, ferrous_vm::NativeFn)] = &[
    ("create", create),
    ("resume", yield_), // replaced by the VM's own in `open`
    ("running", running),
    ("status", status),
    ("wrap", wrap),
    ("yield", yield_),
];

/// Opens the `coroutine` table.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    let t = crate::register_lib(vm, "coroutine", FUNCS)?;
    // The VM's own yield and resume: a yield called from Lua is done by
    // the loop, a resume called from Lua skips the generic native call.
    let y = vm.yield_function()?;
    vm.raw_set_str(t, b"yield", y)?;
    let r = vm.resume_function()?;
    vm.raw_set_str(t, b"resume", r)?;
    Ok(())
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
    let s = ctx.vm.thread_status(co).name();
    ctx.push_str(s.as_bytes())?;
    Ok(1)
}

fn wrap(ctx: &mut Ctx) -> LuaResult<usize> {
    let co = new_coroutine(ctx)?;
    let f = ctx.vm.wrap_function(co)?;
    ctx.push(f)?;
    Ok(1)
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
