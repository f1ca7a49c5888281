//! The VM's state: the heap, the running thread's stack and call frames,
//! the global tables, and the context native functions receive.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use ferrous_heap::{HeapError, Marker, Roots, Tm};
use ferrous_value::{number, FnRef, StrRef, TableRef, ThreadRef, Type, UpvalRef, Value};

use crate::debuginfo::{self, NameKind};
use crate::error::{ErrorKind, LuaError, LuaResult};
use crate::objects::{Function, Heap, LuaProto, Native, NativeClosure, NativeFn, Thread};

/// Lua 5.1's LUAI_MAXCCALLS: nesting of Rust-level calls into Lua.
pub const MAX_C_CALLS: u32 = 200;
/// Call frames one thread may hold (Lua 5.1 fails when its CallInfo array
/// would grow past 16384 entries, one of which is the thread's base entry).
pub const MAX_FRAMES: usize = 16383;
/// Stack slots one thread may use.
pub const MAX_STACK: usize = 8_000_000;
/// Results/arguments a single native call may push (luaL_checkstack-like).
pub const MAX_NATIVE_PUSH: usize = 8_000_000;

/// One active call.
#[derive(Clone)]
pub(crate) struct CallFrame {
    /// Stack index of the called function value.
    pub func: usize,
    /// First register (Lua) or first argument (native).
    pub base: usize,
    /// Index of the next instruction (Lua frames; saved at calls and errors).
    pub pc: usize,
    /// Results the caller wants (-1: all).
    pub nresults: i32,
    /// Tail calls this frame has absorbed (for tracebacks).
    pub tailcalls: u32,
    /// The closure's environment, cached for GETGLOBAL/SETGLOBAL; valid
    /// while `env_epoch` equals the VM's (setfenv bumps it).
    pub env: EnvWord,
    pub env_epoch: u32,
    /// The function being run.
    pub closure: FnRef,
    /// Its prototype, for a Lua function (None for a native one).
    pub proto: Option<FrameProto>,
    /// The closure's upvalue handles (a Lua function; empty for a native
    /// one), so that returning to the frame does not look the closure up
    /// again. Valid while the frame exists, as `proto` is: a closure's
    /// list is never replaced or resized.
    pub upvals: ferrous_heap::UpvalListPtr,
}

/// A table handle as one 64-bit word (slotmap's FFI form of the key):
/// how frames and the interpreter loop keep a function's environment. A
/// `TableRef` is two 32-bit fields, which the compiler loads, spills and
/// stores as two halves at every call and return; one word is one of each.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct EnvWord(u64);

impl EnvWord {
    #[inline(always)]
    pub(crate) fn of(t: TableRef) -> EnvWord {
        use slotmap::Key;
        EnvWord(t.data().as_ffi())
    }

    /// The handle back (exact: a live key's version is odd, which is all
    /// `from_ffi` adjusts).
    #[inline(always)]
    pub(crate) fn table(self) -> TableRef {
        slotmap::KeyData::from_ffi(self.0).into()
    }
}

/// A Lua frame's prototype: a pointer to the prototype the frame's
/// closure holds, without a reference count of its own (a call used to
/// clone the `Rc` and a return to drop it).
///
/// Valid while the frame exists: the closure is alive as long as the
/// frame, because its value stays in stack slot `func` (below the frame's
/// registers; see invariant 4 of `exec.rs`) and because the collector
/// marks every frame's closure as well (`VmRoots`, `Thread`'s trace); a
/// closure's prototype is never replaced.
#[derive(Clone, Copy)]
pub(crate) struct FrameProto(std::ptr::NonNull<LuaProto>);

impl FrameProto {
    #[inline(always)]
    pub(crate) fn of(p: &Rc<LuaProto>) -> FrameProto {
        FrameProto(std::ptr::NonNull::from(&**p))
    }
}

impl std::ops::Deref for FrameProto {
    type Target = LuaProto;
    #[inline(always)]
    fn deref(&self) -> &LuaProto {
        // SAFETY: the frame holding this pointer is alive (a borrow of it
        // reaches here), so its closure and the closure's `Rc` are (see
        // the type's doc).
        unsafe { self.0.as_ref() }
    }
}

impl CallFrame {
    /// One past the highest stack slot this frame may use.
    pub(crate) fn stack_extent(&self) -> usize {
        match &self.proto {
            Some(proto) => self.base + proto.max_stack as usize,
            None => self.base,
        }
    }

    pub(crate) fn is_lua(&self) -> bool {
        self.proto.is_some()
    }

    pub(crate) fn closure(&self) -> FnRef {
        self.closure
    }

    /// The instruction being executed (Lua frames).
    pub(crate) fn current_pc(&self) -> u32 {
        self.pc.saturating_sub(1) as u32
    }
}

/// Strings the VM uses often, interned once and never collected.
pub(crate) struct Names {
    pub n: StrRef,
    pub tostring: StrRef,
    /// What `type()` returns, by [`Type`] (fixed, so that `type` does not
    /// intern its answer on every call).
    pub types: [StrRef; 9],
}

/// The message handler a protected call installed.
#[derive(Clone, Copy)]
pub(crate) enum Handler {
    /// pcall, resume, a Rust-level protected call: no handler.
    None,
    /// xpcall's handler.
    Function(Value),
    /// No handler; the embedder wants the traceback of a runtime error
    /// (`Vm::protect_traced`).
    Traceback,
}

/// Hook called when the instruction budget runs out. Return an error to
/// stop the script (it propagates as a Lua error; use
/// [`Vm::interrupt_error`] for an uncatchable stop).
pub type BudgetHook = Box<dyn FnMut(&mut Vm) -> LuaResult<()>>;

/// A Lua state: one heap, a main thread, globals, registry.
pub struct Vm {
    /// Every object of the state (strings, tables, functions, userdata,
    /// threads) and the collector. Code that allocates through it directly
    /// must keep new objects reachable (on the stack or pinned) before Lua
    /// code runs again.
    pub heap: Heap,
    /// The running thread's stack. Slots beyond every frame's extent are
    /// garbage.
    pub(crate) stack: Vec<Value>,
    /// First free slot (meaningful for native frames and open results).
    pub(crate) top: usize,
    pub(crate) frames: Vec<CallFrame>,
    /// The running thread's open upvalues, sorted by stack index.
    pub(crate) open_upvals: Vec<(u32, UpvalRef)>,
    pub(crate) thread: ThreadRef,
    pub(crate) main_thread: ThreadRef,
    pub(crate) globals: TableRef,
    pub(crate) registry: TableRef,
    /// Metatables of the basic types other than table and userdata.
    pub(crate) type_mt: [Option<TableRef>; 9],
    /// Nesting of Rust-level calls into Lua (Lua 5.1's nCcalls).
    pub(crate) c_depth: u32,
    /// `c_depth` at which the running coroutine's own loop runs; a yield
    /// from deeper would cross a Rust-level call.
    pub(crate) yield_depth: u32,
    pub(crate) handlers: Vec<Handler>,
    pub(crate) names: Names,
    /// Instruction budget: charged at backward jumps and calls.
    pub(crate) budget: i64,
    pub(crate) budget_interval: i64,
    pub(crate) budget_hook: Option<BudgetHook>,
    pub(crate) kill: Option<Arc<AtomicBool>>,
    /// Values kept alive for Rust code during a call (error values in flight).
    pub(crate) scratch: Vec<Value>,
    /// Threads waiting in `resume` for the coroutine they resumed.
    pub(crate) resume_chain: Vec<ThreadRef>,
    /// Bumped whenever a function's environment changes, invalidating the
    /// environments cached in call frames.
    pub(crate) env_epoch: u32,
    /// Call frames allowed: [`MAX_FRAMES`], raised while a message handler
    /// runs (see `run_handler`).
    pub(crate) frame_limit: usize,
    /// The running thread's hooks.
    pub(crate) hook: crate::debug::HookState,
    /// A hook function was installed on some thread, or a finalizer ran
    /// (it turns the running thread's `allow` off), at some point. Until
    /// then every thread's hook state is the default one, so coroutine
    /// switches leave the hook states where they are (see `resume_at`).
    pub(crate) hooks_used: bool,
    /// Data an embedding layer keeps with the state (ferrous-lua's facade
    /// keeps its bookkeeping here). The VM never looks at it.
    pub embedder: Option<Box<dyn std::any::Any>>,
    /// This state's identity, unique in the process. Rust code called
    /// from Lua holds `&mut Vm` and could `std::mem::swap` the whole state
    /// with another one; the interpreter loops below it keep references
    /// into the state they started with, so every return from Rust code
    /// compares this number with the one it saw before ([`Vm::check_same`]).
    pub(crate) uid: u64,
}

/// The roots the collector starts from.
struct VmRoots<'a> {
    stack: &'a [Value],
    extent: usize,
    open_upvals: &'a [(u32, UpvalRef)],
    thread: ThreadRef,
    main_thread: ThreadRef,
    globals: TableRef,
    registry: TableRef,
    type_mt: &'a [Option<TableRef>; 9],
    handlers: &'a [Handler],
    scratch: &'a [Value],
    resume_chain: &'a [ThreadRef],
    hook: Value,
    frames: &'a [CallFrame],
}

impl Roots for VmRoots<'_> {
    fn trace_roots(&self, m: &mut Marker<'_>) {
        m.mark_values(&self.stack[..self.extent.min(self.stack.len())]);
        for f in self.frames {
            m.mark_fn(f.closure);
        }
        for &(_, u) in self.open_upvals {
            m.mark_upval(u);
        }
        m.mark_thread(self.thread);
        m.mark_thread(self.main_thread);
        m.mark_table(self.globals);
        m.mark_table(self.registry);
        for t in self.type_mt.iter().flatten() {
            m.mark_table(*t);
        }
        for h in self.handlers {
            if let Handler::Function(v) = h {
                m.mark_value(*v);
            }
        }
        m.mark_values(self.scratch);
        for &t in self.resume_chain {
            m.mark_thread(t);
        }
        m.mark_value(self.hook);
    }
}

/// The VM's roots, borrowing each field on its own so the heap can be
/// borrowed mutably beside them.
macro_rules! vm_roots {
    ($vm:expr, $extent:expr) => {
        VmRoots {
            stack: &$vm.stack,
            extent: $extent,
            open_upvals: &$vm.open_upvals,
            thread: $vm.thread,
            main_thread: $vm.main_thread,
            globals: $vm.globals,
            registry: $vm.registry,
            type_mt: &$vm.type_mt,
            handlers: &$vm.handlers,
            scratch: &$vm.scratch,
            resume_chain: &$vm.resume_chain,
            hook: $vm.hook.func,
            frames: &$vm.frames,
        }
    };
}

pub(crate) fn type_index(t: Type) -> usize {
    match t {
        Type::Nil => 0,
        Type::Boolean => 1,
        Type::LightUserdata => 2,
        Type::Number => 3,
        Type::String => 4,
        Type::Table => 5,
        Type::Function => 6,
        Type::Userdata => 7,
        Type::Thread => 8,
    }
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl Vm {
    /// A new state with empty globals (no libraries opened).
    pub fn new() -> Vm {
        let mut heap = Heap::new();
        // No memory limit is set yet: these allocations cannot fail.
        let globals = heap.new_table(0, 2).unwrap_or_default();
        let registry = heap.new_table(0, 2).unwrap_or_default();
        let main = heap.alloc_thread(Thread::new(globals)).unwrap_or_default();
        let mut fixed = |s: &[u8]| heap.intern_fixed(s).unwrap_or_default();
        let types = [
            Type::Nil,
            Type::Boolean,
            Type::LightUserdata,
            Type::Number,
            Type::String,
            Type::Table,
            Type::Function,
            Type::Userdata,
            Type::Thread,
        ]
        .map(|t| fixed(t.name().as_bytes()));
        let names = Names {
            n: fixed(b"n"),
            tostring: fixed(b"__tostring"),
            types,
        };
        // Interned for good as well, as lua5.1 keeps its metamethod names
        // and the empty string alive.
        fixed(b"__metatable");
        fixed(b"");
        static NEXT_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut vm = Vm {
            uid: NEXT_UID.fetch_add(1, Ordering::Relaxed),
            heap,
            stack: Vec::new(),
            top: 0,
            frames: Vec::new(),
            open_upvals: Vec::new(),
            thread: main,
            main_thread: main,
            globals,
            registry,
            type_mt: [None; 9],
            c_depth: 0,
            yield_depth: 0,
            handlers: Vec::new(),
            names,
            budget: i64::MAX,
            budget_interval: 0,
            budget_hook: None,
            kill: None,
            scratch: Vec::new(),
            resume_chain: Vec::new(),
            env_epoch: 0,
            frame_limit: MAX_FRAMES,
            hook: crate::debug::HookState::default(),
            hooks_used: false,
            embedder: None,
        };
        vm.stack.resize(64, Value::Nil);
        let _ = vm
            .heap
            .adjust_bytes((64 * std::mem::size_of::<Value>()) as isize);
        vm
    }

    // ------------------------------------------------------------ basics

    /// The table of globals (the main thread's environment).
    pub fn globals(&self) -> TableRef {
        self.globals
    }

    /// The registry table.
    pub fn registry(&self) -> TableRef {
        self.registry
    }

    /// The main thread.
    pub fn main_thread(&self) -> ThreadRef {
        self.main_thread
    }

    /// The running thread.
    pub fn current_thread(&self) -> ThreadRef {
        self.thread
    }

    /// Interns a string.
    pub fn intern(&mut self, s: &[u8]) -> LuaResult<StrRef> {
        self.heap.intern(s).map_err(|e| self.heap_error(e))
    }

    /// A string value.
    pub fn str_value(&mut self, s: &[u8]) -> LuaResult<Value> {
        Ok(Value::String(self.intern(s)?))
    }

    /// The string `type(v)` returns.
    pub fn type_name_value(&self, v: &Value) -> Value {
        Value::String(self.names.types[v.type_of() as usize])
    }

    /// The bytes of a string (empty for a stale handle, which cannot happen
    /// for strings reachable from Lua).
    pub fn str_bytes(&self, s: StrRef) -> &[u8] {
        self.heap.str_bytes(s).unwrap_or(&[])
    }

    /// A new table with size hints.
    pub fn new_table(&mut self, narray: usize, nhash: usize) -> LuaResult<TableRef> {
        self.heap
            .new_table(narray, nhash)
            .map_err(|e| self.heap_error(e))
    }

    /// Raw get.
    #[inline]
    pub fn raw_get(&self, t: TableRef, k: Value) -> Value {
        self.heap.table_get(t, &k)
    }

    /// Raw get with a string key.
    pub fn raw_get_str(&mut self, t: TableRef, k: &[u8]) -> LuaResult<Value> {
        let k = self.intern(k)?;
        Ok(self.heap.table(t).map_or(Value::Nil, |tab| tab.get_str(k)))
    }

    /// Raw set; errors as Lua words them ("table index is nil"...).
    #[inline]
    pub fn raw_set(&mut self, t: TableRef, k: Value, v: Value) -> LuaResult<()> {
        self.heap.table_set(t, k, v).map_err(|e| self.heap_error(e))
    }

    /// Raw set with a string key.
    pub fn raw_set_str(&mut self, t: TableRef, k: &[u8], v: Value) -> LuaResult<()> {
        let k = self.intern(k)?;
        self.raw_set(t, Value::String(k), v)
    }

    /// Raw set with an integer key.
    pub fn raw_set_int(&mut self, t: TableRef, k: i64, v: Value) -> LuaResult<()> {
        self.heap
            .table_set_int(t, k, v)
            .map_err(|e| self.heap_error(e))
    }

    /// Creates a native function value with upvalues, using the globals as
    /// its environment.
    pub fn native_closure(&mut self, f: Native, upvals: Vec<Value>) -> LuaResult<Value> {
        let env = self.current_env();
        let obj = Function::Native(Box::new(NativeClosure {
            f,
            upvals: upvals.into_boxed_slice(),
            env,
        }));
        let r = self.heap.alloc_fn(obj).map_err(|e| self.heap_error(e))?;
        Ok(Value::Function(r))
    }

    /// Creates a native function value.
    pub fn native(&mut self, f: NativeFn) -> LuaResult<Value> {
        self.native_closure(Native::Fn(f), Vec::new())
    }

    /// Sets a global.
    pub fn set_global(&mut self, name: &[u8], v: Value) -> LuaResult<()> {
        let g = self.globals;
        self.raw_set_str(g, name, v)
    }

    /// Reads a global (raw).
    pub fn get_global(&mut self, name: &[u8]) -> LuaResult<Value> {
        let g = self.globals;
        self.raw_get_str(g, name)
    }

    /// The environment new native functions get: the running function's
    /// environment, or the globals.
    pub(crate) fn current_env(&self) -> TableRef {
        self.frames
            .last()
            .and_then(|f| self.heap.functions().get(f.closure()))
            .map_or(self.globals, |f| f.env())
    }

    /// The metatable of any value (tables and userdata have their own,
    /// other types share one per type).
    #[inline]
    pub fn metatable_of(&self, v: Value) -> Option<TableRef> {
        match v {
            Value::Table(t) => self.heap.table(t).and_then(|t| t.metatable()),
            Value::Userdata(u) => self.heap.userdata(u).and_then(|u| u.metatable()),
            _ => self.type_mt[type_index(v.type_of())],
        }
    }

    /// Sets the metatable shared by all values of a basic type other than
    /// table and userdata (`debug.setmetatable("", mt)`).
    pub fn set_type_metatable(&mut self, t: Type, mt: Option<TableRef>) {
        self.type_mt[type_index(t)] = mt;
    }

    /// The metamethod `tm` of value `v`, or nil.
    #[inline]
    pub fn metamethod(&self, v: Value, tm: Tm) -> Value {
        match self.metatable_of(v) {
            Some(mt) => self.heap.metamethod(mt, tm),
            None => Value::Nil,
        }
    }

    /// Converts a heap failure into the Lua error it raises.
    pub(crate) fn heap_error(&mut self, e: HeapError) -> LuaError {
        match e {
            HeapError::OutOfMemory => self.memory_error(),
            other => self.rt_error(other.to_string()),
        }
    }

    /// The "not enough memory" error (its message is a fixed string).
    pub fn memory_error(&mut self) -> LuaError {
        // Interning may itself fail under the limit: the message string is
        // interned ahead of time by `Names`? Lift the limit for this one.
        let limit = self.heap.memory_limit();
        self.heap.set_memory_limit(None);
        let v = self
            .heap
            .intern(b"not enough memory")
            .map(Value::String)
            .unwrap_or(Value::Nil);
        self.heap.set_memory_limit(limit);
        LuaError::with_kind(ErrorKind::Memory, v)
    }

    /// An error that stops the script and cannot be caught by pcall.
    pub fn interrupt_error(&mut self, msg: &str) -> LuaError {
        let v = self.str_value(msg.as_bytes()).unwrap_or(Value::Nil);
        LuaError::with_kind(ErrorKind::Interrupted, v)
    }

    // ------------------------------------------------------------ stack

    /// Makes sure the stack has at least `n` slots.
    #[inline]
    pub(crate) fn ensure_stack(&mut self, n: usize) -> LuaResult<()> {
        if n > self.stack.len() {
            self.grow_stack(n)?;
        }
        Ok(())
    }

    #[cold]
    fn grow_stack(&mut self, n: usize) -> LuaResult<()> {
        if n > MAX_STACK {
            return Err(self.rt_error("stack overflow"));
        }
        let old_cap = self.stack.capacity();
        let new_len = n.max(self.stack.len() * 2).min(MAX_STACK.max(n));
        let extra = new_len.saturating_sub(old_cap) * std::mem::size_of::<Value>();
        if extra > 0 {
            self.heap
                .adjust_bytes(extra as isize)
                .map_err(|e| self.heap_error(e))?;
        }
        self.stack.resize(new_len, Value::Nil);
        let now = self.stack.capacity();
        if now > new_len.max(old_cap) {
            let _ = self.heap.adjust_bytes(
                ((now - new_len.max(old_cap)) * std::mem::size_of::<Value>()) as isize,
            );
        }
        Ok(())
    }

    /// Pushes a value at the top.
    #[inline]
    pub(crate) fn push(&mut self, v: Value) -> LuaResult<()> {
        if self.top >= self.stack.len() {
            self.grow_stack(self.top + 1)?;
        }
        self.stack[self.top] = v;
        self.top += 1;
        Ok(())
    }

    /// One past the highest live stack slot, as Lua 5.1's collector sees
    /// it: the top while a native function runs, the register window of a
    /// running Lua function. Slots of calling frames above the callee's
    /// function slot are dead temporaries (the compiler places a call above
    /// every live register), so they are not roots.
    pub(crate) fn stack_extent(&self) -> usize {
        match self.frames.last() {
            Some(f) => self.top.max(f.stack_extent()),
            None => self.top,
        }
    }

    // --------------------------------------------------------------- GC

    /// Runs a collector step if allocation calls for one, then any due
    /// finalizers.
    #[inline]
    pub fn check_gc(&mut self) -> LuaResult<()> {
        if self.heap.gc_due() {
            self.gc_step()?;
        }
        Ok(())
    }

    #[cold]
    pub(crate) fn gc_step(&mut self) -> LuaResult<()> {
        let extent = self.stack_extent();
        let roots = vm_roots!(self, extent);
        self.heap.step(&roots);
        self.run_finalizers()
    }

    /// A full collection after a memory error was caught (the frames
    /// unwound): `keep` (the error value, held by Rust) and every slot up
    /// to the stack top stay alive; finalizers run at the next step; a
    /// stopped collector stays stopped.
    pub(crate) fn emergency_gc(&mut self, keep: Value) {
        let stopped = self.heap.gc_threshold_is_stop();
        self.scratch.push(keep);
        let extent = self.stack_extent().max(self.top);
        let roots = vm_roots!(self, extent);
        self.heap.full_collect(&roots);
        self.scratch.pop();
        if stopped {
            self.heap.gc_stop();
        }
    }

    /// A full collection (`collectgarbage("collect")`).
    pub fn full_gc(&mut self) -> LuaResult<()> {
        let extent = self.stack_extent();
        // Slots above every frame are dead: clear them so they keep
        // nothing alive.
        for v in self.stack.iter_mut().skip(extent) {
            *v = Value::Nil;
        }
        let roots = vm_roots!(self, extent);
        self.heap.full_collect(&roots);
        self.run_finalizers()
    }

    /// Closes the state as `lua_close` does: every userdata with a `__gc`
    /// metamethod is finalized (newest first). Errors in finalizers are
    /// ignored. The state stays usable afterwards.
    pub fn close(&mut self) {
        self.heap.queue_all_finalizers();
        while let Some(u) = self.heap.pop_finalizer() {
            let gc = self.metamethod(Value::Userdata(u), Tm::Gc);
            if gc.is_nil() {
                continue;
            }
            let base = self.top;
            if self.push(gc).is_err() || self.push(Value::Userdata(u)).is_err() {
                break;
            }
            let p = self.protect_begin(Handler::None);
            // No debug hooks during a __gc call, as in 5.1's GCTM. The
            // hook states now differ between threads.
            self.hooks_used = true;
            let allow = self.hook.allow;
            self.hook.allow = false;
            let r = self.call_at(base, 0);
            self.hook.allow = allow;
            let _ = self.protect_end(p, r);
            self.top = base;
        }
    }

    /// `collectgarbage("step", kb)`: returns true if a cycle finished.
    pub fn gc_step_kb(&mut self, kb: usize) -> LuaResult<bool> {
        let extent = self.stack_extent();
        let roots = vm_roots!(self, extent);
        let done = self.heap.gc_step(kb, &roots);
        self.run_finalizers()?;
        Ok(done)
    }

    /// Calls `__gc` of the userdata the collector queued.
    fn run_finalizers(&mut self) -> LuaResult<()> {
        while let Some(u) = self.heap.pop_finalizer() {
            let gc = self.metamethod(Value::Userdata(u), Tm::Gc);
            if gc.is_nil() {
                continue;
            }
            let base = self.top;
            self.push(gc)?;
            self.push(Value::Userdata(u))?;
            // No debug hooks during a __gc call, as in 5.1's GCTM. The
            // hook states now differ between threads.
            self.hooks_used = true;
            let allow = self.hook.allow;
            self.hook.allow = false;
            let r = self.call_at(base, 0);
            self.hook.allow = allow;
            self.top = base;
            r?;
        }
        Ok(())
    }

    // --------------------------------------------------------- budgets

    /// Installs an instruction budget: every `interval` charged
    /// instructions (backward jumps and calls), `hook` runs; an error it
    /// returns stops the script.
    pub fn set_budget_hook(&mut self, interval: i64, hook: Option<BudgetHook>) {
        self.budget_interval = interval.max(1);
        self.budget = if hook.is_some() || self.kill.is_some() {
            self.budget_interval
        } else {
            i64::MAX
        };
        self.budget_hook = hook;
    }

    /// Installs a kill flag: when another thread sets it, the running
    /// script stops at its next budget check with an interrupt error.
    pub fn set_kill_flag(&mut self, flag: Option<Arc<AtomicBool>>) {
        self.kill = flag;
        if self.kill.is_some() && self.budget == i64::MAX {
            self.budget_interval = self.budget_interval.max(1).min(10_000);
            if self.budget_interval <= 1 {
                self.budget_interval = 10_000;
            }
            self.budget = self.budget_interval;
        }
    }

    /// Called when the budget counter reaches zero.
    #[cold]
    /// Charges `n` units of work to the instruction budget (a unit is
    /// what a call or a backward jump costs): natives that can run long
    /// without calling Lua (pattern matching, big concatenations, sorts)
    /// call this as they go, so the budget hook, time limits and kill
    /// flags reach them too.
    #[inline]
    pub fn charge(&mut self, n: i64) -> LuaResult<()> {
        self.budget -= n;
        if self.budget <= 0 {
            self.budget_exhausted()
        } else {
            Ok(())
        }
    }

    /// Panics if `self` is no longer the state whose identity was `uid`:
    /// Rust code run from Lua replaced the whole state (`std::mem::swap`
    /// or `replace` on the `&mut Vm` it was lent). The interpreter frames
    /// below hold references into the state that was moved away, so
    /// going on would read freed memory; unwinding touches none of them,
    /// and [`Vm::protect`] passes such a panic on without restoring
    /// anything.
    #[inline]
    pub(crate) fn check_same(&self, uid: u64) {
        if self.uid != uid {
            state_replaced();
        }
    }

    pub(crate) fn budget_exhausted(&mut self) -> LuaResult<()> {
        self.budget = self.budget_interval.max(1);
        if let Some(k) = &self.kill {
            if k.load(Ordering::Relaxed) {
                return Err(self.interrupt_error("interrupted"));
            }
        }
        if let Some(mut hook) = self.budget_hook.take() {
            let uid = self.uid;
            let r = hook(self);
            self.check_same(uid);
            if self.budget_hook.is_none() {
                self.budget_hook = Some(hook);
            }
            r?;
        }
        if self.budget_hook.is_none() && self.kill.is_none() {
            self.budget = i64::MAX;
        }
        Ok(())
    }

    // ----------------------------------------------------------- errors

    /// A runtime error with Lua's position prefix when the running function
    /// is a Lua function ("chunk:line: msg").
    pub fn rt_error(&mut self, msg: impl AsRef<[u8]>) -> LuaError {
        let mut text = Vec::new();
        if let Some(f) = self.frames.last() {
            if let Some(proto) = &f.proto {
                text.extend_from_slice(&position(proto, f.current_pc()));
            }
        }
        text.extend_from_slice(msg.as_ref());
        match self.heap.intern(&text) {
            Ok(s) => LuaError::runtime(Value::String(s)),
            Err(_) => self.memory_error(),
        }
    }

    /// `luaL_where(L, level)`: "chunk:line: " of the function `level`
    /// levels down the call stack (1 = the caller of the running native),
    /// or empty when that function is not a Lua function.
    pub fn where_(&self, level: usize) -> Vec<u8> {
        if let Some(Level::Frame(i)) = self.stack_level(level) {
            let f = &self.frames[i];
            if let Some(proto) = &f.proto {
                let line = debuginfo::line_at(&proto.info, f.current_pc());
                if line > 0 {
                    return position(proto, f.current_pc());
                }
            }
        }
        Vec::new()
    }

    /// The name of the function running at frame index `fi`, as its caller
    /// names it (Lua 5.1's getfuncname).
    pub(crate) fn frame_function_name(&self, fi: usize) -> Option<(NameKind, Vec<u8>)> {
        frame_name_in(&self.frames, fi)
    }

    /// Describes the value in register `reg` of the running Lua frame for a
    /// message: " local 'x'" etc., or nothing.
    pub(crate) fn describe_register(&self, reg: usize) -> Option<(NameKind, Vec<u8>)> {
        let f = self.frames.last()?;
        match &f.proto {
            Some(proto) => debuginfo::object_name(&proto.info, f.current_pc(), reg as u32),
            None => None,
        }
    }

    /// "attempt to OP a TYPE value" with the variable's name when the value
    /// came from register `reg` (Lua 5.1's luaG_typeerror).
    pub(crate) fn type_error(&mut self, v: Value, reg: Option<usize>, op: &str) -> LuaError {
        let t = v.type_name();
        let named = reg.and_then(|r| self.describe_register(r));
        let msg = match named {
            Some((kind, name)) => {
                let mut m = format!("attempt to {op} {} '", kind.as_str()).into_bytes();
                m.extend_from_slice(&name);
                m.extend_from_slice(format!("' (a {t} value)").as_bytes());
                m
            }
            None => format!("attempt to {op} a {t} value").into_bytes(),
        };
        self.rt_error(msg)
    }

    // ------------------------------------------------------ conversions

    /// `tostring` without metamethods for strings and numbers: the value
    /// as a string if it is one or converts to one.
    pub fn to_str(&mut self, v: Value) -> LuaResult<Option<StrRef>> {
        match v {
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => {
                let b = number::fmt_number(n);
                Ok(Some(self.intern(&b)?))
            }
            _ => Ok(None),
        }
    }

    /// Number coercion (`lua_tonumber`): numbers, and strings that read as
    /// numbers.
    #[inline]
    pub fn to_number(&self, v: Value) -> Option<f64> {
        match v {
            Value::Number(n) => Some(n),
            Value::String(s) => number::str_to_number(self.str_bytes(s)),
            _ => None,
        }
    }
}

/// "chunkid:line: " for instruction `pc` of `proto`.
pub(crate) fn position(proto: &LuaProto, pc: u32) -> Vec<u8> {
    let line = debuginfo::line_at(&proto.info, pc);
    let mut v = ferrous_syntax::chunkid(&proto.info.source).into_bytes();
    v.extend_from_slice(format!(":{line}: ").as_bytes());
    v
}

/// What a native function receives: its arguments on the VM stack, the
/// VM, and helpers that check arguments with Lua's messages.
pub struct Ctx<'a> {
    /// The state the function runs in (to call Lua, allocate, raise errors).
    pub vm: &'a mut Vm,
    pub(crate) base: usize,
    pub(crate) nargs: usize,
    pub(crate) func: FnRef,
}

impl<'a> Ctx<'a> {
    /// Number of arguments.
    #[inline]
    pub fn nargs(&self) -> usize {
        self.nargs
    }

    /// Argument `i` (1-based); nil when absent.
    #[inline]
    pub fn arg(&self, i: usize) -> Value {
        // Choose a reference, then copy once: choosing between two values
        // makes the compiler move the result in pieces.
        static NIL: Value = Value::Nil;
        let r: &Value = if i >= 1 && i <= self.nargs {
            self.vm.stack.get(self.base + i - 1).unwrap_or(&NIL)
        } else {
            &NIL
        };
        *r
    }

    /// All arguments.
    pub fn args(&self) -> &[Value] {
        &self.vm.stack[self.base..self.base + self.nargs]
    }

    /// `lua_settop` that only shrinks the native's own frame: keeps its
    /// first `n` values (arguments, then what it pushed). A message handler
    /// sees the rest of the frame as `(*temporary)` locals (lua5.1's
    /// `error` keeps only its argument).
    pub fn truncate(&mut self, n: usize) {
        let top = self.base + n;
        if top < self.vm.top {
            self.vm.top = top;
        }
        self.nargs = self.nargs.min(n);
    }

    /// Replaces argument `i` (1-based, must exist).
    pub fn set_arg(&mut self, i: usize, v: Value) {
        if i >= 1 && i <= self.nargs {
            self.vm.stack[self.base + i - 1] = v;
        }
    }

    /// Pushes a result.
    #[inline]
    pub fn push(&mut self, v: Value) -> LuaResult<()> {
        self.vm.push(v)
    }

    /// Pushes what `next(t, k)` returns: the following key and value, or
    /// a single nil at the end; an error for a key not in the table. The
    /// entry is copied straight from the table to the stack (see
    /// `Table::get_ref` on why not through a returned `Value`).
    pub fn push_next(&mut self, t: TableRef, k: &Value) -> LuaResult<usize> {
        let top = self.vm.top;
        self.vm.ensure_stack(top + 2)?;
        let vm = &mut *self.vm;
        let Some(tab) = vm.heap.table(t) else {
            return Err(vm.rt_error(HeapError::StaleHandle.to_string()));
        };
        match tab.next_pos(k) {
            Ok(Some(pos)) => {
                if tab.pos_in_array(pos) {
                    Value::set_number(&mut vm.stack[top], (pos + 1) as i64 as f64);
                } else {
                    vm.stack[top] = tab.entry_key(pos);
                }
                vm.stack[top + 1] = *tab.entry_value(pos);
                vm.top = top + 2;
                Ok(2)
            }
            Ok(None) => {
                vm.stack[top] = Value::Nil;
                vm.top = top + 1;
                Ok(1)
            }
            Err(e) => Err(vm.rt_error(e.to_string())),
        }
    }

    /// One step of `ipairs`: pushes `i` and `t[i]` (raw) and returns 2, or
    /// pushes nothing and returns 0 when `t[i]` is nil.
    pub fn push_ipairs_step(&mut self, t: TableRef, i: i64) -> LuaResult<usize> {
        let top = self.vm.top;
        self.vm.ensure_stack(top + 2)?;
        let vm = &mut *self.vm;
        let Some(tab) = vm.heap.table(t) else {
            return Ok(0);
        };
        let v = tab.get_int_ref(i);
        if v.is_nil() {
            return Ok(0);
        }
        vm.stack[top + 1] = *v;
        Value::set_number(&mut vm.stack[top], i as f64);
        vm.top = top + 2;
        Ok(2)
    }

    /// Pushes a string result.
    pub fn push_str(&mut self, s: &[u8]) -> LuaResult<()> {
        let v = self.vm.str_value(s)?;
        self.vm.push(v)
    }

    /// The function being run.
    pub fn function(&self) -> FnRef {
        self.func
    }

    /// Upvalue `i` (0-based) of the running native closure.
    pub fn upvalue(&self, i: usize) -> Value {
        match self.vm.heap.functions().get(self.func) {
            Some(Function::Native(c)) => c.upvals.get(i).copied().unwrap_or(Value::Nil),
            _ => Value::Nil,
        }
    }

    /// Sets upvalue `i` (0-based) of the running native closure.
    pub fn set_upvalue(&mut self, i: usize, v: Value) {
        if let Some(Function::Native(c)) = self.vm.heap.functions_mut().get_mut(self.func) {
            if let Some(slot) = c.upvals.get_mut(i) {
                *slot = v;
            }
        }
        self.vm.heap.barrier_fn(self.func, v);
    }

    // --------------------------------------------------- argument errors

    /// `luaL_argerror`: "bad argument #i to 'name' (msg)", with the name
    /// the caller used and the caller's position.
    pub fn arg_error(&mut self, i: usize, msg: &str) -> LuaError {
        let fi = self.vm.frames.len().saturating_sub(1);
        let named = self.vm.frame_function_name(fi);
        let mut narg = i;
        let text = match named {
            Some((NameKind::Method, name)) => {
                narg = narg.saturating_sub(1);
                if narg == 0 {
                    let mut m = b"calling '".to_vec();
                    m.extend_from_slice(&name);
                    m.extend_from_slice(format!("' on bad self ({msg})").as_bytes());
                    return self.error(m);
                }
                name
            }
            Some((_, name)) => name,
            None => b"?".to_vec(),
        };
        let mut m = format!("bad argument #{narg} to '").into_bytes();
        m.extend_from_slice(&text);
        m.extend_from_slice(format!("' ({msg})").as_bytes());
        self.error(m)
    }

    /// `luaL_typerror`: "(EXPECTED expected, got TYPE)".
    pub fn type_error(&mut self, i: usize, expected: &str) -> LuaError {
        let got = if i > self.nargs {
            "no value"
        } else {
            self.arg(i).type_name()
        };
        let msg = format!("{expected} expected, got {got}");
        // luaL_typerror leaves this part on the native's stack, where a
        // message handler's debug.getlocal sees it as a (*temporary).
        if let Ok(v) = self.vm.str_value(msg.as_bytes()) {
            let _ = self.push(v);
        }
        self.arg_error(i, &msg)
    }

    /// `luaL_error`: the message with the calling Lua function's position.
    pub fn error(&mut self, msg: impl AsRef<[u8]>) -> LuaError {
        let mut text = self.vm.where_(1);
        text.extend_from_slice(msg.as_ref());
        match self.vm.heap.intern(&text) {
            Ok(s) => LuaError::runtime(Value::String(s)),
            Err(_) => self.vm.memory_error(),
        }
    }

    // ------------------------------------------------- argument checks

    /// `luaL_checkany`.
    pub fn check_any(&mut self, i: usize) -> LuaResult<Value> {
        if i > self.nargs {
            Err(self.arg_error(i, "value expected"))
        } else {
            Ok(self.arg(i))
        }
    }

    /// `luaL_checknumber`. (A number argument is answered inline in the
    /// library function; strings and errors take the call.)
    #[inline]
    pub fn check_number(&mut self, i: usize) -> LuaResult<f64> {
        if let Value::Number(n) = self.arg(i) {
            return Ok(n);
        }
        self.check_number_slow(i)
    }

    #[inline(never)]
    fn check_number_slow(&mut self, i: usize) -> LuaResult<f64> {
        match self.vm.to_number(self.arg(i)) {
            Some(n) => Ok(n),
            None => Err(self.type_error(i, "number")),
        }
    }

    /// `luaL_optnumber`.
    pub fn opt_number(&mut self, i: usize, default: f64) -> LuaResult<f64> {
        if self.arg(i).is_nil() {
            Ok(default)
        } else {
            self.check_number(i)
        }
    }

    /// `luaL_checkinteger`: the number truncated toward zero.
    pub fn check_integer(&mut self, i: usize) -> LuaResult<i64> {
        Ok(num_to_integer(self.check_number(i)?))
    }

    /// `luaL_optinteger`.
    pub fn opt_integer(&mut self, i: usize, default: i64) -> LuaResult<i64> {
        if self.arg(i).is_nil() {
            Ok(default)
        } else {
            self.check_integer(i)
        }
    }

    /// `luaL_checklstring`: strings, and numbers converted to strings.
    #[inline]
    pub fn check_string(&mut self, i: usize) -> LuaResult<StrRef> {
        // A string argument, the common case, inline in the library
        // function; conversions and errors out of line.
        if let Value::String(s) = self.arg(i) {
            return Ok(s);
        }
        self.check_string_slow(i)
    }

    #[inline(never)]
    fn check_string_slow(&mut self, i: usize) -> LuaResult<StrRef> {
        match self.vm.to_str(self.arg(i))? {
            Some(s) => Ok(s),
            None => Err(self.type_error(i, "string")),
        }
    }

    /// `luaL_optlstring`.
    pub fn opt_string(&mut self, i: usize) -> LuaResult<Option<StrRef>> {
        if self.arg(i).is_nil() {
            Ok(None)
        } else {
            self.check_string(i).map(Some)
        }
    }

    /// The bytes of a string argument (numbers converted), copied out.
    pub fn check_bytes(&mut self, i: usize) -> LuaResult<Vec<u8>> {
        let s = self.check_string(i)?;
        Ok(self.vm.str_bytes(s).to_vec())
    }

    /// `luaL_checktype(L, i, LUA_TTABLE)`.
    pub fn check_table(&mut self, i: usize) -> LuaResult<TableRef> {
        match self.arg(i) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_error(i, "table")),
        }
    }

    /// `luaL_checktype` for any type.
    pub fn check_type(&mut self, i: usize, t: Type) -> LuaResult<Value> {
        let v = self.arg(i);
        if v.type_of() == t && i <= self.nargs {
            Ok(v)
        } else {
            Err(self.type_error(i, t.name()))
        }
    }
}

/// Lua 5.1's `lua_tointeger` on a number: truncation toward zero, with
/// out-of-range values saturating (C leaves them undefined; x86 gives the
/// minimum).
#[inline]
pub fn num_to_integer(n: f64) -> i64 {
    if n.is_nan() {
        i64::MIN
    } else if n >= 9.2233720368547758e18 || n < -9.2233720368547758e18 {
        i64::MIN
    } else {
        n as i64
    }
}

/// What `lua_getstack` finds at a level of the call stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// An active frame (index into the running thread's frames).
    Frame(usize),
    /// A frame lost to a tail call.
    TailCall,
}

impl Vm {
    /// Finds call-stack level `level` of the running thread as Lua 5.1
    /// counts them: 0 is the running function, 1 its caller...; frames
    /// replaced by tail calls count as levels of their own.
    pub fn stack_level(&self, level: usize) -> Option<Level> {
        crate::debug::level_in(&self.frames, level)
    }

    /// Number of frames of the running thread.
    pub fn frame_count(&self) -> usize {
        self.frames.len()
    }

    /// The function running in frame `i`.
    pub fn frame_function(&self, i: usize) -> Option<FnRef> {
        self.frames.get(i).map(|f| f.closure())
    }

    /// True for native functions.
    pub fn is_native(&self, f: FnRef) -> bool {
        matches!(self.heap.functions().get(f), Some(Function::Native(_)))
    }

    /// The environment table of a function.
    pub fn function_env(&self, f: FnRef) -> Option<TableRef> {
        self.heap.functions().get(f).map(|f| f.env())
    }

    /// Sets the environment of a function.
    pub fn set_function_env(&mut self, f: FnRef, env: TableRef) -> bool {
        let ok = match self.heap.functions_mut().get_mut(f) {
            Some(Function::Lua(c)) => {
                c.env = env;
                true
            }
            Some(Function::Native(c)) => {
                c.env = env;
                true
            }
            None => false,
        };
        if ok {
            self.heap.barrier_fn(f, Value::Table(env));
            self.env_epoch = self.env_epoch.wrapping_add(1);
        }
        ok
    }

    /// The global table of the running thread (`getfenv(0)`; what loaded
    /// chunks get as their environment).
    pub fn thread_globals(&self) -> TableRef {
        if self.thread == self.main_thread {
            self.globals
        } else {
            self.heap
                .threads()
                .get(self.thread)
                .map_or(self.globals, |t| t.env)
        }
    }

    /// Replaces the global table of the running thread (`setfenv(0, t)`).
    pub fn set_thread_globals(&mut self, t: TableRef) {
        if self.thread == self.main_thread {
            self.globals = t;
        }
        let th = self.thread;
        if let Some(obj) = self.heap.threads_mut().get_mut(th) {
            obj.env = t;
        }
        self.heap.barrier_thread(th, Value::Table(t));
    }
}

/// Raw stack access for library implementers (the standard library,
/// the Redis bridge). Indexes are absolute stack slots of the running
/// thread; natives find their arguments at [`Ctx::base`].
impl Vm {
    /// The first free stack slot.
    #[inline]
    pub fn stack_top(&self) -> usize {
        self.top
    }

    /// Sets the first free slot (new slots read as nil).
    pub fn set_stack_top(&mut self, top: usize) -> LuaResult<()> {
        if top > self.top {
            self.ensure_stack(top)?;
            let from = self.top;
            self.stack[from..top].fill(Value::Nil);
        }
        self.top = top;
        Ok(())
    }

    /// The value in slot `i`.
    #[inline]
    pub fn stack_get(&self, i: usize) -> Value {
        static NIL: Value = Value::Nil;
        *self.stack.get(i).unwrap_or(&NIL)
    }

    /// Stores into slot `i` (below the top).
    #[inline]
    pub fn stack_set(&mut self, i: usize, v: Value) {
        if let Some(s) = self.stack.get_mut(i) {
            *s = v;
        }
    }

    /// Pushes a value.
    pub fn push_value(&mut self, v: Value) -> LuaResult<()> {
        self.push(v)
    }

    /// Pushes a number as one 16-byte store (see `Value::set_number`: a
    /// tag store plus a number store stalls the whole-value load that
    /// reads the slot next).
    #[inline]
    pub fn push_number(&mut self, n: f64) -> LuaResult<()> {
        if self.top >= self.stack.len() {
            self.grow_stack(self.top + 1)?;
        }
        Value::set_number(&mut self.stack[self.top], n);
        self.top += 1;
        Ok(())
    }

    /// Inserts `v` at slot `i`, shifting the slots `i..top` up by one.
    pub fn stack_insert(&mut self, i: usize, v: Value) -> LuaResult<()> {
        self.push(Value::Nil)?;
        let mut j = self.top - 1;
        while j > i {
            self.stack[j] = self.stack[j - 1];
            j -= 1;
        }
        self.stack[i] = v;
        Ok(())
    }

    /// Creates a full userdata.
    pub fn new_userdata(
        &mut self,
        payload: Box<dyn std::any::Any>,
        size: usize,
    ) -> LuaResult<ferrous_value::UdRef> {
        let u = self
            .heap
            .new_userdata(payload, size)
            .map_err(|e| self.heap_error(e))?;
        // Like lua_newuserdata, the environment is the running function's.
        let env = self.current_env();
        let _ = self.heap.set_ud_env(u, Some(env));
        Ok(u)
    }

    /// Sets the metatable of a table or userdata (raw, no `__metatable`
    /// check); other types share a metatable per type.
    pub fn set_metatable(&mut self, v: Value, mt: Option<TableRef>) -> LuaResult<()> {
        let r = match v {
            Value::Table(t) => self.heap.set_metatable(t, mt),
            Value::Userdata(u) => self.heap.set_ud_metatable(u, mt),
            other => {
                self.set_type_metatable(other.type_of(), mt);
                Ok(())
            }
        };
        r.map_err(|e| self.heap_error(e))
    }

    /// Calls the value at slot `func` with the arguments above it up to the
    /// top; results replace them (`nresults` of them, -1 for all) and the
    /// top follows them. A Rust-level call (counts against the C-call limit).
    pub fn call_slot(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        self.call_at(func, nresults)
    }

    /// Calls `f` with `args`, placed at slots `func..` (the top first set
    /// to `func`, as [`Vm::set_stack_top`] does), and returns its first
    /// result (nil when there is none); the top is back at `func`
    /// afterwards. What a native that calls a Lua function once per
    /// element (a sort comparator, a replacement function) wants, without
    /// pushing the values one by one.
    pub fn call_slot_1(&mut self, func: usize, f: Value, args: &[Value]) -> LuaResult<Value> {
        let end = func + 1 + args.len();
        self.ensure_stack(end)?;
        let from = self.top.min(func);
        self.stack[from..func].fill(Value::Nil);
        self.stack[func] = f;
        self.stack[func + 1..end].copy_from_slice(args);
        self.top = end;
        self.call_at(func, 1)?;
        let r = self.stack[func];
        self.top = func;
        Ok(r)
    }
}

impl Ctx<'_> {
    /// Slot of the first argument.
    #[inline]
    pub fn base(&self) -> usize {
        self.base
    }
}

impl Vm {
    /// Describes call-stack level `level` as a traceback line does
    /// (`file:12: in function 'f'`, `[C]: ?`, `(tail call): ?`).
    pub fn describe_level(&self, level: usize) -> Option<Vec<u8>> {
        let lv = self.stack_level(level)?;
        Some(describe_level_in(&self.frames, lv))
    }

    /// `debug.traceback(msg, level)` for the running thread.
    pub fn traceback(&self, msg: Option<&[u8]>, level: usize) -> Vec<u8> {
        traceback_in(&self.frames, msg, level)
    }
}

/// The name the caller of frame `fi` used for it (Lua 5.1's getfuncname).
pub(crate) fn frame_name_in(frames: &[CallFrame], fi: usize) -> Option<(NameKind, Vec<u8>)> {
    let f = frames.get(fi)?;
    if (f.is_lua() && f.tailcalls > 0) || fi == 0 {
        return None;
    }
    let caller = &frames[fi - 1];
    match &caller.proto {
        Some(proto) => debuginfo::called_function_name(&proto.info, caller.current_pc()),
        None => None,
    }
}

/// One traceback line for a level of a frame list.
pub(crate) fn describe_level_in(frames: &[CallFrame], lv: Level) -> Vec<u8> {
    let i = match lv {
        Level::TailCall => return b"(tail call): ?".to_vec(),
        Level::Frame(i) => i,
    };
    let f = &frames[i];
    let name = frame_name_in(frames, i);
    let mut out = Vec::new();
    match &f.proto {
        None => {
            out.extend_from_slice(b"[C]:");
            match name {
                Some((_, n)) => {
                    out.extend_from_slice(b" in function '");
                    out.extend_from_slice(&n);
                    out.push(b'\'');
                }
                None => out.extend_from_slice(b" ?"),
            }
        }
        Some(proto) => {
            let src = ferrous_syntax::chunkid(&proto.info.source);
            out.extend_from_slice(src.as_bytes());
            out.push(b':');
            let line = debuginfo::line_at(&proto.info, f.current_pc());
            if line > 0 {
                out.extend_from_slice(format!("{line}:").as_bytes());
            }
            match name {
                Some((_, n)) => {
                    out.extend_from_slice(b" in function '");
                    out.extend_from_slice(&n);
                    out.push(b'\'');
                }
                None if proto.info.line_defined == 0 => out.extend_from_slice(b" in main chunk"),
                None => out.extend_from_slice(
                    format!(" in function <{src}:{}>", proto.info.line_defined).as_bytes(),
                ),
            }
        }
    }
    out
}

/// A traceback of a frame list: the message, "stack traceback:", and one
/// line per level from `level` on. Like Lua 5.1, when more than 22 levels
/// remain past absolute level 12, the middle is replaced by "..." and only
/// the last 10 are shown.
pub(crate) fn traceback_in(frames: &[CallFrame], msg: Option<&[u8]>, level: usize) -> Vec<u8> {
    const FIRST: usize = 12;
    const LAST: usize = 10;
    let mut out = Vec::new();
    if let Some(m) = msg {
        out.extend_from_slice(m);
        out.push(b'\n');
    }
    out.extend_from_slice(b"stack traceback:");
    let mut total = level;
    while crate::debug::level_in(frames, total).is_some() {
        total += 1;
    }
    let mut l = level;
    let mut first = true;
    while l < total {
        if l >= FIRST && first {
            first = false;
            if total > l + LAST + 1 {
                out.extend_from_slice(b"\n\t...");
                l = total - LAST;
                continue;
            }
        }
        if let Some(lv) = crate::debug::level_in(frames, l) {
            out.extend_from_slice(b"\n\t");
            out.extend_from_slice(&describe_level_in(frames, lv));
        }
        l += 1;
    }
    out
}

#[cold]
#[inline(never)]
fn state_replaced() -> ! {
    panic!(
        "a Lua state was replaced (std::mem::swap or replace) by Rust code \
         called from Lua while it was running"
    )
}

/// The base library's `next` (here, in the VM, so that the loop's
/// `TFORLOOP` recognises it and steps `pairs` without a call).
pub fn lib_next(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let k = ctx.arg(2);
    ctx.push_next(t, &k)
}

/// The iterator `ipairs` returns (here for the same reason as
/// [`lib_next`]).
pub fn lib_ipairs_aux(ctx: &mut Ctx) -> LuaResult<usize> {
    let i = ctx.check_integer(2)? as i32 as i64;
    let t = ctx.check_table(1)?;
    ctx.push_ipairs_step(t, i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_follow_the_type_of_each_value() {
        let mut vm = Vm::new();
        let s = vm.str_value(b"x").unwrap();
        let t = Value::Table(vm.globals());
        let values = [
            Value::Nil,
            Value::Boolean(true),
            Value::LightUserdata(0),
            Value::Number(1.5),
            s,
            t,
        ];
        for v in values {
            let name = vm.type_name_value(&v);
            let Value::String(r) = name else {
                panic!("not a string")
            };
            assert_eq!(vm.str_bytes(r), v.type_name().as_bytes());
        }
        for ty in [Type::Function, Type::Userdata, Type::Thread] {
            let r = vm.names.types[ty as usize];
            assert_eq!(vm.str_bytes(r), ty.name().as_bytes());
        }
    }
}
