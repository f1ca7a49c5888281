//! Owned Lua values: pinned handles that keep their object alive and
//! remember which state they belong to.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use ferrous_vm::Pin;

use crate::error::{Error, Result};
use crate::RawValue;

/// Pins released by dropped handles; the state unpins them at its next
/// operation (a handle can be dropped anywhere, even on another thread).
#[derive(Default)]
pub(crate) struct Released {
    pub(crate) dirty: AtomicBool,
    pub(crate) pins: Mutex<Vec<Pin>>,
}

/// A pinned heap value of one state.
pub(crate) struct Pinned {
    pub(crate) pin: Pin,
    pub(crate) raw: RawValue,
    pub(crate) state: u64,
    pub(crate) released: Arc<Released>,
}

impl Drop for Pinned {
    fn drop(&mut self) {
        if let Ok(mut q) = self.released.pins.lock() {
            q.push(self.pin);
        }
        self.released.dirty.store(true, Ordering::Release);
    }
}

impl fmt::Debug for Pinned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.raw)
    }
}

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident, $variant:ident, $rawvariant:ident, $lname:literal) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(pub(crate) Arc<Pinned>);

        impl $name {
            /// The raw VM value. It stays valid while this handle lives
            /// and only means something to the state the handle came from.
            pub fn to_raw(&self) -> RawValue {
                self.0.raw
            }

            /// True when both handles name the same Lua object.
            pub fn ptr_eq(&self, other: &$name) -> bool {
                self.0.state == other.0.state && self.0.raw == other.0.raw
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0.raw)
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &$name) -> bool {
                self.ptr_eq(other)
            }
        }

        impl crate::conv::FromLua for $name {
            fn from_lua(v: Value, _lua: &mut crate::LuaState) -> Result<Self> {
                match v {
                    Value::$variant(h) => Ok(h),
                    other => Err(Error::from_lua(other.type_name(), $lname)),
                }
            }
            fn from_raw(raw: RawValue, lua: &mut crate::LuaState) -> Result<Self> {
                match raw {
                    RawValue::$rawvariant(_) => Ok($name(lua.pin_raw(raw))),
                    other => Err(Error::from_lua(other.type_name(), $lname)),
                }
            }
        }

        impl crate::conv::IntoLua for $name {
            fn into_lua(self, _lua: &mut crate::LuaState) -> Result<Value> {
                Ok(Value::$variant(self))
            }
            fn into_raw(self, lua: &mut crate::LuaState) -> Result<RawValue> {
                lua.raw_of(&self.0)
            }
        }

        impl crate::conv::IntoLua for &$name {
            fn into_lua(self, _lua: &mut crate::LuaState) -> Result<Value> {
                Ok(Value::$variant(self.clone()))
            }
            fn into_raw(self, lua: &mut crate::LuaState) -> Result<RawValue> {
                lua.raw_of(&self.0)
            }
        }
    };
}

handle!(
    /// A Lua string held by Rust (bytes, not necessarily UTF-8).
    ///
    /// ```
    /// use ferrous_lua::{Lua, LuaString};
    ///
    /// let mut lua = Lua::new();
    /// let s: LuaString = lua.load(r"return 'caf\195\169\255'").eval().unwrap();
    /// assert_eq!(s.as_bytes(&mut lua), b"caf\xc3\xa9\xff");
    /// assert!(s.to_str(&mut lua).is_err()); // not UTF-8
    /// assert_eq!(s.to_string_lossy(&mut lua), "café\u{fffd}");
    /// ```
    LuaString,
    String,
    String,
    "string"
);
handle!(
    /// A table held by Rust; see the methods in [`Table`]'s impl blocks.
    ///
    /// ```
    /// use ferrous_lua::Lua;
    ///
    /// let mut lua = Lua::new();
    /// let t = lua.create_table().unwrap();
    /// t.set(&mut lua, "k", "v").unwrap();
    /// t.set(&mut lua, 1, 10).unwrap();
    /// lua.set_global("t", &t).unwrap();
    /// assert_eq!(lua.load("return t.k .. t[1]").eval::<String>().unwrap(), "v10");
    /// ```
    Table,
    Table,
    Table,
    "table"
);
handle!(
    /// A Lua or Rust function held by Rust.
    ///
    /// ```
    /// use ferrous_lua::{Function, Lua};
    ///
    /// let mut lua = Lua::new();
    /// let f: Function = lua.load("return function(a, b) return a .. b end").eval().unwrap();
    /// assert_eq!(f.call::<String>(&mut lua, ("ab", "cd")).unwrap(), "abcd");
    /// ```
    Function,
    Function,
    Function,
    "function"
);
handle!(
    /// A coroutine held by Rust.
    ///
    /// ```
    /// use ferrous_lua::{Lua, Thread};
    ///
    /// let mut lua = Lua::new();
    /// let co: Thread = lua
    ///     .load("return coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)")
    ///     .eval()
    ///     .unwrap();
    /// assert_eq!(co.resume::<i64>(&mut lua, 1).unwrap(), 2);
    /// assert_eq!(co.resume::<i64>(&mut lua, 10).unwrap(), 20);
    /// ```
    Thread,
    Thread,
    Thread,
    "thread"
);
handle!(
    /// A userdata of any type held by Rust.
    ///
    /// ```
    /// use ferrous_lua::{Lua, UserData};
    ///
    /// struct Counter(u32);
    /// impl UserData for Counter {}
    ///
    /// let mut lua = Lua::new();
    /// let ud = lua.create_userdata(Counter(3)).unwrap();
    /// lua.set_global("c", &ud).unwrap();
    /// assert_eq!(lua.load("return type(c)").eval::<String>().unwrap(), "userdata");
    /// assert!(ud.is::<Counter>(&mut lua));
    /// assert_eq!(ud.borrow::<Counter>(&mut lua).unwrap().0, 3);
    /// ```
    AnyUserData,
    UserData,
    Userdata,
    "userdata"
);

/// A Lua value owned by Rust: numbers and booleans by value, objects as
/// pinned handles (they stay alive while the value lives, and using them
/// with another state is an [`Error::WrongState`]).
///
/// ```
/// use ferrous_lua::{Lua, Value};
///
/// let mut lua = Lua::new();
/// let v: Value = lua.load("return {1, 2}").eval().unwrap();
/// assert_eq!(v.type_name(), "table");
/// let v: Value = lua.load("return 2^10").eval().unwrap();
/// assert_eq!(v.as_number(), Some(1024.0));
/// assert!(!Value::Boolean(false).is_truthy());
/// assert!(Value::Nil.is_nil());
/// ```
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `nil`.
    #[default]
    Nil,
    /// `true` / `false`.
    Boolean(bool),
    /// A light userdata (a bare address-sized number).
    LightUserData(usize),
    /// A number (Lua 5.1 has only `f64`).
    Number(f64),
    /// A string.
    String(LuaString),
    /// A table.
    Table(Table),
    /// A function.
    Function(Function),
    /// A coroutine.
    Thread(Thread),
    /// A full userdata.
    UserData(AnyUserData),
}

impl Value {
    /// Lua's name of the value's type (`type(v)`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Boolean(_) => "boolean",
            Value::LightUserData(_) | Value::UserData(_) => "userdata",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Table(_) => "table",
            Value::Function(_) => "function",
            Value::Thread(_) => "thread",
        }
    }

    /// True for `nil`.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Lua's truth: everything but `nil` and `false`.
    ///
    /// ```
    /// use ferrous_lua::Value;
    /// assert!(Value::Number(0.0).is_truthy());
    /// assert!(!Value::Boolean(false).is_truthy());
    /// assert!(!Value::Nil.is_truthy());
    /// ```
    pub fn is_truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Boolean(false))
    }

    /// The number, if the value is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, if the value is one.
    pub fn as_boolean(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// The table, if the value is one.
    pub fn as_table(&self) -> Option<&Table> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The string, if the value is one.
    pub fn as_string(&self) -> Option<&LuaString> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The function, if the value is one.
    pub fn as_function(&self) -> Option<&Function> {
        match self {
            Value::Function(f) => Some(f),
            _ => None,
        }
    }

    pub(crate) fn pinned(&self) -> Option<&Arc<Pinned>> {
        match self {
            Value::String(h) => Some(&h.0),
            Value::Table(h) => Some(&h.0),
            Value::Function(h) => Some(&h.0),
            Value::Thread(h) => Some(&h.0),
            Value::UserData(h) => Some(&h.0),
            _ => None,
        }
    }
}

/// Raw equality (`rawequal`): same number, boolean, or the same object.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::LightUserData(a), Value::LightUserData(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            _ => match (self.pinned(), other.pinned()) {
                (Some(a), Some(b)) => a.state == b.state && a.raw == b.raw,
                _ => false,
            },
        }
    }
}

/// Several values: arguments or results (a `Vec<Value>` underneath).
///
/// ```
/// use ferrous_lua::{Lua, MultiValue};
///
/// let mut lua = Lua::new();
/// let mv: MultiValue = lua.load("return 1, nil, 'x'").eval().unwrap();
/// assert_eq!(mv.len(), 3);
/// assert!(mv[1].is_nil());
/// // Passed on as they are, nil included.
/// let n: i64 = lua.load("return select('#', ...)").call(mv).unwrap();
/// assert_eq!(n, 3);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MultiValue(pub Vec<Value>);

impl MultiValue {
    /// No values.
    pub fn new() -> MultiValue {
        MultiValue(Vec::new())
    }

    /// The values.
    pub fn into_vec(self) -> Vec<Value> {
        self.0
    }
}

impl std::ops::Deref for MultiValue {
    type Target = Vec<Value>;
    fn deref(&self) -> &Vec<Value> {
        &self.0
    }
}

impl std::ops::DerefMut for MultiValue {
    fn deref_mut(&mut self) -> &mut Vec<Value> {
        &mut self.0
    }
}

impl FromIterator<Value> for MultiValue {
    fn from_iter<I: IntoIterator<Item = Value>>(it: I) -> Self {
        MultiValue(it.into_iter().collect())
    }
}

impl IntoIterator for MultiValue {
    type Item = Value;
    type IntoIter = std::vec::IntoIter<Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Vec<Value>> for MultiValue {
    fn from(v: Vec<Value>) -> MultiValue {
        MultiValue(v)
    }
}

/// Any number of values of one type: as the last element of a tuple of
/// arguments it takes the rest of them; as a result it returns them all.
///
/// ```
/// use ferrous_lua::{Lua, Variadic};
///
/// let mut lua = Lua::new();
/// let sum = lua
///     .create_function(|_, xs: Variadic<f64>| Ok(xs.iter().sum::<f64>()))
///     .unwrap();
/// assert_eq!(sum.call::<f64>(&mut lua, (1, 2, 3.5)).unwrap(), 6.5);
/// let v: Variadic<i64> = lua.load("return 4, 5, 6").eval().unwrap();
/// assert_eq!(*v, [4, 5, 6]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variadic<T>(pub Vec<T>);

impl<T> Variadic<T> {
    /// An empty list.
    pub fn new() -> Variadic<T> {
        Variadic(Vec::new())
    }
}

impl<T> std::ops::Deref for Variadic<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Variadic<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> FromIterator<T> for Variadic<T> {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> Self {
        Variadic(it.into_iter().collect())
    }
}

/// A value kept in the state for Rust (like a reference in Lua's
/// registry): see [`LuaState::create_registry_value`](crate::LuaState::create_registry_value).
///
/// ```
/// use ferrous_lua::Lua;
///
/// let mut lua = Lua::new();
/// let key = lua.create_registry_value("kept").unwrap();
/// lua.gc_collect().unwrap();
/// assert_eq!(lua.registry_value::<String>(&key).unwrap(), "kept");
/// lua.remove_registry_value(key).unwrap();
/// ```
pub struct RegistryKey(pub(crate) Arc<Pinned>);

impl fmt::Debug for RegistryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegistryKey({:?})", self.0.raw)
    }
}
