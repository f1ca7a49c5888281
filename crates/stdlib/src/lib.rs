//! ferrous-stdlib: the Lua 5.1 standard library for Ferrous Lua.
//!
//! Each library opens on its own, so an embedder (the Redis bridge)
//! chooses exactly what a sandbox gets:
//!
//! | function | library |
//! | --- | --- |
//! | [`open_base`] | base functions, `_G`, `_VERSION`, plus `coroutine` |
//! | [`open_package`] | `package`, `require`, `module` |
//! | [`open_table`] | `table` |
//! | [`open_io`] | `io` and file handles |
//! | [`open_os`] | `os` |
//! | [`open_string`] | `string` and the string metatable |
//! | [`open_math`] | `math` |
//! | [`open_debug`] | `debug` |
//! | [`open_cjson`] | Redis's `cjson` (feature `redis`) |
//! | [`open_cmsgpack`] | Redis's `cmsgpack` (feature `redis`) |
//! | [`open_bit`] | LuaBitOp's `bit` (feature `redis`) |
//! | [`open_struct`] | Redis's `struct` (feature `redis`) |
//!
//! [`open_libs`] opens everything `lua5.1` opens, in the same order, so
//! that the global table is built by the same sequence of insertions (and
//! `pairs(_G)` visits it in the same order).
//!
//! Libraries are registered like `luaL_register`: a table created with the
//! number of functions as its size hint, filled in Lua 5.1's order, stored
//! as a global and in `package.loaded`.

#![deny(missing_docs)]

pub mod base;
pub mod cfile;
pub mod coroutine;
pub mod debug;
pub mod dump;
pub mod io;
pub mod math;
pub mod os;
pub mod output;
pub mod package;
pub mod pattern;
pub mod strformat;
pub mod string;
pub mod table;
pub mod tz;

#[cfg(feature = "redis")]
pub mod bit;
#[cfg(feature = "redis")]
pub mod cjson;
#[cfg(feature = "redis")]
pub mod cmsgpack;
#[cfg(feature = "redis")]
pub mod structlib;

use ferrous_vm::{LuaResult, NativeFn, TableRef, Value, Vm};

/// Opens every standard library, as `luaL_openlibs` does (same order).
pub fn open_libs(vm: &mut Vm) -> LuaResult<()> {
    open_base(vm)?;
    open_package(vm)?;
    open_table(vm)?;
    open_io(vm)?;
    open_os(vm)?;
    open_string(vm)?;
    open_math(vm)?;
    open_debug(vm)
}

/// Opens `package` (with the `require` and `module` globals).
pub fn open_package(vm: &mut Vm) -> LuaResult<()> {
    package::open(vm)
}

/// Opens `table`.
pub fn open_table(vm: &mut Vm) -> LuaResult<()> {
    table::open(vm)
}

/// Opens `io`.
pub fn open_io(vm: &mut Vm) -> LuaResult<()> {
    io::open(vm)
}

/// Opens `os`.
pub fn open_os(vm: &mut Vm) -> LuaResult<()> {
    os::open(vm)
}

/// Opens `string` and sets the string metatable.
pub fn open_string(vm: &mut Vm) -> LuaResult<()> {
    string::open(vm)
}

/// Opens `math`.
pub fn open_math(vm: &mut Vm) -> LuaResult<()> {
    math::open(vm)
}

/// Opens `debug`.
pub fn open_debug(vm: &mut Vm) -> LuaResult<()> {
    debug::open(vm)
}

/// Opens Redis's `cjson`.
#[cfg(feature = "redis")]
pub fn open_cjson(vm: &mut Vm) -> LuaResult<()> {
    cjson::open(vm)
}

/// Opens Redis's `cmsgpack`.
#[cfg(feature = "redis")]
pub fn open_cmsgpack(vm: &mut Vm) -> LuaResult<()> {
    cmsgpack::open(vm)
}

/// Opens LuaBitOp's `bit`.
#[cfg(feature = "redis")]
pub fn open_bit(vm: &mut Vm) -> LuaResult<()> {
    bit::open(vm)
}

/// Opens Redis's `struct`.
#[cfg(feature = "redis")]
pub fn open_struct(vm: &mut Vm) -> LuaResult<()> {
    structlib::open(vm)
}

/// Opens the base library (and `coroutine`, which Lua 5.1 opens with it).
pub fn open_base(vm: &mut Vm) -> LuaResult<()> {
    base::open(vm)?;
    coroutine::open(vm)
}

/// The table `package.loaded` (the registry's `_LOADED`), created on
/// first use.
pub fn loaded_table(vm: &mut Vm) -> LuaResult<TableRef> {
    let reg = vm.registry();
    match vm.raw_get_str(reg, b"_LOADED")? {
        Value::Table(t) => Ok(t),
        _ => {
            let t = vm.new_table(0, 2)?;
            vm.raw_set_str(reg, b"_LOADED", Value::Table(t))?;
            Ok(t)
        }
    }
}

/// `luaL_register(L, name, funcs)`: the library table `name` (found in
/// `package.loaded` or created with room for the functions), filled with
/// `funcs` in order, set as a global and in `package.loaded`.
pub fn register_lib(vm: &mut Vm, name: &str, funcs: &[(&str, NativeFn)]) -> LuaResult<TableRef> {
    let loaded = loaded_table(vm)?;
    let t = match vm.raw_get_str(loaded, name.as_bytes())? {
        Value::Table(t) => t,
        _ => {
            let g = vm.globals();
            let t = match vm.raw_get_str(g, name.as_bytes())? {
                Value::Table(t) => t,
                _ => {
                    let t = vm.new_table(0, funcs.len())?;
                    vm.raw_set_str(g, name.as_bytes(), Value::Table(t))?;
                    t
                }
            };
            vm.raw_set_str(loaded, name.as_bytes(), Value::Table(t))?;
            t
        }
    };
    register_funcs(vm, t, funcs)?;
    Ok(t)
}

/// Stores native functions into a table, in order.
pub fn register_funcs(vm: &mut Vm, t: TableRef, funcs: &[(&str, NativeFn)]) -> LuaResult<()> {
    for (name, f) in funcs {
        let v = vm.native(*f)?;
        vm.raw_set_str(t, name.as_bytes(), v)?;
    }
    Ok(())
}

/// The text C's `strerror` gives for an I/O error ("No such file or
/// directory"), without Rust's " (os error N)" suffix.
pub fn os_error_text(e: &std::io::Error) -> String {
    cfile::sys::error_text(e)
}

/// A file name from Lua bytes (Unix paths are bytes).
pub fn bytes_to_path(b: &[u8]) -> std::path::PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::path::PathBuf::from(std::ffi::OsStr::from_bytes(b))
    }
    #[cfg(not(unix))]
    {
        std::path::PathBuf::from(String::from_utf8_lossy(b).into_owned())
    }
}
