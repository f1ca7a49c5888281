//! `ferrous-lua`: the stand-alone interpreter, compatible with `lua5.1`'s
//! command line: `ferrous-lua [options] [script [args]]`.
//!
//! The structure follows lua.c: everything runs inside a protected call
//! (`pmain`); `LUA_INIT` runs first, then the options are checked, `-e`
//! and `-l` run in order, then the script with the `arg` table, then the
//! interactive loop. Messages go to stderr prefixed with the program name
//! (argv[0], as lua.c prints it), except in interactive mode.
//!
//! Interactive mode reads lines with rustyline when standard input and
//! output are terminals (emacs editing by characters, history in
//! `~/.ferrous_lua_history` with Ctrl-R search, Tab completion of global
//! names and table fields from the running state: complete.rs);
//! otherwise it reads plain lines and, like Debian's readline-linked
//! lua5.1, echoes each line after the prompt when standard input is not a
//! terminal.

mod complete;
mod interrupt;

use std::cell::RefCell;
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use ferrous_vm::{Ctx, ErrorKind, LuaError, LuaResult, Native, Value, Vm};

/// The name used when argv[0] is missing or empty (lua.c's LUA_PROGNAME).
const DEFAULT_PROGNAME: &[u8] = b"ferrous-lua";
const HISTORY_FILE: &str = ".ferrous_lua_history";
const HISTORY_MAX: usize = 1000;
/// Charged instructions between checks for a pending Ctrl-C.
const INTERRUPT_INTERVAL: i64 = 100_000;

thread_local! {
    /// argv, handed to `pmain`.
    static ARGV: RefCell<Option<Vec<Vec<u8>>>> = const { RefCell::new(None) };
    /// lua.c's `progname`; `None` while the interactive loop runs.
    static PROGNAME: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
    /// `s->status` of lua.c: false once something failed.
    static STATUS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

fn progname() -> Option<Vec<u8>> {
    PROGNAME.with(|p| p.borrow().clone())
}

/// The part of `s` that C's `%s` prints: up to the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(i) => &s[..i],
        None => s,
    }
}

/// lua.c's `l_message`: `PROGNAME: MSG` (or just MSG) on stderr. Standard
/// output is not flushed first: as with C's stdio, what it buffers comes
/// out later (at a newline on a terminal, when the buffer fills, at exit).
fn l_message(pname: Option<&[u8]>, msg: &[u8]) {
    let msg = c_str(msg);
    let mut line = Vec::with_capacity(msg.len() + 32);
    if let Some(p) = pname {
        line.extend_from_slice(p);
        line.extend_from_slice(b": ");
    }
    line.extend_from_slice(msg);
    line.push(b'\n');
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(&line);
    let _ = err.flush();
}

fn print_usage() {
    let p = progname().unwrap_or_else(|| DEFAULT_PROGNAME.to_vec());
    let mut text = b"usage: ".to_vec();
    text.extend_from_slice(&p);
    text.extend_from_slice(
        b" [options] [script [args]].\n\
         Available options are:\n  \
         -e stat  execute string 'stat'\n  \
         -l name  require library 'name'\n  \
         -i       enter interactive mode after executing 'script'\n  \
         -v       show version information\n  \
         --       stop handling options\n  \
         -        execute stdin and stop handling options\n",
    );
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(&text);
    let _ = err.flush();
}

fn print_version() {
    let v = format!(
        "Ferrous Lua {} (Lua 5.1 compatible)  Copyright (C) the Ferrous Lua developers",
        env!("CARGO_PKG_VERSION")
    );
    l_message(None, v.as_bytes());
}

/// The options found by lua.c's `collectargs`.
struct Options {
    /// Index of the script in argv (0: none).
    script: usize,
    interactive: bool,
    version: bool,
    execute: bool,
}

/// lua.c's `collectargs`; `None` for an invalid command line.
fn collect_args(argv: &[Vec<u8>]) -> Option<Options> {
    let mut o = Options {
        script: 0,
        interactive: false,
        version: false,
        execute: false,
    };
    let mut i = 1;
    while i < argv.len() {
        let arg = &argv[i];
        if arg.first() != Some(&b'-') {
            o.script = i;
            return Some(o);
        }
        match arg.get(1) {
            Some(b'-') => {
                if arg.len() > 2 {
                    return None;
                }
                o.script = if i + 1 < argv.len() { i + 1 } else { 0 };
                return Some(o);
            }
            None => {
                o.script = i;
                return Some(o);
            }
            Some(&c @ (b'i' | b'v')) => {
                if arg.len() > 2 {
                    return None;
                }
                if c == b'i' {
                    o.interactive = true;
                }
                o.version = true;
            }
            Some(&c @ (b'e' | b'l')) => {
                if c == b'e' {
                    o.execute = true;
                }
                if arg.len() == 2 {
                    i += 1;
                    if i >= argv.len() {
                        return None;
                    }
                }
            }
            _ => return None,
        }
        i += 1;
    }
    Some(o)
}

/// lua.c's `traceback`: the message handler of every call. A string (or
/// number) message gets `debug.traceback(msg, 2)` when that function is
/// reachable; anything else is kept as it is.
fn traceback_handler(ctx: &mut Ctx) -> LuaResult<usize> {
    let msg = ctx.arg(1);
    if !matches!(msg, Value::String(_) | Value::Number(_)) {
        ctx.push(msg)?;
        return Ok(1);
    }
    let globals = Value::Table(ctx.vm.globals());
    let key = ctx.vm.str_value(b"debug")?;
    let debug = ctx.vm.index(globals, key)?;
    if !matches!(debug, Value::Table(_)) {
        ctx.push(msg)?;
        return Ok(1);
    }
    let key = ctx.vm.str_value(b"traceback")?;
    let tb = ctx.vm.index(debug, key)?;
    if !matches!(tb, Value::Function(_)) {
        ctx.push(msg)?;
        return Ok(1);
    }
    let r = ctx.vm.call(tb, &[msg, Value::Number(2.0)])?;
    ctx.push(r.first().copied().unwrap_or(Value::Nil))?;
    Ok(1)
}

/// The text lua.c's `report` prints for an error, or `None` for a nil
/// error value (which prints nothing).
fn error_text(vm: &mut Vm, e: &LuaError) -> Option<Vec<u8>> {
    if e.kind == ErrorKind::Memory {
        return Some(b"not enough memory".to_vec());
    }
    match e.value {
        Value::String(s) => Some(vm.str_bytes(s).to_vec()),
        Value::Number(n) => Some(ferrous_value::number::fmt_number(n).to_vec()),
        Value::Nil => None,
        _ => Some(b"(error object is not a string)".to_vec()),
    }
}

/// lua.c's `report`.
fn report(vm: &mut Vm, e: &LuaError) {
    if let Some(msg) = error_text(vm, e) {
        l_message(progname().as_deref(), &msg);
    }
}

/// lua.c's `docall`: calls `f` with `args` under the traceback handler,
/// with Ctrl-C turned into an "interrupted!" error while it runs.
fn docall(vm: &mut Vm, f: Value, args: &[Value]) -> Result<Vec<Value>, LuaError> {
    let handler = vm.native(traceback_handler)?;
    interrupt::catch_interrupt(true);
    let r = vm.pcall(f, args, Some(handler));
    interrupt::catch_interrupt(false);
    match r {
        Ok(v) => Ok(v),
        Err(e) => {
            // lua.c collects with the message on its stack: keep it alive.
            let pin = vm.heap.pin(e.value);
            let _ = vm.full_gc();
            vm.heap.unpin(pin);
            Err(e)
        }
    }
}

/// The budget hook: lua.c's `lstop`, raising "interrupted!" at the point
/// where the running Lua code noticed the Ctrl-C.
fn install_interrupt_hook(vm: &mut Vm) {
    vm.set_budget_hook(
        INTERRUPT_INTERVAL,
        Some(Box::new(|vm: &mut Vm| {
            if !interrupt::take_interrupt() {
                return Ok(());
            }
            // luaL_error(L, "interrupted!") in a hook: the position of the
            // caller of the interrupted function.
            let mut msg = vm.where_(1);
            msg.extend_from_slice(b"interrupted!");
            let v = vm.str_value(&msg)?;
            Err(LuaError::runtime(v))
        })),
    );
}

fn dostring(vm: &mut Vm, src: &[u8], name: &[u8]) -> Result<(), LuaError> {
    let f = vm.load(src, name)?;
    docall(vm, f, &[]).map(|_| ())
}

fn dofile(vm: &mut Vm, name: Option<&[u8]>) -> Result<(), LuaError> {
    let f = ferrous_stdlib::base::load_file(vm, name)?;
    docall(vm, f, &[]).map(|_| ())
}

fn dolibrary(vm: &mut Vm, name: &[u8]) -> Result<(), LuaError> {
    let require = vm.get_global(b"require")?;
    let n = vm.str_value(name)?;
    docall(vm, require, &[n]).map(|_| ())
}

/// Runs `r`'s error through `report`; true when there was none.
fn reported(vm: &mut Vm, r: Result<(), LuaError>) -> bool {
    match r {
        Ok(()) => true,
        Err(e) => {
            report(vm, &e);
            false
        }
    }
}

fn handle_luainit(vm: &mut Vm) -> bool {
    let Some(init) = std::env::var_os("LUA_INIT") else {
        return true;
    };
    let init = os_bytes(&init);
    let r = match init.strip_prefix(b"@") {
        Some(path) => dofile(vm, Some(path)),
        None => dostring(vm, &init, b"=LUA_INIT"),
    };
    reported(vm, r)
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

/// lua.c's `runargs`: the `-e` and `-l` options before the script, in
/// order; stops at the first failure.
fn run_args(vm: &mut Vm, argv: &[Vec<u8>], upto: usize) -> bool {
    let mut i = 1;
    while i < upto {
        let arg = &argv[i];
        if let Some(&c @ (b'e' | b'l')) = arg.get(1) {
            let operand = if arg.len() > 2 {
                arg[2..].to_vec()
            } else {
                i += 1;
                argv.get(i).cloned().unwrap_or_default()
            };
            let r = if c == b'e' {
                dostring(vm, &operand, b"=(command line)")
            } else {
                dolibrary(vm, &operand)
            };
            if !reported(vm, r) {
                return false;
            }
        }
        i += 1;
    }
    true
}

/// lua.c's `handle_script`: the `arg` table (script at index 0, options
/// and interpreter at negative indices), then the script with its
/// arguments as varargs.
fn handle_script(vm: &mut Vm, argv: &[Vec<u8>], n: usize) -> bool {
    let r = (|| {
        let narg = argv.len() - (n + 1);
        let mut script_args = Vec::with_capacity(narg);
        for v in &argv[n + 1..] {
            script_args.push(vm.str_value(v)?);
        }
        let t = vm.new_table(narg, n + 1)?;
        for (i, v) in argv.iter().enumerate() {
            let s = vm.str_value(v)?;
            vm.raw_set_int(t, i as i64 - n as i64, s)?;
        }
        vm.set_global(b"arg", Value::Table(t))?;
        let fname = &argv[n];
        let stdin = fname.as_slice() == b"-" && argv[n - 1].as_slice() != b"--";
        let f = ferrous_stdlib::base::load_file(vm, if stdin { None } else { Some(fname) })?;
        docall(vm, f, &script_args).map(|_| ())
    })();
    reported(vm, r)
}

/// lua.c's `pmain`: everything after the state exists.
fn pmain(ctx: &mut Ctx) -> LuaResult<usize> {
    let vm = &mut *ctx.vm;
    let Some(argv) = ARGV.with(|c| c.borrow_mut().take()) else {
        return Ok(0);
    };
    let ok = run_main(vm, &argv);
    STATUS.with(|s| s.set(ok));
    Ok(0)
}

fn run_main(vm: &mut Vm, argv: &[Vec<u8>]) -> bool {
    if let Some(p) = argv.first().filter(|p| !p.is_empty()) {
        PROGNAME.with(|n| *n.borrow_mut() = Some(p.clone()));
    }
    vm.heap.gc_stop();
    if let Err(e) = ferrous_stdlib::open_libs(vm) {
        report(vm, &e);
        return false;
    }
    vm.heap.gc_restart();
    install_interrupt_hook(vm);
    if !handle_luainit(vm) {
        return false;
    }
    let Some(o) = collect_args(argv) else {
        print_usage();
        return false;
    };
    if o.version {
        print_version();
    }
    let upto = if o.script > 0 { o.script } else { argv.len() };
    if !run_args(vm, argv, upto) {
        return false;
    }
    if o.script > 0 && !handle_script(vm, argv, o.script) {
        return false;
    }
    if o.interactive {
        dotty(vm);
    } else if o.script == 0 && !o.execute && !o.version {
        if std::io::stdin().is_terminal() {
            print_version();
            dotty(vm);
        } else {
            // lua.c ignores this status: the exit status stays 0.
            let r = dofile(vm, None);
            reported(vm, r);
        }
    }
    true
}

// ------------------------------------------------------ interactive mode

/// One read from the user.
enum Input {
    Line(Vec<u8>),
    /// End of input.
    Eof,
    /// Ctrl-C in the line editor: drop what was typed.
    Cancel,
}

/// Where interactive input comes from.
enum LineReader {
    /// Plain reading of standard input; `echo` writes each line after the
    /// prompt (what readline does when standard input is not a terminal).
    Plain { input: PlainInput, echo: bool },
    /// rustyline on a terminal.
    Edit(Box<EditReader>),
}

/// Standard input read one byte at a time, never taking input that
/// `io.read` should see: on Unix an unbuffered duplicate of the
/// descriptor; elsewhere the standard handle.
enum PlainInput {
    #[cfg(unix)]
    File(std::fs::File),
    #[cfg_attr(unix, allow(dead_code))]
    Stdin,
}

impl PlainInput {
    fn new() -> PlainInput {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            if let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() {
                return PlainInput::File(std::fs::File::from(fd));
            }
        }
        PlainInput::Stdin
    }

    fn read_byte(&mut self) -> Option<u8> {
        let mut b = [0u8; 1];
        loop {
            let r = match self {
                #[cfg(unix)]
                PlainInput::File(f) => f.read(&mut b),
                PlainInput::Stdin => std::io::stdin().read(&mut b),
            };
            match r {
                Ok(0) => return None,
                Ok(_) => return Some(b[0]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            }
        }
    }
}

fn write_out(bytes: &[u8]) {
    let _ = ferrous_stdlib::output::flush_stdout();
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

impl LineReader {
    fn new() -> LineReader {
        let stdin_tty = std::io::stdin().is_terminal();
        if stdin_tty && std::io::stdout().is_terminal() {
            if let Some(ed) = EditReader::new() {
                return LineReader::Edit(Box::new(ed));
            }
        }
        LineReader::Plain {
            input: PlainInput::new(),
            echo: !stdin_tty,
        }
    }

    /// Reads a line after `prompt`; completion (in the editor) reads the
    /// globals of `vm`.
    fn read_line(&mut self, vm: &mut Vm, prompt: &[u8]) -> Input {
        match self {
            LineReader::Plain { input, echo } => {
                write_out(prompt);
                read_plain(input, *echo, prompt.is_empty())
            }
            LineReader::Edit(ed) => ed.read_line(vm, prompt),
        }
    }

    /// lua.c's `lua_saveline`: non-empty chunks go into the history.
    fn save_line(&mut self, line: &[u8]) {
        if let LineReader::Edit(ed) = self {
            ed.add_history(line);
        }
    }
}

/// A line from standard input without editing. With `echo` (standard
/// input is not a terminal), CR also ends a line and the line is echoed,
/// as readline does: readline ends the echo with a newline only when
/// something was shown, so an empty line after an empty prompt
/// (`_PROMPT=''`) writes nothing.
fn read_plain(input: &mut PlainInput, echo: bool, prompt_empty: bool) -> Input {
    let mut line = Vec::new();
    let mut got = false;
    while let Some(b) = input.read_byte() {
        got = true;
        if b == b'\n' || (echo && b == b'\r') {
            break;
        }
        line.push(b);
    }
    if !got {
        return Input::Eof;
    }
    if echo && !(prompt_empty && line.is_empty()) {
        let mut e = line.clone();
        e.push(b'\n');
        write_out(&e);
    }
    Input::Line(line)
}

/// The rustyline editor with its history file and the completion helper.
struct EditReader {
    editor: rustyline::Editor<complete::LuaHelper, rustyline::history::FileHistory>,
    file: Option<std::path::PathBuf>,
}

impl EditReader {
    /// An editor configured as readline behaves for lua5.1 (emacs keys,
    /// every chunk kept in the history, Tab lists the candidates), with
    /// `~/.ferrous_lua_history` loaded; `None` if the terminal cannot be
    /// set up.
    fn new() -> Option<EditReader> {
        use rustyline::config::{CompletionType, Config};
        let config = Config::builder()
            .max_history_size(HISTORY_MAX)
            .ok()?
            .history_ignore_dups(false)
            .ok()?
            .auto_add_history(false)
            .completion_type(CompletionType::List)
            .build();
        let mut editor = rustyline::Editor::with_config(config).ok()?;
        editor.set_helper(Some(complete::LuaHelper::default()));
        let file = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| std::path::Path::new(&h).join(HISTORY_FILE));
        if let Some(path) = &file {
            // A missing or unreadable file starts an empty history.
            let _ = editor.load_history(path);
        }
        Some(EditReader { editor, file })
    }

    fn add_history(&mut self, line: &[u8]) {
        if line.is_empty() {
            return;
        }
        let line = String::from_utf8_lossy(line);
        if self.editor.add_history_entry(line.as_ref()).is_ok() {
            if let Some(path) = &self.file {
                // Appends the new entry; the file is made owner-only
                // (what was typed may be private), as a shell's is.
                let _ = self.editor.append_history(path);
            }
        }
    }

    fn read_line(&mut self, vm: &mut Vm, prompt: &[u8]) -> Input {
        let _ = ferrous_stdlib::output::flush_stdout();
        let prompt = String::from_utf8_lossy(prompt);
        if let Some(h) = self.editor.helper_mut() {
            h.attach(vm);
        }
        let r = self.editor.readline(prompt.as_ref());
        if let Some(h) = self.editor.helper_mut() {
            h.detach();
        }
        match r {
            Ok(line) => Input::Line(line.into_bytes()),
            Err(rustyline::error::ReadlineError::Interrupted) => Input::Cancel,
            Err(_) => Input::Eof,
        }
    }
}

/// lua.c's `get_prompt`: `_PROMPT`/`_PROMPT2` when they are strings or
/// numbers, else the defaults.
fn prompt_text(vm: &mut Vm, firstline: bool) -> Vec<u8> {
    let (name, default): (&[u8], &[u8]) = if firstline {
        (b"_PROMPT", b"> ")
    } else {
        (b"_PROMPT2", b">> ")
    };
    match vm.get_global(name) {
        Ok(Value::String(s)) => c_str(vm.str_bytes(s)).to_vec(),
        Ok(Value::Number(n)) => ferrous_value::number::fmt_number(n).to_vec(),
        _ => default.to_vec(),
    }
}

/// A syntax error that only says the chunk ended too early (lua.c's
/// `incomplete`).
fn incomplete(vm: &mut Vm, e: &LuaError) -> bool {
    if e.kind != ErrorKind::Syntax {
        return false;
    }
    match e.value {
        Value::String(s) => vm.str_bytes(s).ends_with(b"'<eof>'"),
        _ => false,
    }
}

/// What `loadline` produced.
enum Loaded {
    Chunk(Result<Value, LuaError>),
    Cancel,
    Eof,
}

/// lua.c's `loadline`: reads a line (with `=` meaning `return`), adding
/// lines while the chunk is incomplete.
fn loadline(vm: &mut Vm, reader: &mut LineReader) -> Loaded {
    let prompt = prompt_text(vm, true);
    let mut src = match reader.read_line(vm, &prompt) {
        Input::Line(l) => l,
        Input::Eof => return Loaded::Eof,
        Input::Cancel => return Loaded::Cancel,
    };
    if let Some(rest) = src.strip_prefix(b"=") {
        let mut s = b"return ".to_vec();
        s.extend_from_slice(rest);
        src = s;
    }
    let r = loop {
        match vm.load(&src, b"=stdin") {
            Err(e) if incomplete(vm, &e) => {
                let prompt = prompt_text(vm, false);
                match reader.read_line(vm, &prompt) {
                    Input::Line(more) => {
                        src.push(b'\n');
                        src.extend_from_slice(&more);
                    }
                    Input::Eof => return Loaded::Eof,
                    Input::Cancel => return Loaded::Cancel,
                }
            }
            r => break r,
        }
    };
    reader.save_line(&src);
    Loaded::Chunk(r)
}

/// lua.c's `dotty`: the read-eval-print loop. Messages carry no program
/// name here.
fn dotty(vm: &mut Vm) {
    let old = PROGNAME.with(|p| p.borrow_mut().take());
    let mut reader = LineReader::new();
    loop {
        let f = match loadline(vm, &mut reader) {
            Loaded::Eof => break,
            Loaded::Cancel => continue,
            Loaded::Chunk(Err(e)) => {
                report(vm, &e);
                continue;
            }
            Loaded::Chunk(Ok(f)) => f,
        };
        match docall(vm, f, &[]) {
            Err(e) => report(vm, &e),
            Ok(results) if !results.is_empty() => {
                let print = vm.get_global(b"print").unwrap_or(Value::Nil);
                if let Err(e) = vm.pcall(print, &results, None) {
                    // lua_tostring of the error: strings and numbers only.
                    let text: Vec<u8> = match e.value {
                        Value::String(s) => vm.str_bytes(s).to_vec(),
                        Value::Number(n) => ferrous_value::number::fmt_number(n).to_vec(),
                        _ => b"(null)".to_vec(),
                    };
                    let mut msg = b"error calling 'print' (".to_vec();
                    msg.extend_from_slice(c_str(&text));
                    msg.push(b')');
                    l_message(None, &msg);
                }
            }
            Ok(_) => {}
        }
    }
    write_out(b"\n");
    PROGNAME.with(|p| *p.borrow_mut() = old);
}

/// Stack of the interpreter thread. Lua-to-Lua calls use no Rust stack,
/// but each of the up to 200 nested native boundaries (metamethods,
/// pcall, sort comparators, ...) does; lua.c relies on the process stack
/// the same way. A large reserve costs only address space.
const INTERPRETER_STACK: usize = 256 << 20;

fn main() -> ExitCode {
    let thread = std::thread::Builder::new()
        .name("ferrous-lua".into())
        .stack_size(INTERPRETER_STACK)
        .spawn(interpreter);
    match thread {
        Ok(t) => t.join().unwrap_or(ExitCode::FAILURE),
        Err(_) => interpreter(),
    }
}

fn interpreter() -> ExitCode {
    let argv: Vec<Vec<u8>> = std::env::args_os().map(|a| os_bytes(&a)).collect();
    ARGV.with(|c| *c.borrow_mut() = Some(argv));
    PROGNAME.with(|p| *p.borrow_mut() = Some(DEFAULT_PROGNAME.to_vec()));
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
