//! Lua 5.1 values and the handles that name heap objects.
//!
//! This is the vocabulary every Ferrous Lua crate speaks. A [`Value`] is
//! 16 bytes and `Copy`; heap objects are named by generational handles
//! (slotmap keys) so a stale handle is a detectable error rather than a
//! dangling pointer. The [`number`] module holds Lua 5.1's conversions
//! between numbers and strings, bit-for-bit as `lua5.1` performs them.

#![deny(missing_docs)]

pub mod number;

use slotmap::{new_key_type, Key, KeyData};

new_key_type! {
    /// Arena key of an interned string. Use [`StrRef`], which also carries the hash.
    pub struct StrKey;
    /// Handle of a table.
    pub struct TableRef;
    /// Handle of a function (Lua closure or native function).
    pub struct FnRef;
    /// Handle of a full userdata.
    pub struct UdRef;
    /// Handle of a thread (coroutine).
    pub struct ThreadRef;
    /// Handle of an upvalue cell shared between closures.
    pub struct UpvalRef;
}

/// Handle of an interned string together with its Lua 5.1 hash.
///
/// Strings are interned, so two equal strings have the same key; comparing
/// handles compares contents. The hash travels with the handle so that a
/// table lookup by string key never touches the string's bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(C)]
pub struct StrRef {
    key: StrKey,
    hash: u32,
}

impl StrRef {
    /// Pairs an arena key with the string's hash (see [`lua_hash`]).
    #[inline]
    pub fn new(key: StrKey, hash: u32) -> StrRef {
        StrRef { key, hash }
    }
    /// The arena key.
    #[inline]
    pub fn key(self) -> StrKey {
        self.key
    }
    /// Lua 5.1's hash of the string's bytes.
    #[inline]
    pub fn hash(self) -> u32 {
        self.hash
    }
}

impl std::fmt::Debug for StrRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StrRef({:?}, #{:08x})", self.key.data(), self.hash)
    }
}

/// Lua 5.1's string hash (`luaS_newlstr`): seeded with the length, and for
/// long strings sampling at most 32 characters. Tables place string keys by
/// this hash, which is what makes `next` visit keys in lua5.1's order.
#[inline]
pub fn lua_hash(s: &[u8]) -> u32 {
    let len = s.len();
    let step = (len >> 5) + 1;
    // 5.1 visits `s[l1 - 1]` for l1 = len, len - step, ... while
    // `l1 >= step`: the last byte of each whole chunk of `step` bytes
    // counted from the end (no bounds check per byte this way).
    s.rchunks_exact(step).fold(len as u32, |h, c| {
        let b = c.last().copied().unwrap_or(0);
        h ^ (h << 5).wrapping_add(h >> 2).wrapping_add(b as u32)
    })
}

/// A Lua 5.1 value. 16 bytes, `Copy`, aligned to 16 so that every copy
/// is a single 16-byte move (with the payloads at offsets 1, 4 and 8 the
/// compiler otherwise copies it in overlapping pieces, which stalls store
/// forwarding in the interpreter loop).
///
/// The derived `PartialEq` is Lua's raw equality (`rawequal`): numbers by
/// IEEE comparison (so NaN differs from itself), everything else by
/// identity, which for interned strings is equality of contents.
///
/// The representation is `u8` with explicit discriminants, which fixes the
/// layout (each variant is a `repr(C)` struct of the tag byte and its
/// payload): [`Value::set_number`] relies on it.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
#[repr(u8, align(16))]
pub enum Value {
    /// `nil`.
    #[default]
    Nil = 0,
    /// `true` or `false`.
    Boolean(bool) = 1,
    /// A number: Lua 5.1 has one number type, a double.
    Number(f64) = NUMBER_TAG,
    /// An interned string.
    String(StrRef) = 3,
    /// A table.
    Table(TableRef) = 4,
    /// A Lua function or a native (Rust) function.
    Function(FnRef) = 5,
    /// A full userdata (a heap object with an optional metatable).
    Userdata(UdRef) = 6,
    /// A light userdata: a bare address-sized value, compared by value.
    LightUserdata(usize) = 7,
    /// A coroutine.
    Thread(ThreadRef) = 8,
}

/// The discriminant of [`Value::Number`].
const NUMBER_TAG: u8 = 2;

impl Value {
    /// Stores `Value::Number(n)` into `slot` as one 16-byte store.
    ///
    /// A plain assignment stores the tag byte and the number separately;
    /// the interpreter then often copies the register whole (a 16-byte
    /// load), which cannot be forwarded from two smaller stores and stalls
    /// until they reach the cache. Arithmetic results go through here.
    #[inline(always)]
    pub fn set_number(slot: &mut Value, n: f64) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Value` is `repr(u8, align(16))`, so `Number` is laid out
        // as the `repr(C)` struct { tag: u8 = NUMBER_TAG, n: f64 } (the
        // number at offset 8, bytes 1..8 padding), and `slot` is 16-byte
        // aligned and 16 bytes long. The store writes exactly that image.
        // SSE2 is part of the x86_64 baseline.
        unsafe {
            use std::arch::x86_64::{__m128i, _mm_set_epi64x, _mm_store_si128};
            let image = _mm_set_epi64x(n.to_bits() as i64, NUMBER_TAG as i64);
            _mm_store_si128(slot as *mut Value as *mut __m128i, image);
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            *slot = Value::Number(n);
        }
    }
}

const _: () = assert!(std::mem::size_of::<Value>() == 16);
const _: () = assert!(std::mem::size_of::<StrRef>() == 12);

/// The eight basic types of Lua 5.1, in the order of `lua_type`'s constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `nil` (`LUA_TNIL`).
    Nil,
    /// `boolean` (`LUA_TBOOLEAN`).
    Boolean,
    /// Light userdata (`LUA_TLIGHTUSERDATA`); `type()` says `userdata`.
    LightUserdata,
    /// `number` (`LUA_TNUMBER`).
    Number,
    /// `string` (`LUA_TSTRING`).
    String,
    /// `table` (`LUA_TTABLE`).
    Table,
    /// `function` (`LUA_TFUNCTION`).
    Function,
    /// Full userdata (`LUA_TUSERDATA`).
    Userdata,
    /// `thread`, a coroutine (`LUA_TTHREAD`).
    Thread,
}

impl Type {
    /// The name `type()` returns.
    pub fn name(self) -> &'static str {
        match self {
            Type::Nil => "nil",
            Type::Boolean => "boolean",
            Type::LightUserdata | Type::Userdata => "userdata",
            Type::Number => "number",
            Type::String => "string",
            Type::Table => "table",
            Type::Function => "function",
            Type::Thread => "thread",
        }
    }
}

impl Value {
    /// The value's basic type.
    #[inline]
    pub fn type_of(&self) -> Type {
        match self {
            Value::Nil => Type::Nil,
            Value::Boolean(_) => Type::Boolean,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::Table(_) => Type::Table,
            Value::Function(_) => Type::Function,
            Value::Userdata(_) => Type::Userdata,
            Value::LightUserdata(_) => Type::LightUserdata,
            Value::Thread(_) => Type::Thread,
        }
    }

    /// The name `type()` returns for this value.
    #[inline]
    pub fn type_name(&self) -> &'static str {
        self.type_of().name()
    }

    /// True for `nil` only.
    #[inline]
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// `false` and `nil` are false; everything else is true.
    #[inline]
    pub fn is_falsy(&self) -> bool {
        matches!(self, Value::Nil | Value::Boolean(false))
    }

    /// The opposite of [`Value::is_falsy`]: what `if` tests.
    #[inline]
    pub fn is_truthy(&self) -> bool {
        !self.is_falsy()
    }

    /// True for values that name a heap object the collector manages.
    #[inline]
    pub fn is_collectable(&self) -> bool {
        matches!(
            self,
            Value::String(_)
                | Value::Table(_)
                | Value::Function(_)
                | Value::Userdata(_)
                | Value::Thread(_)
        )
    }

    /// The number, for a [`Value::Number`]; no string coercion.
    #[inline]
    pub fn as_number(&self) -> Option<f64> {
        match *self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The handle, for a [`Value::Table`].
    #[inline]
    pub fn as_table(&self) -> Option<TableRef> {
        match *self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The handle, for a [`Value::String`].
    #[inline]
    pub fn as_string(&self) -> Option<StrRef> {
        match *self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The handle, for a [`Value::Function`].
    #[inline]
    pub fn as_function(&self) -> Option<FnRef> {
        match *self {
            Value::Function(f) => Some(f),
            _ => None,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Boolean(b)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}
impl From<StrRef> for Value {
    fn from(s: StrRef) -> Value {
        Value::String(s)
    }
}
impl From<TableRef> for Value {
    fn from(t: TableRef) -> Value {
        Value::Table(t)
    }
}
impl From<FnRef> for Value {
    fn from(f: FnRef) -> Value {
        Value::Function(f)
    }
}
impl From<UdRef> for Value {
    fn from(u: UdRef) -> Value {
        Value::Userdata(u)
    }
}
impl From<ThreadRef> for Value {
    fn from(t: ThreadRef) -> Value {
        Value::Thread(t)
    }
}

/// A 32-bit value that identifies a handle, for hashing handle-keyed table
/// entries (PUC-Rio hashes the object's address; any stable value will do).
#[inline]
pub fn handle_bits<K: Key>(k: K) -> u32 {
    let d: KeyData = k.data();
    let ffi = d.as_ffi();
    (ffi as u32) ^ ((ffi >> 32) as u32).rotate_left(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_sixteen_bytes_and_copy() {
        fn is_copy<T: Copy>() {}
        is_copy::<Value>();
        assert_eq!(std::mem::size_of::<Value>(), 16);
    }

    #[test]
    fn set_number_writes_a_number() {
        for n in [
            0.0,
            -0.0,
            1.5,
            -3.0e300,
            f64::INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ] {
            let mut slot = Value::String(StrRef::default());
            Value::set_number(&mut slot, n);
            match slot {
                Value::Number(m) => assert_eq!(m.to_bits(), n.to_bits()),
                other => panic!("set_number stored {other:?}"),
            }
        }
    }

    #[test]
    fn raw_equality() {
        assert_eq!(Value::Number(0.0), Value::Number(-0.0));
        assert_ne!(Value::Number(f64::NAN), Value::Number(f64::NAN));
        assert_ne!(Value::Nil, Value::Boolean(false));
    }

    #[test]
    fn hash_matches_lua51() {
        // Values computed by hand from lstring.c's loop.
        assert_eq!(lua_hash(b""), 0);
        let h = lua_hash(b"a");
        assert_eq!(
            h,
            1 ^ ((1u32 << 5).wrapping_add(1 >> 2).wrapping_add(b'a' as u32))
        );
    }

    #[test]
    fn hash_samples_the_bytes_lstring_c_visits() {
        // lstring.c's loop, index by index, against the iterator form,
        // over lengths where the step changes (32, 64, ...) and past them.
        fn by_index(s: &[u8]) -> u32 {
            let len = s.len();
            let mut h = len as u32;
            let step = (len >> 5) + 1;
            let mut l1 = len;
            while l1 >= step {
                h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(s[l1 - 1] as u32);
                l1 -= step;
            }
            h
        }
        let bytes: Vec<u8> = (0..1200u32).map(|i| (i * 131 + 7) as u8).collect();
        for len in 0..bytes.len() {
            assert_eq!(
                lua_hash(&bytes[..len]),
                by_index(&bytes[..len]),
                "length {len}"
            );
        }
    }

    #[test]
    fn type_names() {
        assert_eq!(Value::Nil.type_name(), "nil");
        assert_eq!(Value::LightUserdata(0).type_name(), "userdata");
        assert_eq!(Value::Number(1.0).type_name(), "number");
    }
}
