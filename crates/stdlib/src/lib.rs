//! ferrous-stdlib: the Lua 5.1 standard library for Ferrous Lua.
//!
//! Each library opens on its own, so an embedder (the Redis bridge)
//! chooses exactly what a sandbox gets:
//!
//! | function | library |
//! | --- | --- |
//! | [`open_base`] | base functions, `_G`, `_VERSION`, plus `coroutine` |
//!
//! [`open_libs`] opens everything `lua5.1` opens, in the same order, so
//! that the global table is built by the same sequence of insertions (and
//! `pairs(_G)` visits it in the same order).
//!
//! Libraries are registered like `luaL_register`: a table created with the
//! number of functions as its size hint, filled in Lua 5.1's order, stored
//! as a global and in `package.loaded`.

pub mod base;
pub mod coroutine;
pub mod output;

use ferrous_vm::{LuaResult, NativeFn, TableRef, Value, Vm};

/// Opens every standard library, as `luaL_openlibs` does.
pub fn open_libs(vm: &mut Vm) -> LuaResult<()> {
    open_base(vm)?;
    Ok(())
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
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
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
