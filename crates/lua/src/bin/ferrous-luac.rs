//! `ferrous-luac`: Ferrous Lua's counterpart of `luac5.1`.
//!
//! Options, messages and exit statuses follow `luac5.1`'s, with this
//! program's name in place of `luac5.1`. Files are parsed and compiled as
//! `luaL_loadfile` does, so `-p` reports syntax and code-generation errors
//! as luac does; `-l` lists the code (`-l -l` with constants, locals and
//! upvalues) exactly as `luac5.1 -l` lists it, several files being combined
//! into one main function as luac combines them. Unless `-p` is given, the
//! chunk is written (`luac.out`, or `-o`'s file) in Lua 5.1's binary format,
//! the bytes `luac5.1` writes (`-s` strips debug information as luac does;
//! see `ferrous_compiler::binary`); precompiled input files are read back
//! as luac reads them. A function beyond 5.1's format (Ferrous's wider
//! limits) cannot be written and fails with a message saying why.

use std::ffi::OsString;
// Names are handled as `OsStr::as_encoded_bytes`: the bytes on Unix, the
// UTF-8 text (WTF-8 for unpaired surrogates) on Windows.
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::Arc;

use ferrous_compiler::{Instr, Proto};

const PROGNAME: &str = "ferrous-luac";
/// luac's default output file.
const OUTPUT: &str = "luac.out";
const VERSION: &str = "Lua 5.1.5  Copyright (C) 1994-2012 Lua.org, PUC-Rio";

/// What the command line asks for (luac.c's globals).
struct Options {
    /// `-l` count (`-l -l` lists constants and locals too).
    listing: u32,
    /// Write bytecode (cleared by `-p`).
    dumping: bool,
    /// `-s`.
    stripping: bool,
    /// `-o name`; `None` means standard output (`-o -`).
    output: Option<OsString>,
    /// The input files; `-` is standard input.
    files: Vec<OsString>,
}

/// How the program ends early.
enum Stop {
    /// `fatal`: `PROGNAME: message`, exit 1.
    Fatal(Vec<u8>),
    /// `usage`: a message, the usage text, exit 1.
    Usage(Vec<u8>),
    /// Exit 0 (`-v` alone).
    Success,
}

fn usage_text() -> String {
    format!(
        "usage: {PROGNAME} [options] [filenames].\n\
         Available options are:\n\
         \x20 -        process stdin\n\
         \x20 -l       list\n\
         \x20 -o name  output to file 'name' (default is \"{OUTPUT}\")\n\
         \x20 -p       parse only\n\
         \x20 -s       strip debug information\n\
         \x20 -v       show version information\n\
         \x20 --       stop handling options\n"
    )
}

/// luac.c's `doargs`.
fn doargs(args: &[OsString]) -> Result<Options, Stop> {
    let mut opts = Options {
        listing: 0,
        dumping: true,
        stripping: false,
        output: Some(OsString::from(OUTPUT)),
        files: Vec::new(),
    };
    let argc = args.len();
    let mut version = 0usize;
    let mut i = 1;
    while i < argc {
        let a = args[i].as_encoded_bytes();
        if a.first() != Some(&b'-') {
            break; // end of options; keep it
        } else if a == b"--" {
            i += 1;
            if version > 0 {
                version += 1;
            }
            break;
        } else if a == b"-" {
            break; // end of options; use stdin
        } else if a == b"-l" {
            opts.listing += 1;
        } else if a == b"-o" {
            i += 1;
            match args.get(i) {
                Some(o) if !o.is_empty() => {
                    opts.output = if o.as_encoded_bytes() == b"-" {
                        None
                    } else {
                        Some(o.clone())
                    };
                }
                _ => return Err(Stop::Usage(b"'-o' needs argument".to_vec())),
            }
        } else if a == b"-p" {
            opts.dumping = false;
        } else if a == b"-s" {
            opts.stripping = true;
        } else if a == b"-v" {
            version += 1;
        } else {
            let mut m = b"unrecognized option '".to_vec();
            m.extend_from_slice(a);
            m.push(b'\'');
            return Err(Stop::Usage(m));
        }
        i += 1;
    }
    let mut files: Vec<OsString> = args.get(i..).unwrap_or(&[]).to_vec();
    if files.is_empty() && (opts.listing > 0 || !opts.dumping) {
        opts.dumping = false;
        files.push(OsString::from(OUTPUT));
    }
    if version > 0 {
        println!("{VERSION}");
        if version == argc - 1 {
            return Err(Stop::Success);
        }
    }
    if files.is_empty() {
        return Err(Stop::Usage(b"no input files given".to_vec()));
    }
    opts.files = files;
    Ok(opts)
}

/// `strerror(errno)` for an I/O error.
fn strerror(e: &std::io::Error) -> String {
    let s = match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
        None => e.to_string(),
    };
    match s.find(" (os error ") {
        Some(n) => s[..n].to_string(),
        None => s,
    }
}

/// `luaL_loadfile`'s "cannot open/read NAME: REASON".
fn errfile(what: &str, name: &[u8], e: &std::io::Error) -> Vec<u8> {
    let mut m = format!("cannot {what} ").into_bytes();
    m.extend_from_slice(name);
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    m
}

/// `luaU_undump` on a precompiled chunk; the error names the chunk
/// without its `@`/`=`, as luac prints it.
fn undump(data: &[u8], name: &[u8]) -> Result<Proto, Vec<u8>> {
    ferrous_compiler::binary::undump(data).map_err(|e| {
        let mut m = name.to_vec();
        m.extend_from_slice(b": ");
        m.extend_from_slice(e.reason().as_bytes());
        m.extend_from_slice(b" in precompiled chunk");
        m
    })
}

/// `luaL_loadfile`: reads, parses and compiles a file (`-` is stdin).
fn load(file: &OsString) -> Result<Proto, Vec<u8>> {
    let is_stdin = file.as_encoded_bytes() == b"-";
    let (contents, chunkname) = if is_stdin {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut buf) {
            return Err(errfile("read", b"stdin", &e));
        }
        (buf, b"=stdin".to_vec())
    } else {
        let name = file.as_encoded_bytes();
        let contents = match std::fs::File::open(file) {
            Err(e) => return Err(errfile("open", name, &e)),
            Ok(mut f) => {
                let mut buf = Vec::new();
                match f.read_to_end(&mut buf) {
                    Ok(_) => buf,
                    Err(e) => return Err(errfile("read", name, &e)),
                }
            }
        };
        let mut chunkname = b"@".to_vec();
        chunkname.extend_from_slice(name);
        (contents, chunkname)
    };
    let source = ferrous_syntax::skip_first_line(&contents);
    if source.first() == Some(&0x1b) {
        // A precompiled chunk. For files luaL_loadfile rereads from the
        // first ESC; the name is the chunk name without its `@`/`=`.
        let data = if is_stdin {
            source
        } else {
            let at = contents.iter().position(|&b| b == 0x1b).unwrap_or(0);
            &contents[at..]
        };
        return undump(data, &chunkname[1..]);
    }
    // Each function is compiled as soon as it is parsed and its tree freed:
    // the tree never holds the whole file.
    ferrous_compiler::compile_source(source, &chunkname).map_err(|e| e.into_message())
}

/// luac.c's `combine`: several files become one main function that runs
/// each of them in turn (as luac builds it: no lines, one slot).
fn combine(mut protos: Vec<Proto>) -> Proto {
    if protos.len() == 1 {
        if let Some(p) = protos.pop() {
            return p;
        }
    }
    let n = protos.len();
    let mut code = Vec::with_capacity(2 * n + 1);
    for i in 0..n {
        code.push(Instr::Closure { a: 0, bx: i as u32 });
        code.push(Instr::Call { a: 0, b: 1, c: 1 });
    }
    code.push(Instr::Return { a: 0, b: 1 });
    Proto {
        source: Arc::from(&b"=(luac)"[..]),
        line_defined: 0,
        last_line_defined: 0,
        num_params: 0,
        is_vararg: 0,
        max_stack: 1,
        lines: Vec::new(),
        code,
        constants: Vec::new(),
        protos: protos.into_iter().map(Arc::new).collect(),
        locvars: Vec::new(),
        upvalue_names: Vec::new(),
    }
}

/// luac.c's `pmain`: load every file, then list and dump.
fn pmain(opts: &Options) -> Result<(), Stop> {
    let mut protos = Vec::with_capacity(opts.files.len());
    for file in &opts.files {
        protos.push(load(file).map_err(Stop::Fatal)?);
    }
    let main = combine(protos);
    if opts.listing > 0 {
        let text = ferrous_compiler::listing(&main, opts.listing > 1);
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
    if opts.dumping {
        let bytes = ferrous_compiler::binary::dump(&main, opts.stripping)
            .map_err(|e| Stop::Fatal(format!("cannot write bytecode: {e}").into_bytes()))?;
        write_output(opts, &bytes)?;
    }
    // The process ends here: let the OS reclaim the prototypes wholesale.
    std::mem::forget(main);
    Ok(())
}

/// Writes the chunk to `-o`'s file (or standard output), with luac's
/// "cannot open/write/close NAME: REASON".
fn write_output(opts: &Options, bytes: &[u8]) -> Result<(), Stop> {
    let cannot = |what: &str, e: &std::io::Error| {
        let name: &[u8] = match &opts.output {
            Some(o) => o.as_encoded_bytes(),
            None => b"(null)",
        };
        let mut m = format!("cannot {what} ").into_bytes();
        m.extend_from_slice(name);
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        Stop::Fatal(m)
    };
    match &opts.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| cannot("write", &e))
        }
        Some(path) => {
            let mut f = std::fs::File::create(path).map_err(|e| cannot("open", &e))?;
            f.write_all(bytes).map_err(|e| cannot("write", &e))
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let result = doargs(&args).and_then(|opts| pmain(&opts));
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    match result {
        Ok(()) | Err(Stop::Success) => ExitCode::SUCCESS,
        Err(Stop::Fatal(msg)) => {
            let mut line = format!("{PROGNAME}: ").into_bytes();
            line.extend_from_slice(&msg);
            line.push(b'\n');
            let _ = err.write_all(&line);
            ExitCode::FAILURE
        }
        Err(Stop::Usage(msg)) => {
            let mut text = format!("{PROGNAME}: ").into_bytes();
            text.extend_from_slice(&msg);
            text.push(b'\n');
            text.extend_from_slice(usage_text().as_bytes());
            let _ = err.write_all(&text);
            ExitCode::FAILURE
        }
    }
}
