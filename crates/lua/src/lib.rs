//! Ferrous Lua: a pure-Rust Lua 5.1, for embedding.
//!
//! (Crate documentation: see the guide below.)

#![warn(missing_docs)]

mod conv;
mod error;
mod func;
#[cfg(feature = "serde")]
mod serde_impl;
mod state;
mod table;
mod userdata;
mod value;

pub use ferrous_stdlib as stdlib;
pub use ferrous_vm as vm;
pub use ferrous_vm::{Ctx, LuaError, LuaResult, Vm};

/// The VM's own value type: `Copy`, unpinned, meaningful only to its state
/// and only while the object is reachable. The facade's [`Value`] is the
/// owned, checked form.
pub use ferrous_value::Value as RawValue;

pub use conv::{Bytes, FromLua, FromLuaMulti, IntoLua, IntoLuaMulti, LuaStringOrNumber, Nil};
pub use error::{Error, ExternalError, ExternalResult, Result};
pub use func::ThreadStatus;
#[cfg(feature = "serde")]
pub use serde_impl::{Deserializer as LuaDeserializer, Serializer as LuaSerializer, TableBuilder};
pub use state::{Chunk, ChunkMode, Lua, LuaOptions, OutputBuffer};
pub use userdata::{
    MetaMethod, UserData, UserDataFields, UserDataMethods, UserDataRef, UserDataRefMut,
};
pub use value::{
    AnyUserData, Function, LuaString, MultiValue, RegistryKey, Table, Thread, Value, Variadic,
};

impl LuaString {
    /// The string's bytes (empty if the handle belongs to another state).
    pub fn as_bytes<'l>(&self, lua: &'l mut Lua) -> &'l [u8] {
        match lua.raw_of(&self.0) {
            Ok(RawValue::String(s)) => lua.vm.str_bytes(s),
            _ => &[],
        }
    }

    /// The string as UTF-8 text (an error for other bytes).
    pub fn to_str(&self, lua: &mut Lua) -> Result<String> {
        let raw = lua.raw_of(&self.0)?;
        String::from_raw(raw, lua)
    }

    /// The string as text, with invalid UTF-8 replaced by U+FFFD.
    pub fn to_string_lossy(&self, lua: &mut Lua) -> String {
        String::from_utf8_lossy(self.as_bytes(lua)).into_owned()
    }
}
