//! The objects the VM defines and the heap stores: functions, upvalues,
//! threads, and the runtime form of a prototype.

use std::rc::Rc;
use std::sync::Arc;

use ferrous_compiler::bytecode::Proto;
use ferrous_heap::{Marker, Trace, Types, UpvalList};
use ferrous_value::{StrRef, TableRef, ThreadRef, UpvalRef, Value};

use crate::ops::Op;
use crate::state::{CallFrame, Ctx};
use crate::LuaError;

/// The heap's type parameters for this VM.
pub struct VmTypes;

impl Types for VmTypes {
    type Function = Function;
    type Upvalue = Upvalue;
    type Thread = Thread;
}

/// The heap of a VM.
pub type Heap = ferrous_heap::Heap<VmTypes>;

/// How a closure created from a prototype captures each upvalue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpvalSource {
    /// Register of the enclosing function.
    Register(u16),
    /// Upvalue of the enclosing function.
    Upvalue(u16),
}

/// A prototype loaded into one VM: the translated code and interned
/// constants, plus the compiler's prototype for debug information.
pub struct LuaProto {
    /// The translated instructions; instruction `pc` is the compiler's
    /// instruction `pc` (same lines and debug information).
    pub code: Box<[Op]>,
    /// The constants as values (strings interned in this VM's heap).
    pub consts: Box<[Value]>,
    /// `consts` as string handles (a default handle where the constant is
    /// not a string), so string-keyed accesses load the key untagged.
    pub kstr: Box<[StrRef]>,
    /// The nested prototypes, in the order `CLOSURE` numbers them.
    pub protos: Box<[Rc<LuaProto>]>,
    /// Where a closure of this prototype takes each upvalue from, in
    /// upvalue order.
    pub upvals: Box<[UpvalSource]>,
    /// Number of fixed parameters (`self` included).
    pub num_params: u32,
    /// Lua 5.1's `is_vararg` flags (the compiler's `vararg` constants).
    pub is_vararg: u8,
    /// Registers a call needs (luac's maxstacksize); the verified loader
    /// guarantees every instruction stays below it.
    pub max_stack: u32,
    /// The chunk name, interned (debug.getinfo's `source`).
    pub source: StrRef,
    /// The compiler's form: lines, local names, original instructions.
    pub info: Arc<Proto>,
    /// What this prototype and its compiler form occupy outside the
    /// heap's arenas, counted as heap memory while it lives (closures keep
    /// it alive), as Lua 5.1 counts its `Proto`s.
    pub(crate) _charge: ferrous_heap::OwnedCharge,
}

impl LuaProto {
    /// Bytes a prototype built from `p` occupies outside the heap's
    /// objects: its own arrays and the compiler's (nested prototypes are
    /// charged by their own `LuaProto`).
    pub(crate) fn footprint(p: &Proto) -> usize {
        use std::mem::size_of;
        let code = p.code.len();
        let locvars: usize = p.locvars.iter().map(|l| l.name.len() + 16).sum();
        let upnames: usize = p.upvalue_names.iter().map(|n| n.len() + 16).sum();
        size_of::<LuaProto>()
            + size_of::<Proto>()
            + code * (size_of::<Op>() + size_of::<ferrous_compiler::bytecode::Instr>() + 4)
            + p.constants.len() * (size_of::<Value>() + size_of::<StrRef>() + 24)
            + p.protos.len() * (size_of::<Rc<LuaProto>>() + size_of::<Arc<Proto>>())
            + p.num_upvalues() * size_of::<UpvalSource>()
            + locvars
            + upnames
    }
}

impl LuaProto {
    /// Marks the constants of this prototype and of every nested one.
    fn trace_consts(&self, m: &mut Marker<'_>) {
        m.mark_values(&self.consts);
        m.mark_str(self.source);
        // Most prototypes have no nested ones: no walk list to allocate
        // (this runs for every closure the collector traverses).
        if self.protos.is_empty() {
            return;
        }
        let mut stack: Vec<&LuaProto> = self.protos.iter().map(|c| &**c).collect();
        while let Some(p) = stack.pop() {
            m.mark_values(&p.consts);
            m.mark_str(p.source);
            stack.extend(p.protos.iter().map(|c| &**c));
        }
    }
}

/// A native function: Rust code called with a [`Ctx`] giving its arguments.
/// It pushes its results with [`Ctx::push`] and returns how many it pushed.
pub type NativeFn = fn(&mut Ctx<'_>) -> Result<usize, LuaError>;

/// A native closure's code: a plain function, or a boxed Rust closure.
#[derive(Clone)]
pub enum Native {
    /// A plain function pointer (no captured state).
    Fn(NativeFn),
    /// A Rust closure (the embedding facade's callbacks); shared, so
    /// copying the function value does not copy the closure.
    Closure(Rc<dyn Fn(&mut Ctx<'_>) -> Result<usize, LuaError>>),
    /// `coroutine.yield`, implemented by the VM: called from Lua in a
    /// coroutine, the interpreter loop yields by itself.
    Yield,
    /// `coroutine.resume`, implemented by the VM (the loop calls it
    /// without building a [`Ctx`](crate::Ctx)).
    Resume,
    /// A function made by `coroutine.wrap`, implemented by the VM; its
    /// coroutine is upvalue 1.
    Wrap,
}

/// A Lua closure: three words, so that [`Function`] is too (24 bytes, a
/// 28-byte arena slot; the heap benchmark's closure has the same size).
pub struct LuaClosure {
    /// The prototype it runs.
    pub proto: Rc<LuaProto>,
    /// Its upvalues, in the prototype's upvalue order (a thin list: its
    /// length is stored with the handles).
    pub upvals: UpvalList,
    /// Its environment (`getfenv(f)`): where its globals live.
    pub env: TableRef,
}

/// A native closure with its upvalues (values the GC keeps alive).
pub struct NativeClosure {
    /// The Rust code.
    pub f: Native,
    /// Its upvalues (`lua_upvalueindex`), readable by the code.
    pub upvals: Box<[Value]>,
    /// Its environment (`getfenv(f)`).
    pub env: TableRef,
}

/// A function object. A native closure is boxed so that the common
/// object, a Lua closure, sets the size (a native one is charged its box).
pub enum Function {
    /// A function written in Lua.
    Lua(LuaClosure),
    /// A function written in Rust.
    Native(Box<NativeClosure>),
}

const _: () = assert!(std::mem::size_of::<Function>() == 24);

impl Function {
    /// The function's environment table.
    pub fn env(&self) -> TableRef {
        match self {
            Function::Lua(c) => c.env,
            Function::Native(c) => c.env,
        }
    }
}

impl Trace for Function {
    fn trace(&self, m: &mut Marker<'_>) {
        match self {
            Function::Lua(c) => {
                m.mark_table(c.env);
                for &u in c.upvals.iter() {
                    m.mark_upval(u);
                }
                c.proto.trace_consts(m);
            }
            Function::Native(c) => {
                m.mark_table(c.env);
                m.mark_values(&c.upvals);
            }
        }
    }
    fn free_into(self, lists: &mut ferrous_heap::UpvalLists) {
        if let Function::Lua(c) = self {
            lists.put(c.upvals);
        }
    }
    fn extra_bytes(&self) -> usize {
        match self {
            Function::Lua(c) => c.upvals.heap_bytes(),
            Function::Native(c) => {
                std::mem::size_of::<NativeClosure>() + c.upvals.len() * std::mem::size_of::<Value>()
            }
        }
    }
}

/// An upvalue: open while the variable lives in a thread's stack, closed
/// (holding its own value) afterwards.
#[derive(Clone, Copy, Debug)]
pub enum Upvalue {
    /// The variable is still in a stack: slot `index` of `thread`.
    Open {
        /// The thread whose stack holds the variable.
        thread: ThreadRef,
        /// The variable's stack slot.
        index: u32,
    },
    /// The variable's value, owned by the upvalue once its scope ended.
    Closed(Value),
}

impl Trace for Upvalue {
    fn trace(&self, m: &mut Marker<'_>) {
        match *self {
            Upvalue::Open { thread, .. } => m.mark_thread(thread),
            Upvalue::Closed(v) => m.mark_value(v),
        }
    }
}

/// Status of a coroutine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoStatus {
    /// Created or yielded: can be resumed.
    Suspended,
    /// The running coroutine.
    Running,
    /// Resumed another coroutine and waits for it.
    Normal,
    /// Finished or failed.
    Dead,
}

impl CoStatus {
    /// The name `coroutine.status` gives it.
    pub fn name(self) -> &'static str {
        match self {
            CoStatus::Running => "running",
            CoStatus::Suspended => "suspended",
            CoStatus::Normal => "normal",
            CoStatus::Dead => "dead",
        }
    }
}

/// A thread (coroutine). The running thread's stack and frames live in the
/// VM itself; they are swapped in on resume and out on yield. While a
/// coroutine runs, its object holds the state of the thread that resumed
/// it (`Vm::state_holder` finds a thread's state).
pub struct Thread {
    pub(crate) stack: Vec<Value>,
    pub(crate) top: usize,
    pub(crate) frames: Vec<CallFrame>,
    /// Open upvalues, sorted by stack index (ascending).
    pub(crate) open_upvals: Vec<(u32, UpvalRef)>,
    /// Suspended, Running (also while it waits in `resume`: the VM tells
    /// a normal thread by the resume chain) or Dead.
    pub(crate) status: CoStatus,
    /// The thread has started running its function.
    pub(crate) started: bool,
    /// The thread's global table (`getfenv(0)`).
    pub(crate) env: TableRef,
    /// Hooks of this thread while it is not running.
    pub(crate) hook: crate::debug::HookState,
}

impl Thread {
    pub(crate) fn new(env: TableRef) -> Thread {
        Thread {
            stack: Vec::new(),
            top: 0,
            frames: Vec::new(),
            open_upvals: Vec::new(),
            status: CoStatus::Suspended,
            started: false,
            env,
            hook: crate::debug::HookState::default(),
        }
    }

    /// What `coroutine.status` reports for this thread.
    pub fn status(&self) -> CoStatus {
        self.status
    }
}

impl Trace for Thread {
    fn trace(&self, m: &mut Marker<'_>) {
        m.mark_values(&self.stack[..self.top.min(self.stack.len())]);
        // Registers of suspended Lua frames may lie above `top`.
        if let Some(f) = self.frames.last() {
            let hi = f.stack_extent().min(self.stack.len());
            if hi > self.top {
                m.mark_values(&self.stack[self.top..hi]);
            }
        }
        for &(_, u) in &self.open_upvals {
            m.mark_upval(u);
        }
        for f in &self.frames {
            m.mark_fn(f.closure);
        }
        m.mark_table(self.env);
        m.mark_value(self.hook.func);
    }
    fn extra_bytes(&self) -> usize {
        self.stack.capacity() * std::mem::size_of::<Value>()
    }
    fn retrace_in_atomic(&self) -> bool {
        true
    }
}
