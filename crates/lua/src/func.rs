//! Rust functions callable from Lua, Lua functions callable from Rust,
//! and coroutines.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use ferrous_vm::{CoStatus, Ctx, LuaResult, Native};

use crate::conv::{FromLuaMulti, IntoLuaMulti};
use crate::error::{Error, Result};
use crate::value::{Function, Thread};
use crate::{LuaState, MaybeSend, RawValue};

/// A callback in the facade's own form: the state, the stack slot of the
/// first argument and the number of arguments; it pushes its results and
/// returns how many.
/// The error is boxed so the result comes back in registers (a large
/// `Result` returned through memory costs a store-forwarding stall on
/// every call).
pub(crate) type Callback = Rc<dyn Fn(&mut LuaState, usize, usize) -> CbResult>;

/// What a [`Callback`] returns.
pub(crate) type CbResult = std::result::Result<usize, Box<Error>>;

/// Boxes the error of a callback body.
#[inline(always)]
pub(crate) fn cb(r: Result<usize>) -> CbResult {
    r.map_err(Box::new)
}

/// The native closure running a callback: panics are caught here, at the
/// boundary, and become Lua errors; the callback's errors are raised as
/// Lua errors.
pub(crate) fn native_for(cb: Callback) -> Native {
    native_of(move |lua: &mut LuaState, base: usize, n: usize| cb(lua, base, n))
}

/// [`native_for`] with the callback's code known (one dynamic call per
/// call from Lua instead of two).
pub(crate) fn native_of<F>(cb: F) -> Native
where
    F: Fn(&mut LuaState, usize, usize) -> CbResult + 'static,
{
    Native::Closure(Rc::new(move |ctx: &mut Ctx<'_>| -> LuaResult<usize> {
        let base = ctx.base();
        let n = ctx.nargs();
        let r = {
            let lua = LuaState::from_vm(&mut *ctx.vm);
            // (Released pins wait for the next operation from the host.)
            catch_unwind(AssertUnwindSafe(|| cb(lua, base, n)))
        };
        match r {
            Ok(Ok(k)) => Ok(k),
            Ok(Err(e)) => Err(LuaState::raise(ctx, *e)),
            Err(payload) => Err(LuaState::raise_panic(ctx, payload)),
        }
    }))
}

impl LuaState {
    pub(crate) fn create_callback(
        &mut self,
        cb: Callback,
        upvals: Vec<RawValue>,
    ) -> Result<Function> {
        self.create_native(native_for(cb), upvals)
    }

    pub(crate) fn create_native(&mut self, f: Native, upvals: Vec<RawValue>) -> Result<Function> {
        self.release_pins();
        let v = self
            .vm
            .native_closure(f, upvals)
            .map_err(|e| self.convert_error(e))?;
        Ok(Function(self.pin_raw(v)))
    }

    /// A Rust function callable from Lua, with typed arguments and
    /// results: `A` is a tuple of [`FromLua`](crate::FromLua) types (or
    /// anything [`FromLuaMulti`]), `R` a tuple of results. An argument
    /// that does not convert raises Lua's `bad argument #n to 'f' (...)`;
    /// an `Err` is raised as a Lua error; a panic is caught and raised as
    /// a Lua error too (see [`LuaOptions`](crate::LuaOptions)).
    pub fn create_function<A, R, F>(&mut self, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, A) -> Result<R> + MaybeSend + 'static,
    {
        let native = native_of(move |lua: &mut LuaState, base: usize, n: usize| {
            cb((|| {
                let a = A::from_stack(lua, base, n, 1)?;
                let r = f(lua, a)?;
                r.push_into(lua)
            })())
        });
        self.create_native(native, Vec::new())
    }

    /// [`LuaState::create_function`] for a closure that mutates its captures.
    /// Calling it again while it runs (from Lua code it called) is an
    /// [`Error::RecursiveMutCallback`].
    pub fn create_function_mut<A, R, F>(&mut self, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&mut LuaState, A) -> Result<R> + MaybeSend + 'static,
    {
        let f = RefCell::new(f);
        let native = native_of(move |lua: &mut LuaState, base: usize, n: usize| {
            cb((|| {
                let a = A::from_stack(lua, base, n, 1)?;
                let mut f = f
                    .try_borrow_mut()
                    .map_err(|_| Error::RecursiveMutCallback)?;
                let r = (*f)(lua, a)?;
                drop(f);
                r.push_into(lua)
            })())
        });
        self.create_native(native, Vec::new())
    }

    /// A function on the VM's own native interface: it receives a [`Ctx`]
    /// (arguments on the stack, Lua's argument checks), pushes its results
    /// and returns how many. The fastest crossing; panics are caught as in
    /// [`LuaState::create_function`].
    #[cfg(not(feature = "send"))]
    pub fn create_raw_function<F>(&mut self, f: F) -> Result<Function>
    where
        F: Fn(&mut Ctx<'_>) -> LuaResult<usize> + 'static,
    {
        self.raw_function(f)
    }

    /// A function on the VM's own native interface: it receives a [`Ctx`]
    /// (arguments on the stack, Lua's argument checks), pushes its results
    /// and returns how many. The fastest crossing; panics are caught as in
    /// [`LuaState::create_function`].
    ///
    /// # Safety
    ///
    /// With the feature `send` the state may move to another thread, and
    /// the [`Ctx`] gives the function the whole VM. The function must not
    /// replace the VM (`std::mem::swap` or `replace` of `ctx.vm`), nor
    /// store in it anything that is not `Send` (`embedder`, native
    /// closures, userdata payloads, hooks), nor keep clones of the VM's
    /// `Rc`s (prototypes, native closures, buffers) beyond its call.
    #[cfg(feature = "send")]
    pub unsafe fn create_raw_function<F>(&mut self, f: F) -> Result<Function>
    where
        F: Fn(&mut Ctx<'_>) -> LuaResult<usize> + Send + 'static,
    {
        self.raw_function(f)
    }

    fn raw_function<F>(&mut self, f: F) -> Result<Function>
    where
        F: Fn(&mut Ctx<'_>) -> LuaResult<usize> + 'static,
    {
        self.release_pins();
        let native = Native::Closure(Rc::new(move |ctx: &mut Ctx<'_>| {
            match catch_unwind(AssertUnwindSafe(|| f(ctx))) {
                Ok(r) => r,
                Err(payload) => Err(LuaState::raise_panic(ctx, payload)),
            }
        }));
        let v = self
            .vm
            .native_closure(native, Vec::new())
            .map_err(|e| self.convert_error(e))?;
        Ok(Function(self.pin_raw(v)))
    }

    /// A coroutine that will run `f`.
    pub fn create_thread(&mut self, f: &Function) -> Result<Thread> {
        self.release_pins();
        let f = self.raw_of(&f.0)?;
        let t = self.vm.new_thread(f).map_err(|e| self.convert_error(e))?;
        Ok(Thread(self.pin_raw(RawValue::Thread(t))))
    }
}

impl Function {
    /// Calls the function with `args` (a tuple, a single value, `()`...)
    /// and converts its results. Errors come back with their value and a
    /// traceback ([`Error::Runtime`]), or as the Rust error a callback
    /// raised ([`Error::Callback`]).
    pub fn call<R: FromLuaMulti>(&self, lua: &mut LuaState, args: impl IntoLuaMulti) -> Result<R> {
        let f = lua.raw_of(&self.0)?;
        lua.call_raw(f, args)
    }

    /// A function that calls this one with `args` first, then its own
    /// arguments.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let sub: ferrous_lua::Function = lua.load("return function(a, b) return a - b end").eval().unwrap();
    /// let from_ten = sub.bind(&mut lua, 10).unwrap();
    /// assert_eq!(from_ten.call::<i64>(&mut lua, 3).unwrap(), 7);
    /// ```
    pub fn bind(&self, lua: &mut LuaState, args: impl IntoLuaMulti) -> Result<Function> {
        let bound = args.into_lua_multi(lua)?;
        let f = self.clone();
        lua.create_function(move |lua, rest: crate::MultiValue| {
            let mut all = bound.clone();
            all.extend(rest);
            f.call::<crate::MultiValue>(lua, all)
        })
    }

    /// The function's environment (`getfenv(f)`), `None` for a Rust one.
    pub fn environment(&self, lua: &mut LuaState) -> Result<Option<crate::Table>> {
        let RawValue::Function(f) = lua.raw_of(&self.0)? else {
            return Ok(None);
        };
        if lua.vm.is_native(f) {
            return Ok(None);
        }
        match lua.vm.function_env(f) {
            Some(t) => Ok(Some(crate::Table(lua.pin_raw(RawValue::Table(t))))),
            None => Ok(None),
        }
    }

    /// Sets the function's environment (`setfenv(f, t)`); false for a
    /// Rust function.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let f: ferrous_lua::Function = lua.load("return function() return x end").eval().unwrap();
    /// let env = lua.create_table_from([("x", 9)]).unwrap();
    /// assert!(f.set_environment(&mut lua, &env).unwrap());
    /// assert_eq!(f.call::<i64>(&mut lua, ()).unwrap(), 9);
    /// ```
    pub fn set_environment(&self, lua: &mut LuaState, env: &crate::Table) -> Result<bool> {
        let RawValue::Function(f) = lua.raw_of(&self.0)? else {
            return Ok(false);
        };
        let RawValue::Table(t) = lua.raw_of(&env.0)? else {
            return Ok(false);
        };
        Ok(lua.vm.set_function_env(f, t))
    }

    /// The function as a binary chunk (`string.dump`: Lua 5.1's format,
    /// the bytes `luac5.1` writes); `None` for a Rust function, an error
    /// for a function beyond 5.1's format (more than 250 registers, more
    /// constants or longer jumps than its operands hold).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let f: ferrous_lua::Function = lua.load("return function() return 5 end").eval().unwrap();
    /// let bytes = f.dump(&mut lua).unwrap().unwrap();
    /// assert_eq!(lua.load(&bytes).eval::<i64>().unwrap(), 5);
    /// ```
    pub fn dump(&self, lua: &mut LuaState) -> Result<Option<Vec<u8>>> {
        let f = lua.raw_of(&self.0)?;
        match ferrous_stdlib::dump::dump_function(&lua.vm, f) {
            None => Ok(None),
            Some(Ok(bytes)) => Ok(Some(bytes)),
            Some(Err(e)) => Err(Error::runtime(format!(
                "unable to dump given function: {e}"
            ))),
        }
    }
}

/// Where a coroutine stands.
///
/// ```
/// use ferrous_lua::{Function, Lua, ThreadStatus};
///
/// let mut lua = Lua::new();
/// let body: Function = lua.load("return function() coroutine.yield(1) end").eval().unwrap();
/// let co = lua.create_thread(&body).unwrap();
/// assert_eq!(co.status(&mut lua).unwrap(), ThreadStatus::Resumable);
/// assert_eq!(co.resume::<i64>(&mut lua, ()).unwrap(), 1);
/// assert_eq!(co.status(&mut lua).unwrap(), ThreadStatus::Resumable);
/// co.resume::<()>(&mut lua, ()).unwrap();
/// assert_eq!(co.status(&mut lua).unwrap(), ThreadStatus::Finished);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadStatus {
    /// It can be resumed (not started yet, or suspended in a yield).
    Resumable,
    /// It is running (it is the current coroutine or resumed another).
    Running,
    /// It returned.
    Finished,
    /// It failed with an error.
    Error,
}

impl Thread {
    /// Resumes the coroutine with `args`; returns what it yielded or
    /// returned. An error inside it kills it and comes back as `Err`.
    pub fn resume<R: FromLuaMulti>(
        &self,
        lua: &mut LuaState,
        args: impl IntoLuaMulti,
    ) -> Result<R> {
        let RawValue::Thread(t) = lua.raw_of(&self.0)? else {
            return Err(Error::WrongState);
        };
        match self.status(lua)? {
            ThreadStatus::Resumable => {}
            ThreadStatus::Running => {
                return Err(Error::runtime("cannot resume non-suspended coroutine"))
            }
            _ => return Err(Error::runtime("cannot resume dead coroutine")),
        }
        lua.release_pins();
        let base = lua.vm.stack_top();
        let n = match args.push_into(lua) {
            Ok(n) => n,
            Err(e) => {
                let _ = lua.vm.set_stack_top(base);
                return Err(e);
            }
        };
        let g = lua.enter();
        let r = lua.vm.protect(None, |vm| vm.resume_at(t, base, n));
        match r {
            Ok((_done, k)) => {
                let first = lua.vm.stack_top().saturating_sub(k);
                let out = R::from_stack(lua, first, k, 1);
                let _ = lua.vm.set_stack_top(base);
                drop(g);
                out.map_err(|e| match e {
                    Error::BadArgument { cause, .. } => (*cause).clone(),
                    e => e,
                })
            }
            Err(e) => {
                let _ = lua.vm.set_stack_top(base);
                drop(g);
                lua.st().failed_threads.insert(t);
                Err(lua.convert_error(e))
            }
        }
    }

    /// The coroutine's status.
    pub fn status(&self, lua: &mut LuaState) -> Result<ThreadStatus> {
        let RawValue::Thread(t) = lua.raw_of(&self.0)? else {
            return Err(Error::WrongState);
        };
        let errored = lua.st().failed_threads.contains(&t);
        Ok(match lua.vm.thread_status(t) {
            CoStatus::Suspended => ThreadStatus::Resumable,
            CoStatus::Running | CoStatus::Normal => ThreadStatus::Running,
            CoStatus::Dead if errored => ThreadStatus::Error,
            CoStatus::Dead => ThreadStatus::Finished,
        })
    }
}

/// A [`Callback`] that may borrow data living for `'env`.
type ScopedCallback<'env> = Rc<dyn Fn(&mut LuaState, usize, usize) -> CbResult + 'env>;

/// Functions that may borrow from the stack frame that made them, valid
/// until [`LuaState::scope`] returns (then calling them is a Lua error).
///
/// ```
/// use ferrous_lua::Lua;
///
/// let mut lua = Lua::new();
/// let limit = 3; // borrowed, not moved, by the scoped function
/// let n: i64 = lua
///     .scope(|lua, scope| {
///         let f = scope.create_function(lua, |_, x: i64| Ok(x.min(limit)))?;
///         f.call(lua, 10)
///     })
///     .unwrap();
/// assert_eq!(n, 3);
/// ```
pub struct Scope<'env> {
    made: RefCell<Vec<Function>>,
    // Invariant in 'env, as a borrow of the caller's data would be.
    _env: std::marker::PhantomData<&'env mut &'env ()>,
}

fn scope_ended(ctx: &mut Ctx<'_>) -> LuaResult<usize> {
    Err(ctx.error("callback called after its scope ended"))
}

impl<'env> Scope<'env> {
    /// [`LuaState::create_function`] for a closure that borrows local data.
    pub fn create_function<A, R, F>(&self, lua: &mut LuaState, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, A) -> Result<R> + 'env,
    {
        let body: ScopedCallback<'env> =
            Rc::new(move |lua: &mut LuaState, base: usize, n: usize| {
                cb((|| {
                    let a = A::from_stack(lua, base, n, 1)?;
                    f(lua, a)?.push_into(lua)
                })())
            });
        // SAFETY: only the lifetime bound changes (same layout). The
        // closure is dropped, and the Lua function made unable to reach
        // it, when `Lua::scope` ends, before 'env can end; a Rust callback
        // cannot be suspended, so it is not running at that point.
        let body: Callback = unsafe { std::mem::transmute::<ScopedCallback<'env>, Callback>(body) };
        let f = lua.create_callback(body, Vec::new())?;
        self.made.borrow_mut().push(f.clone());
        Ok(f)
    }

    /// [`LuaState::create_function_mut`] for a closure that borrows local data.
    pub fn create_function_mut<A, R, F>(&self, lua: &mut LuaState, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&mut LuaState, A) -> Result<R> + 'env,
    {
        let f = RefCell::new(f);
        self.create_function(lua, move |lua, a: A| {
            let mut f = f
                .try_borrow_mut()
                .map_err(|_| Error::RecursiveMutCallback)?;
            (*f)(lua, a)
        })
    }
}

impl LuaState {
    /// Runs `f` with a [`Scope`] whose functions may borrow local data
    /// (no `'static` bound). When `f` returns (or panics) those functions
    /// drop their closures; Lua code that kept them gets an error
    /// calling them.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let mut seen = Vec::new();
    /// lua.scope(|lua, scope| {
    ///     let f = scope.create_function_mut(lua, |_, s: String| {
    ///         seen.push(s);
    ///         Ok(())
    ///     })?;
    ///     lua.set_global("record", f)?;
    ///     lua.load("record('a') record('b')").exec()
    /// })
    /// .unwrap();
    /// assert_eq!(seen, ["a", "b"]);
    /// // The function outlived its scope in Lua: calling it is an error.
    /// assert!(lua.load("record('c')").exec().is_err());
    /// ```
    pub fn scope<'env, R>(
        &mut self,
        f: impl FnOnce(&mut LuaState, &Scope<'env>) -> Result<R>,
    ) -> Result<R> {
        let scope = Scope {
            made: RefCell::new(Vec::new()),
            _env: std::marker::PhantomData,
        };
        let r = catch_unwind(AssertUnwindSafe(|| f(self, &scope)));
        for func in scope.made.take() {
            if let Ok(RawValue::Function(fr)) = self.raw_of(&func.0) {
                if let Some(ferrous_vm::Function::Native(nc)) =
                    self.vm.heap.functions_mut().get_mut(fr)
                {
                    // Drops the closure (and its borrows) now.
                    nc.f = Native::Fn(scope_ended);
                }
            }
        }
        match r {
            Ok(r) => r,
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }
}
