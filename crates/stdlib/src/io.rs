//! The io library: `io.close/flush/input/lines/open/output/popen/read/
//! tmpfile/type/write`, the standard files, and file handles (userdata
//! with a shared `FILE*` metatable: `close flush lines read seek setvbuf
//! write`, `__gc`, `__tostring`), with Lua 5.1's results and messages.
//!
//! Streams are [`crate::cfile::CFile`]s, a model of glibc's stdio, so
//! buffering, read formats (`*n` is `fscanf("%lf")`) and error results
//! behave as under `lua5.1`. As in Lua 5.1, the io functions share a
//! private environment table holding the default input (`[1]`) and
//! output (`[2]`) files; file methods have the globals as environment
//! (so `f.close()` without a file looks for `_G[2]`, as 5.1 does).
//!
//! Writes to `io.stdout` go through [`crate::output`], the buffer `print`
//! uses. `io.write` and `file:write` return `true` (Lua 5.1's
//! `pushresult`), not the file.

use std::cell::RefCell;
use std::io::SeekFrom;
use std::rc::{Rc, Weak};

use ferrous_value::number;
use ferrous_vm::{Buf, Ctx, LuaResult, Native, NativeFn, TableRef, Value, Vm};

use crate::cfile::{self, BufMode, CFile, CloseKind, Os};

/// Registration order of liolib.c's `iolib` (it decides `pairs(io)`).
const FUNCS: &[(&str, NativeFn)] = &[
    ("close", io_close),
    ("flush", io_flush),
    ("input", io_input),
    ("lines", io_lines),
    ("open", io_open),
    ("output", io_output),
    ("popen", io_popen),
    ("read", io_read),
    ("tmpfile", io_tmpfile),
    ("type", io_type),
    ("write", io_write),
];

/// liolib.c's `flib`: file methods and metamethods, in order.
const METHODS: &[(&str, NativeFn)] = &[
    ("close", io_close),
    ("flush", f_flush),
    ("lines", f_lines),
    ("read", f_read),
    ("seek", f_seek),
    ("setvbuf", f_setvbuf),
    ("write", f_write),
    ("__gc", io_gc),
    ("__tostring", io_tostring),
];

const IO_INPUT: i64 = 1;
const IO_OUTPUT: i64 = 2;

/// `LUAL_BUFFERSIZE` (BUFSIZ): the chunk size of reads.
const BUFFERSIZE: usize = 8192;

/// The userdata payload of a file handle: the stream, and the `FILE*`
/// metatable the handle was made with (checking a handle compares its
/// metatable with it, as `luaL_checkudata` compares with the registry's).
pub struct FileHandle(pub Rc<RefCell<CFile>>, pub TableRef);

/// The streams a state opened, for `fflush(NULL)`: kept in the state (a
/// userdata in the registry), not in a thread-local, so that a state
/// moving to another thread (ferrous-lua's feature `send`) takes its list
/// along and no `Weak` of its streams stays behind.
struct OpenStreams(Vec<Weak<RefCell<CFile>>>);

/// The registry key of the state's [`OpenStreams`].
const STREAMS_KEY: &[u8] = b"ferrous.io.streams";

/// Lists `f` among the state's open streams.
fn register_stream(vm: &mut Vm, f: &Rc<RefCell<CFile>>) -> LuaResult<()> {
    let reg = vm.registry();
    let u = match vm.raw_get_str(reg, STREAMS_KEY)? {
        Value::Userdata(u) => u,
        _ => {
            let u = vm.new_userdata(Box::new(OpenStreams(Vec::new())), 0)?;
            vm.raw_set_str(reg, STREAMS_KEY, Value::Userdata(u))?;
            u
        }
    };
    if let Some(list) = vm
        .heap
        .userdata_mut(u)
        .and_then(|ud| ud.payload_mut().downcast_mut::<OpenStreams>())
    {
        let o = &mut list.0;
        if o.len() > 64 && o.len().is_power_of_two() {
            o.retain(|w| w.strong_count() > 0);
        }
        o.push(Rc::downgrade(f));
    }
    Ok(())
}

/// Flushes every file the state opened and standard output (C's
/// `fflush(NULL)`, what `exit` does). Works whether or not the io library
/// is open.
pub fn flush_all_files(vm: &mut Vm) {
    let reg = vm.registry();
    let files: Vec<Rc<RefCell<CFile>>> = match vm.raw_get_str(reg, STREAMS_KEY) {
        Ok(Value::Userdata(u)) => vm
            .heap
            .userdata_mut(u)
            .and_then(|ud| ud.payload_mut().downcast_mut::<OpenStreams>())
            .map(|list| {
                list.0.retain(|w| w.strong_count() > 0);
                list.0.iter().filter_map(Weak::upgrade).collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    for f in files {
        if let Ok(mut f) = f.try_borrow_mut() {
            let _ = f.flush();
        }
    }
    let _ = crate::output::flush_stdout();
}

/// Opens the `io` library.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    // The FILE* metatable, in the registry, with __index = itself.
    let reg = vm.registry();
    let mt = match vm.raw_get_str(reg, b"FILE*")? {
        Value::Table(t) => t,
        _ => {
            let t = vm.new_table(0, 0)?;
            vm.raw_set_str(reg, b"FILE*", Value::Table(t))?;
            t
        }
    };
    vm.raw_set_str(mt, b"__index", Value::Table(mt))?;
    crate::register_funcs(vm, mt, METHODS)?;
    // The private environment of the io functions.
    let env = new_env(vm, io_fclose)?;
    let io = crate::register_lib(vm, "io", FUNCS)?;
    for (name, _) in FUNCS {
        if let Value::Function(f) = vm.raw_get_str(io, name.as_bytes())? {
            vm.set_function_env(f, env);
        }
    }
    // The standard files.
    let _noclose_env = new_env(vm, io_noclose)?;
    let stdin = CFile::new(
        Os::Stdin(cfile::sys::dup_stdin()),
        true,
        false,
        false,
        CloseKind::Std,
    );
    let stdout = CFile::new(Os::Stdout, false, true, false, CloseKind::Std);
    let stderr = CFile::new(Os::Stderr, false, true, false, CloseKind::Std);
    for (file, k, name) in [
        (stdin, IO_INPUT, "stdin"),
        (stdout, IO_OUTPUT, "stdout"),
        (stderr, 0, "stderr"),
    ] {
        let v = new_file_value(vm, mt, file)?;
        if k > 0 {
            vm.raw_set_int(env, k, v)?;
        }
        vm.raw_set_str(io, name.as_bytes(), v)?;
    }
    // popen has an environment of its own (its files close with pclose).
    let penv = new_env(vm, io_pclose)?;
    if let Value::Function(f) = vm.raw_get_str(io, b"popen")? {
        vm.set_function_env(f, penv);
    }
    Ok(())
}

/// `newfenv`: a table `{__close = f}`.
fn new_env(vm: &mut Vm, f: NativeFn) -> LuaResult<TableRef> {
    let t = vm.new_table(0, 1)?;
    let fv = vm.native_closure(Native::Fn(f), Vec::new())?;
    vm.raw_set_str(t, b"__close", fv)?;
    Ok(t)
}

fn new_file_value(vm: &mut Vm, mt: TableRef, f: Rc<RefCell<CFile>>) -> LuaResult<Value> {
    register_stream(vm, &f)?;
    let u = vm.new_userdata(Box::new(FileHandle(f, mt)), std::mem::size_of::<usize>())?;
    vm.set_metatable(Value::Userdata(u), Some(mt))?;
    Ok(Value::Userdata(u))
}

fn file_mt(vm: &mut Vm) -> LuaResult<Option<TableRef>> {
    let reg = vm.registry();
    Ok(match vm.raw_get_str(reg, b"FILE*")? {
        Value::Table(t) => Some(t),
        _ => None,
    })
}

/// The stream of a file handle value, if it is one.
fn handle_of(vm: &mut Vm, v: Value) -> LuaResult<Option<Rc<RefCell<CFile>>>> {
    let Value::Userdata(u) = v else {
        return Ok(None);
    };
    let Some(ud) = vm.heap.userdata(u) else {
        return Ok(None);
    };
    Ok(match ud.payload().downcast_ref::<FileHandle>() {
        Some(h) if ud.metatable() == Some(h.1) => Some(h.0.clone()),
        _ => None,
    })
}

/// A new file handle for `f`, pushed.
fn push_new_file(ctx: &mut Ctx, f: Rc<RefCell<CFile>>) -> LuaResult<Value> {
    let Some(mt) = file_mt(ctx.vm)? else {
        return Err(ctx.error("io library not initialised"));
    };
    let v = new_file_value(ctx.vm, mt, f)?;
    ctx.push(v)?;
    Ok(v)
}

/// `tofilep`: argument `i` must be a file handle (open or closed).
fn to_filep(ctx: &mut Ctx, i: usize) -> LuaResult<Rc<RefCell<CFile>>> {
    let v = ctx.arg(i);
    match handle_of(ctx.vm, v)? {
        Some(f) => Ok(f),
        None => Err(ctx.type_error(i, "FILE*")),
    }
}

/// `tofile`: argument 1 must be an open file handle.
fn to_file(ctx: &mut Ctx) -> LuaResult<Rc<RefCell<CFile>>> {
    let f = to_filep(ctx, 1)?;
    if f.borrow().is_closed() {
        return Err(ctx.error("attempt to use a closed file"));
    }
    Ok(f)
}

/// The io functions' environment table.
fn io_env(ctx: &mut Ctx) -> LuaResult<TableRef> {
    let f = ctx.function();
    match ctx.vm.function_env(f) {
        Some(t) => Ok(t),
        None => Err(ctx.error("io library not initialised")),
    }
}

/// `getiofile`: the default input or output file, which must be open.
fn get_io_file(ctx: &mut Ctx, k: i64) -> LuaResult<Rc<RefCell<CFile>>> {
    let env = io_env(ctx)?;
    let v = ctx.vm.heap.table(env).map_or(Value::Nil, |t| t.get_int(k));
    let f = handle_of(ctx.vm, v)?;
    match f {
        Some(f) if !f.borrow().is_closed() => Ok(f),
        _ => {
            let which = if k == IO_INPUT { "input" } else { "output" };
            Err(ctx.error(format!("standard {which} file is closed")))
        }
    }
}

/// Lua 5.1's `pushresult`: true, or nil, "[NAME: ]strerror", errno.
fn push_result(ctx: &mut Ctx, r: std::io::Result<()>, name: Option<&[u8]>) -> LuaResult<usize> {
    match r {
        Ok(()) => {
            ctx.push(Value::Boolean(true))?;
            Ok(1)
        }
        Err(e) => crate::os::push_error(ctx, &e, name),
    }
}

fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => &b[..n],
        None => b,
    }
}

// ----------------------------------------------------------- opening

/// glibc's `fopen`: the mode string decides access and creation.
fn fopen(name: &[u8], mode: &[u8]) -> std::io::Result<Rc<RefCell<CFile>>> {
    let mode = c_str(mode);
    let (mut read, mut write, append, create, trunc) = match mode.first() {
        Some(b'r') => (true, false, false, false, false),
        Some(b'w') => (false, true, false, true, true),
        Some(b'a') => (false, true, true, true, false),
        _ => return Err(cfile::os_err(cfile::EINVAL)),
    };
    let mut excl = false;
    for &c in mode.iter().skip(1).take(6) {
        match c {
            b'+' => {
                read = true;
                write = true;
            }
            b'x' => excl = true,
            _ => {}
        }
    }
    let mut o = std::fs::OpenOptions::new();
    o.read(read).write(write && !append).append(append);
    if create {
        if excl {
            o.create_new(true);
        } else {
            o.create(true);
        }
    }
    o.truncate(trunc);
    let file = o.open(crate::bytes_to_path(c_str(name)))?;
    let mut file = file;
    if append && !read {
        // glibc puts a write-only append stream at the end at once.
        use std::io::Seek;
        let _ = file.seek(SeekFrom::End(0));
    }
    Ok(CFile::new(
        Os::File(file),
        read,
        write,
        append,
        CloseKind::File,
    ))
}

fn io_open(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = ctx.check_bytes(1)?;
    let mode = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.str_bytes(s).to_vec(),
        None => b"r".to_vec(),
    };
    match fopen(&name, &mode) {
        Ok(f) => {
            push_new_file(ctx, f)?;
            Ok(1)
        }
        Err(e) => push_result(ctx, Err(e), Some(&name)),
    }
}

fn io_tmpfile(ctx: &mut Ctx) -> LuaResult<usize> {
    match crate::os::make_temp_file() {
        Some((name, file)) => {
            let _ = std::fs::remove_file(crate::bytes_to_path(&name));
            let f = CFile::new(Os::File(file), true, true, false, CloseKind::File);
            push_new_file(ctx, f)?;
            Ok(1)
        }
        None => push_result(ctx, Err(cfile::os_err(28)), None),
    }
}

fn io_popen(ctx: &mut Ctx) -> LuaResult<usize> {
    let cmd = ctx.check_bytes(1)?;
    let mode = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.str_bytes(s).to_vec(),
        None => b"r".to_vec(),
    };
    // lua_popen flushes every stream first.
    flush_all_files(ctx.vm);
    let (mut r, mut w) = (false, false);
    let mut valid = true;
    for &c in c_str(&mode) {
        match c {
            b'r' => r = true,
            b'w' => w = true,
            b'e' => {}
            _ => valid = false,
        }
    }
    if !valid || r == w {
        return push_result(ctx, Err(cfile::os_err(cfile::EINVAL)), Some(&cmd));
    }
    use std::process::Stdio;
    let mut c = match cfile::sys::shell(c_str(&cmd)) {
        Ok(c) => c,
        Err(e) => return push_result(ctx, Err(e), Some(&cmd)),
    };
    if r {
        c.stdout(Stdio::piped());
    } else {
        c.stdin(Stdio::piped());
    }
    let mut child = match c.spawn() {
        Ok(ch) => ch,
        Err(e) => return push_result(ctx, Err(e), Some(&cmd)),
    };
    let os = if r {
        match child.stdout.take() {
            Some(p) => Os::PipeRead(p),
            None => return push_result(ctx, Err(cfile::os_err(cfile::EBADF)), Some(&cmd)),
        }
    } else {
        match child.stdin.take() {
            Some(p) => Os::PipeWrite(p),
            None => return push_result(ctx, Err(cfile::os_err(cfile::EBADF)), Some(&cmd)),
        }
    };
    let f = CFile::new(os, r, w, false, CloseKind::Pipe);
    f.borrow_mut().set_child(child);
    push_new_file(ctx, f)?;
    Ok(1)
}

// ----------------------------------------------------------- closing

/// `aux_close`: closes by the file's kind; pushes the results.
fn aux_close(ctx: &mut Ctx, f: &Rc<RefCell<CFile>>) -> LuaResult<usize> {
    let kind = f.borrow().close_kind;
    match kind {
        CloseKind::Std => {
            ctx.push(Value::Nil)?;
            ctx.push_str(b"cannot close standard file")?;
            Ok(2)
        }
        CloseKind::File | CloseKind::Pipe => {
            let r = f.borrow_mut().close();
            push_result(ctx, r, None)
        }
    }
}

fn io_close(ctx: &mut Ctx) -> LuaResult<usize> {
    if ctx.nargs() == 0 {
        let env = io_env(ctx)?;
        let v = ctx
            .vm
            .heap
            .table(env)
            .map_or(Value::Nil, |t| t.get_int(IO_OUTPUT));
        let func = ctx.vm.stack_top();
        ctx.push(v)?;
        // The default output becomes argument 1, as lua_rawgeti makes it.
        let _ = func;
        return close_value(ctx, v);
    }
    let f = to_file(ctx)?;
    aux_close(ctx, &f)
}

/// `io.close()` on the default output value `v` (checked like `tofile`).
fn close_value(ctx: &mut Ctx, v: Value) -> LuaResult<usize> {
    match handle_of(ctx.vm, v)? {
        Some(f) => {
            if f.borrow().is_closed() {
                return Err(ctx.error("attempt to use a closed file"));
            }
            aux_close(ctx, &f)
        }
        None => {
            let msg = format!("FILE* expected, got {}", v.type_name());
            Err(ctx.arg_error(1, &msg))
        }
    }
}

/// The `__close` of files with a normal close (never called by the
/// library itself: files know their kind).
fn io_fclose(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_filep(ctx, 1)?;
    let r = f.borrow_mut().close();
    push_result(ctx, r, None)
}

fn io_pclose(ctx: &mut Ctx) -> LuaResult<usize> {
    io_fclose(ctx)
}

fn io_noclose(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.push(Value::Nil)?;
    ctx.push_str(b"cannot close standard file")?;
    Ok(2)
}

fn io_gc(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_filep(ctx, 1)?;
    let (closed, kind) = {
        let b = f.borrow();
        (b.is_closed(), b.close_kind)
    };
    if !closed && kind != CloseKind::Std {
        let _ = f.borrow_mut().close();
    }
    Ok(0)
}

fn io_tostring(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_filep(ctx, 1)?;
    let s = if f.borrow().is_closed() {
        "file (closed)".to_string()
    } else {
        format!("file (0x{:x})", CFile::id(&f))
    };
    ctx.push_str(s.as_bytes())?;
    Ok(1)
}

fn io_type(ctx: &mut Ctx) -> LuaResult<usize> {
    let v = ctx.check_any(1)?;
    match handle_of(ctx.vm, v)? {
        None => ctx.push(Value::Nil)?,
        Some(f) => {
            let s: &[u8] = if f.borrow().is_closed() {
                b"closed file"
            } else {
                b"file"
            };
            ctx.push_str(s)?;
        }
    }
    Ok(1)
}

// ---------------------------------------------------- default files

/// `g_iofile`: sets the default input/output from a name or a file,
/// and returns the current one.
fn g_iofile(ctx: &mut Ctx, k: i64, mode: &[u8]) -> LuaResult<usize> {
    let env = io_env(ctx)?;
    if !ctx.arg(1).is_nil() {
        let a = ctx.arg(1);
        let name = match a {
            Value::String(s) => Some(ctx.vm.str_bytes(s).to_vec()),
            Value::Number(n) => Some(number::fmt_number(n).to_vec()),
            _ => None,
        };
        let v = match name {
            Some(name) => match fopen(&name, mode) {
                Ok(f) => push_new_file(ctx, f)?,
                Err(e) => {
                    let mut msg = c_str(&name).to_vec();
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(cfile::sys::error_text(&e).as_bytes());
                    return Err(ctx.arg_error(1, &String::from_utf8_lossy(&msg)));
                }
            },
            None => {
                to_file(ctx)?;
                a
            }
        };
        ctx.vm.raw_set_int(env, k, v)?;
    }
    let cur = ctx.vm.heap.table(env).map_or(Value::Nil, |t| t.get_int(k));
    ctx.push(cur)?;
    Ok(1)
}

fn io_input(ctx: &mut Ctx) -> LuaResult<usize> {
    g_iofile(ctx, IO_INPUT, b"r")
}

fn io_output(ctx: &mut Ctx) -> LuaResult<usize> {
    g_iofile(ctx, IO_OUTPUT, b"w")
}

fn io_flush(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = get_io_file(ctx, IO_OUTPUT)?;
    let r = f.borrow_mut().flush();
    push_result(ctx, r, None)
}

fn f_flush(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_file(ctx)?;
    let r = f.borrow_mut().flush();
    push_result(ctx, r, None)
}

// ------------------------------------------------------------ lines

fn aux_lines(ctx: &mut Ctx, file: Value, toclose: bool) -> LuaResult<usize> {
    let f = ctx
        .vm
        .native_closure(Native::Fn(io_readline), vec![file, Value::Boolean(toclose)])?;
    ctx.push(f)?;
    Ok(1)
}

fn f_lines(ctx: &mut Ctx) -> LuaResult<usize> {
    to_file(ctx)?;
    let v = ctx.arg(1);
    aux_lines(ctx, v, false)
}

fn io_lines(ctx: &mut Ctx) -> LuaResult<usize> {
    if ctx.arg(1).is_nil() {
        let env = io_env(ctx)?;
        let v = ctx
            .vm
            .heap
            .table(env)
            .map_or(Value::Nil, |t| t.get_int(IO_INPUT));
        if ctx.nargs() > 0 {
            // io.lines(nil): the default input lands above the nil, and
            // argument 1 (the nil) is what gets checked.
            return Err(ctx.type_error(1, "FILE*"));
        }
        match handle_of(ctx.vm, v)? {
            Some(f) if !f.borrow().is_closed() => {}
            Some(_) => return Err(ctx.error("attempt to use a closed file")),
            None => {
                let msg = format!("FILE* expected, got {}", v.type_name());
                return Err(ctx.arg_error(1, &msg));
            }
        }
        return aux_lines(ctx, v, false);
    }
    let name = ctx.check_bytes(1)?;
    match fopen(&name, b"r") {
        Ok(f) => {
            let v = push_new_file(ctx, f)?;
            aux_lines(ctx, v, true)
        }
        Err(e) => {
            let mut msg = c_str(&name).to_vec();
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(cfile::sys::error_text(&e).as_bytes());
            Err(ctx.arg_error(1, &String::from_utf8_lossy(&msg)))
        }
    }
}

fn io_readline(ctx: &mut Ctx) -> LuaResult<usize> {
    let file = ctx.upvalue(0);
    let f = match handle_of(ctx.vm, file)? {
        Some(f) if !f.borrow().is_closed() => f,
        _ => return Err(ctx.error("file is already closed")),
    };
    let (line, ok) = line_buf(ctx.vm, &f)?;
    if let Some(code) = f.borrow().error() {
        let e = cfile::os_err(code);
        return Err(ctx.error(cfile::sys::error_text(&e)));
    }
    if ok {
        crate::string::push_buf(ctx, line)?;
        return Ok(1);
    }
    if ctx.upvalue(1).is_truthy() {
        let _ = f.borrow_mut().close();
    }
    Ok(0)
}

// ------------------------------------------------------------ reading

/// `read_line`: a line without its newline (fgets in BUFSIZ chunks, each
/// seen up to its first NUL as C's strlen sees it), handed to `put` piece
/// by piece; false at end of file with nothing read.
fn read_line(f: &mut CFile, put: &mut dyn FnMut(&[u8]) -> LuaResult<()>) -> LuaResult<bool> {
    let mut chunk = Vec::with_capacity(128);
    let mut got = false;
    loop {
        chunk.clear();
        if !f.gets(&mut chunk, BUFFERSIZE - 1) {
            return Ok(got);
        }
        let l = chunk.iter().position(|&c| c == 0).unwrap_or(chunk.len());
        if l == 0 || chunk[l - 1] != b'\n' {
            got |= l > 0;
            put(&chunk[..l])?;
        } else {
            put(&chunk[..l - 1])?;
            return Ok(true);
        }
    }
}

/// `read_chars`: up to `n` bytes, handed to `put` piece by piece; false if
/// none could be read (and `n` was not 0).
fn read_chars(
    f: &mut CFile,
    mut n: usize,
    put: &mut dyn FnMut(&[u8]) -> LuaResult<()>,
) -> LuaResult<bool> {
    let mut piece = Vec::with_capacity(BUFFERSIZE);
    let mut got = false;
    let mut rlen = BUFFERSIZE;
    loop {
        if rlen > n {
            rlen = n;
        }
        piece.clear();
        let nr = f.read(&mut piece, rlen);
        got |= nr > 0;
        put(&piece)?;
        n -= nr;
        if !(n > 0 && nr == rlen) {
            break;
        }
    }
    Ok(n == 0 || got)
}

/// Appends what a read returned to the result, fallibly and charged to
/// the memory limit ("not enough memory" past it); each piece is work
/// the budget sees, so reading an endless stream reaches time limits.
fn put_read(vm: &mut Vm, out: &mut Buf, b: &[u8]) -> LuaResult<()> {
    if let Err(e) = crate::string::put(vm, out, b) {
        return Err(crate::string::oom(vm, e));
    }
    vm.charge(1)
}

/// Reads a line (`*l`) into a charged buffer.
fn line_buf(vm: &mut Vm, f: &Rc<RefCell<CFile>>) -> LuaResult<(Buf, bool)> {
    let mut out = vm.heap.buf();
    let ok = read_line(&mut f.borrow_mut(), &mut |b| put_read(vm, &mut out, b))?;
    Ok((out, ok))
}

/// Reads up to `n` bytes into a charged buffer.
fn chars_buf(vm: &mut Vm, f: &Rc<RefCell<CFile>>, n: usize) -> LuaResult<(Buf, bool)> {
    let mut out = vm.heap.buf();
    let ok = read_chars(&mut f.borrow_mut(), n, &mut |b| put_read(vm, &mut out, b))?;
    Ok((out, ok))
}

/// `test_eof`: true unless at end of file.
fn test_eof(f: &mut CFile) -> bool {
    match f.getc() {
        Some(c) => {
            f.ungetc(c);
            true
        }
        None => false,
    }
}

/// `fscanf(f, "%lf")` as glibc reads it: skips white space, takes the
/// longest run of characters that can continue a number (decimal or
/// hexadecimal, `inf`, `infinity`, `nan`), pushes back the one character
/// that stopped it, and converts with strtod.
pub fn scan_number(f: &mut CFile) -> Option<f64> {
    // glibc's scanf refuses a write-only stream without setting its error
    // flag.
    if !f.is_readable() {
        return None;
    }
    let mut c = loop {
        let c = f.getc()?;
        if !number::is_c_space(c) {
            break c;
        }
    };
    let mut text: Vec<u8> = Vec::new();
    if c == b'+' || c == b'-' {
        text.push(c);
        c = f.getc()?;
    }
    let sign_len = text.len();
    // Words: each letter must match (a mismatch is consumed).
    let expect = |f: &mut CFile, word: &[u8], text: &mut Vec<u8>| -> Option<()> {
        for &w in word {
            let c = f.getc()?;
            if !c.eq_ignore_ascii_case(&w) {
                return None;
            }
            text.push(c);
        }
        Some(())
    };
    if c.eq_ignore_ascii_case(&b'n') {
        text.push(c);
        expect(f, b"an", &mut text)?;
        return number::strtod(&text).map(|(v, _)| v);
    }
    if c.eq_ignore_ascii_case(&b'i') {
        text.push(c);
        expect(f, b"nf", &mut text)?;
        match f.getc() {
            Some(n) if n.eq_ignore_ascii_case(&b'i') => {
                text.push(n);
                expect(f, b"nity", &mut text)?;
            }
            Some(n) => f.ungetc(n),
            None => {}
        }
        return number::strtod(&text).map(|(v, _)| v);
    }
    let mut hex = false;
    let mut got_digit = false;
    let mut got_dot = false;
    let mut got_e = false;
    let mut cur = Some(c);
    if c == b'0' {
        text.push(c);
        got_digit = true;
        cur = f.getc();
        if let Some(x) = cur.filter(|x| x.eq_ignore_ascii_case(&b'x')) {
            text.push(x);
            hex = true;
            got_digit = false;
            cur = f.getc();
        }
    }
    while let Some(ch) = cur {
        let is_digit = if hex {
            ch.is_ascii_hexdigit()
        } else {
            ch.is_ascii_digit()
        };
        let is_exp = if hex {
            ch.eq_ignore_ascii_case(&b'p')
        } else {
            ch.eq_ignore_ascii_case(&b'e')
        };
        if is_digit {
            text.push(ch);
            got_digit = true;
        } else if ch == b'.' && !got_dot && !got_e {
            text.push(ch);
            got_dot = true;
        } else if is_exp && got_digit && !got_e {
            text.push(ch);
            got_e = true;
            cur = f.getc();
            if let Some(s) = cur.filter(|s| *s == b'+' || *s == b'-') {
                text.push(s);
                cur = f.getc();
            }
            continue;
        } else {
            f.ungetc(ch);
            break;
        }
        cur = f.getc();
    }
    let body = &text[sign_len..];
    if body.is_empty() || (hex && body.len() == 2) {
        return None;
    }
    match number::strtod(&text) {
        Some((v, used)) if used > 0 => Some(v),
        _ => None,
    }
}

/// `g_read`: reads with the formats in arguments `first..`; returns the
/// number of results pushed.
fn g_read(ctx: &mut Ctx, file: &Rc<RefCell<CFile>>, first: usize) -> LuaResult<usize> {
    let nargs = ctx.nargs().saturating_sub(first - 1);
    file.borrow_mut().clear_err();
    let mut pushed = 0;
    let mut success = true;
    if nargs == 0 {
        let (line, ok) = line_buf(ctx.vm, file)?;
        crate::string::push_buf(ctx, line)?;
        pushed = 1;
        success = ok;
    } else {
        let mut n = first;
        while n < first + nargs && success {
            let a = ctx.arg(n);
            if let Value::Number(x) = a {
                let l = ferrous_vm::num_to_integer(x) as u64 as usize;
                if l == 0 {
                    success = test_eof(&mut file.borrow_mut());
                    ctx.push_str(b"")?;
                } else {
                    let (s, ok) = chars_buf(ctx.vm, file, l)?;
                    success = ok;
                    crate::string::push_buf(ctx, s)?;
                }
            } else {
                let p = match a {
                    Value::String(s) => Some(ctx.vm.str_bytes(s).to_vec()),
                    _ => None,
                };
                let p = match p {
                    Some(p) if p.first() == Some(&b'*') => p,
                    _ => return Err(ctx.arg_error(n, "invalid option")),
                };
                match p.get(1) {
                    Some(b'n') => {
                        let r = scan_number(&mut file.borrow_mut());
                        match r {
                            Some(v) => ctx.push(Value::Number(v))?,
                            None => {
                                success = false;
                                ctx.push(Value::Nil)?;
                            }
                        }
                    }
                    Some(b'l') => {
                        let (s, ok) = line_buf(ctx.vm, file)?;
                        success = ok;
                        crate::string::push_buf(ctx, s)?;
                    }
                    Some(b'a') => {
                        let (s, _) = chars_buf(ctx.vm, file, usize::MAX)?;
                        success = true;
                        crate::string::push_buf(ctx, s)?;
                    }
                    _ => return Err(ctx.arg_error(n, "invalid format")),
                }
            }
            pushed += 1;
            n += 1;
        }
    }
    let err = file.borrow().error();
    if let Some(code) = err {
        return push_result(ctx, Err(cfile::os_err(code)), None);
    }
    if !success {
        let top = ctx.vm.stack_top();
        ctx.vm.stack_set(top - 1, Value::Nil);
    }
    Ok(pushed)
}

fn io_read(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = get_io_file(ctx, IO_INPUT)?;
    g_read(ctx, &f, 1)
}

fn f_read(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_file(ctx)?;
    g_read(ctx, &f, 2)
}

// ------------------------------------------------------------ writing

/// `g_write`: writes arguments `first..`; true, or nil/message/errno.
fn g_write(ctx: &mut Ctx, file: &Rc<RefCell<CFile>>, first: usize) -> LuaResult<usize> {
    let mut status: std::io::Result<()> = Ok(());
    for i in first..=ctx.nargs() {
        let a = ctx.arg(i);
        let bytes = match a {
            Value::Number(n) => number::fmt_number(n).to_vec(),
            _ => ctx.check_bytes(i)?,
        };
        if status.is_ok() {
            status = file.borrow_mut().write(&bytes);
        }
    }
    push_result(ctx, status, None)
}

fn io_write(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = get_io_file(ctx, IO_OUTPUT)?;
    g_write(ctx, &f, 1)
}

fn f_write(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_file(ctx)?;
    g_write(ctx, &f, 2)
}

// --------------------------------------------------- seek, setvbuf

/// `luaL_checkoption`.
fn check_option(ctx: &mut Ctx, i: usize, def: Option<&str>, names: &[&str]) -> LuaResult<usize> {
    let name = match (ctx.arg(i), def) {
        (Value::Nil, Some(d)) => d.as_bytes().to_vec(),
        _ => ctx.check_bytes(i)?,
    };
    match names.iter().position(|n| n.as_bytes() == name.as_slice()) {
        Some(k) => Ok(k),
        None => {
            let msg = format!("invalid option '{}'", String::from_utf8_lossy(c_str(&name)));
            Err(ctx.arg_error(i, &msg))
        }
    }
}

fn f_seek(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_file(ctx)?;
    let op = check_option(ctx, 2, Some("cur"), &["set", "cur", "end"])?;
    let offset = ctx.opt_integer(3, 0)?;
    let whence = match op {
        0 => SeekFrom::Start(offset as u64),
        1 => SeekFrom::Current(offset),
        _ => SeekFrom::End(offset),
    };
    let r = f.borrow_mut().seek(whence);
    match r {
        Ok(p) => {
            ctx.push(Value::Number(p as f64))?;
            Ok(1)
        }
        Err(e) => push_result(ctx, Err(e), None),
    }
}

fn f_setvbuf(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = to_file(ctx)?;
    let op = check_option(ctx, 2, None, &["no", "full", "line"])?;
    ctx.opt_integer(3, BUFFERSIZE as i64)?;
    let mode = [BufMode::None, BufMode::Full, BufMode::Line][op];
    let r = f.borrow_mut().setvbuf(mode);
    push_result(ctx, r, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(content: &[u8]) -> Rc<RefCell<CFile>> {
        let Some((name, mut file)) = crate::os::make_temp_file() else {
            unreachable!("no temporary file")
        };
        let _ = std::fs::remove_file(crate::bytes_to_path(&name));
        use std::io::{Seek, Write};
        let _ = file.write_all(content);
        let _ = file.seek(SeekFrom::Start(0));
        CFile::new(Os::File(file), true, true, false, CloseKind::File)
    }

    fn scan(s: &str) -> (Option<f64>, Vec<u8>) {
        let f = file_with(s.as_bytes());
        let v = scan_number(&mut f.borrow_mut());
        let mut rest = Vec::new();
        let _ = read_chars(&mut f.borrow_mut(), usize::MAX, &mut |b| {
            rest.extend_from_slice(b);
            Ok(())
        });
        (v, rest)
    }

    #[test]
    fn scanf_like_glibc() {
        // Expected values observed with lua5.1's io.read("*n").
        assert_eq!(scan("1e"), (Some(1.0), b"".to_vec()));
        assert_eq!(scan("1ex"), (Some(1.0), b"x".to_vec()));
        assert_eq!(scan("0xg"), (None, b"g".to_vec()));
        assert_eq!(scan("inx"), (None, b"".to_vec()));
        assert_eq!(scan("infx"), (Some(f64::INFINITY), b"x".to_vec()));
        assert_eq!(scan("0x.p1"), (Some(0.0), b"p1".to_vec()));
        assert_eq!(scan("1e+-5"), (Some(1.0), b"-5".to_vec()));
        assert_eq!(scan("+-1"), (None, b"-1".to_vec()));
        assert_eq!(scan("-0xz"), (None, b"z".to_vec()));
        assert_eq!(scan("  +.5"), (Some(0.5), b"".to_vec()));
    }

    #[test]
    fn opens_alone() {
        let mut vm = Vm::new();
        assert!(open(&mut vm).is_ok());
        let src = b"local f = io.tmpfile() f:write('x', 1.5) f:seek('set')
            return f:read('*a'), io.type(f), io.type(io.stdout)";
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
            vec![b"x1.5".to_vec(), b"file".to_vec(), b"file".to_vec()]
        );
    }

    #[test]
    fn write_after_read_lands_at_logical_position() {
        let f = file_with(b"hello\n123\n");
        assert_eq!(f.borrow_mut().getc(), Some(b'h'));
        assert!(f.borrow_mut().write(b"X").is_ok());
        let p = f.borrow_mut().seek(SeekFrom::Start(0));
        assert!(matches!(p, Ok(0)));
        let mut all = Vec::new();
        let _ = read_chars(&mut f.borrow_mut(), usize::MAX, &mut |b| {
            all.extend_from_slice(b);
            Ok(())
        });
        assert_eq!(all, b"hXllo\n123\n");
    }
}
