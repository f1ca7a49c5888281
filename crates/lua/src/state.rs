//! [`Lua`]: the state, its bookkeeping, and the crossing between Rust and
//! Lua (protected calls, error conversion, panics, output sink).

use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ferrous_stdlib::output::{set_thread_sink, Sink};
use ferrous_vm::{Ctx, ErrorKind, LuaError, LuaResult, Vm};

use crate::conv::{FromLua, FromLuaMulti, IntoLua, IntoLuaMulti};
use crate::error::{Error, Result};
use crate::value::{Function, LuaString, Pinned, RegistryKey, Released, Table, Thread, Value};
use crate::{MaybeSend, RawValue};

static NEXT_STATE: AtomicU64 = AtomicU64::new(1);

/// Options of a new state.
///
/// ```
/// use ferrous_lua::{Lua, LuaOptions};
///
/// let mut lua = Lua::new_with(LuaOptions::new().catch_rust_panics(true));
/// let f = lua
///     .create_function(|_, ()| -> ferrous_lua::Result<()> { panic!("boom") })
///     .unwrap();
/// lua.set_global("f", f).unwrap();
/// std::panic::set_hook(Box::new(|_| {})); // keep the example's output quiet
/// let (ok, msg): (bool, String) = lua
///     .load("local ok, e = pcall(f) return ok, tostring(e)")
///     .eval()
///     .unwrap();
/// assert!(!ok);
/// assert!(msg.contains("panic: boom"), "{msg}");
/// // The state is still usable.
/// assert_eq!(lua.load("return 1 + 1").eval::<i64>().unwrap(), 2);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LuaOptions {
    /// When true (the default), a panic in a Rust callback becomes a Lua
    /// error that Lua's `pcall` can catch (its message starts with
    /// `panic: `); when it reaches Rust the panic resumes. When false,
    /// `pcall` cannot catch it: it goes straight back to Rust and resumes.
    /// Either way the state stays intact.
    pub catch_rust_panics: bool,
}

impl Default for LuaOptions {
    fn default() -> Self {
        LuaOptions {
            catch_rust_panics: true,
        }
    }
}

impl LuaOptions {
    /// The default options.
    pub fn new() -> LuaOptions {
        LuaOptions::default()
    }

    /// Sets [`LuaOptions::catch_rust_panics`].
    pub fn catch_rust_panics(mut self, on: bool) -> LuaOptions {
        self.catch_rust_panics = on;
        self
    }
}

/// The facade's bookkeeping, kept in the VM (`Vm::embedder`).
pub(crate) struct State {
    pub(crate) id: u64,
    pub(crate) released: Arc<Released>,
    pub(crate) sink: Sink,
    /// Call depth and unflushed output (shared with the guards that end
    /// calls).
    pub(crate) io: Rc<IoState>,
    pub(crate) catch_panics: bool,
    /// The chunk mode [`LuaState::load`] starts with.
    pub(crate) chunk_mode: ChunkMode,
    /// The traceback recorded for the error being converted.
    pub(crate) traceback: Option<String>,
    pub(crate) app_data: HashMap<TypeId, Box<dyn Any>>,
    /// Metatables of userdata types (pinned for good).
    pub(crate) ud_meta: HashMap<TypeId, ferrous_vm::TableRef>,
    /// Metatable of wrapped Rust errors and panics.
    pub(crate) err_meta: Option<ferrous_vm::TableRef>,
    /// The array metatable of the serde conventions (pinned for good).
    #[allow(dead_code)]
    pub(crate) array_mt: Option<ferrous_vm::TableRef>,
    /// The metatable marking a userdata environment table the facade made
    /// to hold user values (so the default environment, the globals, is
    /// never written).
    pub(crate) user_env_mt: Option<ferrous_vm::TableRef>,
    /// Async calls started and not yet awaited (feature `async`).
    #[cfg(feature = "async")]
    pub(crate) pending: HashMap<u64, crate::async_impl::Pending>,
    #[cfg(feature = "async")]
    pub(crate) next_pending: u64,
    /// Coroutines resumed from Rust that died of an error.
    pub(crate) failed_threads: std::collections::HashSet<ferrous_vm::ThreadRef>,
}

/// What the guards of calls into Lua share with the state.
#[derive(Default)]
pub(crate) struct IoState {
    /// Calls into Lua in progress.
    depth: Cell<u32>,
    /// Output written since the last flush.
    dirty: Cell<bool>,
}

/// A sink that notes when it was written to, so a return to the host
/// flushes only when there is something to flush.
struct Noting<W> {
    inner: W,
    io: Rc<IoState>,
}

impl<W: Write> Write for Noting<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.io.dirty.set(true);
        self.inner.write(b)
    }
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.io.dirty.set(true);
        self.inner.write_all(b)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.io.dirty.set(false);
        self.inner.flush()
    }
}

/// A Rust error travelling through Lua as a userdata.
pub(crate) struct WrappedError(pub(crate) Error);

/// A caught panic travelling through Lua as a userdata.
pub(crate) struct WrappedPanic {
    pub(crate) payload: Mutex<Option<Box<dyn Any + Send>>>,
    pub(crate) message: String,
}

/// The default output of a state: the process's stdout, written in blocks
/// and flushed whenever control returns to the host.
struct StdoutSink(std::io::BufWriter<std::io::Stdout>);

impl Write for StdoutSink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.write(b)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A Lua state: the owner. It closes the state when dropped.
///
/// All the operations live on [`LuaState`], which `Lua` dereferences to:
/// `lua.load(..)`, `lua.create_table()` and the like work on a `Lua`, and
/// a `&mut Lua` coerces to the `&mut LuaState` that handles' methods
/// take. Handles ([`Table`], [`Function`]...) hold no reference to the
/// state, so they are plain data and the borrow checker sees every
/// access. A Rust callback receives the state as `&mut LuaState`.
///
/// ```
/// use ferrous_lua::Lua;
///
/// let mut lua = Lua::new();
/// lua.set_global("n", 20).unwrap();
/// lua.load("function twice(x) return 2 * x end").exec().unwrap();
/// let v: i64 = lua.load("return twice(n) + 2").eval().unwrap();
/// assert_eq!(v, 42);
/// ```
pub struct Lua {
    vm: Vm,
}

/// The state as the facade's operations see it: what a [`Lua`]
/// dereferences to, and what a Rust callback receives.
///
/// It is unsized (its last field is a zero-length slice), so safe code
/// holding a `&mut LuaState` cannot move the state out, swap it with
/// another or replace it (`std::mem::swap` and `replace` need `Sized`
/// values): a callback cannot take the state it runs in away from under
/// its own call.
///
/// ```compile_fail
/// use ferrous_lua::Lua;
///
/// let mut lua = Lua::new();
/// let mut spare = Lua::new();
/// // A callback trying to swap the running state with another one
/// // (`LuaState` is unsized, so `swap` does not apply to it):
/// lua.create_function_mut(move |lua, ()| {
///     let other: &mut ferrous_lua::LuaState = &mut spare;
///     std::mem::swap(lua, other);
///     Ok(())
/// })
/// .unwrap();
/// ```
///
/// Helpers that work on a state take `&mut LuaState`, so they serve the
/// host (with `&mut lua`) and callbacks alike:
///
/// ```
/// use ferrous_lua::{Lua, LuaState, Result};
///
/// fn define_answer(lua: &mut LuaState) -> Result<()> {
///     lua.set_global("answer", 42)
/// }
///
/// let mut lua = Lua::new();
/// define_answer(&mut lua).unwrap();
/// let f = lua.create_function(|lua, ()| define_answer(lua)).unwrap();
/// f.call::<()>(&mut lua, ()).unwrap();
/// assert_eq!(lua.get_global::<i64>("answer").unwrap(), 42);
/// ```
#[repr(C)]
pub struct LuaState {
    pub(crate) vm: Vm,
    /// Makes the type unsized (a `&LuaState` is a pointer and a length
    /// that is always 0), so it can only be seen behind a reference.
    _unsized: [()],
}

// SAFETY (feature `send`): moving a `Lua` moves its `Vm`, whose `Rc`s,
// `RefCell`s and `Box<dyn Any>`s are not `Send`; the move is sound because
// no clone of those `Rc`s and nothing borrowed from the state stays
// behind on the old thread, and everything the state holds may itself
// move:
// - a move needs the owner by value or `&mut Lua`, which no code inside a
//   call into Lua has: callbacks receive the unsized `&mut LuaState`,
//   which cannot be swapped or moved out of, so no Rust frame of the VM
//   (which holds clones of prototype and native-closure `Rc`s, the
//   installed output sink, the `Entered` guards) is live during a move;
// - the output sink is in the thread-local slot only while a call runs;
//   the io library's list of open streams (for `fflush(NULL)`) is kept in
//   the state, in a registry userdata (`ferrous_stdlib::io`);
// - handles are `Arc`s and release through a `Mutex` queue; userdata
//   cells are `Arc` with an atomic borrow count, and a `UserDataRef`
//   left on the old thread needs `T: Sync` (`MaybeSync`), a
//   `UserDataRefMut` excludes the state's own borrows through the count;
//   `OutputBuffer` is an `Arc<Mutex<_>>`;
// - what users put in the state is `Send` (`MaybeSend` bounds on
//   callbacks, async functions and their futures and results, userdata
//   types and field values, app data, output sinks); scoped callbacks
//   need not be, as the scope borrows the state until they are dropped;
// - the two ways to reach the raw VM, `LuaState::vm` and
//   `create_raw_function` (whose `Ctx` holds `&mut Vm`), are `unsafe`
//   with this feature, with that contract stated;
// - `LuaState` itself stays neither `Send` nor `Sync`, so `&mut LuaState`
//   cannot reach another thread while a call runs.
#[cfg(feature = "send")]
unsafe impl Send for Lua {}

impl std::ops::Deref for Lua {
    type Target = LuaState;
    #[inline(always)]
    fn deref(&self) -> &LuaState {
        LuaState::from_vm_ref(&self.vm)
    }
}

impl std::ops::DerefMut for Lua {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut LuaState {
        LuaState::from_vm(&mut self.vm)
    }
}

impl Default for Lua {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Lua {
    /// Closes the state as `lua_close` does (every pending `__gc` runs),
    /// then flushes the output sink.
    fn drop(&mut self) {
        let g = self.enter();
        self.vm.close();
        drop(g);
        if let Some(st) = self.state_ref() {
            if let Ok(mut w) = st.sink.try_borrow_mut() {
                let _ = w.flush();
            }
        }
    }
}

fn new_state(options: &LuaOptions) -> State {
    let io = Rc::new(IoState::default());
    let stdout: Sink = Rc::new(RefCell::new(Noting {
        inner: StdoutSink(std::io::BufWriter::new(std::io::stdout())),
        io: io.clone(),
    }));
    State {
        id: NEXT_STATE.fetch_add(1, Ordering::Relaxed),
        released: Arc::new(Released::default()),
        sink: stdout,
        io,
        catch_panics: options.catch_rust_panics,
        traceback: None,
        chunk_mode: ChunkMode::Any,
        app_data: HashMap::new(),
        ud_meta: HashMap::new(),
        err_meta: None,
        array_mt: None,
        user_env_mt: None,
        failed_threads: Default::default(),
        #[cfg(feature = "async")]
        pending: HashMap::new(),
        #[cfg(feature = "async")]
        next_pending: 0,
    }
}

/// Ends a call into Lua: restores the thread's previous output sink and
/// flushes this state's when control returns to the host.
pub(crate) struct Entered {
    /// Set by the outermost call, which installed this state's sink: the
    /// sink it replaced (restoring it hands this state's back).
    installed: Option<Option<Sink>>,
    io: Rc<IoState>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        let d = self.io.depth.get().saturating_sub(1);
        self.io.depth.set(d);
        if let Some(prev) = self.installed.take() {
            let ours = set_thread_sink(prev);
            if self.io.dirty.get() {
                if let Some(Ok(mut w)) = ours.as_ref().map(|o| o.try_borrow_mut()) {
                    let _ = w.flush();
                }
            }
        }
    }
}

impl Lua {
    /// A state with every standard library open (as `lua5.1` has).
    pub fn new() -> Lua {
        Lua::new_with(LuaOptions::default())
    }

    /// A state with every standard library open and the given options.
    pub fn new_with(options: LuaOptions) -> Lua {
        let mut lua = Lua::new_empty_with(options);
        // Opening the libraries only allocates; no limit is set yet.
        let _ = ferrous_stdlib::open_libs(&mut lua.vm);
        lua
    }

    /// A state with no library open; open what you need with
    /// [`LuaState::open`] or through [`LuaState::vm`] and [`ferrous_stdlib`].
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new_empty();
    /// lua.open("string").unwrap();
    /// assert_eq!(lua.load("return string.rep('a', 3)").eval::<String>().unwrap(), "aaa");
    /// assert!(lua.load("return print").eval::<Option<ferrous_lua::Function>>().unwrap().is_none());
    /// ```
    pub fn new_empty() -> Lua {
        Lua::new_empty_with(LuaOptions::default())
    }

    fn new_empty_with(options: LuaOptions) -> Lua {
        let mut vm = Vm::new();
        let st = new_state(&options);
        vm.embedder = Some(Box::new(st));
        Lua { vm }
    }

    /// Turns a facade error into the Lua error it raises from a native
    /// function: [`LuaState::raise`].
    pub fn raise(ctx: &mut Ctx<'_>, e: Error) -> LuaError {
        LuaState::raise(ctx, e)
    }
}

impl LuaState {
    /// Opens one standard library by its Lua name (`"string"`, `"table"`,
    /// `"math"`, `"io"`, `"os"`, `"debug"`, `"package"`, `"coroutine"` is
    /// part of `"base"`). With the feature `redis-libs`, also Redis's
    /// script libraries: `"cjson"`, `"cmsgpack"`, `"bit"`, `"struct"`.
    pub fn open(&mut self, lib: &str) -> Result<()> {
        use ferrous_stdlib as s;
        let r = match lib {
            "base" | "_G" | "coroutine" => s::open_base(&mut self.vm),
            "package" => s::open_package(&mut self.vm),
            "table" => s::open_table(&mut self.vm),
            "io" => s::open_io(&mut self.vm),
            "os" => s::open_os(&mut self.vm),
            "string" => s::open_string(&mut self.vm),
            "math" => s::open_math(&mut self.vm),
            "debug" => s::open_debug(&mut self.vm),
            #[cfg(feature = "redis-libs")]
            "cjson" => s::open_cjson(&mut self.vm),
            #[cfg(feature = "redis-libs")]
            "cmsgpack" => s::open_cmsgpack(&mut self.vm),
            #[cfg(feature = "redis-libs")]
            "bit" => s::open_bit(&mut self.vm),
            #[cfg(feature = "redis-libs")]
            "struct" => s::open_struct(&mut self.vm),
            other => {
                return Err(Error::runtime(format!(
                    "no standard library named '{other}'"
                )))
            }
        };
        r.map_err(|e| self.convert_error(e))
    }

    /// The facade view of a VM that a `Lua` owns (inside callbacks).
    #[inline(always)]
    pub(crate) fn from_vm(vm: &mut Vm) -> &mut LuaState {
        let p = std::ptr::slice_from_raw_parts_mut(vm as *mut Vm as *mut (), 0) as *mut LuaState;
        // SAFETY: `LuaState` is `repr(C)` with the `Vm` at offset 0 and a
        // zero-length tail of zero-sized items, so with length 0 its size
        // is exactly `size_of::<Vm>()` (the tail adds no bytes and no
        // alignment): the reference covers the same bytes as `vm` and
        // reborrows it for the same lifetime.
        unsafe { &mut *p }
    }

    /// [`LuaState::from_vm`] for a shared reference.
    #[inline(always)]
    pub(crate) fn from_vm_ref(vm: &Vm) -> &LuaState {
        let p = std::ptr::slice_from_raw_parts(vm as *const Vm as *const (), 0) as *const LuaState;
        // SAFETY: as in `from_vm`.
        unsafe { &*p }
    }

    /// The underlying VM, for what the facade does not wrap (hooks,
    /// the debug interface, raw stack access).
    #[cfg(not(feature = "send"))]
    pub fn vm(&mut self) -> &mut Vm {
        self.release_pins();
        &mut self.vm
    }

    /// The underlying VM, for what the facade does not wrap (hooks,
    /// the debug interface, raw stack access).
    ///
    /// # Safety
    ///
    /// With the feature `send` a [`Lua`] may move to another thread, which
    /// is sound only while everything the state holds may move with it.
    /// The caller must not replace the VM (`std::mem::swap` or `replace`
    /// with another VM, which could hand a running state to another
    /// owner), nor store in it anything that is not `Send` (`embedder`,
    /// native closures, userdata payloads, hooks), nor keep clones of the
    /// VM's `Rc`s (prototypes, native closures, buffers).
    #[cfg(feature = "send")]
    pub unsafe fn vm(&mut self) -> &mut Vm {
        self.release_pins();
        &mut self.vm
    }

    pub(crate) fn state_ref(&self) -> Option<&State> {
        self.vm.embedder.as_ref().and_then(|b| b.downcast_ref())
    }

    #[inline]
    pub(crate) fn st(&mut self) -> &mut State {
        let found = self
            .vm
            .embedder
            .as_deref_mut()
            .and_then(|b| b.downcast_mut::<State>())
            .map(|st| st as *mut State);
        match found {
            // SAFETY: the pointer was just made from a `&mut State` borrowed
            // from `self`, which this function borrows mutably for as long
            // as the result lives (the round trip only lets the slow path
            // below reborrow `self` when the lookup failed).
            Some(st) => unsafe { &mut *st },
            None => self.install_state(),
        }
    }

    /// Someone replaced the bookkeeping through `vm()`: start anew (handles
    /// made before now report WrongState).
    #[cold]
    fn install_state(&mut self) -> &mut State {
        let st = new_state(&LuaOptions::default());
        let b = self.vm.embedder.insert(Box::new(st));
        match b.downcast_mut::<State>() {
            Some(st) => st,
            None => unreachable!("a State was just installed"),
        }
    }

    /// Starts a call into Lua: installs this state's output sink (nested
    /// calls find it installed already).
    pub(crate) fn enter(&mut self) -> Entered {
        let st = self.st();
        let io = st.io.clone();
        let d = io.depth.get();
        io.depth.set(d + 1);
        let installed = if d == 0 {
            Some(set_thread_sink(Some(st.sink.clone())))
        } else {
            None
        };
        Entered { installed, io }
    }

    /// Unpins what dropped handles released.
    #[inline]
    pub(crate) fn release_pins(&mut self) {
        let st = self.st();
        if !st.released.dirty.load(Ordering::Relaxed)
            || !st.released.dirty.swap(false, Ordering::Acquire)
        {
            return;
        }
        let pins: Vec<_> = match st.released.pins.lock() {
            Ok(mut q) => std::mem::take(&mut *q),
            Err(_) => return,
        };
        for p in pins {
            self.vm.heap.unpin(p);
        }
    }

    pub(crate) fn pin_raw(&mut self, raw: RawValue) -> Arc<Pinned> {
        let pin = self.vm.heap.pin(raw);
        let st = self.st();
        Arc::new(Pinned {
            pin,
            raw,
            state: st.id,
            released: st.released.clone(),
        })
    }

    /// An owned value for a raw one (objects get pinned).
    pub(crate) fn wrap_raw(&mut self, raw: RawValue) -> Value {
        match raw {
            RawValue::Nil => Value::Nil,
            RawValue::Boolean(b) => Value::Boolean(b),
            RawValue::Number(n) => Value::Number(n),
            RawValue::LightUserdata(p) => Value::LightUserData(p),
            RawValue::String(_) => Value::String(LuaString(self.pin_raw(raw))),
            RawValue::Table(_) => Value::Table(Table(self.pin_raw(raw))),
            RawValue::Function(_) => Value::Function(Function(self.pin_raw(raw))),
            RawValue::Thread(_) => Value::Thread(Thread(self.pin_raw(raw))),
            RawValue::Userdata(_) => Value::UserData(crate::value::AnyUserData(self.pin_raw(raw))),
        }
    }

    /// The raw value of a handle of this state.
    #[inline]
    pub(crate) fn raw_of(&mut self, p: &Pinned) -> Result<RawValue> {
        if p.state != self.st().id {
            return Err(Error::WrongState);
        }
        Ok(p.raw)
    }

    /// The raw value of an owned value of this state.
    pub(crate) fn raw_value(&mut self, v: &Value) -> Result<RawValue> {
        Ok(match v {
            Value::Nil => RawValue::Nil,
            Value::Boolean(b) => RawValue::Boolean(*b),
            Value::Number(n) => RawValue::Number(*n),
            Value::LightUserData(p) => RawValue::LightUserdata(*p),
            other => match other.pinned() {
                Some(p) => self.raw_of(p)?,
                None => RawValue::Nil,
            },
        })
    }

    /// An error for a raw value whose object was collected.
    pub(crate) fn check_alive(&self, raw: RawValue) -> Result<()> {
        let h = &self.vm.heap;
        let alive = match raw {
            RawValue::String(s) => h.str_bytes(s).is_some(),
            RawValue::Table(t) => h.table(t).is_some(),
            RawValue::Function(f) => h.functions().get(f).is_some(),
            RawValue::Userdata(u) => h.userdata(u).is_some(),
            RawValue::Thread(t) => h.threads().get(t).is_some(),
            _ => true,
        };
        if alive {
            Ok(())
        } else {
            Err(Error::DeadObject)
        }
    }

    #[inline]
    pub(crate) fn push_number(&mut self, n: f64) -> Result<()> {
        self.vm.push_number(n).map_err(|e| self.convert_error(e))
    }

    #[inline]
    pub(crate) fn push_raw(&mut self, raw: RawValue) -> Result<()> {
        self.vm.push_value(raw).map_err(|e| self.convert_error(e))
    }

    pub(crate) fn raw_string(&mut self, b: &[u8]) -> Result<RawValue> {
        self.vm.str_value(b).map_err(|e| self.convert_error(e))
    }

    /// The text of an error value (`__tostring` when it has one).
    fn describe(&mut self, v: RawValue) -> String {
        match v {
            RawValue::String(s) => String::from_utf8_lossy(self.vm.str_bytes(s)).into_owned(),
            RawValue::Number(n) => ferrous_value::number::fmt_number(n).as_str().to_string(),
            RawValue::Nil => "nil".to_string(),
            RawValue::Table(_) | RawValue::Userdata(_)
                if self.vm.metatable_of(v).is_some_and(|mt| {
                    !self
                        .vm
                        .raw_get_str(mt, b"__tostring")
                        .unwrap_or_default()
                        .is_nil()
                }) =>
            {
                let base = self.vm.stack_top();
                let _ = self.vm.push_value(v);
                let r = self.vm.protect(None, |vm| vm.tostring(v));
                let text = match r {
                    Ok(RawValue::String(s)) => {
                        Some(String::from_utf8_lossy(self.vm.str_bytes(s)).into_owned())
                    }
                    _ => None,
                };
                let _ = self.vm.set_stack_top(base);
                text.unwrap_or_else(|| format!("(error object is a {} value)", v.type_name()))
            }
            other => format!("(error object is a {} value)", other.type_name()),
        }
    }

    /// The payload of a wrapped panic, if `v` is one.
    fn take_panic(&mut self, v: RawValue) -> Option<Box<dyn Any + Send>> {
        let RawValue::Userdata(u) = v else {
            return None;
        };
        let ud = self.vm.heap.userdata(u)?;
        let w = ud.payload().downcast_ref::<WrappedPanic>()?;
        let mut p = w.payload.lock().ok()?;
        p.take()
    }

    fn wrapped_error(&self, v: RawValue) -> Option<Error> {
        let RawValue::Userdata(u) = v else {
            return None;
        };
        let ud = self.vm.heap.userdata(u)?;
        if let Some(w) = ud.payload().downcast_ref::<WrappedError>() {
            return Some(w.0.clone());
        }
        ud.payload()
            .downcast_ref::<WrappedPanic>()
            .map(|p| Error::runtime(&p.message))
    }

    /// Converts an error of the VM layer (what [`LuaState::vm`] code and raw
    /// functions see) into the facade's [`Error`], keeping its value: a
    /// table raised with `error({code = 42})` stays a table, a Rust error
    /// that went through Lua comes back as [`Error::Callback`] and
    /// downcasts, and the message uses `__tostring`. (`From<LuaError>`,
    /// which has no state to read the value with, keeps only the kind and
    /// the text the VM can give without it.) A Rust panic carried by the
    /// error resumes here; a memory error first runs an emergency full
    /// collection so the state is usable again. [`LuaState::raise`] is the
    /// other direction.
    ///
    /// ```
    /// use ferrous_lua::{Error, Lua};
    ///
    /// let mut lua = Lua::new();
    /// let f = lua.load("error({code = 42})").into_function().unwrap();
    /// // Called through the VM layer, the error is a VM error...
    /// # #[allow(unused_unsafe)]
    /// let vm_err = unsafe { lua.vm() }.call(f.to_raw(), &[]).unwrap_err();
    /// // ...which converts with its value.
    /// let e = lua.from_vm_error(vm_err);
    /// let Error::Runtime { value: Some(v), .. } = &e else { panic!("{e:?}") };
    /// let t: ferrous_lua::Table = lua.unpack(v.clone()).unwrap();
    /// assert_eq!(t.get::<i64>(&mut lua, "code").unwrap(), 42);
    /// ```
    pub fn from_vm_error(&mut self, e: LuaError) -> Error {
        self.convert_error(e)
    }

    /// [`LuaState::from_vm_error`].
    pub(crate) fn convert_error(&mut self, e: LuaError) -> Error {
        match e.kind {
            ErrorKind::Memory => {
                let _ = self.vm.full_gc();
                Error::Memory
            }
            ErrorKind::Syntax => {
                let message = self.describe(e.value);
                Error::Syntax {
                    incomplete_input: message.ends_with("'<eof>'"),
                    message,
                }
            }
            ErrorKind::Interrupted => {
                if let Some(p) = self.take_panic(e.value) {
                    std::panic::resume_unwind(p);
                }
                Error::Interrupted(self.describe(e.value))
            }
            ErrorKind::Yield => Error::runtime("attempt to yield from outside a coroutine"),
            ErrorKind::Runtime | ErrorKind::ErrorInHandler => {
                let traceback = self.st().traceback.take();
                if let Some(p) = self.take_panic(e.value) {
                    std::panic::resume_unwind(p);
                }
                if let Some(inner) = self.wrapped_error(e.value) {
                    return Error::Callback {
                        traceback,
                        cause: Arc::new(inner),
                    };
                }
                let message = self.describe(e.value);
                let value = Some(self.wrap_raw(e.value));
                Error::Runtime {
                    message,
                    traceback,
                    value,
                }
            }
        }
    }

    /// The metatable of wrapped errors and panics (`__tostring` gives the
    /// message).
    fn err_meta(&mut self) -> LuaResult<ferrous_vm::TableRef> {
        if let Some(t) = self.st().err_meta {
            return Ok(t);
        }
        fn tostring(ctx: &mut Ctx<'_>) -> LuaResult<usize> {
            let text = match ctx.arg(1) {
                RawValue::Userdata(u) => ctx.vm.heap.userdata(u).and_then(|ud| {
                    let p = ud.payload();
                    if let Some(w) = p.downcast_ref::<WrappedError>() {
                        Some(w.0.to_string())
                    } else {
                        p.downcast_ref::<WrappedPanic>().map(|w| w.message.clone())
                    }
                }),
                _ => None,
            };
            ctx.push_str(text.unwrap_or_default().as_bytes())?;
            Ok(1)
        }
        let t = self.vm.new_table(0, 2)?;
        self.vm.heap.pin(RawValue::Table(t));
        let f = self.vm.native(tostring)?;
        self.vm.raw_set_str(t, b"__tostring", f)?;
        let name = self.vm.str_value(b"RustError")?;
        self.vm.raw_set_str(t, b"__name", name)?;
        self.st().err_meta = Some(t);
        Ok(t)
    }

    fn wrap_in_userdata(&mut self, payload: Box<dyn Any>) -> LuaResult<RawValue> {
        let mt = self.err_meta()?;
        let u = self.vm.new_userdata(payload, 16)?;
        let v = RawValue::Userdata(u);
        self.vm.set_metatable(v, Some(mt))?;
        Ok(v)
    }

    /// Turns a facade error into the Lua error it raises from a native
    /// function (for [`LuaState::create_raw_function`] code): a Lua error value
    /// is raised as itself, an argument error with Lua's wording, any
    /// other error as a value that comes back to Rust as
    /// [`Error::Callback`].
    ///
    /// ```
    /// use ferrous_lua::{Error, Lua};
    ///
    /// let mut lua = Lua::new();
    /// # #[allow(unused_unsafe)]
    /// let f = unsafe { lua.create_raw_function(|ctx| Err(Lua::raise(ctx, Error::runtime("refused")))) }
    ///     .unwrap();
    /// let e = f.call::<()>(&mut lua, ()).unwrap_err();
    /// assert_eq!(e.to_string(), "refused");
    /// ```
    pub fn raise(ctx: &mut Ctx<'_>, e: Error) -> LuaError {
        match e {
            Error::BadArgument { pos, cause } => ctx.arg_error(pos, &cause.arg_message()),
            Error::Memory => ctx.vm.memory_error(),
            Error::Interrupted(m) => ctx.vm.interrupt_error(&m),
            Error::Runtime {
                value: Some(v),
                message,
                ..
            } => {
                let lua = LuaState::from_vm(ctx.vm);
                match lua.raw_value(&v) {
                    Ok(raw) => LuaError::runtime(raw),
                    Err(_) => match lua.vm.str_value(message.as_bytes()) {
                        Ok(s) => LuaError::runtime(s),
                        Err(e) => e,
                    },
                }
            }
            Error::Runtime {
                value: None,
                message,
                ..
            }
            | Error::Syntax { message, .. } => match ctx.vm.str_value(message.as_bytes()) {
                Ok(s) => LuaError::runtime(s),
                Err(e) => e,
            },
            other => {
                let lua = LuaState::from_vm(ctx.vm);
                match lua.wrap_in_userdata(Box::new(WrappedError(other))) {
                    Ok(v) => LuaError::runtime(v),
                    Err(e) => e,
                }
            }
        }
    }

    /// Turns a caught panic into the Lua error it raises.
    pub(crate) fn raise_panic(ctx: &mut Ctx<'_>, payload: Box<dyn Any + Send>) -> LuaError {
        let what = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "Box<dyn Any>".to_string()
        };
        let lua = LuaState::from_vm(ctx.vm);
        let catch = lua.st().catch_panics;
        let w = WrappedPanic {
            payload: Mutex::new(Some(payload)),
            message: format!("panic: {what}"),
        };
        match lua.wrap_in_userdata(Box::new(w)) {
            Ok(v) => {
                if catch {
                    LuaError::runtime(v)
                } else {
                    let mut e = lua.vm.interrupt_error("panic");
                    e.value = v;
                    e
                }
            }
            Err(e) => e,
        }
    }

    /// Calls the function at stack slot `base` with the arguments above
    /// it, in protected mode, and converts its results. The stack is back
    /// at `base` afterwards.
    pub(crate) fn call_pushed<R: FromLuaMulti>(&mut self, base: usize) -> Result<R> {
        let g = self.enter();
        let mut tb = None;
        let r = self.vm.protect_traced(&mut tb, |vm| vm.call_slot(base, -1));
        let out = match r {
            Ok(()) => {
                let n = self.vm.stack_top().saturating_sub(base);
                R::from_stack(self, base, n, 1).map_err(unwrap_bad_arg)
            }
            Err(e) => {
                let _ = self.vm.set_stack_top(base);
                drop(g);
                self.st().traceback = tb.map(|t| String::from_utf8_lossy(&t).into_owned());
                return Err(self.convert_error(e));
            }
        };
        let _ = self.vm.set_stack_top(base);
        drop(g);
        out
    }

    /// Calls a raw function value with converted arguments.
    pub(crate) fn call_raw<R: FromLuaMulti>(
        &mut self,
        f: RawValue,
        args: impl IntoLuaMulti,
    ) -> Result<R> {
        self.release_pins();
        let base = self.vm.stack_top();
        let r = (|| {
            self.push_raw(f)?;
            args.push_into(self)
        })();
        if let Err(e) = r {
            let _ = self.vm.set_stack_top(base);
            return Err(e);
        }
        self.call_pushed(base)
    }

    /// Runs `f` in a protected region with the facade's error handling.
    pub(crate) fn protected<T>(&mut self, f: impl FnOnce(&mut Vm) -> LuaResult<T>) -> Result<T> {
        let base = self.vm.stack_top();
        let g = self.enter();
        let mut tb = None;
        let r = self.vm.protect_traced(&mut tb, f);
        let _ = self.vm.set_stack_top(base);
        drop(g);
        r.map_err(|e| {
            self.st().traceback = tb.map(|t| String::from_utf8_lossy(&t).into_owned());
            self.convert_error(e)
        })
    }
}

fn unwrap_bad_arg(e: Error) -> Error {
    match e {
        Error::BadArgument { cause, .. } => (*cause).clone(),
        e => e,
    }
}

// ------------------------------------------------------------ public API

impl LuaState {
    /// Prepares a chunk of source code (or a binary chunk from
    /// `string.dump`) for running.
    pub fn load(&mut self, source: impl AsRef<[u8]>) -> Chunk<'_> {
        let mode = self.st().chunk_mode;
        Chunk {
            lua: self,
            name: None,
            source: source.as_ref().to_vec(),
            env: None,
            mode,
        }
    }

    /// The mode chunks start with (default [`ChunkMode::Any`], as
    /// `loadstring`); a sandbox sets [`ChunkMode::Text`] once.
    ///
    /// ```
    /// use ferrous_lua::{ChunkMode, Lua};
    ///
    /// let mut lua = Lua::new();
    /// let bin = lua.load("return 1").into_function().unwrap().dump(&mut lua).unwrap().unwrap();
    /// lua.set_default_chunk_mode(ChunkMode::Text);
    /// assert!(lua.load(&bin).exec().is_err());
    /// assert!(lua.load(&bin).set_mode(ChunkMode::Any).exec().is_ok());
    /// ```
    pub fn set_default_chunk_mode(&mut self, mode: ChunkMode) {
        self.st().chunk_mode = mode;
    }

    /// The table of globals.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let g = lua.globals();
    /// g.set(&mut lua, "answer", 42).unwrap();
    /// assert_eq!(lua.load("return answer").eval::<i64>().unwrap(), 42);
    /// ```
    pub fn globals(&mut self) -> Table {
        let g = RawValue::Table(self.vm.globals());
        Table(self.pin_raw(g))
    }

    /// A new empty table.
    pub fn create_table(&mut self) -> Result<Table> {
        self.create_table_with_capacity(0, 0)
    }

    /// A new table with room for `narr` array items and `nrec` other
    /// entries.
    pub fn create_table_with_capacity(&mut self, narr: usize, nrec: usize) -> Result<Table> {
        self.release_pins();
        let t = self
            .vm
            .new_table(narr, nrec)
            .map_err(|e| self.convert_error(e))?;
        Ok(Table(self.pin_raw(RawValue::Table(t))))
    }

    /// A table holding `items` as its sequence `1..n`.
    pub fn create_sequence_from<T: IntoLua>(
        &mut self,
        items: impl IntoIterator<Item = T>,
    ) -> Result<Table> {
        let t = self.create_table()?;
        for (i, v) in items.into_iter().enumerate() {
            t.raw_set(self, i as f64 + 1.0, v)?;
        }
        Ok(t)
    }

    /// A table from key/value pairs (raw sets).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let t = lua.create_table_from([("a", 1), ("b", 2)]).unwrap();
    /// assert_eq!(t.get::<i64>(&mut lua, "b").unwrap(), 2);
    /// ```
    pub fn create_table_from<K: IntoLua, V: IntoLua>(
        &mut self,
        items: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Table> {
        let t = self.create_table()?;
        for (k, v) in items {
            t.raw_set(self, k, v)?;
        }
        Ok(t)
    }

    /// A Lua string from bytes.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let s = lua.create_string(b"a\0b").unwrap();
    /// let n: i64 = lua.load("return #...").call(&s).unwrap();
    /// assert_eq!(n, 3);
    /// assert_eq!(s.as_bytes(&mut lua), b"a\0b");
    /// ```
    pub fn create_string(&mut self, s: impl AsRef<[u8]>) -> Result<LuaString> {
        self.release_pins();
        let v = self.raw_string(s.as_ref())?;
        Ok(LuaString(self.pin_raw(v)))
    }

    /// Sets a global variable (raw set in the globals table).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// lua.set_global("name", "lua").unwrap();
    /// let s: String = lua.load("return name:upper()").eval().unwrap();
    /// assert_eq!(s, "LUA");
    /// assert_eq!(lua.get_global::<Option<i64>>("missing").unwrap(), None);
    /// ```
    pub fn set_global(&mut self, name: &str, v: impl IntoLua) -> Result<()> {
        self.release_pins();
        let base = self.vm.stack_top();
        let r = (|| {
            let v = v.into_raw(self)?;
            self.push_raw(v)?;
            self.vm
                .set_global(name.as_bytes(), v)
                .map_err(|e| self.convert_error(e))
        })();
        let _ = self.vm.set_stack_top(base);
        r
    }

    /// Reads a global variable (raw read of the globals table).
    pub fn get_global<T: FromLua>(&mut self, name: &str) -> Result<T> {
        self.release_pins();
        let v = self
            .vm
            .get_global(name.as_bytes())
            .map_err(|e| self.convert_error(e))?;
        T::from_raw(v, self)
    }

    /// Converts a Rust value into an owned Lua value.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let v = lua.pack(vec![1, 2]).unwrap();
    /// assert_eq!(v.type_name(), "table");
    /// let back: Vec<u8> = lua.unpack(v).unwrap();
    /// assert_eq!(back, [1, 2]);
    /// ```
    pub fn pack(&mut self, v: impl IntoLua) -> Result<Value> {
        self.release_pins();
        v.into_lua(self)
    }

    /// Converts an owned Lua value into a Rust value.
    pub fn unpack<T: FromLua>(&mut self, v: Value) -> Result<T> {
        self.release_pins();
        T::from_lua(v, self)
    }

    /// Converts several Rust values into owned Lua values.
    pub fn pack_multi(&mut self, v: impl IntoLuaMulti) -> Result<crate::MultiValue> {
        self.release_pins();
        v.into_lua_multi(self)
    }

    /// Converts several owned Lua values into a Rust value.
    pub fn unpack_multi<T: FromLuaMulti>(&mut self, v: crate::MultiValue) -> Result<T> {
        self.release_pins();
        T::from_lua_multi(v, self)
    }

    /// Runs a full garbage collection.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// lua.load("garbage = {} for i = 1, 1000 do garbage[i] = {} end garbage = nil").exec().unwrap();
    /// let before = lua.used_memory();
    /// lua.gc_collect().unwrap();
    /// assert!(lua.used_memory() < before);
    /// ```
    pub fn gc_collect(&mut self) -> Result<()> {
        self.release_pins();
        let g = self.enter();
        let r = self.vm.full_gc();
        drop(g);
        r.map_err(|e| self.convert_error(e))
    }

    /// Bytes of memory in use.
    pub fn used_memory(&self) -> usize {
        self.vm.heap.bytes_in_use()
    }

    /// Kilobytes of memory in use (`collectgarbage("count")`).
    pub fn memory_kb(&self) -> f64 {
        self.vm.heap.count_kb()
    }

    /// Limits the memory the state may use; allocations beyond it fail
    /// with "not enough memory" ([`Error::Memory`] in Rust), and the
    /// state stays usable (the facade runs an emergency collection).
    pub fn set_memory_limit(&mut self, bytes: Option<usize>) {
        self.vm.heap.set_memory_limit(bytes);
    }

    /// Sends what `print`, `io.write` and `io.stdout` write to `sink`
    /// instead of the process's stdout. The sink is flushed whenever
    /// control returns from Lua to the host and when the state drops.
    ///
    /// ```
    /// // Any `Write`: here a file-like buffer the host owns.
    /// let buf = ferrous_lua::OutputBuffer::default();
    /// let mut lua = ferrous_lua::Lua::new();
    /// lua.set_output(buf.clone());
    /// lua.load("io.write('x = ', 1)").exec().unwrap();
    /// assert_eq!(buf.take_string(), "x = 1");
    /// ```
    pub fn set_output(&mut self, sink: impl Write + MaybeSend + 'static) {
        let io = self.st().io.clone();
        let new: Sink = Rc::new(RefCell::new(Noting { inner: sink, io }));
        let old = std::mem::replace(&mut self.st().sink, new);
        let flushed = old.try_borrow_mut().map(|mut w| w.flush());
        drop(flushed);
    }

    /// Collects the output of `print`, `io.write` and `io.stdout` in a
    /// buffer the host can read ([`OutputBuffer::take`]).
    pub fn capture_output(&mut self) -> OutputBuffer {
        let b = OutputBuffer::default();
        self.set_output(b.clone());
        b
    }

    /// Keeps `v` in the state for Rust, under a key that can be stored
    /// anywhere (it is `Send` and `Sync`). The value stays alive until the
    /// key is dropped or removed.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let key = lua.create_registry_value(vec!["kept"]).unwrap();
    /// lua.gc_collect().unwrap();
    /// let v: Vec<String> = lua.registry_value(&key).unwrap();
    /// assert_eq!(v, ["kept"]);
    /// lua.remove_registry_value(key).unwrap();
    /// ```
    pub fn create_registry_value(&mut self, v: impl IntoLua) -> Result<RegistryKey> {
        self.release_pins();
        let raw = v.into_raw(self)?;
        Ok(RegistryKey(self.pin_raw(raw)))
    }

    /// The value kept under `key`.
    pub fn registry_value<T: FromLua>(&mut self, key: &RegistryKey) -> Result<T> {
        let raw = self.raw_of(&key.0)?;
        T::from_raw(raw, self)
    }

    /// Releases the value kept under `key`.
    pub fn remove_registry_value(&mut self, key: RegistryKey) -> Result<()> {
        self.raw_of(&key.0)?;
        drop(key);
        self.release_pins();
        Ok(())
    }

    /// Replaces the value kept under `key`.
    pub fn replace_registry_value(&mut self, key: &mut RegistryKey, v: impl IntoLua) -> Result<()> {
        self.raw_of(&key.0)?;
        let raw = v.into_raw(self)?;
        key.0 = self.pin_raw(raw);
        Ok(())
    }

    /// Sets `registry[name]` (the registry table Lua code cannot reach).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// lua.set_named_registry_value("app.version", 3).unwrap();
    /// assert_eq!(lua.named_registry_value::<i64>("app.version").unwrap(), 3);
    /// ```
    pub fn set_named_registry_value(&mut self, name: &str, v: impl IntoLua) -> Result<()> {
        self.release_pins();
        let base = self.vm.stack_top();
        let r = (|| {
            let raw = v.into_raw(self)?;
            self.push_raw(raw)?;
            let reg = self.vm.registry();
            self.vm
                .raw_set_str(reg, name.as_bytes(), raw)
                .map_err(|e| self.convert_error(e))
        })();
        let _ = self.vm.set_stack_top(base);
        r
    }

    /// Reads `registry[name]`.
    pub fn named_registry_value<T: FromLua>(&mut self, name: &str) -> Result<T> {
        let reg = self.vm.registry();
        let raw = self
            .vm
            .raw_get_str(reg, name.as_bytes())
            .map_err(|e| self.convert_error(e))?;
        T::from_raw(raw, self)
    }

    /// Stores a value of type `T` with the state (one per type); returns
    /// the one it replaces. Callbacks reach it through their `&mut LuaState`.
    ///
    /// ```
    /// struct Config { verbose: bool }
    /// let mut lua = ferrous_lua::Lua::new();
    /// lua.set_app_data(Config { verbose: true });
    /// let f = lua
    ///     .create_function(|lua, ()| Ok(lua.app_data_ref::<Config>().is_some_and(|c| c.verbose)))
    ///     .unwrap();
    /// assert!(f.call::<bool>(&mut lua, ()).unwrap());
    /// ```
    pub fn set_app_data<T: MaybeSend + 'static>(&mut self, v: T) -> Option<T> {
        self.st()
            .app_data
            .insert(TypeId::of::<T>(), Box::new(v))
            .and_then(|b| b.downcast().ok().map(|b| *b))
    }

    /// The stored value of type `T`.
    pub fn app_data_ref<T: 'static>(&self) -> Option<&T> {
        self.state_ref()?
            .app_data
            .get(&TypeId::of::<T>())?
            .downcast_ref()
    }

    /// The stored value of type `T`, mutably.
    pub fn app_data_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.st()
            .app_data
            .get_mut(&TypeId::of::<T>())?
            .downcast_mut()
    }

    /// Removes and returns the stored value of type `T`.
    pub fn remove_app_data<T: 'static>(&mut self) -> Option<T> {
        self.st()
            .app_data
            .remove(&TypeId::of::<T>())
            .and_then(|b| b.downcast().ok().map(|b| *b))
    }

    /// Stops running scripts when `flag` becomes true (checked every
    /// `interval` budget units; see [`Vm::set_budget_hook`]). The error is
    /// [`Error::Interrupted`], which `pcall` cannot catch.
    pub fn set_kill_flag(&mut self, flag: Option<Arc<std::sync::atomic::AtomicBool>>) {
        self.vm.set_kill_flag(flag);
    }

    /// Raw equality of two values (`rawequal`).
    pub fn raw_equal(&mut self, a: impl IntoLua, b: impl IntoLua) -> Result<bool> {
        let a = a.into_raw(self)?;
        let base = self.vm.stack_top();
        self.push_raw(a)?;
        let b = b.into_raw(self);
        let _ = self.vm.set_stack_top(base);
        Ok(a == b?)
    }

    /// Lua equality of two values (`==`, with `__eq`).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// assert!(lua.equals(1, 1.0).unwrap());
    /// assert!(!lua.equals("1", 1).unwrap());
    /// let (a, b): (ferrous_lua::Value, ferrous_lua::Value) = lua.load("return {}, {}").eval().unwrap();
    /// assert!(!lua.raw_equal(&a, &b).unwrap());
    /// ```
    pub fn equals(&mut self, a: impl IntoLua, b: impl IntoLua) -> Result<bool> {
        let base = self.vm.stack_top();
        let r = (|| {
            let a = a.into_raw(self)?;
            self.push_raw(a)?;
            let b = b.into_raw(self)?;
            self.push_raw(b)?;
            self.protected(|vm| vm.equals(a, b))
        })();
        let _ = self.vm.set_stack_top(base);
        r
    }

    /// `tostring(v)` (with `__tostring`).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// assert_eq!(lua.to_string(0.1).unwrap(), "0.1");
    /// assert_eq!(lua.to_string(1e15).unwrap(), "1e+15");
    /// let t: ferrous_lua::Table =
    ///     lua.load("return setmetatable({}, {__tostring = function() return 'T' end})").eval().unwrap();
    /// assert_eq!(lua.to_string(&t).unwrap(), "T");
    /// ```
    pub fn to_string(&mut self, v: impl IntoLua) -> Result<String> {
        let base = self.vm.stack_top();
        let r = (|| {
            let raw = v.into_raw(self)?;
            self.push_raw(raw)?;
            let s = self.protected(|vm| vm.tostring(raw))?;
            match s {
                RawValue::String(s) => {
                    Ok(String::from_utf8_lossy(self.vm.str_bytes(s)).into_owned())
                }
                other => Err(Error::from_lua(other.type_name(), "string")),
            }
        })();
        let _ = self.vm.set_stack_top(base);
        r
    }
}

/// An output sink that keeps what Lua writes, for the host to read.
///
/// ```
/// use ferrous_lua::Lua;
///
/// let mut lua = Lua::new();
/// let out = lua.capture_output();
/// lua.load("print('hi', 1 + 1)").exec().unwrap();
/// assert_eq!(out.take_string(), "hi\t2\n");
/// assert!(out.take().is_empty());
/// ```
#[derive(Clone, Default, Debug)]
pub struct OutputBuffer(SharedBuf);

/// The bytes of an [`OutputBuffer`]: shared with the state's sink, across
/// threads with the feature `send`.
#[cfg(not(feature = "send"))]
type SharedBuf = Rc<RefCell<Vec<u8>>>;
#[cfg(feature = "send")]
type SharedBuf = Arc<Mutex<Vec<u8>>>;

impl OutputBuffer {
    #[cfg(not(feature = "send"))]
    fn with<R>(&self, f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
        f(&mut self.0.borrow_mut())
    }

    #[cfg(feature = "send")]
    fn with<R>(&self, f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
        // A panic while holding the lock cannot leave the bytes half
        // written in a way that matters: use them as they are.
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut g)
    }

    /// Everything written so far, leaving the buffer empty.
    pub fn take(&self) -> Vec<u8> {
        self.with(std::mem::take)
    }

    /// Everything written so far, as text (lossy UTF-8), leaving the
    /// buffer empty.
    pub fn take_string(&self) -> String {
        String::from_utf8_lossy(&self.take()).into_owned()
    }
}

impl Write for OutputBuffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.with(|v| v.extend_from_slice(b));
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Which chunks [`Chunk`] accepts.
///
/// ```
/// use ferrous_lua::{ChunkMode, Lua};
///
/// let mut lua = Lua::new();
/// let f = lua.load("return 1 + 1").into_function().unwrap();
/// let bytes = f.dump(&mut lua).unwrap().unwrap();
/// // A text-only load refuses the binary chunk; a binary one runs it.
/// let err = lua.load(&bytes).set_mode(ChunkMode::Text).exec().unwrap_err();
/// assert!(err.to_string().contains("binary"), "{err}");
/// let n: i64 = lua.load(&bytes).set_mode(ChunkMode::Binary).eval().unwrap();
/// assert_eq!(n, 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkMode {
    /// Source text only (what a sandbox wants).
    Text,
    /// Binary chunks (`string.dump` output) only.
    Binary,
    /// Either, told apart by the first byte as `loadstring` does.
    Any,
}

/// Source code on its way to running, see [`LuaState::load`].
///
/// ```
/// use ferrous_lua::Lua;
///
/// let mut lua = Lua::new();
/// let sum: i64 = lua.load("local a, b = ... return a + b").call((2, 3)).unwrap();
/// assert_eq!(sum, 5);
/// let e = lua.load("error('oops')").name("=setup").exec().unwrap_err();
/// assert_eq!(e.to_string(), "setup:1: oops");
/// ```
pub struct Chunk<'a> {
    lua: &'a mut LuaState,
    name: Option<Vec<u8>>,
    source: Vec<u8>,
    env: Option<Table>,
    mode: ChunkMode,
}

impl<'a> Chunk<'a> {
    /// Sets the chunk name used in messages (`=name` shows as `name`,
    /// `@file` as `file`; the default is the source itself, like
    /// `loadstring`).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let e = lua.load("error('boom')").name("=init").exec().unwrap_err();
    /// assert_eq!(e.to_string(), "init:1: boom");
    /// ```
    pub fn name(mut self, name: impl AsRef<[u8]>) -> Self {
        self.name = Some(name.as_ref().to_vec());
        self
    }

    /// Same as [`Chunk::name`].
    pub fn set_name(self, name: impl AsRef<[u8]>) -> Self {
        self.name(name)
    }

    /// Runs the chunk with `env` as its global table (`setfenv`).
    pub fn set_environment(mut self, env: Table) -> Self {
        self.env = Some(env);
        self
    }

    /// Which kinds of chunk to accept (default [`ChunkMode::Any`], as
    /// `loadstring`).
    pub fn set_mode(mut self, mode: ChunkMode) -> Self {
        self.mode = mode;
        self
    }

    fn compile(&mut self) -> Result<RawValue> {
        self.lua.release_pins();
        let binary = self.source.first() == Some(&0x1b);
        match (self.mode, binary) {
            (ChunkMode::Text, true) => {
                return Err(Error::Syntax {
                    message: "attempt to load a binary chunk (mode is 't')".into(),
                    incomplete_input: false,
                })
            }
            (ChunkMode::Binary, false) => {
                return Err(Error::Syntax {
                    message: "attempt to load a text chunk (mode is 'b')".into(),
                    incomplete_input: false,
                })
            }
            _ => {}
        }
        let name = self.name.clone().unwrap_or_else(|| self.source.clone());
        let mut tries = 0;
        let f = loop {
            let r = ferrous_stdlib::dump::load_chunk(&mut self.lua.vm, &self.source, &name);
            match r {
                Ok(f) => break f,
                // An emergency collection, then one more try.
                Err(e) if e.kind == ErrorKind::Memory && tries == 0 => {
                    tries += 1;
                    let _ = self.lua.vm.full_gc();
                }
                Err(e) => return Err(self.lua.convert_error(e)),
            }
        };
        if let Some(env) = &self.env {
            let env = self.lua.raw_of(&env.0)?;
            if let (RawValue::Function(fr), RawValue::Table(t)) = (f, env) {
                self.lua.vm.set_function_env(fr, t);
            }
        }
        Ok(f)
    }

    /// Runs the chunk, discarding its results.
    pub fn exec(mut self) -> Result<()> {
        let f = self.compile()?;
        self.lua.call_raw(f, ())
    }

    /// Runs the chunk and converts its results.
    pub fn eval<R: FromLuaMulti>(mut self) -> Result<R> {
        let f = self.compile()?;
        self.lua.call_raw(f, ())
    }

    /// Runs the chunk with arguments (its `...`).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let sum: f64 = lua.load("local a, b = ... return a + b").call((1, 2)).unwrap();
    /// assert_eq!(sum, 3.0);
    /// ```
    pub fn call<R: FromLuaMulti>(mut self, args: impl IntoLuaMulti) -> Result<R> {
        let f = self.compile()?;
        self.lua.call_raw(f, args)
    }

    /// Compiles the chunk into a function without running it.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let f = lua.load("n = (n or 0) + 1 return n").into_function().unwrap();
    /// f.call::<()>(&mut lua, ()).unwrap();
    /// assert_eq!(f.call::<i64>(&mut lua, ()).unwrap(), 2);
    /// ```
    pub fn into_function(mut self) -> Result<Function> {
        let f = self.compile()?;
        Ok(Function(self.lua.pin_raw(f)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view covers exactly the VM it was made from (what the layout
    /// argument of `LuaState::from_vm` relies on).
    #[test]
    fn the_view_is_the_vm() {
        let mut lua = Lua::new();
        let vm_addr = &lua.vm as *const Vm as usize;
        let view: &mut LuaState = &mut lua;
        assert_eq!(std::mem::size_of_val(view), std::mem::size_of::<Vm>());
        assert_eq!(std::mem::align_of_val(view), std::mem::align_of::<Vm>());
        assert_eq!(view as *mut LuaState as *mut () as usize, vm_addr);
        assert_eq!(&view.vm as *const Vm as usize, vm_addr);
    }
}
