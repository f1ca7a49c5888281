//! `ferrous-lua`: the stand-alone interpreter, compatible with `lua5.1`'s
//! command line: `ferrous-lua [options] [script [args]]`.

use std::process::ExitCode;

use ferrous_vm::{Ctx, ErrorKind, LuaError, LuaResult, Native, Value, Vm};

const PROGNAME: &str = "ferrous-lua";

fn usage() {
    eprint!(
        "usage: {PROGNAME} [options] [script [args]].\n\
         Available options are:\n  \
         -e stat  execute string 'stat'\n  \
         -l name  require library 'name'\n  \
         -i       enter interactive mode after executing 'script'\n  \
         -v       show version information\n  \
         --       stop handling options\n  \
         -        execute stdin and stop handling options\n"
    );
}

fn print_version() {
    eprintln!(
        "Ferrous Lua {} (Lua 5.1 compatible)  Copyright (C) the Ferrous Lua developers",
        env!("CARGO_PKG_VERSION")
    );
}

/// Parsed command line (lua.c's collectargs).
struct Args {
    argv: Vec<Vec<u8>>,
    /// Index of the script in argv (0: none).
    script: usize,
    interactive: bool,
    version: bool,
    execute: bool,
}

fn collect_args(argv: Vec<Vec<u8>>) -> Option<Args> {
    let mut a = Args {
        script: 0,
        interactive: false,
        version: false,
        execute: false,
        argv,
    };
    let mut i = 1;
    while i < a.argv.len() {
        let arg = &a.argv[i];
        if arg.first() != Some(&b'-') {
            a.script = i;
            return Some(a);
        }
        match arg.get(1) {
            Some(b'-') => {
                if arg.len() > 2 {
                    return None;
                }
                a.script = if i + 1 < a.argv.len() { i + 1 } else { 0 };
                return Some(a);
            }
            None => {
                a.script = i;
                return Some(a);
            }
            Some(b'i') | Some(b'v') => {
                if arg.len() > 2 {
                    return None;
                }
                if arg[1] == b'i' {
                    a.interactive = true;
                }
                a.version = true;
            }
            Some(b'e') | Some(b'l') => {
                if arg[1] == b'e' {
                    a.execute = true;
                }
                if arg.len() == 2 {
                    i += 1;
                    if i >= a.argv.len() {
                        return None;
                    }
                }
            }
            _ => return None,
        }
        i += 1;
    }
    Some(a)
}

/// The message handler lua.c installs: adds a traceback to string errors.
fn traceback_handler(ctx: &mut Ctx) -> LuaResult<usize> {
    let msg = ctx.arg(1);
    let text = match msg {
        Value::String(s) => ctx.vm.str_bytes(s).to_vec(),
        Value::Number(n) => ferrous_value::number::fmt_number(n).to_vec(),
        other => {
            ctx.push(other)?;
            return Ok(1);
        }
    };
    let tb = ctx.vm.traceback(Some(&text), 1);
    ctx.push_str(&tb)?;
    Ok(1)
}

/// Prints an error as lua.c's `report` does.
fn report(vm: &mut Vm, e: &LuaError) {
    let msg: Vec<u8> = match e.kind {
        ErrorKind::Memory => b"not enough memory".to_vec(),
        _ => match e.value {
            Value::String(s) => vm.str_bytes(s).to_vec(),
            Value::Number(n) => ferrous_value::number::fmt_number(n).to_vec(),
            Value::Nil if e.kind == ErrorKind::Runtime => return,
            _ => b"(error object is not a string)".to_vec(),
        },
    };
    let _ = ferrous_stdlib::output::flush_stdout();
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(PROGNAME.as_bytes());
    let _ = err.write_all(b": ");
    let _ = err.write_all(&msg);
    let _ = err.write_all(b"\n");
    let _ = err.flush();
}

/// lua.c's docall: calls `f` with `args` under the traceback handler.
fn docall(vm: &mut Vm, f: Value, args: &[Value]) -> Result<(), LuaError> {
    let handler = vm.native(traceback_handler)?;
    match vm.pcall(f, args, Some(handler)) {
        Ok(_) => Ok(()),
        Err(e) => {
            // lua.c collects with the message on its stack: keep it alive.
            let pin = vm.heap.pin(e.value);
            let _ = vm.full_gc();
            vm.heap.unpin(pin);
            Err(e)
        }
    }
}

fn dostring(vm: &mut Vm, src: &[u8], name: &[u8]) -> Result<(), LuaError> {
    let f = vm.load(src, name)?;
    docall(vm, f, &[])
}

fn dolibrary(vm: &mut Vm, name: &[u8]) -> Result<(), LuaError> {
    let require = vm.get_global(b"require")?;
    let n = vm.str_value(name)?;
    docall(vm, require, &[n])
}

fn handle_luainit(vm: &mut Vm) -> Result<(), LuaError> {
    let Some(init) = std::env::var_os("LUA_INIT") else {
        return Ok(());
    };
    let init = os_bytes(&init);
    if let Some(path) = init.strip_prefix(b"@") {
        let f = ferrous_stdlib::base::load_file(vm, Some(path))?;
        docall(vm, f, &[])
    } else {
        dostring(vm, &init, b"=LUA_INIT")
    }
}

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// Runs the `-e` and `-l` options before the script (lua.c's runargs).
fn run_args(vm: &mut Vm, a: &Args, upto: usize) -> Result<(), LuaError> {
    let mut i = 1;
    while i < upto {
        let arg = a.argv[i].clone();
        match arg.get(1) {
            Some(b'e') | Some(b'l') => {
                let operand = if arg.len() > 2 {
                    arg[2..].to_vec()
                } else {
                    i += 1;
                    a.argv.get(i).cloned().unwrap_or_default()
                };
                if arg[1] == b'e' {
                    dostring(vm, &operand, b"=(command line)")?;
                } else {
                    dolibrary(vm, &operand)?;
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn handle_script(vm: &mut Vm, a: &Args) -> Result<(), LuaError> {
    let n = a.script;
    let argc = a.argv.len();
    let narg = argc - (n + 1);
    let mut script_args = Vec::with_capacity(narg);
    for v in &a.argv[n + 1..] {
        script_args.push(vm.str_value(v)?);
    }
    let t = vm.new_table(narg, n + 1)?;
    for (i, v) in a.argv.iter().enumerate() {
        let s = vm.str_value(v)?;
        vm.raw_set_int(t, i as i64 - n as i64, s)?;
    }
    vm.set_global(b"arg", Value::Table(t))?;
    let fname = &a.argv[n];
    let stdin = fname.as_slice() == b"-" && a.argv[n - 1].as_slice() != b"--";
    let f = ferrous_stdlib::base::load_file(vm, if stdin { None } else { Some(fname) })?;
    docall(vm, f, &script_args)
}

/// lua.c's pmain: everything after the state exists.
fn pmain(ctx: &mut Ctx) -> LuaResult<usize> {
    let vm = &mut *ctx.vm;
    let a = match ARGS.with(|c| c.borrow_mut().take()) {
        Some(a) => a,
        None => return Ok(0),
    };
    let status = run_main(vm, &a);
    STATUS.with(|s| s.set(status));
    Ok(0)
}

fn run_main(vm: &mut Vm, a: &Args) -> bool {
    vm.heap.gc_stop();
    if let Err(e) = ferrous_stdlib::open_libs(vm) {
        report(vm, &e);
        return false;
    }
    vm.heap.gc_restart();
    if let Err(e) = handle_luainit(vm) {
        report(vm, &e);
        return false;
    }
    if a.version {
        print_version();
    }
    let upto = if a.script > 0 { a.script } else { a.argv.len() };
    if let Err(e) = run_args(vm, a, upto) {
        report(vm, &e);
        return false;
    }
    if a.script > 0 {
        if let Err(e) = handle_script(vm, a) {
            report(vm, &e);
            return false;
        }
    }
    if a.interactive {
        return interactive(vm);
    }
    if a.script == 0 && !a.execute && !a.version {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            print_version();
            return interactive(vm);
        }
        let r = ferrous_stdlib::base::load_file(vm, None).and_then(|f| docall(vm, f, &[]));
        if let Err(e) = r {
            report(vm, &e);
            return false;
        }
    }
    true
}

/// The read-eval-print loop.
fn interactive(vm: &mut Vm) -> bool {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock();
    loop {
        let prompt = prompt_text(vm, b"_PROMPT", b"> ");
        write_prompt(&prompt);
        let mut line = String::new();
        match lines.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let mut src = line.trim_end_matches(['\n', '\r']).as_bytes().to_vec();
        if src.first() == Some(&b'=') {
            let mut s = b"return ".to_vec();
            s.extend_from_slice(&src[1..]);
            src = s;
        }
        // Keep reading while the chunk is incomplete.
        let f = loop {
            match vm.load(&src, b"=stdin") {
                Ok(f) => break Some(f),
                Err(e) => {
                    let msg = match e.value {
                        Value::String(s) => vm.str_bytes(s).to_vec(),
                        _ => Vec::new(),
                    };
                    if e.kind == ErrorKind::Syntax && msg.ends_with(b"'<eof>'") {
                        let prompt = prompt_text(vm, b"_PROMPT2", b">> ");
                        write_prompt(&prompt);
                        let mut more = String::new();
                        match lines.read_line(&mut more) {
                            Ok(0) | Err(_) => break None,
                            Ok(_) => {}
                        }
                        src.push(b'\n');
                        src.extend_from_slice(more.trim_end_matches(['\n', '\r']).as_bytes());
                        continue;
                    }
                    report(vm, &e);
                    break None;
                }
            }
        };
        let Some(f) = f else { continue };
        let handler = match vm.native(traceback_handler) {
            Ok(h) => h,
            Err(_) => continue,
        };
        match vm.pcall(f, &[], Some(handler)) {
            Ok(results) => {
                if !results.is_empty() {
                    if let Ok(print) = vm.get_global(b"print") {
                        if let Err(e) = vm.call(print, &results) {
                            report(vm, &e);
                        }
                    }
                }
            }
            Err(e) => report(vm, &e),
        }
        let _ = ferrous_stdlib::output::flush_stdout();
    }
    println!();
    true
}

fn prompt_text(vm: &mut Vm, name: &[u8], default: &[u8]) -> Vec<u8> {
    match vm.get_global(name) {
        Ok(Value::String(s)) => vm.str_bytes(s).to_vec(),
        _ => default.to_vec(),
    }
}

fn write_prompt(p: &[u8]) {
    use std::io::Write;
    let _ = ferrous_stdlib::output::flush_stdout();
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(p);
    let _ = out.flush();
}

thread_local! {
    static ARGS: std::cell::RefCell<Option<Args>> = const { std::cell::RefCell::new(None) };
    static STATUS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

fn main() -> ExitCode {
    let argv: Vec<Vec<u8>> = std::env::args_os().map(|a| os_bytes(&a)).collect();
    let Some(args) = collect_args(argv) else {
        usage();
        return ExitCode::FAILURE;
    };
    ARGS.with(|c| *c.borrow_mut() = Some(args));
    let mut vm = Vm::new();
    // Like lua.c, everything runs inside a protected native function.
    let ok = match vm.native_closure(Native::Fn(pmain), Vec::new()) {
        Ok(f) => match vm.pcall(f, &[], None) {
            Ok(_) => STATUS.with(|s| s.get()),
            Err(e) => {
                report(&mut vm, &e);
                false
            }
        },
        Err(e) => {
            report(&mut vm, &e);
            false
        }
    };
    // lua_close: pending finalizers run before the process ends.
    vm.close();
    let _ = ferrous_stdlib::output::flush_stdout();
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
