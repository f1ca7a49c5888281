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
use crate::state::{Handler, Vm, MAX_C_CALLS};

/// What `resume` produced.
#[derive(Debug)]
pub enum Resumed {
    /// The coroutine yielded these values.
    Yielded(Vec<Value>),
    /// The coroutine finished, returning these values.
    Returned(Vec<Value>),
}

/// Running state of a thread, swapped in and out of the VM.
struct Running {
    stack: Vec<Value>,
    top: usize,
    frames: Vec<crate::state::CallFrame>,
    open_upvals: Vec<(u32, ferrous_value::UpvalRef)>,
    hook: crate::debug::HookState,
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
        match self.heap.threads().get(t) {
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

    fn take_running(&mut self) -> Running {
        Running {
            stack: std::mem::take(&mut self.stack),
            top: self.top,
            frames: std::mem::take(&mut self.frames),
            open_upvals: std::mem::take(&mut self.open_upvals),
            hook: self.hook,
        }
    }

    fn put_running(&mut self, r: Running) {
        self.stack = r.stack;
        self.top = r.top;
        self.frames = r.frames;
        self.open_upvals = r.open_upvals;
        self.hook = r.hook;
    }

    /// Resumes suspended coroutine `co` with `args`. A failure inside the
    /// coroutine kills it and comes back as `Err`; the caller checks the
    /// status beforehand (`coroutine.resume` words those errors).
    pub fn resume(&mut self, co: ThreadRef, args: &[Value]) -> LuaResult<Resumed> {
        if self.c_depth >= MAX_C_CALLS {
            let v = self.str_value(b"C stack overflow")?;
            return Err(LuaError::with_kind(ErrorKind::Runtime, v));
        }
        let Some(th) = self.heap.threads_mut().get_mut(co) else {
            return Err(self.rt_error("cannot resume dead coroutine"));
        };
        // Swap the coroutine in.
        let incoming = Running {
            stack: std::mem::take(&mut th.stack),
            top: th.top,
            frames: std::mem::take(&mut th.frames),
            open_upvals: std::mem::take(&mut th.open_upvals),
            hook: th.hook,
        };
        let started = th.started;
        th.started = true;
        th.status = CoStatus::Running;
        let resumer = self.thread;
        let outgoing = self.take_running();
        if let Some(me) = self.heap.threads_mut().get_mut(resumer) {
            me.stack = outgoing.stack;
            me.top = outgoing.top;
            me.frames = outgoing.frames;
            me.open_upvals = outgoing.open_upvals;
            me.hook = outgoing.hook;
            me.status = CoStatus::Normal;
        }
        self.put_running(incoming);
        self.thread = co;
        self.resume_chain.push(resumer);
        self.c_depth += 1;
        let saved_yield = self.yield_depth;
        self.yield_depth = self.c_depth;
        self.handlers.push(Handler::None);

        let r = self.run_coroutine(started, args);

        self.handlers.pop();
        self.yield_depth = saved_yield;
        self.c_depth -= 1;
        self.resume_chain.pop();
        // Collect the outcome from the coroutine's stack before swapping.
        let outcome = match r {
            Ok(()) => {
                let vals = self.stack[..self.top].to_vec();
                self.top = 0;
                Ok((CoStatus::Dead, Resumed::Returned(vals)))
            }
            Err(e) if e.kind == ErrorKind::Yield => {
                let n = e.nyield.min(self.top);
                let vals = self.stack[self.top - n..self.top].to_vec();
                self.top -= n;
                Ok((CoStatus::Suspended, Resumed::Yielded(vals)))
            }
            Err(e) => Err(e),
        };
        let finished = self.take_running();
        self.put_back(co, resumer, finished);
        match outcome {
            Ok((status, res)) => {
                if let Some(th) = self.heap.threads_mut().get_mut(co) {
                    th.status = status;
                }
                Ok(res)
            }
            Err(mut e) => {
                if let Some(th) = self.heap.threads_mut().get_mut(co) {
                    th.status = CoStatus::Dead;
                }
                e.handled = true;
                Err(e)
            }
        }
    }

    /// Swaps the coroutine out and the resumer back in.
    fn put_back(&mut self, co: ThreadRef, resumer: ThreadRef, finished: Running) {
        if let Some(th) = self.heap.threads_mut().get_mut(co) {
            th.stack = finished.stack;
            th.top = finished.top;
            th.frames = finished.frames;
            th.open_upvals = finished.open_upvals;
            th.hook = finished.hook;
        }
        let back = match self.heap.threads_mut().get_mut(resumer) {
            Some(me) => {
                me.status = CoStatus::Running;
                Running {
                    stack: std::mem::take(&mut me.stack),
                    top: me.top,
                    frames: std::mem::take(&mut me.frames),
                    open_upvals: std::mem::take(&mut me.open_upvals),
                    hook: me.hook,
                }
            }
            None => Running {
                stack: vec![Value::Nil; 8],
                top: 0,
                frames: Vec::new(),
                open_upvals: Vec::new(),
                hook: crate::debug::HookState::default(),
            },
        };
        self.put_running(back);
        self.thread = resumer;
    }

    fn run_coroutine(&mut self, started: bool, args: &[Value]) -> LuaResult<()> {
        if !started {
            // stack[0] is the function; the arguments follow it.
            self.top = 1;
            for &a in args {
                self.push(a)?;
            }
            if self.precall(0, -1)? {
                self.execute(0)?;
            }
            return Ok(());
        }
        // Suspended in a yield: its native frame is on top; the resume
        // arguments become its results.
        let Some(frame) = self.frames.pop() else {
            return Err(self.rt_error("cannot resume dead coroutine"));
        };
        let first = self.top;
        for &a in args {
            self.push(a)?;
        }
        self.place_results(frame.func, first, args.len(), frame.nresults)?;
        if !self.frames.is_empty() {
            // The Lua frame below continues after its CALL; a fixed result
            // count restores its top.
            if frame.nresults >= 0 {
                if let Some(f) = self.frames.last() {
                    self.top = self.top.max(f.stack_extent());
                }
            }
            self.execute(0)?;
        }
        Ok(())
    }
}
