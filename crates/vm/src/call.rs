//! Calls and returns: entering Lua and native functions, varargs, result
//! adjustment, protected calls and upvalue closing.
//!
//! Invariant: while an error travels up through Rust code, nobody pops call
//! frames. Only the code that catches it (a protected call, `resume`, the
//! top-level API) truncates the frames and closes upvalues, after running
//! xpcall's message handler with the failing frames still in place.

use std::rc::Rc;

use ferrous_heap::Tm;
use ferrous_value::{FnRef, TableRef, ThreadRef, UpvalRef, Value};

use crate::error::{ErrorKind, LuaError, LuaResult};
use crate::objects::{Function, LuaClosure, LuaProto, Native, UpvalSource, Upvalue};
use crate::state::{CallFrame, Ctx, Handler, Vm, MAX_C_CALLS, MAX_FRAMES, MAX_NATIVE_PUSH};

/// Saved state of a protected call, restored when it catches an error.
pub(crate) struct Protect {
    frames: usize,
    top: usize,
    c_depth: u32,
    handlers: usize,
}

impl Vm {
    /// Calls `stack[func]` with the arguments above it up to `top`; the
    /// results end at `stack[func..]` and `top` is set after them
    /// (`nresults` of them, or all with -1). This is a Rust-level call: it
    /// counts against the C-call limit.
    pub(crate) fn call_at(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        // A call from Rust is charged like a call from Lua, so a native
        // that keeps calling back into straight-line Lua code (a reader
        // function of `load`, say) still reaches the budget hook.
        self.budget -= 1;
        if self.budget <= 0 {
            self.budget_exhausted()?;
        }
        self.c_depth += 1;
        let r = if self.c_depth >= MAX_C_CALLS {
            if self.c_depth == MAX_C_CALLS {
                Err(self.rt_error("C stack overflow"))
            } else if self.c_depth >= MAX_C_CALLS + (MAX_C_CALLS >> 3) {
                Err(LuaError::with_kind(ErrorKind::ErrorInHandler, Value::Nil))
            } else {
                self.call_unchecked(func, nresults)
            }
        } else {
            self.call_unchecked(func, nresults)
        };
        self.c_depth -= 1;
        r
    }

    fn call_unchecked(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        let depth = self.frames.len();
        if self.precall(func, nresults)? && self.execute(depth)? {
            // Only a coroutine's own loop can yield by itself, and this is
            // a Rust-level call nested inside one.
            return Err(self.rt_error("attempt to yield across metamethod/C-call boundary"));
        }
        Ok(())
    }

    /// Calls `f` with `args` and returns all its results.
    pub fn call(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let base = self.top.max(self.stack_extent());
        self.top = base;
        self.push(f)?;
        for &a in args {
            self.push(a)?;
        }
        self.call_at(base, -1)?;
        let out = self.stack[base..self.top].to_vec();
        self.top = base;
        Ok(out)
    }

    /// Prepares a call of `stack[func]` with arguments up to `top`. For a
    /// Lua function, pushes its frame and returns true (the caller runs
    /// it); for a native function, runs it to completion, places its
    /// results and returns false.
    #[inline]
    pub(crate) fn precall(&mut self, func: usize, nresults: i32) -> LuaResult<bool> {
        let fref = match self.stack[func] {
            Value::Function(f) => f,
            other => self.call_metamethod(func, other)?,
        };
        match self.heap.functions().get(fref) {
            Some(Function::Lua(cl)) => {
                let proto = crate::state::FrameProto::of(&cl.proto);
                let env = cl.env;
                let ups = cl.upvals.as_ptr();
                self.enter_lua::<true>(func, fref, proto, ups, env, nresults)?;
                Ok(true)
            }
            Some(Function::Native(c)) => {
                let f = c.f.clone();
                self.call_native_with(func, fref, f, nresults)?;
                Ok(false)
            }
            None => Err(self.rt_error("attempt to call a dead function")),
        }
    }

    /// Replaces a non-function callee by its `__call` metamethod, shifting
    /// the arguments up by one (the callee becomes the first argument).
    #[cold]
    pub(crate) fn call_metamethod(&mut self, func: usize, callee: Value) -> LuaResult<FnRef> {
        let tm = self.metamethod(callee, Tm::Call);
        let Value::Function(f) = tm else {
            // Name the callee from the calling instruction's register.
            let reg = self.frames.last().and_then(|f| {
                if f.is_lua() && func >= f.base {
                    Some(func - f.base)
                } else {
                    None
                }
            });
            return Err(self.type_error(callee, reg, "call"));
        };
        self.ensure_stack(self.top + 1)?;
        let mut i = self.top;
        while i > func {
            self.stack[i] = self.stack[i - 1];
            i -= 1;
        }
        self.top += 1;
        self.stack[func] = Value::Function(f);
        Ok(f)
    }

    /// Pushes the frame of a Lua call; returns its base and its index.
    /// `HOOKS` false leaves out the call hook's test, for the loop's
    /// variant that runs only while no hook is set.
    #[inline(always)]
    pub(crate) fn enter_lua<const HOOKS: bool>(
        &mut self,
        func: usize,
        closure: FnRef,
        proto: crate::state::FrameProto,
        upvals: ferrous_heap::UpvalListPtr,
        env: TableRef,
        nresults: i32,
    ) -> LuaResult<(usize, usize)> {
        if self.frames.len() >= self.frame_limit {
            return Err(self.stack_overflow());
        }
        let nparams = proto.num_params as usize;
        let max_stack = proto.max_stack as usize;
        let base = if proto.is_vararg & ferrous_compiler::bytecode::vararg::IS_VARARG == 0 {
            let base = func + 1;
            let end = base + max_stack;
            self.ensure_stack(end)?;
            // Missing parameters, extra arguments and all other registers
            // start as nil.
            let mut i = self.top.max(base).min(base + nparams);
            debug_assert!(end <= self.stack.len());
            let regs = self.stack.as_mut_ptr();
            while i < end {
                // SAFETY: `i < end <= stack.len()` (ensure_stack above).
                unsafe { regs.add(i).write(Value::Nil) };
                i += 1;
            }
            base
        } else {
            self.adjust_varargs(func, &proto)?
        };
        self.top = base + max_stack;
        let fi = self.push_frame_with(func, base, nresults, env, closure, Some(proto), upvals);
        if HOOKS && self.hook.mask & crate::debug::MASK_CALL != 0 {
            self.call_hook_event()?;
        }
        Ok((base, fi))
    }

    /// Lays out a vararg call: the extra arguments stay where they are, the
    /// fixed parameters move above them (and the 5.1 `arg` table after
    /// them). Returns the new base.
    fn adjust_varargs(&mut self, func: usize, proto: &LuaProto) -> LuaResult<usize> {
        use ferrous_compiler::bytecode::vararg;
        let nfix = proto.num_params as usize;
        let max_stack = proto.max_stack as usize;
        let mut actual = self.top - func - 1;
        self.ensure_stack(self.top + nfix + max_stack + 1)?;
        while actual < nfix {
            self.stack[self.top] = Value::Nil;
            self.top += 1;
            actual += 1;
        }
        let mut argt: Option<TableRef> = None;
        if proto.is_vararg & vararg::NEEDS_ARG != 0 {
            let nvar = actual - nfix;
            let t = self.new_table(nvar, 1)?;
            let first = self.top - nvar;
            for i in 0..nvar {
                let v = self.stack[first + i];
                self.raw_set_int(t, i as i64 + 1, v)?;
            }
            let n = self.names.n;
            self.raw_set(t, Value::String(n), Value::Number(nvar as f64))?;
            argt = Some(t);
        }
        let fixed = self.top - actual;
        let base = self.top;
        for i in 0..nfix {
            self.stack[base + i] = self.stack[fixed + i];
            self.stack[fixed + i] = Value::Nil;
        }
        let mut next = base + nfix;
        if let Some(t) = argt {
            self.stack[next] = Value::Table(t);
            next += 1;
        }
        self.ensure_stack(base + max_stack)?;
        for v in &mut self.stack[next.min(base + max_stack)..base + max_stack] {
            *v = Value::Nil;
        }
        Ok(base)
    }

    /// Pushes a call frame and returns its index. The common case (room left) writes the fields
    /// straight into the vector's spare slot: built as a value first, the
    /// frame would be assembled on the Rust stack and copied with wide
    /// loads spanning narrower stores, which stalls store forwarding.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_frame_with(
        &mut self,
        func: usize,
        base: usize,
        nresults: i32,
        env: TableRef,
        closure: FnRef,
        proto: Option<crate::state::FrameProto>,
        upvals: ferrous_heap::UpvalListPtr,
    ) -> usize {
        if self.frames.len() == self.frames.capacity() {
            self.grow_frames();
        }
        let epoch = self.env_epoch;
        let len = self.frames.len();
        debug_assert!(len < self.frames.capacity());
        // SAFETY: `p` points to the uninitialised spare slot at `len` (the
        // capacity exceeds the length: grown above when it did not); every
        // field is written exactly once before the length covers it.
        let p: *mut CallFrame = unsafe { self.frames.as_mut_ptr().add(len) };
        unsafe {
            std::ptr::addr_of_mut!((*p).func).write(func);
            std::ptr::addr_of_mut!((*p).base).write(base);
            std::ptr::addr_of_mut!((*p).pc).write(0);
            std::ptr::addr_of_mut!((*p).nresults).write(nresults);
            std::ptr::addr_of_mut!((*p).tailcalls).write(0);
            std::ptr::addr_of_mut!((*p).env).write(crate::state::EnvWord::of(env));
            std::ptr::addr_of_mut!((*p).env_epoch).write(epoch);
            std::ptr::addr_of_mut!((*p).closure).write(closure);
            std::ptr::addr_of_mut!((*p).proto).write(proto);
            std::ptr::addr_of_mut!((*p).upvals).write(upvals);
            self.frames.set_len(len + 1);
        }
        len
    }

    #[cold]
    #[inline(never)]
    fn grow_frames(&mut self) {
        let n = self.frames.capacity().max(8);
        self.frames.reserve(n);
    }

    #[cold]
    pub(crate) fn stack_overflow(&mut self) -> LuaError {
        self.rt_error("stack overflow")
    }

    /// Runs a native function whose value is at `func` with the arguments
    /// up to `top`, and places its results.
    pub(crate) fn call_native(&mut self, func: usize, fref: FnRef, nresults: i32) -> LuaResult<()> {
        let f = match self.heap.functions().get(fref) {
            Some(Function::Native(c)) => c.f.clone(),
            _ => return Err(self.rt_error("attempt to call a dead function")),
        };
        self.call_native_with(func, fref, f, nresults)
    }

    /// [`Vm::call_native`] with the function's code already looked up.
    #[inline]
    pub(crate) fn call_native_with(
        &mut self,
        func: usize,
        fref: FnRef,
        f: Native,
        nresults: i32,
    ) -> LuaResult<()> {
        if self.frames.len() >= self.frame_limit {
            return Err(self.stack_overflow());
        }
        let base = func + 1;
        let nargs = self.top - base;
        self.push_frame_with(
            func,
            base,
            nresults,
            TableRef::default(),
            fref,
            None,
            ferrous_heap::UpvalListPtr::EMPTY,
        );
        if self.hook.mask & crate::debug::MASK_CALL != 0 {
            self.call_hook_event()?;
        }
        let uid = self.uid;
        let n = {
            let mut ctx = Ctx {
                vm: self,
                base,
                nargs,
                func: fref,
            };
            let r = match f {
                Native::Fn(f) => f(&mut ctx),
                Native::Closure(c) => c(&mut ctx),
                Native::Yield => {
                    if !ctx.vm.can_yield() {
                        return Err(ctx
                            .vm
                            .rt_error("attempt to yield across metamethod/C-call boundary"));
                    }
                    return Err(LuaError::yield_values(nargs));
                }
                Native::Resume => ctx.vm.resume_call(base, nargs, None),
                Native::Wrap => {
                    let co = ctx.upvalue(0);
                    ctx.vm.resume_call(base, nargs, Some(co))
                }
            };
            ctx.vm.check_same(uid);
            r?
        };
        // The results are the top n values, above the function slot.
        if n > self.top.saturating_sub(base) || n > MAX_NATIVE_PUSH {
            return Err(self.rt_error("native function returned more results than it pushed"));
        }
        self.native_return(func, n, nresults)
    }

    /// The end of a native call that left its `n` results on top of the
    /// stack: return hooks, the frame dropped, the results moved down to
    /// `func` ([`Vm::native_results`]).
    #[inline(always)]
    pub(crate) fn native_return(&mut self, func: usize, n: usize, nresults: i32) -> LuaResult<()> {
        let first = self.top - n;
        if self.hook.mask & crate::debug::MASK_RET != 0 {
            let fi = self.frames.len() - 1;
            self.return_hooks(fi)?;
        }
        // Dropped in place (`pop` would copy the frame out first).
        self.frames.truncate(self.frames.len() - 1);
        self.native_results(func, first, n, nresults)
    }

    /// Moves the `n` results of a native call from `first` down to the
    /// function's slot `func`, adjusted to `nresults`, after its frame was
    /// popped.
    #[inline(always)]
    pub(crate) fn native_results(
        &mut self,
        func: usize,
        first: usize,
        n: usize,
        nresults: i32,
    ) -> LuaResult<()> {
        let w = nresults as usize;
        if nresults >= 0 && func + w <= self.stack.len() {
            // The common case: fixed results, cut or padded.
            let n = n.min(w);
            for i in 0..n {
                self.stack[func + i] = self.stack[first + i];
            }
            for i in n..w {
                self.stack[func + i] = Value::Nil;
            }
            self.top = func + w;
            Ok(())
        } else if nresults < 0 && func < first && first + n <= self.stack.len() {
            // All results wanted (a tail call, `f(g())`): they move down,
            // in order, to slots that exist.
            for i in 0..n {
                // SAFETY: `func + i < first + i < stack.len()`.
                unsafe {
                    let v = *self.stack.get_unchecked(first + i);
                    *self.stack.get_unchecked_mut(func + i) = v;
                }
            }
            self.top = func + n;
            Ok(())
        } else {
            self.place_results(func, first, n, nresults)
        }
    }

    /// Moves `n` results from `first` down to `dst`, adjusted to `wanted`
    /// (-1: all), and sets `top` after them.
    #[inline]
    pub(crate) fn place_results(
        &mut self,
        dst: usize,
        first: usize,
        n: usize,
        wanted: i32,
    ) -> LuaResult<()> {
        if wanted < 0 {
            self.ensure_stack(dst + n)?;
            if dst != first {
                for i in 0..n {
                    self.stack[dst + i] = self.stack[first + i];
                }
            }
            self.top = dst + n;
        } else {
            let w = wanted as usize;
            self.ensure_stack(dst + w)?;
            let copy = n.min(w);
            if dst != first {
                for i in 0..copy {
                    self.stack[dst + i] = self.stack[first + i];
                }
            }
            for v in &mut self.stack[dst + copy..dst + w] {
                *v = Value::Nil;
            }
            self.top = dst + w;
        }
        Ok(())
    }

    // ------------------------------------------------------ upvalues

    /// The upvalue for stack slot `idx` of the running thread, created if
    /// needed.
    pub(crate) fn find_upval(&mut self, idx: usize) -> LuaResult<UpvalRef> {
        let key = idx as u32;
        match self.open_upvals.binary_search_by_key(&key, |&(i, _)| i) {
            Ok(pos) => Ok(self.open_upvals[pos].1),
            Err(pos) => {
                let u = self
                    .heap
                    .alloc_upval(Upvalue::Open {
                        thread: self.thread,
                        index: key,
                    })
                    .map_err(|e| self.heap_error(e))?;
                self.open_upvals.insert(pos, (key, u));
                Ok(u)
            }
        }
    }

    /// Closes every open upvalue at or above stack slot `level`.
    #[inline]
    pub(crate) fn close_upvals(&mut self, level: usize) {
        while let Some(&(idx, u)) = self.open_upvals.last() {
            if (idx as usize) < level {
                break;
            }
            self.open_upvals.pop();
            let v = self.stack.get(idx as usize).copied().unwrap_or(Value::Nil);
            if let Some(slot) = self.heap.upvalues_mut().get_mut(u) {
                *slot = Upvalue::Closed(v);
            }
            self.heap.barrier_upval(u, v);
        }
    }

    /// Reads an upvalue. (The source is chosen as a reference and copied
    /// once, so the value moves as one 16-byte block.)
    #[inline(always)]
    pub(crate) fn upval_get(&self, u: UpvalRef) -> Value {
        static NIL: Value = Value::Nil;
        let r: &Value = match self.heap.upvalues().get(u) {
            Some(Upvalue::Open { thread, index }) => {
                if *thread == self.thread {
                    self.stack.get(*index as usize).unwrap_or(&NIL)
                } else {
                    return self.upval_get_other(*thread, *index);
                }
            }
            Some(Upvalue::Closed(v)) => v,
            None => &NIL,
        };
        *r
    }

    /// An open upvalue of a thread that is not running: out of line, so
    /// that the loop (where `upval_get` is inlined) stays small.
    #[inline(never)]
    fn upval_get_other(&self, thread: ThreadRef, index: u32) -> Value {
        self.heap
            .threads()
            .get(self.state_holder(thread))
            .and_then(|t| t.stack.get(index as usize))
            .copied()
            .unwrap_or(Value::Nil)
    }

    /// Writes an upvalue.
    #[inline]
    pub(crate) fn upval_set(&mut self, u: UpvalRef, v: Value) {
        match self.heap.upvalues_mut().get_mut(u) {
            Some(&mut Upvalue::Open { thread, index }) => {
                if thread == self.thread {
                    self.stack[index as usize] = v;
                } else {
                    // A thread waiting in resume lent its stack to the
                    // object of the thread it resumed.
                    let holder = self.state_holder(thread);
                    if let Some(slot) = self
                        .heap
                        .threads_mut()
                        .get_mut(holder)
                        .and_then(|t| t.stack.get_mut(index as usize))
                    {
                        *slot = v;
                    }
                }
            }
            Some(slot) => {
                *slot = Upvalue::Closed(v);
                self.heap.barrier_upval(u, v);
            }
            None => {}
        }
    }

    /// Creates a closure of prototype `p` inside the running Lua frame.
    pub(crate) fn make_closure(
        &mut self,
        p: Rc<LuaProto>,
        base: usize,
        parent: FnRef,
        env: TableRef,
    ) -> LuaResult<FnRef> {
        let n = p.upvals.len();
        // A list left by a collected closure when there is one (no
        // allocation); every element is written below before use.
        let mut ups = match self.heap.take_upval_list(n) {
            Some(list) => list,
            None => ferrous_heap::UpvalList::new(n),
        };
        for (slot, src) in ups.iter_mut().zip(p.upvals.iter()) {
            *slot = match *src {
                UpvalSource::Register(r) => self.find_upval(base + r as usize)?,
                UpvalSource::Upvalue(i) => {
                    let u = match self.heap.functions().get(parent) {
                        Some(Function::Lua(c)) => c.upvals.get(i as usize).copied(),
                        _ => None,
                    };
                    match u {
                        Some(u) => u,
                        None => return Err(self.rt_error("invalid upvalue reference")),
                    }
                }
            };
        }
        let f = Function::Lua(LuaClosure {
            proto: p,
            upvals: ups,
            env,
        });
        self.heap.alloc_fn(f).map_err(|e| self.heap_error(e))
    }

    // ------------------------------------------------ protected calls

    pub(crate) fn protect_begin(&mut self, handler: Handler) -> Protect {
        let p = Protect {
            frames: self.frames.len(),
            top: self.top,
            c_depth: self.c_depth,
            handlers: self.handlers.len(),
        };
        self.handlers.push(handler);
        p
    }

    /// Ends a protected region. On error: runs the message handler with
    /// the failing frames still in place, then unwinds to the saved state
    /// and returns the (possibly transformed) error.
    pub(crate) fn protect_end<T>(&mut self, p: Protect, r: LuaResult<T>) -> LuaResult<T> {
        let handler = self.handlers.get(p.handlers).copied();
        self.handlers.truncate(p.handlers);
        match r {
            Ok(v) => Ok(v),
            Err(mut e) => {
                if e.kind == ErrorKind::Runtime && !e.handled {
                    if let Some(Handler::Function(h)) = handler {
                        e = self.run_handler(h, e);
                    }
                    e.handled = true;
                }
                self.unwind(&p);
                if e.kind == ErrorKind::Memory {
                    // Whoever catches a memory error gets the memory back
                    // that garbage held (an emergency collection), so a
                    // script that handles it can go on.
                    self.emergency_gc(e.value);
                }
                Err(e)
            }
        }
    }

    /// Restores the state saved by [`Vm::protect_begin`].
    fn unwind(&mut self, p: &Protect) {
        self.close_upvals(p.top);
        self.frames.truncate(p.frames);
        self.top = p.top;
        self.c_depth = p.c_depth;
    }

    /// Calls xpcall's handler on an error (Lua 5.1 calls it again on its own
    /// errors until the C-call limit, then reports "error in error handling").
    fn run_handler(&mut self, h: Value, e: LuaError) -> LuaError {
        // As Lua 5.1 grows its CallInfo array past the limit before raising
        // "stack overflow", the handler gets room for as many frames again,
        // so it also runs after a stack overflow.
        let saved_limit = self.frame_limit;
        self.frame_limit = 2 * MAX_FRAMES + 1;
        let r = self.run_handler_inner(h, e);
        self.frame_limit = saved_limit;
        r
    }

    fn run_handler_inner(&mut self, h: Value, e: LuaError) -> LuaError {
        let mut err = e;
        let start_depth = self.c_depth;
        let mut depth = start_depth;
        loop {
            self.c_depth = depth;
            let mut base = self.top.max(self.stack_extent());
            self.top = base;
            // A runtime error raised by a Lua frame's own instruction
            // leaves, as in lua5.1 (luaG_runerror pushes the message, then
            // the message with its position), the message without its
            // position just past the frame's registers: debug.getlocal
            // lists it as the frame's last (*temporary).
            if depth == start_depth {
                if let Some(raw) = self.raw_runtime_message(err.value) {
                    if self.push(raw).is_ok() {
                        base += 1;
                    }
                }
            }
            if self.push(h).is_err() || self.push(err.value).is_err() {
                return LuaError::with_kind(ErrorKind::Memory, err.value);
            }
            let saved_frames = self.frames.len();
            let saved_upvals = self.open_upvals.len();
            let r = self.call_at(base, 1);
            match r {
                Ok(()) => {
                    let v = self.stack[base];
                    self.top = base;
                    self.c_depth = start_depth;
                    return LuaError {
                        kind: ErrorKind::Runtime,
                        value: v,
                        handled: true,
                        nyield: 0,
                    };
                }
                Err(e2) => {
                    if saved_upvals <= self.open_upvals.len() {
                        self.close_upvals(base);
                    }
                    self.frames.truncate(saved_frames);
                    self.top = base;
                    self.c_depth = start_depth;
                    if e2.kind != ErrorKind::Runtime {
                        let v = self
                            .str_value(b"error in error handling")
                            .unwrap_or(Value::Nil);
                        return LuaError::with_kind(ErrorKind::ErrorInHandler, v);
                    }
                    err = e2;
                    // Each retry nests one level deeper, as in Lua 5.1.
                    depth += 1;
                    if depth >= MAX_C_CALLS + (MAX_C_CALLS >> 3) {
                        self.c_depth = start_depth;
                        let v = self
                            .str_value(b"error in error handling")
                            .unwrap_or(Value::Nil);
                        return LuaError::with_kind(ErrorKind::ErrorInHandler, v);
                    }
                }
            }
        }
    }

    /// For an error whose innermost frame is a Lua function (so raised by
    /// one of its instructions): the message without the position the
    /// frame added.
    fn raw_runtime_message(&mut self, v: Value) -> Option<Value> {
        let f = self.frames.last()?;
        let prefix = crate::state::position(f.proto.as_ref()?, f.current_pc());
        let Value::String(s) = v else { return None };
        let raw = self.str_bytes(s).strip_prefix(&prefix[..])?.to_vec();
        self.str_value(&raw).ok()
    }

    /// The message handler of the innermost protected call (xpcall's, or
    /// one given to [`Vm::pcall`]); `None` under a plain `pcall` or outside
    /// any. Lua 5.1 runs it on runtime errors raised while code is being
    /// loaded (luaG_runerror in the parser: "constant table overflow"),
    /// and a loader can do the same with this.
    pub fn current_handler(&self) -> Option<Value> {
        match self.handlers.last() {
            Some(Handler::Function(h)) => Some(*h),
            _ => None,
        }
    }

    /// Calls `f` with `args` in protected mode with an optional message
    /// handler; on error the state is restored and the error returned.
    pub fn pcall(
        &mut self,
        f: Value,
        args: &[Value],
        handler: Option<Value>,
    ) -> LuaResult<Vec<Value>> {
        let h = match handler {
            Some(h) => Handler::Function(h),
            None => Handler::None,
        };
        let p = self.protect_begin(h);
        let r = self.call(f, args);
        self.protect_end(p, r)
    }

    /// Runs `f` as a protected region, as `pcall` runs its function: if
    /// `f` fails, `handler` (if any) runs with the failing frames in place,
    /// then the frames, stack top and call nesting `f` left behind are
    /// unwound. A panic out of `f` unwinds the same state before it
    /// continues (when it leaves the same thread running), so an embedder
    /// that catches it finds the VM as it was.
    pub fn protect<T>(
        &mut self,
        handler: Option<Value>,
        f: impl FnOnce(&mut Vm) -> LuaResult<T>,
    ) -> LuaResult<T> {
        let h = match handler {
            Some(h) => Handler::Function(h),
            None => Handler::None,
        };
        let (thread, uid) = (self.thread, self.uid);
        let p = self.protect_begin(h);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *self)));
        match r {
            Ok(r) => {
                self.check_same(uid);
                self.protect_end(p, r)
            }
            Err(payload) => {
                if self.thread == thread && self.uid == uid {
                    self.handlers.truncate(p.handlers);
                    self.unwind(&p);
                }
                std::panic::resume_unwind(payload)
            }
        }
    }

    /// [`Vm::protect`] without a message handler that, on a runtime error,
    /// stores the traceback at the point of the error (what
    /// `debug.traceback` would print there) into `traceback`. Costs
    /// nothing unless an error happens.
    pub fn protect_traced<T>(
        &mut self,
        traceback: &mut Option<Vec<u8>>,
        f: impl FnOnce(&mut Vm) -> LuaResult<T>,
    ) -> LuaResult<T> {
        let (thread, uid) = (self.thread, self.uid);
        let p = self.protect_begin(Handler::Traceback);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *self)));
        match r {
            Ok(r) => {
                self.check_same(uid);
                if let Err(e) = &r {
                    // The failing frames are still in place.
                    if e.kind == ErrorKind::Runtime && !e.handled {
                        *traceback = Some(self.traceback(None, 0));
                    }
                }
                self.protect_end(p, r)
            }
            Err(payload) => {
                if self.thread == thread && self.uid == uid {
                    self.handlers.truncate(p.handlers);
                    self.unwind(&p);
                }
                std::panic::resume_unwind(payload)
            }
        }
    }

    /// Protected call of `stack[func]` (arguments up to `top`), results
    /// placed like `Vm::call_at`. Used by the `pcall` library function.
    pub fn pcall_at(
        &mut self,
        func: usize,
        nresults: i32,
        handler: Option<Value>,
    ) -> LuaResult<()> {
        let h = match handler {
            Some(h) => Handler::Function(h),
            None => Handler::None,
        };
        let mut p = self.protect_begin(h);
        p.top = func;
        let r = self.call_at(func, nresults);
        self.protect_end(p, r)
    }
}
