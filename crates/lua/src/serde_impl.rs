//! serde support (feature `serde`): [`LuaState::to_value`] and
//! [`LuaState::from_value`].
//!
//! Conventions, both ways:
//!
//! * `None`, `()` and unit structs become [`LuaState::NULL`] (a light userdata
//!   0, the value `cjson.null` has), so a `None` inside a sequence leaves
//!   no hole; `nil` and `NULL` both read back as `None`/`()`.
//! * Sequences (`Vec`, tuples, arrays, sets) become tables `1..n` marked
//!   with a shared array metatable ([`LuaState::array_metatable`]), so an empty
//!   `Vec` reads back as an empty array, not an empty map. Reading into an
//!   untyped target, a table is a sequence when it carries that mark or
//!   when its keys are exactly `1..n` with `n > 0`; otherwise a map.
//! * Maps and structs become tables with their keys; enums are externally
//!   tagged (`"Unit"`, `{Variant = value}`).
//! * Integers become numbers only when the `f64` holds them exactly
//!   (`|n| <= 2^53`, or a larger power-of-two multiple): `u64::MAX` is an
//!   error, never a rounded number. Reading, an integral number in range
//!   is an integer (`i64`, or `u64` above `i64::MAX`); a fraction is an
//!   `f64`, and a typed integer field refuses it.
//! * Strings are Lua strings; `&[u8]`/`serde_bytes` become strings of
//!   those bytes. A Lua string that is not UTF-8 reads as bytes.
//! * Tables nested deeper than 128 levels (cycles, say) are an error.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize};

use ferrous_vm::TableRef;

use crate::error::{Error, Result};
use crate::value::{Table, Value};
use crate::{LuaState, RawValue};

const MAX_DEPTH: usize = 128;

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::Serialize(msg.to_string())
    }
}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::Deserialize(msg.to_string())
    }
}

impl LuaState {
    /// The value `None` and `()` serialize to: a light userdata 0 (what
    /// `cjson.null` is).
    pub const NULL: Value = Value::LightUserData(0);

    fn array_mt_raw(&mut self) -> Result<TableRef> {
        if let Some(t) = self.st().array_mt {
            return Ok(t);
        }
        let t = self.vm.new_table(0, 0).map_err(|e| self.convert_error(e))?;
        // Kept for the life of the state, and reachable from the registry.
        self.vm.heap.pin(RawValue::Table(t));
        let reg = self.vm.registry();
        self.vm
            .raw_set_str(reg, b"ferrous.array_mt", RawValue::Table(t))
            .map_err(|e| self.convert_error(e))?;
        self.st().array_mt = Some(t);
        Ok(t)
    }

    /// The metatable marking tables made from sequences (see the module
    /// conventions); made once per state, also at
    /// `registry["ferrous.array_mt"]`.
    pub fn array_metatable(&mut self) -> Result<Table> {
        let t = self.array_mt_raw()?;
        Ok(Table(self.pin_raw(RawValue::Table(t))))
    }

    /// Serializes `v` into a Lua value (feature `serde`).
    ///
    /// ```
    /// #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    /// struct Job { id: u64, tags: Vec<String>, owner: Option<String> }
    ///
    /// let mut lua = ferrous_lua::Lua::new();
    /// let job = Job { id: 7, tags: vec![], owner: None };
    /// let v = lua.to_value(&job).unwrap();
    /// lua.set_global("job", &v).unwrap();
    /// assert_eq!(lua.load("return job.id + #job.tags").eval::<u64>().unwrap(), 7);
    /// assert_eq!(lua.from_value::<Job>(v).unwrap(), job);
    /// ```
    pub fn to_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<Value> {
        self.release_pins();
        // No Lua code runs while the value is built, so the collector
        // cannot free its parts before the result is pinned.
        let raw = v.serialize(Serializer { lua: self })?;
        Ok(self.wrap_raw(raw))
    }

    /// Deserializes a Lua value into `T` (feature `serde`).
    pub fn from_value<T: de::DeserializeOwned>(&mut self, v: Value) -> Result<T> {
        self.release_pins();
        let raw = self.raw_value(&v)?;
        // `v` stays pinned while its parts are read.
        let r = T::deserialize(Deserializer {
            lua: self,
            raw,
            depth: 0,
        });
        drop(v);
        r
    }
}

/// Serializes into a raw value of one state (used by [`LuaState::to_value`]).
///
/// ```
/// use ferrous_lua::Lua;
///
/// #[derive(serde::Serialize)]
/// struct Cfg {
///     name: String,
///     ports: Vec<u16>,
/// }
///
/// let mut lua = Lua::new();
/// let cfg = Cfg { name: "web".into(), ports: vec![80, 443] };
/// let v = lua.to_value(&cfg).unwrap(); // runs this serializer
/// lua.set_global("cfg", v).unwrap();
/// let s: String = lua.load("return cfg.name .. #cfg.ports .. cfg.ports[2]").eval().unwrap();
/// assert_eq!(s, "web2443");
/// ```
pub struct Serializer<'a> {
    lua: &'a mut LuaState,
}

fn exact_int(n: i128, ty: &str) -> Result<RawValue> {
    let f = n as f64;
    if f as i128 == n && f.abs() < 1.8446744073709552e19 {
        Ok(RawValue::Number(f))
    } else {
        Err(Error::Serialize(format!(
            "{ty} {n} cannot be represented exactly as a Lua number"
        )))
    }
}

/// A table being filled by a compound serializer.
///
/// ```
/// use std::collections::BTreeMap;
/// use ferrous_lua::Lua;
///
/// let mut lua = Lua::new();
/// // A map and a sequence each become a table built by a TableBuilder.
/// let scores = BTreeMap::from([("ann", vec![3, 4]), ("bob", vec![5])]);
/// let v = lua.to_value(&scores).unwrap();
/// lua.set_global("scores", v).unwrap();
/// let n: i64 = lua.load("return scores.ann[2] + scores.bob[1]").eval().unwrap();
/// assert_eq!(n, 9);
/// ```
pub struct TableBuilder<'a> {
    lua: &'a mut LuaState,
    table: TableRef,
    next: i64,
    key: Option<RawValue>,
    /// For enum variants: the wrapper table and the variant name.
    outer: Option<(TableRef, &'static str)>,
}

impl<'a> TableBuilder<'a> {
    fn new(
        lua: &'a mut LuaState,
        array: bool,
        len: usize,
        outer: Option<&'static str>,
    ) -> Result<Self> {
        let (narr, nrec) = if array { (len, 0) } else { (0, len) };
        let table = lua
            .vm
            .new_table(narr, nrec)
            .map_err(|e| lua.convert_error(e))?;
        if array {
            let mt = lua.array_mt_raw()?;
            lua.vm
                .set_metatable(RawValue::Table(table), Some(mt))
                .map_err(|e| lua.convert_error(e))?;
        }
        let outer = match outer {
            Some(name) => Some((
                lua.vm.new_table(0, 1).map_err(|e| lua.convert_error(e))?,
                name,
            )),
            None => None,
        };
        Ok(TableBuilder {
            lua,
            table,
            next: 1,
            key: None,
            outer,
        })
    }

    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        let v = v.serialize(Serializer { lua: self.lua })?;
        self.lua
            .vm
            .raw_set_int(self.table, self.next, v)
            .map_err(|e| self.lua.convert_error(e))?;
        self.next += 1;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, k: &str, v: &T) -> Result<()> {
        let v = v.serialize(Serializer { lua: self.lua })?;
        self.lua
            .vm
            .raw_set_str(self.table, k.as_bytes(), v)
            .map_err(|e| self.lua.convert_error(e))
    }

    fn finish(self) -> Result<RawValue> {
        match self.outer {
            Some((outer, name)) => {
                self.lua
                    .vm
                    .raw_set_str(outer, name.as_bytes(), RawValue::Table(self.table))
                    .map_err(|e| self.lua.convert_error(e))?;
                Ok(RawValue::Table(outer))
            }
            None => Ok(RawValue::Table(self.table)),
        }
    }
}

impl<'a> ser::Serializer for Serializer<'a> {
    type Ok = RawValue;
    type Error = Error;
    type SerializeSeq = TableBuilder<'a>;
    type SerializeTuple = TableBuilder<'a>;
    type SerializeTupleStruct = TableBuilder<'a>;
    type SerializeTupleVariant = TableBuilder<'a>;
    type SerializeMap = TableBuilder<'a>;
    type SerializeStruct = TableBuilder<'a>;
    type SerializeStructVariant = TableBuilder<'a>;

    fn serialize_bool(self, v: bool) -> Result<RawValue> {
        Ok(RawValue::Boolean(v))
    }
    fn serialize_i8(self, v: i8) -> Result<RawValue> {
        Ok(RawValue::Number(v as f64))
    }
    fn serialize_i16(self, v: i16) -> Result<RawValue> {
        Ok(RawValue::Number(v as f64))
    }
    fn serialize_i32(self, v: i32) -> Result<RawValue> {
        Ok(RawValue::Number(v as f64))
    }
    fn serialize_i64(self, v: i64) -> Result<RawValue> {
        exact_int(v as i128, "i64")
    }
    fn serialize_i128(self, v: i128) -> Result<RawValue> {
        exact_int(v, "i128")
    }
    fn serialize_u8(self, v: u8) -> Result<RawValue> {
        Ok(RawValue::Number(v as f64))
    }
    fn serialize_u16(self, v: u16) -> Result<RawValue> {
        Ok(RawValue::Number(v as f64))
    }
    fn serialize_u32(self, v: u32) -> Result<RawValue> {
        Ok(RawValue::Number(v as f64))
    }
    fn serialize_u64(self, v: u64) -> Result<RawValue> {
        exact_int(v as i128, "u64")
    }
    fn serialize_u128(self, v: u128) -> Result<RawValue> {
        match i128::try_from(v) {
            Ok(n) => exact_int(n, "u128"),
            Err(_) => Err(Error::Serialize(format!(
                "u128 {v} cannot be represented exactly as a Lua number"
            ))),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<RawValue> {
        Ok(RawValue::Number(v as f64))
    }
    fn serialize_f64(self, v: f64) -> Result<RawValue> {
        Ok(RawValue::Number(v))
    }
    fn serialize_char(self, v: char) -> Result<RawValue> {
        let mut b = [0u8; 4];
        self.lua.raw_string(v.encode_utf8(&mut b).as_bytes())
    }
    fn serialize_str(self, v: &str) -> Result<RawValue> {
        self.lua.raw_string(v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<RawValue> {
        self.lua.raw_string(v)
    }
    fn serialize_none(self) -> Result<RawValue> {
        Ok(RawValue::LightUserdata(0))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<RawValue> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<RawValue> {
        Ok(RawValue::LightUserdata(0))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<RawValue> {
        Ok(RawValue::LightUserdata(0))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<RawValue> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Result<RawValue> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<RawValue> {
        let inner = v.serialize(Serializer { lua: self.lua })?;
        let lua = self.lua;
        let t = lua.vm.new_table(0, 1).map_err(|e| lua.convert_error(e))?;
        lua.vm
            .raw_set_str(t, variant.as_bytes(), inner)
            .map_err(|e| lua.convert_error(e))?;
        Ok(RawValue::Table(t))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, len.unwrap_or(0), None)
    }
    fn serialize_tuple(self, len: usize) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, len, None)
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, len, None)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, len, Some(variant))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, false, len.unwrap_or(0), None)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, false, len, None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, false, len, Some(variant))
    }
}

macro_rules! seq_like {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for TableBuilder<'_> {
            type Ok = RawValue;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
                self.push(v)
            }
            fn end(self) -> Result<RawValue> {
                self.finish()
            }
        }
    };
}
seq_like!(SerializeSeq, serialize_element);
seq_like!(SerializeTuple, serialize_element);
seq_like!(SerializeTupleStruct, serialize_field);
seq_like!(SerializeTupleVariant, serialize_field);

impl ser::SerializeMap for TableBuilder<'_> {
    type Ok = RawValue;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<()> {
        self.key = Some(k.serialize(Serializer { lua: self.lua })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        let k = self
            .key
            .take()
            .ok_or_else(|| Error::Serialize("map value without a key".into()))?;
        match k {
            RawValue::LightUserdata(0) | RawValue::Nil => {
                return Err(Error::Serialize("a map key cannot be null".into()))
            }
            RawValue::Number(n) if n.is_nan() => {
                return Err(Error::Serialize("a map key cannot be NaN".into()))
            }
            _ => {}
        }
        let v = v.serialize(Serializer { lua: self.lua })?;
        self.lua
            .vm
            .raw_set(self.table, k, v)
            .map_err(|e| self.lua.convert_error(e))
    }
    fn end(self) -> Result<RawValue> {
        self.finish()
    }
}

macro_rules! struct_like {
    ($trait:ident) => {
        impl ser::$trait for TableBuilder<'_> {
            type Ok = RawValue;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                k: &'static str,
                v: &T,
            ) -> Result<()> {
                self.field(k, v)
            }
            fn end(self) -> Result<RawValue> {
                self.finish()
            }
        }
    };
}
struct_like!(SerializeStruct);
struct_like!(SerializeStructVariant);

// ------------------------------------------------------------ deserialize

/// Deserializes one value of one state (used by [`LuaState::from_value`]).
///
/// ```
/// use ferrous_lua::{Lua, Value};
///
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct User {
///     name: String,
///     admin: bool,
///     groups: Vec<String>,
/// }
///
/// let mut lua = Lua::new();
/// let v: Value = lua
///     .load("return {name = 'ada', admin = true, groups = {'ops', 'dev'}}")
///     .eval()
///     .unwrap();
/// let u: User = lua.from_value(v).unwrap(); // runs this deserializer
/// assert_eq!(u, User { name: "ada".into(), admin: true, groups: vec!["ops".into(), "dev".into()] });
/// ```
pub struct Deserializer<'a> {
    lua: &'a mut LuaState,
    raw: RawValue,
    depth: usize,
}

fn too_deep() -> Error {
    Error::Deserialize("tables nested too deeply (a cycle?)".into())
}

impl Deserializer<'_> {
    fn is_null(&self) -> bool {
        matches!(self.raw, RawValue::Nil | RawValue::LightUserdata(0))
    }

    fn child(&mut self, raw: RawValue) -> Deserializer<'_> {
        Deserializer {
            lua: self.lua,
            raw,
            depth: self.depth + 1,
        }
    }

    fn entries(&mut self, t: TableRef) -> Result<Vec<(RawValue, RawValue)>> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep());
        }
        let mut out = Vec::new();
        let mut k = RawValue::Nil;
        while let Some((nk, nv)) = self
            .lua
            .vm
            .heap
            .table_next(t, &k)
            .map_err(|_| Error::DeadObject)?
        {
            out.push((nk, nv));
            k = nk;
        }
        Ok(out)
    }

    /// `t[1..#t]`.
    fn sequence(&mut self, t: TableRef) -> Result<Vec<RawValue>> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep());
        }
        let n = self.lua.vm.heap.table(t).map_or(0, |t| t.border());
        Ok((1..=n)
            .map(|i| self.lua.vm.raw_get(t, RawValue::Number(i as f64)))
            .collect())
    }

    fn is_marked_array(&mut self, t: TableRef) -> bool {
        let mt = self.lua.vm.heap.table(t).and_then(|t| t.metatable());
        mt.is_some() && mt == self.lua.st().array_mt
    }

    fn text(&self, s: ferrous_vm::StrRef) -> std::result::Result<String, Vec<u8>> {
        let b = self.lua.vm.str_bytes(s).to_vec();
        String::from_utf8(b).map_err(|e| e.into_bytes())
    }
}

fn unexpected(v: RawValue) -> de::Unexpected<'static> {
    match v {
        RawValue::Nil => de::Unexpected::Unit,
        RawValue::Boolean(b) => de::Unexpected::Bool(b),
        RawValue::Number(n) => de::Unexpected::Float(n),
        RawValue::String(_) => de::Unexpected::Other("string"),
        RawValue::Table(_) => de::Unexpected::Map,
        other => de::Unexpected::Other(other.type_name()),
    }
}

impl<'de> de::Deserializer<'de> for Deserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.raw {
            RawValue::Nil | RawValue::LightUserdata(0) => visitor.visit_unit(),
            RawValue::Boolean(b) => visitor.visit_bool(b),
            RawValue::Number(n) => {
                // 2^63 as an f64 bounds i64's range exactly.
                if n.fract() == 0.0
                    && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n)
                {
                    visitor.visit_i64(n as i64)
                } else if n.fract() == 0.0 && (0.0..1.8446744073709552e19).contains(&n) {
                    visitor.visit_u64(n as u64)
                } else {
                    visitor.visit_f64(n)
                }
            }
            RawValue::String(s) => match self.text(s) {
                Ok(text) => visitor.visit_string(text),
                Err(bytes) => visitor.visit_byte_buf(bytes),
            },
            RawValue::Table(t) => {
                let marked = self.is_marked_array(t);
                let n = self.lua.vm.heap.table(t).map_or(0, |t| t.border());
                if marked {
                    let items = self.sequence(t)?;
                    return visitor.visit_seq(Seq {
                        de: &mut self,
                        items: items.into_iter(),
                    });
                }
                let pairs = self.entries(t)?;
                if n > 0 && n == pairs.len() {
                    let items = self.sequence(t)?;
                    visitor.visit_seq(Seq {
                        de: &mut self,
                        items: items.into_iter(),
                    })
                } else {
                    visitor.visit_map(Map {
                        de: &mut self,
                        items: pairs.into_iter(),
                        value: None,
                    })
                }
            }
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_null() {
            visitor.visit_unit()
        } else {
            Err(de::Error::invalid_type(unexpected(self.raw), &visitor))
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.raw {
            RawValue::Table(t) => {
                let items = self.sequence(t)?;
                visitor.visit_seq(Seq {
                    de: &mut self,
                    items: items.into_iter(),
                })
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.raw {
            RawValue::Table(t) => {
                let pairs = self.entries(t)?;
                visitor.visit_map(Map {
                    de: &mut self,
                    items: pairs.into_iter(),
                    value: None,
                })
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.raw {
            RawValue::String(s) => {
                let name = self
                    .text(s)
                    .map_err(|_| Error::Deserialize("enum variant name is not UTF-8".into()))?;
                visitor.visit_enum(name.into_deserializer())
            }
            RawValue::Table(t) => {
                let mut pairs = self.entries(t)?;
                if pairs.len() != 1 {
                    return Err(Error::Deserialize(
                        "an enum variant table must have exactly one key".into(),
                    ));
                }
                let (k, v) = pairs.remove(0);
                let name = match k {
                    RawValue::String(s) => self
                        .text(s)
                        .map_err(|_| Error::Deserialize("enum variant name is not UTF-8".into()))?,
                    other => {
                        return Err(Error::Deserialize(format!(
                            "enum variant name is a {}",
                            other.type_name()
                        )))
                    }
                };
                visitor.visit_enum(Enum {
                    de: self.child(v),
                    name,
                })
            }
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.raw {
            RawValue::String(s) => {
                let b = self.lua.vm.str_bytes(s).to_vec();
                visitor.visit_byte_buf(b)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str
        unit_struct identifier ignored_any
    }
}

struct Seq<'s, 'a> {
    de: &'s mut Deserializer<'a>,
    items: std::vec::IntoIter<RawValue>,
}

impl<'de> SeqAccess<'de> for Seq<'_, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.items.next() {
            Some(v) => seed.deserialize(self.de.child(v)).map(Some),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'s, 'a> {
    de: &'s mut Deserializer<'a>,
    items: std::vec::IntoIter<(RawValue, RawValue)>,
    value: Option<RawValue>,
}

impl<'de> MapAccess<'de> for Map<'_, '_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.items.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(self.de.child(k)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let v = self.value.take().unwrap_or(RawValue::Nil);
        seed.deserialize(self.de.child(v))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Enum<'a> {
    de: Deserializer<'a>,
    name: String,
}

impl<'de, 'a> de::EnumAccess<'de> for Enum<'a> {
    type Error = Error;
    type Variant = Deserializer<'a>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Deserializer<'a>)> {
        let name: de::value::StringDeserializer<Error> = self.name.into_deserializer();
        Ok((seed.deserialize(name)?, self.de))
    }
}

impl<'de> de::VariantAccess<'de> for Deserializer<'_> {
    type Error = Error;
    fn unit_variant(self) -> Result<()> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
