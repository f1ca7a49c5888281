//! Coroutines: resume and yield as swaps of the running thread's state.
//!
//! The running thread's stack, frames and open upvalues live in the VM;
//! a suspended thread keeps its own in its heap object. `resume` swaps the
//! two, runs the coroutine in a nested run of the interpreter loop (a
//! Rust-level call, counted against the C-call limit, as in Lua 5.1), and
//! swaps back when the coroutine yields, returns or fails.
//!
//! A yield is legal only when no Rust-level call lies between it and its
//! `resume` (`c_depth == yield_depth`); it travels to `resume` as an error
//! of kind [`ErrorKind::Yield`] leaving the coroutine's frames in place, the
//! yield's own native frame on top. Resuming pops that frame, passing the
//! resume arguments as its results.

use ferrous_value::{ThreadRef, Value};

use crate::error::{ErrorKind, LuaError, LuaResult};
use crate::objects::{CoStatus, Thread};
use crate::state::{Ctx, Handler, Vm, MAX_C_CALLS};

/// What `resume` produced.
#[derive(Debug)]
pub enum Resumed {
    /// The coroutine yielded these values.
    Yielded(Vec<Value>),
    /// The coroutine finished, returning these values.
    Returned(Vec<Value>),
}

impl Vm {
    /// Creates a coroutine that will run `f`.
    pub fn new_thread(&mut self, f: Value) -> LuaResult<ThreadRef> {
        let mut t = Thread::new(self.thread_globals());
        t.stack = vec![Value::Nil; 8];
        t.stack[0] = f;
        t.top = 1;
        let r = self.heap.alloc_thread(t).map_err(|e| self.heap_error(e))?;
        Ok(r)
    }

    /// The status of a thread as `coroutine.status` names it.
    pub fn thread_status(&self, t: ThreadRef) -> CoStatus {
        if t == self.thread {
            return CoStatus::Running;
        }
        if self.resume_chain.contains(&t) {
            return CoStatus::Normal;
        }
        match self.heap.threads().get(t) {
            // Neither running nor normal: the object holds its own state.
            Some(th) => {
                if th.status == CoStatus::Suspended && th.started && th.frames.is_empty() {
                    CoStatus::Dead
                } else {
                    th.status
                }
            }
            None => CoStatus::Dead,
        }
    }

    /// The thread whose heap object holds the state (stack, frames, open
    /// upvalues, hooks) of `t`, which is not the running thread: a thread
    /// waiting in `resume` lends its state to the object of the thread it
    /// resumed (the next one in the resume chain, or the running one); any
    /// other thread keeps its own.
    #[inline]
    pub(crate) fn state_holder(&self, t: ThreadRef) -> ThreadRef {
        match self.resume_chain.iter().position(|&x| x == t) {
            Some(i) => self.resume_chain.get(i + 1).copied().unwrap_or(self.thread),
            None => t,
        }
    }

    /// True when the running code may yield (it runs inside a coroutine,
    /// with no Rust-level call between it and its `resume`).
    pub fn can_yield(&self) -> bool {
        self.thread != self.main_thread && self.c_depth == self.yield_depth
    }

    /// The yield error for a native that yields its top `n` values
    /// (`coroutine.yield` returns this as its result).
    pub fn yield_error(&mut self, n: usize) -> LuaError {
        LuaError::yield_values(n)
    }

    /// A function value for `coroutine.yield`, implemented by the VM so
    /// that a yield called from Lua is done by the loop itself.
    pub fn yield_function(&mut self) -> LuaResult<Value> {
        self.native_closure(crate::objects::Native::Yield, Vec::new())
    }

    /// A function value for `coroutine.resume`, implemented by the VM so
    /// that a resume called from Lua skips the generic native call.
    pub fn resume_function(&mut self) -> LuaResult<Value> {
        self.native_closure(crate::objects::Native::Resume, Vec::new())
    }

    /// The function `coroutine.wrap` returns for coroutine `co`.
    pub fn wrap_function(&mut self, co: ThreadRef) -> LuaResult<Value> {
        self.native_closure(crate::objects::Native::Wrap, vec![Value::Thread(co)])
    }

    /// The body of `coroutine.resume` (`wrap` None: the coroutine is the
    /// first argument) and of a function made by `coroutine.wrap` (`wrap`
    /// its upvalue), whose native frame is on top with its `nargs`
    /// arguments at `base` and the top after them. Leaves the results as
    /// the top values and returns their count, as a native function does:
    /// `true` and the coroutine's results, or `false` and the message
    /// (resume); the coroutine's results, or the error raised again with
    /// the caller's position before a message (wrap).
    #[inline(always)]
    pub(crate) fn resume_call(
        &mut self,
        base: usize,
        nargs: usize,
        wrap: Option<Value>,
    ) -> LuaResult<usize> {
        let end = base + nargs;
        let (co, first) = match wrap {
            None => match self.stack.get(base) {
                Some(&Value::Thread(co)) if nargs > 0 => (co, base + 1),
                _ => return Err(self.resume_arg_error(base, nargs)),
            },
            Some(Value::Thread(co)) => (co, base),
            Some(_) => {
                let e = self.str_value(b"cannot resume dead coroutine")?;
                return self.resume_failed(LuaError::runtime(e), true);
            }
        };
        self.top = end;
        match self.resume_at(co, first, end - first) {
            Ok((_, n)) => {
                if wrap.is_some() {
                    Ok(n)
                } else {
                    // `true` goes into the coroutine's slot, just below
                    // the results.
                    self.stack[base] = Value::Boolean(true);
                    Ok(n + 1)
                }
            }
            Err(e) => self.resume_failed(e, wrap.is_some()),
        }
    }

    /// `resume`'s `false, message`, or the error a wrap function raises.
    #[cold]
    fn resume_failed(&mut self, e: LuaError, wrap: bool) -> LuaResult<usize> {
        if e.kind == ErrorKind::Interrupted {
            return Err(e);
        }
        if !wrap {
            self.push(Value::Boolean(false))?;
            self.push(e.value)?;
            return Ok(2);
        }
        // A string (or number) message gets the caller's position.
        let v = match e.value {
            Value::String(s) => {
                let mut m = self.where_(1);
                m.extend_from_slice(self.str_bytes(s));
                self.str_value(&m)?
            }
            Value::Number(n) => {
                let mut m = self.where_(1);
                m.extend_from_slice(&ferrous_value::number::fmt_number(n));
                self.str_value(&m)?
            }
            other => other,
        };
        Err(LuaError::runtime(v))
    }

    #[cold]
    fn resume_arg_error(&mut self, base: usize, nargs: usize) -> LuaError {
        let func = self.frames.last().map(|f| f.closure).unwrap_or_default();
        let mut ctx = Ctx {
            vm: self,
            base,
            nargs,
            func,
        };
        ctx.arg_error(1, "coroutine expected")
    }

    /// A call of `coroutine.resume` or of a wrap function from the loop
    /// with no hook set: [`Vm::call_native_with`] without the [`Ctx`] and
    /// the function pointer. `wrap` is the function's first upvalue (none
    /// for `resume`).
    pub(crate) fn call_resume(
        &mut self,
        func: usize,
        fref: ferrous_value::FnRef,
        wrap: Option<Value>,
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
            ferrous_value::TableRef::default(),
            fref,
            None,
            ferrous_heap::UpvalListPtr::EMPTY,
        );
        let n = self.resume_call(base, nargs, wrap)?;
        // (The coroutine may have set a hook on this thread: its return
        // hook runs.)
        self.native_return(func, n, nresults)
    }

    /// Exchanges the VM's running state with the one kept in `th`, the
    /// hook states too when `hooks`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn swap_state(
        stack: &mut Vec<Value>,
        top: &mut usize,
        frames: &mut Vec<crate::state::CallFrame>,
        open: &mut Vec<(u32, ferrous_value::UpvalRef)>,
        hook: &mut crate::debug::HookState,
        hooks: bool,
        th: &mut Thread,
    ) {
        std::mem::swap(stack, &mut th.stack);
        std::mem::swap(top, &mut th.top);
        std::mem::swap(frames, &mut th.frames);
        std::mem::swap(open, &mut th.open_upvals);
        if hooks {
            std::mem::swap(hook, &mut th.hook);
        }
    }

    /// Resumes suspended coroutine `co` with `args` and returns what it
    /// yielded or returned. A failure inside the coroutine kills it and
    /// comes back as `Err`; the caller checks the status beforehand
    /// (`coroutine.resume` words those errors).
    pub fn resume(&mut self, co: ThreadRef, args: &[Value]) -> LuaResult<Resumed> {
        let first = self.top;
        for &a in args {
            self.push(a)?;
        }
        let r = self.resume_at(co, first, args.len());
        let out = match r {
            Ok((done, n)) => {
                let vals = self.stack[self.top - n..self.top].to_vec();
                Ok(if done {
                    Resumed::Returned(vals)
                } else {
                    Resumed::Yielded(vals)
                })
            }
            Err(e) => Err(e),
        };
        self.top = first;
        out
    }

    /// Resumes `co` with the `nargs` values at `stack[first..]` of the
    /// running thread (they are consumed: the top drops to `first`). On
    /// success the coroutine's results are pushed at `first` and the
    /// function returns (finished, count); on failure the top is `first`.
    ///
    /// The switch is one exchange each way: the coroutine's state moves
    /// into the VM and the resumer's into the coroutine's object, where it
    /// waits (see [`Vm::state_holder`]) until the coroutine yields, returns
    /// or fails and the same exchange brings it back.
    pub fn resume_at(
        &mut self,
        co: ThreadRef,
        first: usize,
        nargs: usize,
    ) -> LuaResult<(bool, usize)> {
        if self.c_depth >= MAX_C_CALLS {
            self.top = first;
            let v = self.str_value(b"C stack overflow")?;
            return Err(LuaError::with_kind(ErrorKind::Runtime, v));
        }
        let resumer = self.thread;
        // A running or normal coroutine's object says Running; a dead one
        // says Dead or has no frames left.
        let th = match self.heap.threads_mut().get_mut(co) {
            Some(th)
                if co != resumer
                    && th.status == CoStatus::Suspended
                    && !(th.started && th.frames.is_empty()) =>
            {
                th
            }
            _ => {
                self.top = first;
                return Err(self.not_resumable(co));
            }
        };
        // Hand the arguments over into the coroutine's own stack, then
        // make it the running thread.
        let started = th.started;
        th.started = true;
        let base = if started { th.top } else { 1 };
        let need = base + nargs + 1;
        let mut grown = 0usize;
        if th.stack.len() < need {
            let before = th.stack.capacity();
            th.stack.resize(need.max(8), Value::Nil);
            grown = (th.stack.capacity() - before) * std::mem::size_of::<Value>();
        }
        copy_values(
            &mut th.stack[base..base + nargs],
            &self.stack[first..first + nargs],
        );
        th.top = base + nargs;
        th.status = CoStatus::Running;
        // The resumer keeps its stack minus the arguments.
        self.top = first;
        Self::swap_state(
            &mut self.stack,
            &mut self.top,
            &mut self.frames,
            &mut self.open_upvals,
            &mut self.hook,
            self.hooks_used,
            th,
        );
        self.thread = co;
        if grown > 0 {
            let _ = self.heap.adjust_bytes(grown as isize);
        }
        self.resume_chain.push(resumer);
        self.c_depth += 1;
        let saved_yield = self.yield_depth;
        self.yield_depth = self.c_depth;
        self.handlers.push(Handler::None);

        let r = self.run_coroutine(started, nargs);

        self.handlers.pop();
        self.yield_depth = saved_yield;
        self.c_depth -= 1;
        self.resume_chain.pop();
        // Which values go back: a finished coroutine's whole stack, a
        // yielding one's top values (the arguments of its yield).
        let (status, outcome) = match r {
            Ok(false) => (CoStatus::Dead, Ok((true, 0, self.top))),
            Ok(true) => {
                let from = self
                    .frames
                    .last()
                    .map_or(self.top, |f| f.base)
                    .min(self.top);
                (CoStatus::Suspended, Ok((false, from, self.top - from)))
            }
            Err(e) if e.kind == ErrorKind::Yield => {
                let n = e.nyield.min(self.top);
                (CoStatus::Suspended, Ok((false, self.top - n, n)))
            }
            Err(e) => (CoStatus::Dead, Err(e)),
        };
        // Back to the resumer, whose state waited in the coroutine's
        // object; the coroutine is suspended or dead. Its results are
        // copied from its stack while both are at hand.
        let Some(th) = self.heap.threads_mut().get_mut(co) else {
            return Err(self.rt_error("cannot resume dead coroutine"));
        };
        Self::swap_state(
            &mut self.stack,
            &mut self.top,
            &mut self.frames,
            &mut self.open_upvals,
            &mut self.hook,
            // (It never goes back to false: if it was true at the
            // resume, the states were exchanged then.)
            self.hooks_used,
            th,
        );
        th.status = status;
        self.thread = resumer;
        match outcome {
            Ok((done, from, n)) => {
                let src = th.stack.get(from..from + n).unwrap_or(&[]);
                let n = src.len();
                if first + n <= self.stack.len() {
                    copy_values(&mut self.stack[first..first + n], src);
                    th.top = from;
                } else {
                    // Rare: the resumer's stack must grow first.
                    self.ensure_stack(first + n)?;
                    if let Some(th) = self.heap.threads_mut().get_mut(co) {
                        let src = th.stack.get(from..from + n).unwrap_or(&[]);
                        copy_values(&mut self.stack[first..first + src.len()], src);
                        th.top = from;
                    }
                }
                self.top = first + n;
                Ok((done, n))
            }
            Err(mut e) => {
                e.handled = true;
                Err(e)
            }
        }
    }

    /// The error for resuming a thread that is not suspended, in the
    /// library's words.
    #[cold]
    fn not_resumable(&mut self, co: ThreadRef) -> LuaError {
        let msg = format!("cannot resume {} coroutine", self.thread_status(co).name());
        self.rt_error(msg)
    }

    /// Runs the coroutine (now the running thread), whose `nargs`
    /// arguments are on top of its stack. Returns true when it yielded
    /// from its loop.
    fn run_coroutine(&mut self, started: bool, nargs: usize) -> LuaResult<bool> {
        let base = self.top - nargs;
        if !started {
            // stack[0] is the function; the arguments follow it.
            if self.precall(0, -1)? {
                return self.execute(0);
            }
            return Ok(false);
        }
        // Suspended in a yield, whose frame is on top: the resume
        // arguments become its results. The yield returns now, so a return
        // hook sees it (as Lua 5.1's, which reports it when resumed).
        if self.hook.mask & crate::debug::MASK_RET != 0 && !self.frames.is_empty() {
            let fi = self.frames.len() - 1;
            self.return_hooks(fi)?;
        }
        // Read in place and dropped in place: the frame is not copied out.
        let (dst, w) = match self.frames.last() {
            Some(f) => (f.func, f.nresults),
            None => return Err(self.rt_error("cannot resume dead coroutine")),
        };
        self.frames.truncate(self.frames.len() - 1);
        if w >= 0 && dst + w as usize <= self.stack.len() && dst < base {
            // The common case (`v = coroutine.yield(x)`, or a generic
            // `for` resuming a wrap generator with its two values): the
            // arguments move down into the fixed result slots, cut or
            // padded with nils.
            let w = w as usize;
            let k = nargs.min(w);
            for i in 0..k {
                self.stack[dst + i] = self.stack[base + i];
            }
            for v in &mut self.stack[dst + k..dst + w] {
                *v = Value::Nil;
            }
            self.top = dst + w;
        } else {
            self.place_results(dst, base, nargs, w)?;
        }
        if !self.frames.is_empty() {
            // The Lua frame below continues after its CALL; a fixed result
            // count restores its top.
            if w >= 0 {
                if let Some(f) = self.frames.last() {
                    self.top = self.top.max(f.stack_extent());
                }
            }
            return self.execute(0);
        }
        Ok(false)
    }
}

impl Ctx<'_> {
    /// Resumes `co` with this call's arguments `from..=nargs()`, taken
    /// where they lie when they are the top of the stack (nothing pushed
    /// since the call began), else pushed again first. As
    /// [`Vm::resume_at`]: on success the coroutine's results are the top
    /// `n` values, starting where argument `from` was (or where the copies
    /// began); on failure the top is there.
    pub fn resume_args(&mut self, co: ThreadRef, from: usize) -> LuaResult<(bool, usize)> {
        let from = from.max(1);
        let end = self.base + self.nargs;
        if self.vm.top == end {
            let first = (self.base + from - 1).min(end);
            return self.vm.resume_at(co, first, end - first);
        }
        let first = self.vm.top;
        for i in from..=self.nargs {
            let v = self.arg(i);
            self.vm.push(v)?;
        }
        let n = self.vm.top - first;
        self.vm.resume_at(co, first, n)
    }
}

/// Copies `src` into `dst` (of the same length) value by value: resume and
/// yield move one or two values, for which a `memcpy` call costs more than
/// the copy.
#[inline]
fn copy_values(dst: &mut [Value], src: &[Value]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
    }
}
