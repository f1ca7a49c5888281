//! Conversions between Rust and Lua values.
//!
//! Numbers: Lua 5.1 has only `f64`. An integer converts to Lua only when
//! the `f64` holds it exactly, and a Lua number converts to an integer
//! type only when it is integral and in range: otherwise the conversion
//! is an error, never a wrap or a truncation. Strings convert to `String`
//! only as valid UTF-8 (use [`LuaString::to_string_lossy`] or
//! [`LuaString::as_bytes`] for other bytes).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

use crate::error::{Error, Result};
use crate::value::{LuaString, MultiValue, Value, Variadic};
use crate::{LuaState, RawValue};

/// Conversion of a Rust value into a Lua value.
///
/// ```
/// use ferrous_lua::{IntoLua, Lua, LuaState, Result, Value};
///
/// struct Celsius(f64);
/// impl IntoLua for Celsius {
///     fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
///         self.0.into_lua(lua)
///     }
/// }
///
/// let mut lua = Lua::new();
/// lua.set_global("t", Celsius(21.5)).unwrap();
/// assert_eq!(lua.load("return t + 1").eval::<f64>().unwrap(), 22.5);
/// ```
pub trait IntoLua: Sized {
    /// The value as an owned Lua value.
    fn into_lua(self, lua: &mut LuaState) -> Result<Value>;

    /// The value as a raw VM value, valid until the state runs Lua code
    /// or collects (the facade pushes it onto the stack at once).
    #[doc(hidden)]
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        let v = self.into_lua(lua)?;
        lua.raw_value(&v)
    }

    /// The bytes of a string key (`&str`, `String`), for table accesses
    /// that skip building a value.
    #[doc(hidden)]
    #[inline]
    fn key_bytes(&self) -> Option<&[u8]> {
        None
    }

    /// Pushes the value onto the VM stack (numbers as one whole store).
    #[doc(hidden)]
    #[inline]
    fn push_onto(self, lua: &mut LuaState) -> Result<()> {
        let raw = self.into_raw(lua)?;
        lua.push_raw(raw)
    }
}

/// Conversion of a Lua value into a Rust value.
///
/// ```
/// use ferrous_lua::{FromLua, Lua, LuaState, Result, Value};
///
/// #[derive(Debug, PartialEq)]
/// struct Celsius(f64);
/// impl FromLua for Celsius {
///     fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
///         f64::from_lua(v, lua).map(Celsius)
///     }
/// }
///
/// let mut lua = Lua::new();
/// assert_eq!(lua.load("return 20 + 1.5").eval::<Celsius>().unwrap(), Celsius(21.5));
/// assert!(lua.load("return {}").eval::<Celsius>().is_err());
/// ```
pub trait FromLua: Sized {
    /// Converts an owned Lua value.
    fn from_lua(value: Value, lua: &mut LuaState) -> Result<Self>;

    /// Converts a raw VM value of this state (alive at the time of the
    /// call).
    #[doc(hidden)]
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        let v = lua.wrap_raw(raw);
        Self::from_lua(v, lua)
    }
}

/// Conversion of a Rust value (a tuple, a [`Variadic`], a [`MultiValue`],
/// or any single [`IntoLua`] value) into several Lua values.
///
/// ```
/// use ferrous_lua::{Lua, Nil};
///
/// let mut lua = Lua::new();
/// // A tuple is several arguments.
/// let f = lua.load("return select('#', ...), (select(3, ...))").into_function().unwrap();
/// let (n, third): (i64, String) = f.call(&mut lua, (1, Nil, "x")).unwrap();
/// assert_eq!((n, third.as_str()), (3, "x"));
/// ```
pub trait IntoLuaMulti: Sized {
    /// The values as owned Lua values.
    fn into_lua_multi(self, lua: &mut LuaState) -> Result<MultiValue> {
        let base = lua.vm.stack_top();
        let r = self.push_into(lua);
        let out = r.map(|n| {
            (base..base + n)
                .map(|i| {
                    let raw = lua.vm.stack_get(i);
                    lua.wrap_raw(raw)
                })
                .collect()
        });
        let _ = lua.vm.set_stack_top(base);
        out
    }

    /// Pushes the values onto the VM stack (where the collector sees
    /// them) and returns how many.
    #[doc(hidden)]
    fn push_into(self, lua: &mut LuaState) -> Result<usize>;
}

/// Conversion of several Lua values (arguments, results) into a Rust
/// value: a single value takes the first (nil when there is none), `()`
/// ignores them, a tuple takes them in order (a [`Variadic`] last takes
/// the rest), [`MultiValue`] takes them all.
///
/// ```
/// use ferrous_lua::{Lua, Variadic};
///
/// let mut lua = Lua::new();
/// let (a, b, rest): (i64, String, Variadic<i64>) =
///     lua.load("return 1, 'x', 3, 4").eval().unwrap();
/// assert_eq!((a, b.as_str(), rest.0), (1, "x", vec![3, 4]));
/// // A single value takes the first result.
/// assert_eq!(lua.load("return 7, 8").eval::<i64>().unwrap(), 7);
/// ```
pub trait FromLuaMulti: Sized {
    /// Converts owned values.
    fn from_lua_multi(values: MultiValue, lua: &mut LuaState) -> Result<Self> {
        let base = lua.vm.stack_top();
        let n = values.len();
        for v in values.iter() {
            let raw = lua.raw_value(v)?;
            lua.push_raw(raw)?;
        }
        let r = Self::from_stack(lua, base, n, 1);
        let _ = lua.vm.set_stack_top(base);
        r
    }

    /// Converts the `n` values at stack slots `base..`; errors name the
    /// position `pos` of the first one (for `bad argument #pos`).
    #[doc(hidden)]
    fn from_stack(lua: &mut LuaState, base: usize, n: usize, pos: usize) -> Result<Self>;
}

fn bad_arg(pos: usize, e: Error) -> Error {
    match e {
        e @ (Error::BadArgument { .. } | Error::Memory | Error::Interrupted(_)) => e,
        e @ Error::Runtime { .. } => e,
        e => Error::BadArgument {
            pos,
            cause: std::sync::Arc::new(e),
        },
    }
}

impl<T: FromLua> FromLuaMulti for T {
    fn from_stack(lua: &mut LuaState, base: usize, n: usize, pos: usize) -> Result<Self> {
        let raw = if n > 0 {
            lua.vm.stack_get(base)
        } else {
            RawValue::Nil
        };
        T::from_raw(raw, lua).map_err(|e| bad_arg(pos, e))
    }
}

impl<T: IntoLua> IntoLuaMulti for T {
    #[inline]
    fn push_into(self, lua: &mut LuaState) -> Result<usize> {
        self.push_onto(lua)?;
        Ok(1)
    }
}

impl FromLuaMulti for () {
    fn from_stack(_lua: &mut LuaState, _base: usize, _n: usize, _pos: usize) -> Result<Self> {
        Ok(())
    }
}

impl IntoLuaMulti for () {
    fn push_into(self, _lua: &mut LuaState) -> Result<usize> {
        Ok(0)
    }
}

impl FromLuaMulti for MultiValue {
    fn from_stack(lua: &mut LuaState, base: usize, n: usize, _pos: usize) -> Result<Self> {
        Ok((base..base + n)
            .map(|i| {
                let raw = lua.vm.stack_get(i);
                lua.wrap_raw(raw)
            })
            .collect())
    }
}

impl IntoLuaMulti for MultiValue {
    fn push_into(self, lua: &mut LuaState) -> Result<usize> {
        let n = self.len();
        for v in self.iter() {
            let raw = lua.raw_value(v)?;
            lua.push_raw(raw)?;
        }
        Ok(n)
    }
}

impl<T: FromLua> FromLuaMulti for Variadic<T> {
    fn from_stack(lua: &mut LuaState, base: usize, n: usize, pos: usize) -> Result<Self> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let raw = lua.vm.stack_get(base + i);
            out.push(T::from_raw(raw, lua).map_err(|e| bad_arg(pos + i, e))?);
        }
        Ok(Variadic(out))
    }
}

impl<T: IntoLua> IntoLuaMulti for Variadic<T> {
    fn push_into(self, lua: &mut LuaState) -> Result<usize> {
        let n = self.0.len();
        for v in self.0 {
            v.push_onto(lua)?;
        }
        Ok(n)
    }
}

macro_rules! tuples {
    ($($name:ident),* ; $last:ident) => {
        impl<$($name: IntoLua,)* $last: IntoLuaMulti> IntoLuaMulti for ($($name,)* $last,) {
            #[allow(non_snake_case)]
            fn push_into(self, lua: &mut LuaState) -> Result<usize> {
                let ($($name,)* $last,) = self;
                #[allow(unused_mut)]
                let mut n = 0;
                $(
                    $name.push_onto(lua)?;
                    n += 1;
                )*
                Ok(n + $last.push_into(lua)?)
            }
        }

        impl<$($name: FromLua,)* $last: FromLuaMulti> FromLuaMulti for ($($name,)* $last,) {
            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn from_stack(lua: &mut LuaState, base: usize, n: usize, pos: usize) -> Result<Self> {
                let mut i = 0usize;
                $(
                    let raw = if i < n { lua.vm.stack_get(base + i) } else { RawValue::Nil };
                    let $name = $name::from_raw(raw, lua).map_err(|e| bad_arg(pos + i, e))?;
                    i += 1;
                )*
                let rest = n.saturating_sub(i);
                let $last = $last::from_stack(lua, base + i, rest, pos + i)?;
                Ok(($($name,)* $last,))
            }
        }
    };
}

tuples!(; A);
tuples!(A; B);
tuples!(A, B; C);
tuples!(A, B, C; D);
tuples!(A, B, C, D; E);
tuples!(A, B, C, D, E; F);
tuples!(A, B, C, D, E, F; G);
tuples!(A, B, C, D, E, F, G; H);
tuples!(A, B, C, D, E, F, G, H; I);
tuples!(A, B, C, D, E, F, G, H, I; J);
tuples!(A, B, C, D, E, F, G, H, I, J; K);
tuples!(A, B, C, D, E, F, G, H, I, J, K; L);

// ------------------------------------------------------------ values

impl IntoLua for Value {
    fn into_lua(self, _lua: &mut LuaState) -> Result<Value> {
        Ok(self)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_value(&self)
    }
}

impl IntoLua for &Value {
    fn into_lua(self, _lua: &mut LuaState) -> Result<Value> {
        Ok(self.clone())
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_value(self)
    }
}

impl FromLua for Value {
    fn from_lua(v: Value, _lua: &mut LuaState) -> Result<Self> {
        Ok(v)
    }
}

/// A raw VM value is checked before use: one naming a collected object is
/// an [`Error::DeadObject`]. (A raw value cannot say which state it came
/// from; prefer [`Value`], whose handles can.)
impl IntoLua for RawValue {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        lua.check_alive(self)?;
        Ok(lua.wrap_raw(self))
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.check_alive(self)?;
        Ok(self)
    }
}

impl FromLua for bool {
    fn from_lua(v: Value, _lua: &mut LuaState) -> Result<Self> {
        Ok(v.is_truthy())
    }
    fn from_raw(raw: RawValue, _lua: &mut LuaState) -> Result<Self> {
        Ok(raw.is_truthy())
    }
}

impl IntoLua for bool {
    fn into_lua(self, _lua: &mut LuaState) -> Result<Value> {
        Ok(Value::Boolean(self))
    }
    fn into_raw(self, _lua: &mut LuaState) -> Result<RawValue> {
        Ok(RawValue::Boolean(self))
    }
}

/// `nil` from Rust.
///
/// ```
/// use ferrous_lua::{Lua, Nil};
///
/// let mut lua = Lua::new();
/// lua.set_global("x", 1).unwrap();
/// lua.set_global("x", Nil).unwrap();
/// assert!(lua.load("return x == nil").eval::<bool>().unwrap());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Nil;

impl IntoLua for Nil {
    fn into_lua(self, _lua: &mut LuaState) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn into_raw(self, _lua: &mut LuaState) -> Result<RawValue> {
        Ok(RawValue::Nil)
    }
}

// ------------------------------------------------------------ numbers

/// A Lua number as Lua 5.1's `tonumber` reads it (numeric strings count).
fn number_of(lua: &LuaState, raw: RawValue, to: &'static str) -> Result<f64> {
    lua.vm
        .to_number(raw)
        .ok_or_else(|| Error::from_lua(raw.type_name(), to))
}

impl IntoLua for f64 {
    fn into_lua(self, _lua: &mut LuaState) -> Result<Value> {
        Ok(Value::Number(self))
    }
    fn into_raw(self, _lua: &mut LuaState) -> Result<RawValue> {
        Ok(RawValue::Number(self))
    }
    #[inline]
    fn push_onto(self, lua: &mut LuaState) -> Result<()> {
        lua.push_number(self)
    }
}

impl FromLua for f64 {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        match v {
            Value::Number(n) => Ok(n),
            other => {
                let raw = lua.raw_value(&other)?;
                number_of(lua, raw, "f64")
            }
        }
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        match raw {
            RawValue::Number(n) => Ok(n),
            _ => number_of(lua, raw, "f64"),
        }
    }
}

impl IntoLua for f32 {
    fn into_lua(self, _lua: &mut LuaState) -> Result<Value> {
        Ok(Value::Number(self as f64))
    }
    fn into_raw(self, _lua: &mut LuaState) -> Result<RawValue> {
        Ok(RawValue::Number(self as f64))
    }
    #[inline]
    fn push_onto(self, lua: &mut LuaState) -> Result<()> {
        lua.push_number(self as f64)
    }
}

impl FromLua for f32 {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        f64::from_lua(v, lua).map(|n| n as f32)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        f64::from_raw(raw, lua).map(|n| n as f32)
    }
}

/// An `f64` that is integral and inside `[lo, hi]` (bounds exact in f64).
#[cold]
fn not_integral(n: f64, lo: f64, hi_exclusive: f64, to: &'static str) -> Error {
    if n.is_finite() && n.fract() == 0.0 && (n < lo || n >= hi_exclusive) {
        Error::from_lua_msg(
            "number",
            to,
            format!(
                "number {} is out of range for {to}",
                ferrous_value::number::fmt_number(n).as_str()
            ),
        )
    } else {
        Error::from_lua_msg("number", to, "number has no integer representation")
    }
}

/// The integer as an `f64`, or an error when the `f64` cannot hold it
/// exactly (`m` is its magnitude).
#[inline]
fn exact_number<T>(v: T, m: u64) -> Result<f64>
where
    T: std::fmt::Display + Copy + IntoF64,
{
    if !exact_in_f64(m) {
        return Err(Error::ToLua {
            from: std::any::type_name::<T>(),
            to: "number",
            message: Some(format!("{v} is not exactly representable as a Lua number")),
        });
    }
    Ok(v.to_f64())
}

/// `as f64` for the integer types.
trait IntoF64 {
    fn to_f64(self) -> f64;
}

macro_rules! into_f64 {
    ($($t:ty),*) => {$(
        impl IntoF64 for $t {
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
into_f64!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// True when `m` has at most 53 significant bits (an `f64` holds it).
#[inline]
fn exact_in_f64(m: u64) -> bool {
    m == 0 || 64 - m.leading_zeros() - m.trailing_zeros() <= 53
}

macro_rules! abs_fns {
    ($($f:ident: $t:ty => $e:expr),*) => {$(
        #[inline]
        #[allow(clippy::cast_lossless, trivial_numeric_casts)]
        fn $f(v: $t) -> u64 {
            $e(v)
        }
    )*};
}
abs_fns!(
    abs_i8: i8 => |v: i8| v.unsigned_abs() as u64,
    abs_i16: i16 => |v: i16| v.unsigned_abs() as u64,
    abs_i32: i32 => |v: i32| v.unsigned_abs() as u64,
    abs_i64: i64 => |v: i64| v.unsigned_abs(),
    abs_isize: isize => |v: isize| v.unsigned_abs() as u64,
    abs_u8: u8 => |v: u8| v as u64,
    abs_u16: u16 => |v: u16| v as u64,
    abs_u32: u32 => |v: u32| v as u64,
    abs_u64: u64 => |v: u64| v,
    abs_usize: usize => |v: usize| v as u64
);

macro_rules! integers {
    ($($t:ty => $abs:ident),*) => {$(
        impl FromLua for $t {
            fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
                let raw = lua.raw_value(&v)?;
                Self::from_raw(raw, lua)
            }
            fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
                let n = match raw {
                    RawValue::Number(n) => n,
                    _ => number_of(lua, raw, stringify!($t))?,
                };
                // MIN is a power of two (or 0) and MAX + 1 is one: both
                // exact in f64.
                let lo = <$t>::MIN as f64;
                let hi = (<$t>::MAX as f64) + if (<$t>::MAX as f64) as u128 == <$t>::MAX as u128 { 1.0 } else { 0.0 };
                // In range, the cast is exact exactly when `n` is integral
                // (no call to `trunc`, which `fract` makes on x86-64).
                if n >= lo && n < hi {
                    let v = n as $t;
                    if v as f64 == n {
                        return Ok(v);
                    }
                }
                Err(not_integral(n, lo, hi, stringify!($t)))
            }
        }

        impl IntoLua for $t {
            fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
                self.into_raw(lua).map(|r| match r {
                    RawValue::Number(n) => Value::Number(n),
                    _ => Value::Nil,
                })
            }
            fn into_raw(self, _lua: &mut LuaState) -> Result<RawValue> {
                exact_number::<$t>(self, $abs(self)).map(RawValue::Number)
            }
            #[inline]
            fn push_onto(self, lua: &mut LuaState) -> Result<()> {
                let n = exact_number::<$t>(self, $abs(self))?;
                lua.push_number(n)
            }
        }
    )*};
}

integers!(
    i8 => abs_i8,
    i16 => abs_i16,
    i32 => abs_i32,
    i64 => abs_i64,
    isize => abs_isize,
    u8 => abs_u8,
    u16 => abs_u16,
    u32 => abs_u32,
    u64 => abs_u64,
    usize => abs_usize
);

// ------------------------------------------------------------ strings

fn to_lua_string(
    lua: &mut LuaState,
    raw: RawValue,
    to: &'static str,
) -> Result<ferrous_vm::StrRef> {
    match lua.vm.to_str(raw) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(Error::from_lua(raw.type_name(), to)),
        Err(e) => Err(lua.convert_error(e)),
    }
}

impl IntoLua for &str {
    #[inline]
    fn key_bytes(&self) -> Option<&[u8]> {
        Some(self.as_bytes())
    }
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        lua.create_string(self).map(Value::String)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_string(self.as_bytes())
    }
}

impl IntoLua for String {
    #[inline]
    fn key_bytes(&self) -> Option<&[u8]> {
        Some(self.as_bytes())
    }
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        self.as_str().into_lua(lua)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_string(self.as_bytes())
    }
}

impl IntoLua for &String {
    #[inline]
    fn key_bytes(&self) -> Option<&[u8]> {
        Some(self.as_bytes())
    }
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        self.as_str().into_lua(lua)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_string(self.as_bytes())
    }
}

impl IntoLua for Box<str> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        (&*self).into_lua(lua)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_string(self.as_bytes())
    }
}

impl IntoLua for std::borrow::Cow<'_, str> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        (&*self).into_lua(lua)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_string(self.as_bytes())
    }
}

/// Bytes become a Lua string (not a table of numbers).
impl IntoLua for &[u8] {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        lua.create_string(self).map(Value::String)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_string(self)
    }
}

impl IntoLua for char {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        let mut b = [0u8; 4];
        (&*self.encode_utf8(&mut b)).into_lua(lua)
    }
}

/// Strict UTF-8: other bytes are an error (see [`LuaString`] for the
/// lossy and byte views). Numbers convert as Lua prints them.
impl FromLua for String {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        let s = to_lua_string(lua, raw, "String")?;
        match std::str::from_utf8(lua.vm.str_bytes(s)) {
            Ok(t) => Ok(t.to_string()),
            Err(e) => Err(Error::from_lua_msg(
                "string",
                "String",
                format!("invalid UTF-8: {e}"),
            )),
        }
    }
}

impl FromLua for Box<str> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        String::from_lua(v, lua).map(String::into_boxed_str)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        String::from_raw(raw, lua).map(String::into_boxed_str)
    }
}

/// A byte string for either direction: Lua strings hold any bytes.
///
/// ```
/// use ferrous_lua::{Bytes, Lua};
///
/// let mut lua = Lua::new();
/// let b: Bytes = lua.load(r"return 'a\0\255'").eval().unwrap();
/// assert_eq!(b, Bytes(vec![b'a', 0, 255]));
/// lua.set_global("b", Bytes(vec![0xff, 0])).unwrap();
/// assert_eq!(lua.load("return #b").eval::<i64>().unwrap(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bytes(pub Vec<u8>);

impl IntoLua for Bytes {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        self.0.as_slice().into_lua(lua)
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        lua.raw_string(&self.0)
    }
}

impl FromLua for Bytes {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        let s = to_lua_string(lua, raw, "bytes")?;
        Ok(Bytes(lua.vm.str_bytes(s).to_vec()))
    }
}

impl FromLua for LuaStringOrNumber {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        let s = to_lua_string(lua, raw, "string")?;
        Ok(LuaStringOrNumber(LuaString(
            lua.pin_raw(RawValue::String(s)),
        )))
    }
}

/// A string argument that also accepts a number, converted as Lua's
/// `luaL_checkstring` does (`[[1]] .. 2`).
///
/// ```
/// use ferrous_lua::{Lua, LuaStringOrNumber};
///
/// let mut lua = Lua::new();
/// let f = lua
///     .create_function(|lua, s: LuaStringOrNumber| s.0.to_str(lua))
///     .unwrap();
/// lua.set_global("f", f).unwrap();
/// assert_eq!(lua.load("return f(12) .. f('ab')").eval::<String>().unwrap(), "12ab");
/// assert!(lua.load("return f({})").eval::<String>().is_err());
/// ```
#[derive(Clone, Debug)]
pub struct LuaStringOrNumber(pub LuaString);

// ------------------------------------------------------------ options

impl<T: IntoLua> IntoLua for Option<T> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        match self {
            Some(v) => v.into_lua(lua),
            None => Ok(Value::Nil),
        }
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        match self {
            Some(v) => v.into_raw(lua),
            None => Ok(RawValue::Nil),
        }
    }
}

impl<T: FromLua> FromLua for Option<T> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        if v.is_nil() {
            Ok(None)
        } else {
            T::from_lua(v, lua).map(Some)
        }
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        if raw.is_nil() {
            Ok(None)
        } else {
            T::from_raw(raw, lua).map(Some)
        }
    }
}

// ------------------------------------------------------------ collections

fn table_of(_lua: &mut LuaState, raw: RawValue, to: &'static str) -> Result<ferrous_vm::TableRef> {
    match raw {
        RawValue::Table(t) => Ok(t),
        other => Err(Error::from_lua(other.type_name(), to)),
    }
}

/// Converts the array part `1..#t` of a table (raw reads).
fn sequence<T: FromLua>(lua: &mut LuaState, raw: RawValue, to: &'static str) -> Result<Vec<T>> {
    let t = table_of(lua, raw, to)?;
    let n = lua.vm.heap.table(t).map_or(0, |t| t.border());
    let mut out = Vec::with_capacity(n.min(1 << 16));
    for i in 1..=n {
        let v = lua.vm.raw_get(t, RawValue::Number(i as f64));
        out.push(T::from_raw(v, lua)?);
    }
    Ok(out)
}

/// Builds a table from values pushed one by one onto the stack, so they
/// stay rooted while the rest convert.
fn build_sequence<T: IntoLua>(
    lua: &mut LuaState,
    items: impl ExactSizeIterator<Item = T>,
) -> Result<RawValue> {
    let t = lua
        .vm
        .new_table(items.len(), 0)
        .map_err(|e| lua.convert_error(e))?;
    let base = lua.vm.stack_top();
    lua.push_raw(RawValue::Table(t))?;
    let r = (|| {
        for (i, v) in items.enumerate() {
            let raw = v.into_raw(lua)?;
            lua.vm
                .raw_set_int(t, i as i64 + 1, raw)
                .map_err(|e| lua.convert_error(e))?;
        }
        Ok(RawValue::Table(t))
    })();
    let _ = lua.vm.set_stack_top(base);
    r
}

fn build_map<K: IntoLua, V: IntoLua>(
    lua: &mut LuaState,
    items: impl Iterator<Item = (K, V)>,
) -> Result<RawValue> {
    let t = lua.vm.new_table(0, 0).map_err(|e| lua.convert_error(e))?;
    let base = lua.vm.stack_top();
    lua.push_raw(RawValue::Table(t))?;
    let r = (|| {
        for (k, v) in items {
            let k = k.into_raw(lua)?;
            lua.push_raw(k)?;
            let v = v.into_raw(lua)?;
            if k.is_nil() || matches!(k, RawValue::Number(n) if n.is_nan()) {
                return Err(Error::ToLua {
                    from: "map key",
                    to: "table key",
                    message: Some(format!("{} is not a valid table key", k.type_name())),
                });
            }
            lua.vm.raw_set(t, k, v).map_err(|e| lua.convert_error(e))?;
            let top = lua.vm.stack_top();
            let _ = lua.vm.set_stack_top(top - 1);
        }
        Ok(RawValue::Table(t))
    })();
    let _ = lua.vm.set_stack_top(base);
    r
}

/// Every entry of a table (raw `next` order), converted.
fn entries<K: FromLua, V: FromLua>(
    lua: &mut LuaState,
    raw: RawValue,
    to: &'static str,
) -> Result<Vec<(K, V)>> {
    let t = table_of(lua, raw, to)?;
    let mut out = Vec::new();
    let mut k = RawValue::Nil;
    loop {
        let next = match lua.vm.heap.table_next(t, &k) {
            Ok(n) => n,
            Err(_) => return Err(Error::DeadObject),
        };
        let Some((nk, nv)) = next else { break };
        out.push((K::from_raw(nk, lua)?, V::from_raw(nv, lua)?));
        k = nk;
    }
    Ok(out)
}

impl<T: IntoLua> IntoLua for Vec<T> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        let raw = self.into_raw(lua)?;
        Ok(lua.wrap_raw(raw))
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        build_sequence(lua, self.into_iter())
    }
}

impl<T: FromLua> FromLua for Vec<T> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        sequence(lua, raw, "Vec")
    }
}

impl<T: IntoLua, const N: usize> IntoLua for [T; N] {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        let raw = self.into_raw(lua)?;
        Ok(lua.wrap_raw(raw))
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        build_sequence(lua, self.into_iter())
    }
}

impl<T: FromLua, const N: usize> FromLua for [T; N] {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        let v: Vec<T> = sequence(lua, raw, "array")?;
        let len = v.len();
        v.try_into().map_err(|_| {
            Error::from_lua_msg(
                "table",
                "array",
                format!("expected {N} elements, got {len}"),
            )
        })
    }
}

impl<K: IntoLua, V: IntoLua, S> IntoLua for HashMap<K, V, S> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        let raw = self.into_raw(lua)?;
        Ok(lua.wrap_raw(raw))
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        build_map(lua, self.into_iter())
    }
}

impl<K: FromLua + Eq + Hash, V: FromLua, S: BuildHasher + Default> FromLua for HashMap<K, V, S> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        Ok(entries(lua, raw, "HashMap")?.into_iter().collect())
    }
}

impl<K: IntoLua, V: IntoLua> IntoLua for BTreeMap<K, V> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        let raw = self.into_raw(lua)?;
        Ok(lua.wrap_raw(raw))
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        build_map(lua, self.into_iter())
    }
}

impl<K: FromLua + Ord, V: FromLua> FromLua for BTreeMap<K, V> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        Ok(entries(lua, raw, "BTreeMap")?.into_iter().collect())
    }
}

/// A set is a table whose keys are the elements and whose values are `true`.
impl<T: IntoLua, S> IntoLua for HashSet<T, S> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        let raw = self.into_raw(lua)?;
        Ok(lua.wrap_raw(raw))
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        build_map(lua, self.into_iter().map(|k| (k, true)))
    }
}

/// The keys of a table whose values are not `false` (a sequence's values
/// when the table is a plain array).
impl<T: FromLua + Eq + Hash, S: BuildHasher + Default> FromLua for HashSet<T, S> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        set_entries(lua, raw, "HashSet").map(|v| v.into_iter().collect())
    }
}

impl<T: IntoLua> IntoLua for BTreeSet<T> {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        let raw = self.into_raw(lua)?;
        Ok(lua.wrap_raw(raw))
    }
    fn into_raw(self, lua: &mut LuaState) -> Result<RawValue> {
        build_map(lua, self.into_iter().map(|k| (k, true)))
    }
}

impl<T: FromLua + Ord> FromLua for BTreeSet<T> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        set_entries(lua, raw, "BTreeSet").map(|v| v.into_iter().collect())
    }
}

fn set_entries<T: FromLua>(lua: &mut LuaState, raw: RawValue, to: &'static str) -> Result<Vec<T>> {
    let t = table_of(lua, raw, to)?;
    let n = lua.vm.heap.table(t).map_or(0, |t| t.border());
    let all_true = n == 0
        || (1..=n)
            .all(|i| lua.vm.raw_get(t, RawValue::Number(i as f64)) == RawValue::Boolean(true));
    if all_true {
        let pairs: Vec<(RawValue, RawValue)> = entries(lua, raw, to)?;
        let mut out = Vec::new();
        for (k, v) in pairs {
            if v.is_truthy() {
                out.push(T::from_raw(k, lua)?);
            }
        }
        Ok(out)
    } else {
        sequence(lua, raw, to)
    }
}

impl FromLua for RawValue {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        lua.raw_value(&v)
    }
    fn from_raw(raw: RawValue, _lua: &mut LuaState) -> Result<Self> {
        Ok(raw)
    }
}
