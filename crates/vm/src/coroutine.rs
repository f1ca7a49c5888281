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

    /// Exchanges the VM's running state with a thread object's.
    fn swap_state(&mut self, t: ThreadRef) -> bool {
        let Some(th) = self.heap.threads_mut().get_mut(t) else {
            return false;
        };
        std::mem::swap(&mut self.stack, &mut th.stack);
        std::mem::swap(&mut self.top, &mut th.top);
        std::mem::swap(&mut self.frames, &mut th.frames);
        std::mem::swap(&mut self.open_upvals, &mut th.open_upvals);
        std::mem::swap(&mut self.hook, &mut th.hook);
        true
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
        let started = match self.heap.threads_mut().get_mut(co) {
            Some(th) => {
                let s = th.started;
                th.started = true;
                th.status = CoStatus::Running;
                s
            }
            None => {
                self.top = first;
                return Err(self.rt_error("cannot resume dead coroutine"));
            }
        };
        let resumer = self.thread;
        // The resumer keeps its stack minus the arguments.
        self.top = first;
        if !self.swap_state(resumer) || !self.swap_state(co) {
            return Err(self.rt_error("cannot resume dead coroutine"));
        }
        // Now: the resumer's state is in its thread object, the
        // coroutine's in the VM.
        if let Some(me) = self.heap.threads_mut().get_mut(resumer) {
            me.status = CoStatus::Normal;
        }
        self.thread = co;
        self.resume_chain.push(resumer);
        self.c_depth += 1;
        let saved_yield = self.yield_depth;
        self.yield_depth = self.c_depth;
        self.handlers.push(Handler::None);

        let r = self.run_coroutine(started, resumer, first, nargs);

        self.handlers.pop();
        self.yield_depth = saved_yield;
        self.c_depth -= 1;
        self.resume_chain.pop();
        // How many values go back, and where they are in this stack.
        let (status, outcome) = match r {
            Ok(()) => (CoStatus::Dead, Ok((true, 0, self.top))),
            Err(e) if e.kind == ErrorKind::Yield => {
                let n = e.nyield.min(self.top);
                let from = self.top - n;
                (CoStatus::Suspended, Ok((false, from, n)))
            }
            Err(e) => (CoStatus::Dead, Err(e)),
        };
        // Swap the coroutine out and the resumer back in.
        self.swap_state(co);
        self.swap_state(resumer);
        self.thread = resumer;
        if let Some(me) = self.heap.threads_mut().get_mut(resumer) {
            me.status = CoStatus::Running;
        }
        if let Some(th) = self.heap.threads_mut().get_mut(co) {
            th.status = status;
        }
        match outcome {
            Ok((done, from, n)) => {
                // A finished coroutine returns its whole stack (from 0),
                // a yielding one its top n values; they leave its stack.
                self.ensure_stack(first + n)?;
                if let Some(th) = self.heap.threads_mut().get_mut(co) {
                    let src = th.stack.get(from..from + n).unwrap_or(&[]);
                    self.stack[first..first + src.len()].copy_from_slice(src);
                    th.top = from;
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

    /// Runs the coroutine (now the running thread) with the `nargs`
    /// arguments the resumer left at `first` of its own stack.
    fn run_coroutine(
        &mut self,
        started: bool,
        resumer: ThreadRef,
        first: usize,
        nargs: usize,
    ) -> LuaResult<()> {
        let base = if started { self.top } else { 1 };
        self.ensure_stack(base + nargs + 1)?;
        if let Some(me) = self.heap.threads().get(resumer) {
            let src = me.stack.get(first..first + nargs).unwrap_or(&[]);
            self.stack[base..base + src.len()].copy_from_slice(src);
        }
        self.top = base + nargs;
        if !started {
            // stack[0] is the function; the arguments follow it.
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
        self.place_results(frame.func, base, nargs, frame.nresults)?;
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
