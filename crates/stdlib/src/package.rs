//! The package library: `require` and `module` (globals), `package.
//! loaded/preload/path/cpath/loaders/config/loadlib/seeall`, with Lua
//! 5.1's semantics and messages.
//!
//! `package.path` and `package.cpath` default to Debian lua5.1's and read
//! `LUA_PATH`/`LUA_CPATH` (";;" stands for the default). The four loaders
//! are 5.1's: preload, Lua files on `path`, C libraries on `cpath`, and the
//! all-in-one C loader.
//!
//! Ferrous Lua cannot load C libraries. `package.loadlib` answers like a
//! Lua built without dynamic library support (nil, "dynamic libraries not
//! enabled; check your Lua installation", "absent") for an ELF file; for
//! a file dlopen would reject before loading (missing, a directory, too
//! short, not ELF) it gives dlopen's message and "open", as lua5.1 does.
//! A C module
//! found on `cpath` fails to load with "error loading module 'x' from file
//! './x.so':\n\tdynamic libraries not enabled; check your Lua installation".

use ferrous_vm::{Ctx, Level, LuaResult, Native, NativeFn, TableRef, Value, Vm};

/// Registration order of loadlib.c's `pk_funcs`.
const PK_FUNCS: &[(&str, NativeFn)] = &[("loadlib", loadlib), ("seeall", seeall)];

/// `package.loaders`, in order.
const LOADERS: &[NativeFn] = &[loader_preload, loader_lua, loader_c, loader_croot];

/// Debian lua5.1's default `package.path`.
pub const PATH_DEFAULT: &str = "./?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;/usr/local/lib/lua/5.1/?.lua;/usr/local/lib/lua/5.1/?/init.lua;/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua";
/// Debian lua5.1's default `package.cpath`.
pub const CPATH_DEFAULT: &str = "./?.so;/usr/local/lib/lua/5.1/?.so;/usr/lib/x86_64-linux-gnu/lua/5.1/?.so;/usr/lib/lua/5.1/?.so;/usr/local/lib/lua/5.1/loadall.so";

/// The message of a Lua without dynamic libraries.
const DLMSG: &str = "dynamic libraries not enabled; check your Lua installation";

/// The value `package.loaded[name]` holds while `name` loads (5.1's
/// sentinel light userdata).
const SENTINEL: Value = Value::LightUserdata(0x5e47_1e10);

/// Opens `package`, and `require` and `module` in the globals.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    // 5.1 registers a metatable for library handles; none are ever made.
    let reg = vm.registry();
    if vm.raw_get_str(reg, b"_LOADLIB")?.is_nil() {
        let mt = vm.new_table(0, 1)?;
        vm.raw_set_str(reg, b"_LOADLIB", Value::Table(mt))?;
        let gc = vm.native(gctm)?;
        vm.raw_set_str(mt, b"__gc", gc)?;
    }
    let pkg = crate::register_lib(vm, "package", PK_FUNCS)?;
    // lua5.1 iterates package.loaders as an array.
    let loaders = vm.new_table(LOADERS.len(), 0)?;
    for (i, f) in LOADERS.iter().enumerate() {
        let fv = vm.native_closure(Native::Fn(*f), Vec::new())?;
        if let Value::Function(fr) = fv {
            vm.set_function_env(fr, pkg);
        }
        vm.raw_set_int(loaders, i as i64 + 1, fv)?;
    }
    vm.raw_set_str(pkg, b"loaders", Value::Table(loaders))?;
    let path = env_path("LUA_PATH", PATH_DEFAULT);
    let v = vm.str_value(&path)?;
    vm.raw_set_str(pkg, b"path", v)?;
    let cpath = env_path("LUA_CPATH", CPATH_DEFAULT);
    let v = vm.str_value(&cpath)?;
    vm.raw_set_str(pkg, b"cpath", v)?;
    let v = vm.str_value(b"/\n;\n?\n!\n-")?;
    vm.raw_set_str(pkg, b"config", v)?;
    let loaded = crate::loaded_table(vm)?;
    vm.raw_set_str(pkg, b"loaded", Value::Table(loaded))?;
    let preload = vm.new_table(0, 0)?;
    vm.raw_set_str(pkg, b"preload", Value::Table(preload))?;
    let g = vm.globals();
    for (name, f) in [("module", module as NativeFn), ("require", require)] {
        let fv = vm.native_closure(Native::Fn(f), Vec::new())?;
        if let Value::Function(fr) = fv {
            vm.set_function_env(fr, pkg);
        }
        let key = vm.str_value(name.as_bytes())?;
        vm.set_index(Value::Table(g), key, fv)?;
    }
    Ok(())
}

/// `__gc` of library handles (there are none).
fn gctm(_ctx: &mut Ctx) -> LuaResult<usize> {
    Ok(0)
}

/// `luaL_gsub`: replaces every occurrence of `pat`, left to right.
fn gsub(s: &[u8], pat: &[u8], rep: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if !pat.is_empty() && s[i..].starts_with(pat) {
            out.extend_from_slice(rep);
            i += pat.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// `setpath`: the environment variable with ";;" replaced by the
/// default, or the default.
fn env_path(var: &str, default: &str) -> Vec<u8> {
    match std::env::var_os(var) {
        None => default.as_bytes().to_vec(),
        Some(v) => {
            let p = gsub(&crate::cfile::sys::os_bytes(&v), b";;", b";\x01;");
            gsub(&p, b"\x01", default.as_bytes())
        }
    }
}

/// The running function's environment (5.1's LUA_ENVIRONINDEX): the
/// package table for require, module and the loaders.
fn env_table(ctx: &mut Ctx) -> LuaResult<TableRef> {
    let f = ctx.function();
    match ctx.vm.function_env(f) {
        Some(t) => Ok(t),
        None => Ok(ctx.vm.globals()),
    }
}

/// `lua_getfield` on a table value (with metamethods).
fn get_field(ctx: &mut Ctx, t: Value, k: &[u8]) -> LuaResult<Value> {
    let key = ctx.vm.str_value(k)?;
    ctx.vm.index(t, key)
}

fn set_field(ctx: &mut Ctx, t: Value, k: &[u8], v: Value) -> LuaResult<()> {
    let key = ctx.vm.str_value(k)?;
    ctx.vm.set_index(t, key, v)
}

// ------------------------------------------------------------ require

fn require(ctx: &mut Ctx) -> LuaResult<usize> {
    let mut name_s = ctx.check_string(1)?;
    // 5.1 takes the name as a C string: everything (the _LOADED key, the
    // loaders' argument, the messages) sees it cut at its first NUL.
    if let Some(n) = ctx.vm.str_bytes(name_s).iter().position(|&b| b == 0) {
        let cut = ctx.vm.str_bytes(name_s)[..n].to_vec();
        let v = ctx.vm.str_value(&cut)?;
        ctx.set_arg(1, v);
        if let Value::String(s) = v {
            name_s = s;
        }
    }
    let name = ctx.vm.str_bytes(name_s).to_vec();
    let name_v = Value::String(name_s);
    // Keep _LOADED on the stack while Lua code runs.
    ctx.vm.set_stack_top(ctx.base() + 1)?;
    let loaded = Value::Table(crate::loaded_table(ctx.vm)?);
    ctx.push(loaded)?;
    let cur = ctx.vm.index(loaded, name_v)?;
    if cur.is_truthy() {
        if cur == SENTINEL {
            let msg = format!(
                "loop or previous error loading module '{}'",
                String::from_utf8_lossy(&name)
            );
            return Err(ctx.error(msg));
        }
        ctx.push(cur)?;
        return Ok(1);
    }
    let env = env_table(ctx)?;
    let loaders = get_field(ctx, Value::Table(env), b"loaders")?;
    let Value::Table(lt) = loaders else {
        return Err(ctx.error("'package.loaders' must be a table"));
    };
    ctx.push(loaders)?;
    let mut msg: Vec<u8> = Vec::new();
    let mut i = 1;
    let module_fn = loop {
        let loader = ctx.vm.heap.table(lt).map_or(Value::Nil, |t| t.get_int(i));
        if loader.is_nil() {
            let mut m = b"module '".to_vec();
            m.extend_from_slice(&name);
            m.extend_from_slice(b"' not found:");
            m.extend_from_slice(&msg);
            return Err(ctx.error(m));
        }
        let func = ctx.vm.stack_top();
        ctx.push(loader)?;
        ctx.push(name_v)?;
        ctx.vm.call_slot(func, 1)?;
        let r = ctx.vm.stack_get(func);
        match r {
            Value::Function(_) => break r,
            Value::String(s) => {
                msg.extend_from_slice(ctx.vm.str_bytes(s));
                ctx.vm.set_stack_top(func)?;
            }
            Value::Number(n) => {
                msg.extend_from_slice(&ferrous_value::number::fmt_number(n));
                ctx.vm.set_stack_top(func)?;
            }
            _ => ctx.vm.set_stack_top(func)?,
        }
        i += 1;
    };
    // The module function stays in its slot; run it with the name.
    ctx.vm.set_index(loaded, name_v, SENTINEL)?;
    let func = ctx.vm.stack_top();
    ctx.push(module_fn)?;
    ctx.push(name_v)?;
    ctx.vm.call_slot(func, 1)?;
    let r = ctx.vm.stack_get(func);
    if !r.is_nil() {
        ctx.vm.set_index(loaded, name_v, r)?;
    }
    let mut v = ctx.vm.index(loaded, name_v)?;
    if v == SENTINEL {
        v = Value::Boolean(true);
        ctx.vm.set_index(loaded, name_v, v)?;
    }
    ctx.push(v)?;
    Ok(1)
}

// ------------------------------------------------------------ loaders

fn loader_preload(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = ctx.check_bytes(1)?;
    let env = env_table(ctx)?;
    let preload = get_field(ctx, Value::Table(env), b"preload")?;
    if !matches!(preload, Value::Table(_)) {
        return Err(ctx.error("'package.preload' must be a table"));
    }
    ctx.push(preload)?;
    let v = get_field(ctx, preload, &name)?;
    if v.is_nil() {
        let mut m = b"\n\tno field package.preload['".to_vec();
        m.extend_from_slice(c_str(&name));
        m.extend_from_slice(b"']");
        ctx.push_str(&m)?;
    } else {
        ctx.push(v)?;
    }
    Ok(1)
}

fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => &b[..n],
        None => b,
    }
}

/// `readable`: the file can be opened for reading.
fn readable(name: &[u8]) -> bool {
    std::fs::File::open(crate::bytes_to_path(c_str(name))).is_ok()
}

/// `findfile`: the first readable file `path` (package.path or cpath)
/// gives for `name`, or the list of files tried.
fn find_file(ctx: &mut Ctx, name: &[u8], pname: &str) -> LuaResult<Result<Vec<u8>, Vec<u8>>> {
    let name = gsub(name, b".", b"/");
    let env = env_table(ctx)?;
    let path = get_field(ctx, Value::Table(env), pname.as_bytes())?;
    let path: Vec<u8> = match path {
        Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
        Value::Number(n) => ferrous_value::number::fmt_number(n).to_vec(),
        _ => return Err(ctx.error(format!("'package.{pname}' must be a string"))),
    };
    let path = c_str(&path);
    let mut tried = Vec::new();
    for template in path.split(|&c| c == b';').filter(|t| !t.is_empty()) {
        let filename = gsub(template, b"?", &name);
        if readable(&filename) {
            return Ok(Ok(filename));
        }
        tried.extend_from_slice(b"\n\tno file '");
        tried.extend_from_slice(c_str(&filename));
        tried.push(b'\'');
    }
    Ok(Err(tried))
}

/// `loaderror`: "error loading module 'NAME' from file 'FILE':\n\tMSG".
fn load_error(ctx: &mut Ctx, filename: &[u8], msg: &[u8]) -> ferrous_vm::LuaError {
    let name = match ctx.arg(1) {
        Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
        Value::Number(n) => ferrous_value::number::fmt_number(n).to_vec(),
        _ => Vec::new(),
    };
    let mut m = b"error loading module '".to_vec();
    m.extend_from_slice(c_str(&name));
    m.extend_from_slice(b"' from file '");
    m.extend_from_slice(c_str(filename));
    m.extend_from_slice(b"':\n\t");
    m.extend_from_slice(c_str(msg));
    ctx.error(m)
}

fn loader_lua(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = ctx.check_bytes(1)?;
    let filename = match find_file(ctx, &name, "path")? {
        Ok(f) => f,
        Err(tried) => {
            ctx.push_str(&tried)?;
            return Ok(1);
        }
    };
    match crate::base::load_file(ctx.vm, Some(c_str(&filename))) {
        Ok(f) => {
            ctx.push(f)?;
            Ok(1)
        }
        Err(e) if e.kind == ferrous_vm::ErrorKind::Memory => Err(e),
        Err(e) => {
            let msg = match e.value {
                Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
                _ => Vec::new(),
            };
            Err(load_error(ctx, &filename, &msg))
        }
    }
}

/// `ll_loadfunc`: always fails (no dynamic libraries). Returns the error
/// message and where it failed ("open" or "absent"). Files that dlopen
/// would reject before loading anything get dlopen's own message.
fn load_func(path: &[u8]) -> (Vec<u8>, &'static str) {
    let path = c_str(path);
    let open_error = |why: &str| {
        let mut m = path.to_vec();
        m.extend_from_slice(b": ");
        m.extend_from_slice(why.as_bytes());
        (m, "open")
    };
    if !path.contains(&b'/') {
        // dlopen searches the system's library directories for such names.
        return open_error("cannot open shared object file: No such file or directory");
    }
    let p = crate::bytes_to_path(path);
    if p.is_dir() {
        return open_error("cannot read file data: Is a directory");
    }
    let head = match std::fs::File::open(&p) {
        Ok(f) => {
            use std::io::Read;
            let mut buf = Vec::with_capacity(64);
            let _ = f.take(64).read_to_end(&mut buf);
            buf
        }
        Err(e) => {
            let why = format!(
                "cannot open shared object file: {}",
                crate::cfile::sys::error_text(&e)
            );
            return open_error(&why);
        }
    };
    if head.len() < 64 {
        return open_error("file too short");
    }
    if &head[..4] != b"\x7fELF" {
        return open_error("invalid ELF header");
    }
    (DLMSG.as_bytes().to_vec(), "absent")
}

fn loader_c(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = ctx.check_bytes(1)?;
    let filename = match find_file(ctx, &name, "cpath")? {
        Ok(f) => f,
        Err(tried) => {
            ctx.push_str(&tried)?;
            return Ok(1);
        }
    };
    let (msg, _) = load_func(&filename);
    Err(load_error(ctx, &filename, &msg))
}

fn loader_croot(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = ctx.check_bytes(1)?;
    let Some(dot) = name.iter().position(|&c| c == b'.') else {
        return Ok(0);
    };
    let root = name[..dot].to_vec();
    let filename = match find_file(ctx, &root, "cpath")? {
        Ok(f) => f,
        Err(tried) => {
            ctx.push_str(&tried)?;
            return Ok(1);
        }
    };
    let (msg, _) = load_func(&filename);
    Err(load_error(ctx, &filename, &msg))
}

fn loadlib(ctx: &mut Ctx) -> LuaResult<usize> {
    let path = ctx.check_bytes(1)?;
    ctx.check_string(2)?;
    let (msg, what) = load_func(&path);
    ctx.push(Value::Nil)?;
    ctx.push_str(&msg)?;
    ctx.push_str(what.as_bytes())?;
    Ok(3)
}

// ------------------------------------------------------------- module

fn seeall(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let mt = match ctx.vm.metatable_of(Value::Table(t)) {
        Some(mt) => mt,
        None => {
            let mt = ctx.vm.new_table(0, 1)?;
            ctx.vm.set_metatable(Value::Table(t), Some(mt))?;
            mt
        }
    };
    let g = ctx.vm.thread_globals();
    set_field(ctx, Value::Table(mt), b"__index", Value::Table(g))?;
    Ok(0)
}

/// `luaL_findtable(globals, name, 1)`: walks (creating) the tables of a
/// dotted name; `Err` when a part holds something else than a table.
fn find_table(ctx: &mut Ctx, root: TableRef, fname: &[u8]) -> LuaResult<Option<TableRef>> {
    let mut t = root;
    for part in fname.split(|&c| c == b'.') {
        let key = ctx.vm.str_value(part)?;
        let v = ctx.vm.raw_get(t, key);
        let next = match v {
            Value::Nil => {
                let nt = ctx.vm.new_table(0, 1)?;
                // Keep it reachable before a __newindex can run.
                ctx.push(Value::Table(nt))?;
                ctx.vm.set_index(Value::Table(t), key, Value::Table(nt))?;
                nt
            }
            Value::Table(nt) => nt,
            _ => return Ok(None),
        };
        t = next;
    }
    Ok(Some(t))
}

fn module(ctx: &mut Ctx) -> LuaResult<usize> {
    let modname_s = ctx.check_string(1)?;
    let modname = c_str(ctx.vm.str_bytes(modname_s)).to_vec();
    let nargs = ctx.nargs();
    let loaded = Value::Table(crate::loaded_table(ctx.vm)?);
    ctx.push(loaded)?;
    let name_v = Value::String(modname_s);
    let key = ctx.vm.str_value(&modname)?;
    let _ = name_v;
    let cur = ctx.vm.index(loaded, key)?;
    let m = match cur {
        Value::Table(t) => t,
        _ => {
            let g = ctx.vm.thread_globals();
            let Some(t) = find_table(ctx, g, &modname)? else {
                let msg = format!(
                    "name conflict for module '{}'",
                    String::from_utf8_lossy(&modname)
                );
                return Err(ctx.error(msg));
            };
            ctx.vm.set_index(loaded, key, Value::Table(t))?;
            t
        }
    };
    let mv = Value::Table(m);
    ctx.push(mv)?;
    let has_name = get_field(ctx, mv, b"_NAME")?;
    if has_name.is_nil() {
        set_field(ctx, mv, b"_M", mv)?;
        let n = ctx.vm.str_value(&modname)?;
        set_field(ctx, mv, b"_NAME", n)?;
        let dot = modname
            .iter()
            .rposition(|&c| c == b'.')
            .map_or(0, |p| p + 1);
        let p = ctx.vm.str_value(&modname[..dot])?;
        set_field(ctx, mv, b"_PACKAGE", p)?;
    }
    // The calling Lua function gets the module as its environment.
    let caller = match ctx.vm.stack_level(1) {
        Some(Level::Frame(i)) => ctx.vm.frame_function(i).filter(|f| !ctx.vm.is_native(*f)),
        _ => None,
    };
    let Some(caller) = caller else {
        return Err(ctx.error("'module' not called from a Lua function"));
    };
    ctx.vm.set_function_env(caller, m);
    // Options: each is called with the module.
    for i in 2..=nargs {
        let opt = ctx.arg(i);
        let func = ctx.vm.stack_top();
        ctx.push(opt)?;
        ctx.push(mv)?;
        ctx.vm.call_slot(func, 0)?;
        ctx.vm.set_stack_top(func)?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_alone() {
        let mut vm = Vm::new();
        assert!(open(&mut vm).is_ok());
        let src = b"package.preload.m = function(name) return name .. '!' end
            return require('m'), package.loaded.m, package.config";
        let f = vm
            .load(src, b"=t")
            .unwrap_or_else(|_| unreachable!("load failed"));
        let r = vm
            .call(f, &[])
            .unwrap_or_else(|_| unreachable!("call failed"));
        let texts: Vec<Vec<u8>> = r
            .iter()
            .map(|v| match v {
                Value::String(s) => vm.str_bytes(*s).to_vec(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(
            texts,
            vec![b"m!".to_vec(), b"m!".to_vec(), b"/\n;\n?\n!\n-".to_vec()]
        );
    }

    #[test]
    fn path_expansion() {
        assert_eq!(gsub(b"a;;b", b";;", b";\x01;"), b"a;\x01;b".to_vec());
        assert_eq!(gsub(b";;;", b";;", b"X"), b"X;".to_vec());
    }
}
