//! serde support (feature `serde`): [`Lua::to_value`] and
//! [`Lua::from_value`].
//!
//! Conventions, both ways:
//!
//! * `None`, `()` and unit structs become [`Lua::NULL`] (a light userdata
//!   0, the value `cjson.null` has), so a `None` inside a sequence leaves
//!   no hole; `nil` and `NULL` both read back as `None`/`()`.
//! * Sequences (`Vec`, tuples, arrays, sets) become tables `1..n` marked
//!   with a shared array metatable ([`Lua::array_metatable`]), so an empty
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

use crate::error::{Error, Result};
use crate::value::{Table, Value};
use crate::Lua;

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

impl Lua {
    /// The value `None` and `()` serialize to: a light userdata 0 (what
    /// `cjson.null` is).
    pub const NULL: Value = Value::LightUserData(0);

    /// The metatable marking tables made from sequences (see the module
    /// conventions); made once per state.
    pub fn array_metatable(&mut self) -> Result<Table> {
        if let Some(t) = self.named_registry_value::<Option<Table>>("ferrous.array_mt")? {
            return Ok(t);
        }
        let t = self.create_table()?;
        self.set_named_registry_value("ferrous.array_mt", &t)?;
        Ok(t)
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
        v.serialize(Serializer { lua: self })
    }

    /// Deserializes a Lua value into `T` (feature `serde`).
    pub fn from_value<T: de::DeserializeOwned>(&mut self, v: Value) -> Result<T> {
        self.release_pins();
        T::deserialize(Deserializer {
            lua: self,
            value: v,
            depth: 0,
        })
    }
}

/// Serializes into a Lua value of one state.
pub struct Serializer<'a> {
    lua: &'a mut Lua,
}

fn exact_int(n: i128, ty: &str) -> Result<Value> {
    let f = n as f64;
    if f as i128 == n && f.abs() < 1.8446744073709552e19 {
        Ok(Value::Number(f))
    } else {
        Err(Error::Serialize(format!(
            "{ty} {n} cannot be represented exactly as a Lua number"
        )))
    }
}

/// A table being filled by a compound serializer.
pub struct TableBuilder<'a> {
    lua: &'a mut Lua,
    table: Table,
    next: f64,
    key: Option<Value>,
    /// For enum variants: the wrapper table and the variant name.
    outer: Option<(Table, &'static str)>,
}

impl<'a> TableBuilder<'a> {
    fn new(lua: &'a mut Lua, array: bool, outer: Option<&'static str>) -> Result<Self> {
        let table = lua.create_table()?;
        if array {
            let mt = lua.array_metatable()?;
            table.set_metatable(lua, Some(&mt))?;
        }
        let outer = match outer {
            Some(name) => Some((lua.create_table()?, name)),
            None => None,
        };
        Ok(TableBuilder {
            lua,
            table,
            next: 1.0,
            key: None,
            outer,
        })
    }

    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        let v = v.serialize(Serializer { lua: self.lua })?;
        self.table.raw_set(self.lua, self.next, v)?;
        self.next += 1.0;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, k: &str, v: &T) -> Result<()> {
        let v = v.serialize(Serializer { lua: self.lua })?;
        self.table.raw_set(self.lua, k, v)
    }

    fn finish(self) -> Result<Value> {
        match self.outer {
            Some((outer, name)) => {
                outer.raw_set(self.lua, name, &self.table)?;
                Ok(Value::Table(outer))
            }
            None => Ok(Value::Table(self.table)),
        }
    }
}

impl<'a> ser::Serializer for Serializer<'a> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = TableBuilder<'a>;
    type SerializeTuple = TableBuilder<'a>;
    type SerializeTupleStruct = TableBuilder<'a>;
    type SerializeTupleVariant = TableBuilder<'a>;
    type SerializeMap = TableBuilder<'a>;
    type SerializeStruct = TableBuilder<'a>;
    type SerializeStructVariant = TableBuilder<'a>;

    fn serialize_bool(self, v: bool) -> Result<Value> {
        Ok(Value::Boolean(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_i16(self, v: i16) -> Result<Value> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_i32(self, v: i32) -> Result<Value> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_i64(self, v: i64) -> Result<Value> {
        exact_int(v as i128, "i64")
    }
    fn serialize_i128(self, v: i128) -> Result<Value> {
        exact_int(v, "i128")
    }
    fn serialize_u8(self, v: u8) -> Result<Value> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_u16(self, v: u16) -> Result<Value> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_u32(self, v: u32) -> Result<Value> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_u64(self, v: u64) -> Result<Value> {
        exact_int(v as i128, "u64")
    }
    fn serialize_u128(self, v: u128) -> Result<Value> {
        match i128::try_from(v) {
            Ok(n) => exact_int(n, "u128"),
            Err(_) => Err(Error::Serialize(format!(
                "u128 {v} cannot be represented exactly as a Lua number"
            ))),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<Value> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_f64(self, v: f64) -> Result<Value> {
        Ok(Value::Number(v))
    }
    fn serialize_char(self, v: char) -> Result<Value> {
        let mut b = [0u8; 4];
        self.lua
            .create_string(v.encode_utf8(&mut b).as_bytes())
            .map(Value::String)
    }
    fn serialize_str(self, v: &str) -> Result<Value> {
        self.lua.create_string(v).map(Value::String)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        self.lua.create_string(v).map(Value::String)
    }
    fn serialize_none(self) -> Result<Value> {
        Ok(Lua::NULL)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value> {
        Ok(Lua::NULL)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value> {
        Ok(Lua::NULL)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Result<Value> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value> {
        let inner = v.serialize(Serializer { lua: self.lua })?;
        let t = self.lua.create_table()?;
        t.raw_set(self.lua, variant, inner)?;
        Ok(Value::Table(t))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, None)
    }
    fn serialize_tuple(self, _len: usize) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, None)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, None)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, true, Some(variant))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, false, None)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, false, None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<TableBuilder<'a>> {
        TableBuilder::new(self.lua, false, Some(variant))
    }
}

impl ser::SerializeSeq for TableBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        self.push(v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeTuple for TableBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        self.push(v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for TableBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        self.push(v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for TableBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        self.push(v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeMap for TableBuilder<'_> {
    type Ok = Value;
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
        if matches!(k, Value::LightUserData(0)) {
            return Err(Error::Serialize("a map key cannot be null".into()));
        }
        let v = v.serialize(Serializer { lua: self.lua })?;
        self.table.raw_set(self.lua, k, v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeStruct for TableBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Result<()> {
        self.field(k, v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for TableBuilder<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Result<()> {
        self.field(k, v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

// ------------------------------------------------------------ deserialize

/// Deserializes one Lua value of one state.
pub struct Deserializer<'a> {
    lua: &'a mut Lua,
    value: Value,
    depth: usize,
}

impl Deserializer<'_> {
    fn is_null(&self) -> bool {
        matches!(self.value, Value::Nil | Value::LightUserData(0))
    }

    /// The table's entries, and whether it reads as a sequence.
    fn entries(&mut self, t: &Table) -> Result<(bool, Vec<(Value, Value)>)> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::Deserialize(
                "tables nested too deeply (a cycle?)".into(),
            ));
        }
        let marked = match (t.get_metatable(self.lua), self.lua.array_metatable()) {
            (Some(mt), Ok(am)) => mt.ptr_eq(&am),
            _ => false,
        };
        let pairs: Vec<(Value, Value)> = t.pairs(self.lua)?;
        let n = t.raw_len(self.lua);
        let seq = marked
            || (n > 0
                && n == pairs.len()
                && pairs.iter().all(|(k, _)| matches!(k, Value::Number(_))));
        Ok((seq, pairs))
    }

    fn child(&mut self, value: Value) -> Deserializer<'_> {
        Deserializer {
            lua: self.lua,
            value,
            depth: self.depth + 1,
        }
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'static> {
    match v {
        Value::Nil => de::Unexpected::Unit,
        Value::Boolean(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => de::Unexpected::Float(*n),
        Value::String(_) => de::Unexpected::Other("string"),
        Value::Table(_) => de::Unexpected::Map,
        other => de::Unexpected::Other(other.type_name()),
    }
}

impl<'de> de::Deserializer<'de> for Deserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.value.clone() {
            Value::Nil | Value::LightUserData(0) => visitor.visit_unit(),
            Value::Boolean(b) => visitor.visit_bool(b),
            Value::Number(n) => {
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
            Value::String(s) => {
                let bytes = s.as_bytes(self.lua).to_vec();
                match String::from_utf8(bytes) {
                    Ok(text) => visitor.visit_string(text),
                    Err(e) => visitor.visit_byte_buf(e.into_bytes()),
                }
            }
            Value::Table(t) => {
                let (seq, pairs) = self.entries(&t)?;
                if seq {
                    let mut items: Vec<(f64, Value)> = pairs
                        .into_iter()
                        .filter_map(|(k, v)| k.as_number().map(|n| (n, v)))
                        .collect();
                    items.sort_by(|a, b| a.0.total_cmp(&b.0));
                    visitor.visit_seq(Seq {
                        de: &mut self,
                        items: items
                            .into_iter()
                            .map(|(_, v)| v)
                            .collect::<Vec<_>>()
                            .into_iter(),
                    })
                } else {
                    visitor.visit_map(Map {
                        de: &mut self,
                        items: pairs.into_iter(),
                        value: None,
                    })
                }
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
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
            Err(de::Error::invalid_type(unexpected(&self.value), &visitor))
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.value.clone() {
            Value::Table(t) => {
                if self.depth >= MAX_DEPTH {
                    return Err(Error::Deserialize(
                        "tables nested too deeply (a cycle?)".into(),
                    ));
                }
                let items: Vec<Value> = t.sequence_values(self.lua)?;
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
        match self.value.clone() {
            Value::Table(t) => {
                let (_, pairs) = self.entries(&t)?;
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
        match self.value.clone() {
            Value::String(s) => {
                let name = s.to_str(self.lua)?;
                visitor.visit_enum(name.into_deserializer())
            }
            Value::Table(t) => {
                let (_, mut pairs) = self.entries(&t)?;
                if pairs.len() != 1 {
                    return Err(Error::Deserialize(
                        "an enum variant table must have exactly one key".into(),
                    ));
                }
                let (k, v) = pairs.remove(0);
                let name = match k {
                    Value::String(s) => s.to_str(self.lua)?,
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
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match &self.value {
            Value::String(s) => {
                let b = s.as_bytes(self.lua).to_vec();
                visitor.visit_byte_buf(b)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        unit_struct identifier ignored_any
    }
}

struct Seq<'s, 'a> {
    de: &'s mut Deserializer<'a>,
    items: std::vec::IntoIter<Value>,
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
    items: std::vec::IntoIter<(Value, Value)>,
    value: Option<Value>,
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
        let v = self.value.take().unwrap_or(Value::Nil);
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
