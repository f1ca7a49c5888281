//! Ferrous Lua: a pure-Rust Lua 5.1, for embedding.
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! lua.load("x = 6 * 7").exec().unwrap();
//! let x: f64 = lua.get_global("x").unwrap();
//! assert_eq!(x, 42.0);
//!
//! let s: String = lua.load("return ('hello'):upper()").eval().unwrap();
//! assert_eq!(s, "HELLO");
//! ```
//!
//! Rust functions are closures receiving a [`Ctx`] (their arguments, and
//! the VM to build results with). They return how many values they pushed:
//!
//! ```
//! use ferrous_lua::{Lua, Value};
//!
//! let mut lua = Lua::new();
//! let add = lua
//!     .create_function(|ctx| {
//!         let a = ctx.check_number(1)?;
//!         let b = ctx.check_number(2)?;
//!         ctx.push(Value::Number(a + b))?;
//!         Ok(1)
//!     })
//!     .unwrap();
//! lua.set_global("add", &add).unwrap();
//! let r: f64 = lua.load("return add(2, 3)").eval().unwrap();
//! assert_eq!(r, 5.0);
//! // Errors carry Lua's message.
//! let err = lua.load("return add(2, {})").eval::<f64>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "[string \"return add(2, {})\"]:1: bad argument #2 to 'add' (number expected, got table)"
//! );
//! ```
//!
//! Values held by Rust across calls into Lua stay alive: [`Table`],
//! [`Function`] and [`LuaString`] handles pin their object until they are
//! dropped.
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! let t = lua.create_table().unwrap();
//! t.set(&mut lua, "answer", 42.0).unwrap();
//! lua.load("collectgarbage()").exec().unwrap();
//! let v: f64 = t.get(&mut lua, "answer").unwrap();
//! assert_eq!(v, 42.0);
//! let f: ferrous_lua::Function = lua.load("return function(t) return t.answer + 1 end").eval().unwrap();
//! let r: f64 = f.call(&mut lua, (&t,)).unwrap();
//! assert_eq!(r, 43.0);
//! ```
//!
//! The crates underneath can be used on their own: [`ferrous_vm`] (the
//! VM and its native-function API), [`ferrous_stdlib`], the compiler, the
//! heap, the syntax frontend.

use std::fmt;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

pub use ferrous_stdlib as stdlib;
pub use ferrous_value::Value;
pub use ferrous_vm as vm;
pub use ferrous_vm::{Ctx, LuaError, LuaResult, Vm};

use ferrous_vm::ErrorKind;

/// An error from Lua, with its message as text (safe to keep after the
/// state has run more code).
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The source did not compile: the message as `loadstring` gives it.
    Syntax(String),
    /// A runtime error. Non-string error values are described.
    Runtime(String),
    /// Allocation failed ("not enough memory").
    Memory,
    /// The script was interrupted by the embedder (kill flag or budget).
    Interrupted(String),
    /// A Lua value could not be converted to the Rust type asked for.
    Conversion {
        from: &'static str,
        to: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax(m) | Error::Runtime(m) | Error::Interrupted(m) => f.write_str(m),
            Error::Memory => f.write_str("not enough memory"),
            Error::Conversion { from, to } => write!(f, "cannot convert a {from} to {to}"),
        }
    }
}

impl std::error::Error for Error {}

/// Result of the facade's operations.
pub type Result<T> = std::result::Result<T, Error>;

/// Pins released by dropped handles, unpinned by the state at its next
/// operation.
type ReleaseQueue = Arc<Mutex<Vec<ferrous_vm::Pin>>>;

/// A Lua state with the standard libraries.
pub struct Lua {
    vm: Vm,
    released: ReleaseQueue,
}

impl Default for Lua {
    fn default() -> Self {
        Self::new()
    }
}

/// A pinned reference to a heap value, unpinned when dropped.
struct Pinned {
    pin: ferrous_vm::Pin,
    value: Value,
    queue: ReleaseQueue,
}

impl Drop for Pinned {
    fn drop(&mut self) {
        if let Ok(mut q) = self.queue.lock() {
            q.push(self.pin);
        }
    }
}

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident, $variant:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(Rc<Pinned>);

        impl $name {
            /// The raw value (valid while this handle lives).
            pub fn value(&self) -> Value {
                self.0.value
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0.value)
            }
        }

        impl FromLua for $name {
            fn from_lua(lua: &mut Lua, v: Value) -> Result<Self> {
                match v {
                    Value::$variant(_) => Ok($name(lua.pin(v))),
                    other => Err(Error::Conversion {
                        from: other.type_name(),
                        to: stringify!($name),
                    }),
                }
            }
        }

        impl IntoLua for &$name {
            fn into_lua(self, _lua: &mut Lua) -> Result<Value> {
                Ok(self.0.value)
            }
        }
    };
}

handle!(
    /// A table held by Rust.
    Table,
    Table
);
handle!(
    /// A function held by Rust.
    Function,
    Function
);
handle!(
    /// A string held by Rust.
    LuaString,
    String
);

impl Lua {
    /// A state with every standard library open (as `lua5.1` has).
    pub fn new() -> Lua {
        let mut lua = Lua::new_empty();
        // Opening the libraries only allocates; no limit is set yet.
        let _ = ferrous_stdlib::open_libs(&mut lua.vm);
        lua
    }

    /// A state with no library open; open what you need through
    /// [`Lua::vm`] and [`ferrous_stdlib`].
    pub fn new_empty() -> Lua {
        Lua {
            vm: Vm::new(),
            released: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// The underlying VM, for everything the facade does not wrap.
    pub fn vm(&mut self) -> &mut Vm {
        self.release_pins();
        &mut self.vm
    }

    fn release_pins(&mut self) {
        let pins: Vec<_> = match self.released.lock() {
            Ok(mut q) => std::mem::take(&mut *q),
            Err(_) => return,
        };
        for p in pins {
            self.vm.heap.unpin(p);
        }
    }

    fn pin(&mut self, v: Value) -> Rc<Pinned> {
        let pin = self.vm.heap.pin(v);
        Rc::new(Pinned {
            pin,
            value: v,
            queue: self.released.clone(),
        })
    }

    /// Converts a VM error into an owned one.
    fn error(&mut self, e: LuaError) -> Error {
        let text = |vm: &mut Vm, v: Value| -> String {
            match v {
                Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
                Value::Number(n) => ferrous_value::number::fmt_number(n).as_str().to_string(),
                Value::Nil => "nil".to_string(),
                other => format!("(error object is a {} value)", other.type_name()),
            }
        };
        match e.kind {
            ErrorKind::Syntax => Error::Syntax(text(&mut self.vm, e.value)),
            ErrorKind::Memory => Error::Memory,
            ErrorKind::Interrupted => Error::Interrupted(text(&mut self.vm, e.value)),
            _ => Error::Runtime(text(&mut self.vm, e.value)),
        }
    }

    /// Prepares a chunk of source code for running.
    pub fn load<'a>(&'a mut self, source: impl AsRef<[u8]>) -> Chunk<'a> {
        let source = source.as_ref().to_vec();
        Chunk {
            lua: self,
            name: None,
            source,
        }
    }

    /// A new empty table.
    pub fn create_table(&mut self) -> Result<Table> {
        self.release_pins();
        let t = self.vm.new_table(0, 0).map_err(|e| self.error(e))?;
        Ok(Table(self.pin(Value::Table(t))))
    }

    /// A Lua string from bytes.
    pub fn create_string(&mut self, s: impl AsRef<[u8]>) -> Result<LuaString> {
        let v = self.vm.str_value(s.as_ref()).map_err(|e| self.error(e))?;
        Ok(LuaString(self.pin(v)))
    }

    /// A function implemented in Rust. It receives a [`Ctx`] with its
    /// arguments, pushes its results with [`Ctx::push`] and returns how
    /// many it pushed; errors use Lua's helpers ([`Ctx::arg_error`],
    /// [`Ctx::error`]...).
    pub fn create_function<F>(&mut self, f: F) -> Result<Function>
    where
        F: Fn(&mut Ctx<'_>) -> LuaResult<usize> + 'static,
    {
        self.release_pins();
        let v = self
            .vm
            .native_closure(ferrous_vm::Native::Closure(Rc::new(f)), Vec::new())
            .map_err(|e| self.error(e))?;
        Ok(Function(self.pin(v)))
    }

    /// Sets a global variable.
    pub fn set_global(&mut self, name: &str, v: impl IntoLua) -> Result<()> {
        self.release_pins();
        let v = v.into_lua(self)?;
        self.vm
            .set_global(name.as_bytes(), v)
            .map_err(|e| self.error(e))
    }

    /// Reads a global variable.
    pub fn get_global<T: FromLua>(&mut self, name: &str) -> Result<T> {
        let v = self
            .vm
            .get_global(name.as_bytes())
            .map_err(|e| self.error(e))?;
        T::from_lua(self, v)
    }

    /// Runs a full garbage collection.
    pub fn gc_collect(&mut self) -> Result<()> {
        self.release_pins();
        self.vm.full_gc().map_err(|e| self.error(e))
    }

    /// Kilobytes of memory in use (`collectgarbage("count")`).
    pub fn memory_kb(&self) -> f64 {
        self.vm.heap.count_kb()
    }

    /// Limits the memory the state may use; allocations beyond it fail
    /// with "not enough memory" and the state stays usable.
    pub fn set_memory_limit(&mut self, bytes: Option<usize>) {
        self.vm.heap.set_memory_limit(bytes);
    }

    fn call_value<R: FromLuaMulti>(&mut self, f: Value, args: Vec<Value>) -> Result<R> {
        self.release_pins();
        let results = self.vm.pcall(f, &args, None).map_err(|e| self.error(e))?;
        R::from_lua_multi(self, results)
    }
}

/// Source code on its way to running, see [`Lua::load`].
pub struct Chunk<'a> {
    lua: &'a mut Lua,
    name: Option<Vec<u8>>,
    source: Vec<u8>,
}

impl<'a> Chunk<'a> {
    /// Sets the chunk name used in messages (`=name` shows as `name`,
    /// `@file` as `file`; the default is the source itself, like
    /// `loadstring`).
    pub fn name(mut self, name: impl AsRef<[u8]>) -> Self {
        self.name = Some(name.as_ref().to_vec());
        self
    }

    fn compile(&mut self) -> Result<Value> {
        self.lua.release_pins();
        let name = self.name.clone().unwrap_or_else(|| self.source.clone());
        let r = self.lua.vm.load(&self.source, &name);
        r.map_err(|e| self.lua.error(e))
    }

    /// Runs the chunk, discarding its results.
    pub fn exec(mut self) -> Result<()> {
        let f = self.compile()?;
        self.lua.call_value::<()>(f, Vec::new())
    }

    /// Runs the chunk and converts its results.
    pub fn eval<R: FromLuaMulti>(mut self) -> Result<R> {
        let f = self.compile()?;
        self.lua.call_value(f, Vec::new())
    }

    /// Compiles the chunk into a function without running it.
    pub fn into_function(mut self) -> Result<Function> {
        let f = self.compile()?;
        Ok(Function(self.lua.pin(f)))
    }
}

impl Table {
    /// `t[k]` (with metamethods).
    pub fn get<T: FromLua>(&self, lua: &mut Lua, k: impl IntoLua) -> Result<T> {
        lua.release_pins();
        let k = k.into_lua(lua)?;
        let v = lua.vm.index(self.value(), k).map_err(|e| lua.error(e))?;
        T::from_lua(lua, v)
    }

    /// `t[k] = v` (with metamethods).
    pub fn set(&self, lua: &mut Lua, k: impl IntoLua, v: impl IntoLua) -> Result<()> {
        lua.release_pins();
        let k = k.into_lua(lua)?;
        let v = v.into_lua(lua)?;
        lua.vm
            .set_index(self.value(), k, v)
            .map_err(|e| lua.error(e))
    }

    /// `#t`.
    pub fn len(&self, lua: &mut Lua) -> usize {
        match self.value() {
            Value::Table(t) => lua.vm.heap.table(t).map_or(0, |t| t.border()),
            _ => 0,
        }
    }

    /// True when `#t` is 0.
    pub fn is_empty(&self, lua: &mut Lua) -> bool {
        self.len(lua) == 0
    }
}

impl Function {
    /// Calls the function with `args` (a tuple of values) and converts its
    /// results.
    pub fn call<R: FromLuaMulti>(&self, lua: &mut Lua, args: impl IntoLuaMulti) -> Result<R> {
        let args = args.into_lua_multi(lua)?;
        lua.call_value(self.value(), args)
    }
}

impl LuaString {
    /// The string's bytes.
    pub fn as_bytes<'l>(&self, lua: &'l Lua) -> &'l [u8] {
        match self.value() {
            Value::String(s) => lua.vm.str_bytes(s),
            _ => &[],
        }
    }
}

/// Conversion of a Rust value into a Lua value.
pub trait IntoLua {
    fn into_lua(self, lua: &mut Lua) -> Result<Value>;
}

/// Conversion of a Lua value into a Rust value.
pub trait FromLua: Sized {
    fn from_lua(lua: &mut Lua, v: Value) -> Result<Self>;
}

/// Conversion of a Rust value (a tuple, a `Vec<Value>`...) into arguments.
pub trait IntoLuaMulti {
    fn into_lua_multi(self, lua: &mut Lua) -> Result<Vec<Value>>;
}

/// Conversion of results into a Rust value (a single value takes the
/// first result; `()` ignores them; tuples take them in order).
pub trait FromLuaMulti: Sized {
    fn from_lua_multi(lua: &mut Lua, values: Vec<Value>) -> Result<Self>;
}

impl IntoLua for Value {
    fn into_lua(self, _lua: &mut Lua) -> Result<Value> {
        Ok(self)
    }
}
impl IntoLua for bool {
    fn into_lua(self, _lua: &mut Lua) -> Result<Value> {
        Ok(Value::Boolean(self))
    }
}
impl IntoLua for f64 {
    fn into_lua(self, _lua: &mut Lua) -> Result<Value> {
        Ok(Value::Number(self))
    }
}
impl IntoLua for i64 {
    fn into_lua(self, _lua: &mut Lua) -> Result<Value> {
        Ok(Value::Number(self as f64))
    }
}
impl IntoLua for i32 {
    fn into_lua(self, _lua: &mut Lua) -> Result<Value> {
        Ok(Value::Number(self as f64))
    }
}
impl IntoLua for &str {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        lua.vm.str_value(self.as_bytes()).map_err(|e| lua.error(e))
    }
}
impl IntoLua for String {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        self.as_str().into_lua(lua)
    }
}
impl IntoLua for &[u8] {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        lua.vm.str_value(self).map_err(|e| lua.error(e))
    }
}
impl<T: IntoLua> IntoLua for Option<T> {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        match self {
            Some(v) => v.into_lua(lua),
            None => Ok(Value::Nil),
        }
    }
}

impl FromLua for Value {
    fn from_lua(_lua: &mut Lua, v: Value) -> Result<Self> {
        Ok(v)
    }
}
impl FromLua for bool {
    fn from_lua(_lua: &mut Lua, v: Value) -> Result<Self> {
        Ok(v.is_truthy())
    }
}
impl FromLua for f64 {
    fn from_lua(lua: &mut Lua, v: Value) -> Result<Self> {
        lua.vm.to_number(v).ok_or(Error::Conversion {
            from: v.type_name(),
            to: "number",
        })
    }
}
impl FromLua for i64 {
    fn from_lua(lua: &mut Lua, v: Value) -> Result<Self> {
        f64::from_lua(lua, v).map(ferrous_vm::num_to_integer)
    }
}
impl FromLua for String {
    fn from_lua(lua: &mut Lua, v: Value) -> Result<Self> {
        match lua.vm.to_str(v).map_err(|e| lua.error(e))? {
            Some(s) => Ok(String::from_utf8_lossy(lua.vm.str_bytes(s)).into_owned()),
            None => Err(Error::Conversion {
                from: v.type_name(),
                to: "string",
            }),
        }
    }
}
impl FromLua for Vec<u8> {
    fn from_lua(lua: &mut Lua, v: Value) -> Result<Self> {
        match lua.vm.to_str(v).map_err(|e| lua.error(e))? {
            Some(s) => Ok(lua.vm.str_bytes(s).to_vec()),
            None => Err(Error::Conversion {
                from: v.type_name(),
                to: "bytes",
            }),
        }
    }
}
impl<T: FromLua> FromLua for Option<T> {
    fn from_lua(lua: &mut Lua, v: Value) -> Result<Self> {
        if v.is_nil() {
            Ok(None)
        } else {
            T::from_lua(lua, v).map(Some)
        }
    }
}

impl<T: FromLua> FromLuaMulti for T {
    fn from_lua_multi(lua: &mut Lua, values: Vec<Value>) -> Result<Self> {
        T::from_lua(lua, values.first().copied().unwrap_or(Value::Nil))
    }
}

/// All results, as raw values (valid until the state runs more code).
pub struct MultiValue(pub Vec<Value>);

impl FromLuaMulti for MultiValue {
    fn from_lua_multi(_lua: &mut Lua, values: Vec<Value>) -> Result<Self> {
        Ok(MultiValue(values))
    }
}

impl FromLuaMulti for () {
    fn from_lua_multi(_lua: &mut Lua, _values: Vec<Value>) -> Result<Self> {
        Ok(())
    }
}

impl IntoLuaMulti for () {
    fn into_lua_multi(self, _lua: &mut Lua) -> Result<Vec<Value>> {
        Ok(Vec::new())
    }
}

impl IntoLuaMulti for Vec<Value> {
    fn into_lua_multi(self, _lua: &mut Lua) -> Result<Vec<Value>> {
        Ok(self)
    }
}

macro_rules! tuples {
    ($($name:ident),+) => {
        impl<$($name: IntoLua),+> IntoLuaMulti for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_lua_multi(self, lua: &mut Lua) -> Result<Vec<Value>> {
                let ($($name,)+) = self;
                Ok(vec![$($name.into_lua(lua)?),+])
            }
        }
        impl<$($name: FromLua),+> FromLuaMulti for ($($name,)+) {
            #[allow(non_snake_case, unused_assignments)]
            fn from_lua_multi(lua: &mut Lua, values: Vec<Value>) -> Result<Self> {
                let mut it = values.into_iter();
                Ok(($($name::from_lua(lua, it.next().unwrap_or(Value::Nil))?,)+))
            }
        }
    };
}

tuples!(A);
tuples!(A, B);
tuples!(A, B, C);
tuples!(A, B, C, D);
tuples!(A, B, C, D, E);
