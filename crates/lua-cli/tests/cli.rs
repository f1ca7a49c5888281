//! The command line of `ferrous-lua` against `lua5.1`'s: the same
//! arguments, environment and standard input go to both, and the exit
//! status, standard output and standard error must agree.
//!
//! Both programs run as `lua` (a symlink in a private directory put first
//! in PATH), so argv[0], the `arg` table and the program-name prefix of
//! messages are the same word and the outputs compare byte for byte. The
//! one deliberate difference is the version banner (`-v`, `-i`), of which
//! only the shape is compared: one line on stderr.
//!
//! An end-to-end session under a pseudo-terminal (python3's `pty`) sends
//! the same keystrokes to both interpreters and compares the screens they
//! leave, rendered by a small VT100 model: lua5.1 edits with readline,
//! ferrous-lua with rustyline.
//!
//! lua5.1 is required (`apt-get install lua5.1`); the terminal session
//! also needs python3.

// Runs the interpreters through Unix shells, symlinks and terminals.
#![cfg(unix)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const FERROUS: &str = env!("CARGO_BIN_EXE_ferrous-lua");

/// A private directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("ferrous-cli-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, contents).expect("write temp file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn lua51() -> PathBuf {
    find_in_path("lua5.1").unwrap_or_else(|| {
        panic!("lua5.1 is missing (it is this test's oracle): apt-get install lua5.1")
    })
}

/// The two interpreters, each reachable as `lua` through its own bin dir.
struct Pair {
    _dir: TempDir,
    lua_bin: PathBuf,
    fer_bin: PathBuf,
}

impl Pair {
    fn new() -> Pair {
        let dir = TempDir::new("bin");
        let lua_bin = dir.path().join("ref");
        let fer_bin = dir.path().join("fer");
        std::fs::create_dir_all(&lua_bin).unwrap();
        std::fs::create_dir_all(&fer_bin).unwrap();
        std::os::unix::fs::symlink(lua51(), lua_bin.join("lua")).unwrap();
        std::os::unix::fs::symlink(FERROUS, fer_bin.join("lua")).unwrap();
        Pair {
            _dir: dir,
            lua_bin,
            fer_bin,
        }
    }
}

#[derive(Debug, PartialEq)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// One invocation: arguments, standard input, extra environment, working
/// directory.
struct Case<'a> {
    args: &'a [&'a str],
    stdin: &'a str,
    env: &'a [(&'a str, &'a str)],
    cwd: &'a Path,
}

fn run(bin_dir: &Path, c: &Case) -> Outcome {
    let mut path = std::ffi::OsString::from(bin_dir);
    path.push(":/usr/bin:/bin");
    let mut cmd = Command::new("lua");
    cmd.args(c.args)
        .current_dir(c.cwd)
        .env("PATH", path)
        .env_remove("LUA_INIT")
        .env_remove("LUA_PATH")
        .env_remove("LUA_CPATH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in c.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn interpreter");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = c.stdin.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for interpreter");
    let _ = writer.join();
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Drops the version banner lines (the one intended difference) and
/// returns how many there were.
fn strip_banner(stderr: &str) -> (String, usize) {
    let mut n = 0;
    let mut kept = String::new();
    for line in stderr.split_inclusive('\n') {
        if line.starts_with("Lua 5.1.5  Copyright") || line.starts_with("Ferrous Lua ") {
            n += 1;
        } else {
            kept.push_str(line);
        }
    }
    (kept, n)
}

/// Runs `c` under both interpreters and requires the same exit status,
/// standard output and standard error (banners only by count).
fn same(pair: &Pair, c: &Case) -> Outcome {
    let exp = run(&pair.lua_bin, c);
    let got = run(&pair.fer_bin, c);
    let (exp_err, exp_banners) = strip_banner(&exp.stderr);
    let (got_err, got_banners) = strip_banner(&got.stderr);
    let show = || {
        format!(
            "args {:?}, stdin {:?}, env {:?}\n--- lua5.1:\n{exp:#?}\n--- ferrous-lua:\n{got:#?}",
            c.args, c.stdin, c.env
        )
    };
    assert_eq!(exp.code, got.code, "exit status differs: {}", show());
    assert_eq!(exp.stdout, got.stdout, "stdout differs: {}", show());
    assert_eq!(exp_err, got_err, "stderr differs: {}", show());
    assert_eq!(exp_banners, got_banners, "banner lines differ: {}", show());
    exp
}

fn case<'a>(cwd: &'a Path, args: &'a [&'a str]) -> Case<'a> {
    Case {
        args,
        stdin: "",
        env: &[],
        cwd,
    }
}

const ARGS_SCRIPT: &str = r##"
print("n", select("#", ...), ...)
local lo = 0
while arg[lo - 1] ~= nil do lo = lo - 1 end
for i = lo, #arg do io.write(i, "=", tostring(arg[i]), " ") end
print()
"##;

#[test]
fn script_arguments_and_arg_table() {
    let pair = Pair::new();
    let d = TempDir::new("args");
    d.write("s.lua", ARGS_SCRIPT);
    let dir = d.path();
    for args in [
        &["s.lua"][..],
        &["s.lua", "a", "b c", ""],
        &["-e", "x=1", "s.lua", "-e", "--"],
        &["-ex=1", "-lstring", "s.lua", "1"],
        &["--", "s.lua", "-v"],
        &["-i", "s.lua", "a"],
        &["-", "a", "b"],
    ] {
        let stdin = if args[0] == "-" { ARGS_SCRIPT } else { "" };
        let c = Case {
            args,
            stdin,
            env: &[],
            cwd: dir,
        };
        let o = same(&pair, &c);
        assert!(o.stdout.contains("=lua "), "arg[-k] is the program: {o:?}");
    }
}

#[test]
fn execute_and_library_options_in_order() {
    let pair = Pair::new();
    let d = TempDir::new("opts");
    d.write(
        "mymod.lua",
        "print('loading mymod', ...)\nreturn {v = 42}\n",
    );
    d.write(
        "other.lua",
        "print('loading other', ...)\nmymod_seen = mymod\n",
    );
    let dir = d.path();
    let lua_path = format!("{}/?.lua", dir.display());
    let env = [("LUA_PATH", lua_path.as_str())];
    for args in [
        &["-e", "print(1)", "-e", "print(2)"][..],
        &["-eprint(1)", "-eprint(2)"],
        &["-e", "print(1)", "-l", "mymod", "-e", "print(mymod.v)"],
        &["-lmymod", "-lother", "-e", "print(mymod_seen == mymod)"],
        &[
            "-l",
            "mymod",
            "-l",
            "mymod",
            "-e",
            "print(package.loaded.mymod.v)",
        ],
        &["-e", "x = 5", "-e", "print(x)", "-v"],
        &["-e", "print(...)", "-e", "print(arg)"],
    ] {
        let c = Case {
            args,
            stdin: "",
            env: &env,
            cwd: dir,
        };
        same(&pair, &c);
    }
    // A module that is not there: the search message lists the same paths.
    same(&pair, &case(dir, &["-l", "nosuchmodule"]));
    same(
        &pair,
        &case(dir, &["-e", "print(1)", "-lnosuchmodule", "-e", "print(2)"]),
    );
    // A module that fails while loading.
    d.write("bad.lua", "error('bad module')\n");
    let c = Case {
        args: &["-lbad"],
        stdin: "",
        env: &env,
        cwd: dir,
    };
    same(&pair, &c);
}

#[test]
fn version_option() {
    let pair = Pair::new();
    let d = TempDir::new("v");
    for args in [&["-v"][..], &["-v", "-e", "print(1)"], &["-v", "-v"]] {
        let o = same(&pair, &case(d.path(), args));
        assert_eq!(o.code, Some(0));
        let f = run(&pair.fer_bin, &case(d.path(), args));
        assert_eq!(f.stderr.lines().count(), 1, "one version line: {f:?}");
    }
}

#[test]
fn stdin_scripts() {
    let pair = Pair::new();
    let d = TempDir::new("stdin");
    let dir = d.path();
    d.write("s.lua", ARGS_SCRIPT);
    for (args, stdin) in [
        (&[][..], "print('from stdin', ...) print(arg)"),
        (&["-"], "print(...) print(arg[0], arg[-1])"),
        (&["-", "x", "y"], ARGS_SCRIPT),
        (&[], "#!/usr/bin/lua\nprint('shebang skipped')"),
        (&["-"], "#!/usr/bin/lua\nerror('line two')"),
        (&[], "x = "),
        (&["--"], "print('stdin after --')"),
        // After `--`, `-` is a file name.
        (&["--", "-"], "print('not read')"),
        (
            &["-e", "print(1)"],
            "print('stdin not read when -e is given')",
        ),
        (&["s.lua"], "print('nor with a script')"),
    ] {
        let c = Case {
            args,
            stdin,
            env: &[],
            cwd: dir,
        };
        same(&pair, &c);
    }
}

#[test]
fn lua_init() {
    let pair = Pair::new();
    let d = TempDir::new("init");
    let dir = d.path();
    d.write("init.lua", "print('init file', ...) init_done = true\n");
    d.write("s.lua", "print('script sees', init_done, x)\n");
    let init_file = format!("@{}", dir.join("init.lua").display());
    let missing = format!("@{}", dir.join("missing.lua").display());
    for (init, args) in [
        ("x = 7", &["s.lua"][..]),
        ("print('init code')", &["-e", "print('e')"]),
        (init_file.as_str(), &["s.lua"]),
        (missing.as_str(), &["s.lua"]),
        ("error('init failed')", &["s.lua"]),
        ("x = = 1", &["s.lua"]),
        ("error({})", &[]),
        // LUA_INIT runs before the options are checked.
        ("print('before usage')", &["-x"]),
        ("print('init with -v')", &["-v"]),
    ] {
        let env = [("LUA_INIT", init)];
        let c = Case {
            args,
            stdin: "",
            env: &env,
            cwd: dir,
        };
        same(&pair, &c);
    }
}

#[test]
fn errors() {
    let pair = Pair::new();
    let d = TempDir::new("err");
    let dir = d.path();
    d.write(
        "rt.lua",
        "local function f(x)\n  return x.field\nend\nlocal function g() return f(nil) + 1 end\ng()\n",
    );
    d.write("syn.lua", "local x = \nfunction\n");
    d.write("tbl.lua", "error({code = 1})\n");
    d.write("nilerr.lua", "print('before') error(nil)\n");
    d.write("num.lua", "error(42)\n");
    d.write("lvl.lua", "local function f() error('two', 2) end\nf()\n");
    d.write(
        "tostr.lua",
        "error(setmetatable({}, {__tostring = function() return 'custom' end}))\n",
    );
    d.write(
        "co.lua",
        "coroutine.wrap(function() error('in coroutine') end)()\n",
    );
    d.write("nodebug.lua", "debug = nil\nerror('no traceback')\n");
    d.write(
        "tb.lua",
        "debug.traceback = function(m) return 'custom: ' .. tostring(m) end\nerror('x')\n",
    );
    d.write(
        "out.lua",
        "io.write('partial') print(' line') error('after output')\n",
    );
    for args in [
        &["rt.lua"][..],
        &["syn.lua"],
        &["tbl.lua"],
        &["nilerr.lua"],
        &["num.lua"],
        &["lvl.lua"],
        &["tostr.lua"],
        &["co.lua"],
        &["nodebug.lua"],
        &["tb.lua"],
        &["out.lua"],
        &["missing.lua"],
        &["-e", "error('in -e')"],
        &["-e", "local t = nil; t.x = 1"],
        &["-e", "x ="],
        &["-e", "error()"],
        // C prints messages up to the first NUL.
        &["-e", "error('before\\0after')"],
        &["-e", "error('stop') ", "-e", "print('not reached')"],
        &["-e", "print('first')", "rt.lua", "arg"],
        &[dir.to_str().unwrap()],
    ] {
        let o = same(&pair, &case(dir, args));
        assert_eq!(o.code, Some(1), "{args:?} fails");
    }
}

/// An uncaught "stack overflow": lua.c's message handler still runs (Lua
/// 5.1 gives handlers room beyond the frame limit) and prints the
/// traceback with its "..." elision.
#[test]
fn stack_overflow_traceback() {
    let pair = Pair::new();
    let d = TempDir::new("deep");
    d.write(
        "deep.lua",
        "local function r(n) return r(n + 1) + 1 end\nprint(pcall(r, 1))\nr(1)\n",
    );
    same(&pair, &case(d.path(), &["deep.lua"]));
}

/// Ctrl-C (SIGINT) during a call: lua.c's hook raises "interrupted!"
/// where the running code is, as an ordinary error (pcall catches it).
#[test]
fn interrupt_during_a_call() {
    use std::io::{BufRead, BufReader};
    let pair = Pair::new();
    let d = TempDir::new("sigint");
    d.write(
        "loop.lua",
        "local function f()\n  while true do end\nend\nlocal function g()\n  f()\nend\n\
         print('ready') io.stdout:flush()\ng()\n",
    );
    d.write(
        "caught.lua",
        "print('ready') io.stdout:flush()\nprint(pcall(function()\n  while true do end\nend))\n\
         print('goes on')\n",
    );
    for script in ["loop.lua", "caught.lua"] {
        let mut outs = Vec::new();
        for bin in [&pair.lua_bin, &pair.fer_bin] {
            let mut path = std::ffi::OsString::from(bin);
            path.push(":/usr/bin:/bin");
            let mut child = Command::new("lua")
                .arg(script)
                .current_dir(d.path())
                .env("PATH", path)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn");
            let mut stdout = BufReader::new(child.stdout.take().unwrap());
            let mut first = String::new();
            stdout.read_line(&mut first).unwrap();
            assert_eq!(first, "ready\n");
            std::thread::sleep(std::time::Duration::from_millis(200));
            let st = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            assert!(st.success());
            let mut rest = String::new();
            std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
            let out = child.wait_with_output().unwrap();
            outs.push((
                out.status.code(),
                rest,
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
        }
        assert_eq!(outs[0], outs[1], "{script}: lua5.1 vs ferrous-lua");
    }
}

#[test]
fn bad_options_print_usage() {
    let pair = Pair::new();
    let d = TempDir::new("usage");
    for args in [
        &["-x"][..],
        &["--x"],
        &["-ix"],
        &["-vx"],
        &["-e"],
        &["-l"],
        &["-e", "print(1)", "-l"],
        &["-i", "-e"],
        &["-", "-x"],
        &["-e", "print(1)", "-y", "s.lua"],
    ] {
        let o = same(&pair, &case(d.path(), args));
        if args != ["-", "-x"] {
            assert!(o.stderr.starts_with("usage: lua "), "{o:?}");
        }
    }
}

#[test]
fn exit_codes() {
    let pair = Pair::new();
    let d = TempDir::new("exit");
    for code in [
        "os.exit()",
        "os.exit(0)",
        "os.exit(1)",
        "os.exit(3)",
        "os.exit(255)",
        "os.exit(256)",
        "os.exit(-1)",
        "os.exit(2.7)",
        "os.exit('5')",
        "os.exit(true)",
        "io.write('unflushed') os.exit(4)",
    ] {
        same(&pair, &case(d.path(), &["-e", code]));
    }
}

/// Runs `lua -e CODE` (from `bin_dir`) with standard output and standard
/// error on one file (`> out 2>&1`) or one pipe (`2>&1 | cat`), standard
/// input empty; returns the bytes with the exit status appended.
fn run_merged(bin_dir: &Path, cwd: &Path, code: &str, to_file: bool) -> Vec<u8> {
    let mut path = std::ffi::OsString::from(bin_dir);
    path.push(":/usr/bin:/bin");
    let script = if to_file {
        r#"lua -e "$0" >merged.out 2>&1 </dev/null; echo "status $?" >>merged.out; cat merged.out"#
    } else {
        r#"{ lua -e "$0" 2>&1 </dev/null; echo "status $?"; } | cat"#
    };
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .arg(code)
        .current_dir(cwd)
        .env("PATH", path)
        .env_remove("LUA_INIT")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("run sh");
    out.stdout
}

/// Standard output buffered as C's stdio buffers it (fully when it is not
/// a terminal, glibc's block-sized buffer, setvbuf's modes, flushed at
/// exit) and standard error unbuffered: on one file or pipe the bytes come
/// in lua5.1's order.
#[test]
fn stdout_and_stderr_on_one_file_keep_lua51s_order() {
    let pair = Pair::new();
    let d = TempDir::new("merged");
    let codes = [
        r#"print(1) error("x")"#,
        r#"io.write("a") error("x")"#,
        r#"io.write("a\n") io.stderr:write("E\n") io.write("b") error("x")"#,
        r#"print(1) os.exit(3)"#,
        r#"io.write("a") io.stderr:write("E") os.exit(false)"#,
        r#"io.write("a") error(setmetatable({}, {__tostring = function() return "obj" end}))"#,
        r#"io.write("a") error()"#,
        r#"io.write("a") coroutine.wrap(function() error("in co") end)()"#,
        r#"io.stdout:setvbuf("no") io.write("a") io.stderr:write("E") io.write("b") error("x")"#,
        r#"io.stdout:setvbuf("line") io.write("a\nb") io.stderr:write("E") io.write("c\n") error("x")"#,
        r#"io.stdout:setvbuf("full") io.write("a\nb") io.stderr:write("E") error("x")"#,
        r#"io.stdout:setvbuf("line") io.write("a") io.stdout:setvbuf("full") io.write("b") io.stderr:write("E") error("x")"#,
        r#"io.stdout:setvbuf("line") io.write(("a"):rep(5000), "\nb") io.stderr:write("E") io.write(("c"):rep(3000)) io.stderr:write("F") error("x")"#,
        r#"io.stdout:setvbuf("no") io.write(("a"):rep(5000)) io.stderr:write("E") print(1.5, 2) error("x")"#,
        r#"io.write("a") io.stdout:setvbuf("no") io.stderr:write("E") error("x")"#,
        r#"io.write("a") io.flush() io.write(("b"):rep(4100)) io.stderr:write("E") error("x")"#,
        r#"io.write("a") io.stdout:seek("cur") io.stderr:write("E") error("x")"#,
        // Large outputs: what reaches the descriptor before each write to
        // standard error is glibc's whole blocks.
        r#"for i = 1, 3000 do io.write(i, " ") if i % 700 == 0 then io.stderr:write("E", i, "\n") end end error("x")"#,
        r#"for i = 1, 2000 do print(("x"):rep(i % 37)) if i % 300 == 0 then io.stderr:write("E", i, "\n") end end error("x")"#,
        r#"io.write(("y"):rep(5000)) io.stderr:write("E") io.write(("z"):rep(9000)) io.stderr:write("F") io.write(("w"):rep(4096)) io.stderr:write("G") error("x")"#,
        r#"io.write(("y"):rep(4096)) io.stderr:write("E") io.write("z") io.stderr:write("F") error("x")"#,
        r#"io.write(("y"):rep(4095)) io.stderr:write("E") io.write("zz") io.stderr:write("F") io.write(("q"):rep(8192)) io.stderr:write("G") error("x")"#,
        r#"for i = 1, 1000 do io.write(i / 7, "\t") if i % 250 == 0 then io.stderr:write("E") end end error("x")"#,
        // print writes each value, tab and newline as it goes (C's fputs
        // per piece): where the pieces end decides what glibc writes out,
        // and a failing tostring leaves the earlier values written.
        r#"print(("x"):rep(4095)) io.stderr:write("E\n") print("a", "b") error("x")"#,
        r#"io.write(("w"):rep(4094)) print("ab", "cd") io.stderr:write("E") error("x")"#,
        r#"print(1, setmetatable({}, {__tostring = function() return nil end}))"#,
        // Finalizers run at lua_close, before exit flushes stdout.
        r#"print("a") local t = setmetatable({}, {__gc = function() print("gc") io.stderr:write("GC\n") end}) error("x")"#,
        // Child processes write straight to the descriptors.
        r#"io.write("a") os.execute("echo shell; echo shellerr >&2") error("x")"#,
        r#"print("a") local f = io.popen("echo child; echo childerr >&2") print(f:read("*a")) f:close() error("x")"#,
    ];
    for code in codes {
        for to_file in [true, false] {
            let exp = run_merged(&pair.lua_bin, d.path(), code, to_file);
            let got = run_merged(&pair.fer_bin, d.path(), code, to_file);
            assert!(
                exp == got,
                "{code} ({}):\n--- lua5.1:\n{}\n--- ferrous-lua:\n{}",
                if to_file { "file" } else { "pipe" },
                String::from_utf8_lossy(&exp),
                String::from_utf8_lossy(&got)
            );
        }
    }
}

/// os.time in and around DST transitions, each the first mktime call of
/// its process or after one in summer or winter time (glibc's mktime
/// starts from the offset it found last), with isdst nil, true, false.
#[test]
fn os_time_in_dst_gaps_and_overlaps() {
    let pair = Pair::new();
    let d = TempDir::new("tz");
    if !Path::new("/usr/share/zoneinfo/Europe/Berlin").exists() {
        eprintln!("skipped: no tz database in /usr/share/zoneinfo");
        return;
    }
    let times = [
        // Spring-forward gaps.
        ("Europe/Berlin", "year=2024,month=3,day=31,hour=2,min=30"),
        ("America/New_York", "year=2024,month=3,day=10,hour=2,min=15"),
        ("Australia/Sydney", "year=2024,month=10,day=6,hour=2,min=30"),
        ("Europe/London", "year=2024,month=3,day=31,hour=1,min=30"),
        (
            "Australia/Lord_Howe",
            "year=2024,month=10,day=6,hour=2,min=15",
        ),
        (
            "America/Sao_Paulo",
            "year=2018,month=11,day=4,hour=0,min=30",
        ),
        // Just after and just before a gap.
        ("Europe/Berlin", "year=2024,month=3,day=31,hour=3,min=0"),
        ("Europe/Berlin", "year=2024,month=3,day=31,hour=1,min=59"),
        // Fall-back overlaps.
        ("Europe/Berlin", "year=2024,month=10,day=27,hour=2,min=30"),
        ("America/New_York", "year=2024,month=11,day=3,hour=1,min=30"),
        ("Australia/Sydney", "year=2024,month=4,day=7,hour=2,min=30"),
        ("Europe/London", "year=2024,month=10,day=27,hour=1,min=30"),
    ];
    let before = [
        "",
        "os.time{year=2024,month=7,day=1,hour=12}",
        "os.time{year=2024,month=1,day=1,hour=12}",
    ];
    for (zone, fields) in times {
        for pre in before {
            for isdst in ["nil", "true", "false"] {
                let code = format!(
                    "{pre} local t = os.time{{{fields},isdst={isdst}}} \
                     print(t, t and os.date('%Y-%m-%d %H:%M:%S %Z', t))"
                );
                let env = [("TZ", zone)];
                let c = Case {
                    args: &["-e", code.as_str()],
                    stdin: "",
                    env: &env,
                    cwd: d.path(),
                };
                same(&pair, &c);
            }
        }
    }
}

#[test]
fn interactive_with_piped_input() {
    let pair = Pair::new();
    let d = TempDir::new("repl");
    let dir = d.path();
    for (args, stdin) in [
        (&["-i"][..], "x = 1\n=x + 1\nprint(x)\n"),
        (&["-i"], "for i = 1, 2 do\nprint(i)\nend\n= 'done'\n"),
        (
            &["-i"],
            "error('boom')\nerror({})\nerror(nil)\nerror(7)\nx = \n",
        ),
        (&["-i"], "return 1, nil, 'three'\n=\n  =1\n"),
        (&["-i"], "x = [[long\nstring]]\n=x\n"),
        (&["-i"], "if true then\n"),
        (&["-i"], "print('no newline at the end')"),
        (&["-i"], "\n\nprint(2)\r\n"),
        (
            &["-i"],
            "_PROMPT = 'P> ' _PROMPT2 = 'Q> '\nif x then\nend\n_PROMPT = 12\n",
        ),
        (&["-i"], "print = nil\n=1\n"),
        (&["-i"], "print = function() error({}) end\n=1\n"),
        (&["-i"], "print = error\n=1\n"),
        (&["-i"], "local x = 5\n=x\n"),
        (&["-i"], "x = io.read()\nthis line is data\n=x\n"),
        (&["-i"], "os.exit(3)\nprint('not reached')\n"),
        (&["-i"], "coroutine.yield()\n"),
        (
            &["-i"],
            "error('x\\0y')\n_PROMPT = 'a\\0b'\nprint = function() error('p\\0q') end\n=1\n",
        ),
        (&["-i", "-e", "y = 9"], "=y\n"),
        (&["-e", "z = 3", "-i"], "=z\n"),
        // readline echoes nothing for an empty line after an empty prompt
        (
            &["-e", "_PROMPT='' _PROMPT2=''", "-i"],
            "\n\nx =\n\n1\n\n=x\n",
        ),
        (&["-e", "_PROMPT2=''", "-i"], "\nx =\n\n1\n=x\n"),
    ] {
        let c = Case {
            args,
            stdin,
            env: &[],
            cwd: dir,
        };
        same(&pair, &c);
    }
}

// ------------------------------------------------------ terminal session

/// Runs a program under a pseudo-terminal (80x24), sending each chunk of
/// keys once the program shows a prompt; prints everything the program
/// wrote. argv: keys as JSON, then the command.
const PTY_DRIVER: &str = r#"
import os, pty, sys, time, select, json, fcntl, termios, struct, re
keys = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
out = bytearray()
def pump(timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return False
    try:
        data = os.read(fd, 4096)
    except OSError:
        raise EOFError
    if not data:
        raise EOFError
    out.extend(data)
    return True
noise = re.compile(rb'\x1b\[[0-9;?]*[A-Za-z@]|\x1b[=>]|\r')
def wait_prompt():
    start = len(out)
    deadline = time.time() + 30
    while time.time() < deadline:
        pump(0.1)
        if noise.sub(b'', bytes(out[start:])).endswith(b'> '):
            while pump(0.3):
                pass
            return
    sys.stderr.write("no prompt\n")
try:
    for k in keys:
        wait_prompt()
        os.write(fd, k.encode('latin-1'))
    deadline = time.time() + 30
    while time.time() < deadline:
        pump(0.2)
except EOFError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(bytes(out))
sys.stdout.flush()
sys.stderr.write("status=%d\n" % os.waitstatus_to_exitcode(status))
"#;

/// A VT100 screen model, enough for readline's and our editor's output:
/// autowrap with pending wrap, CR, LF, BS, cursor moves, erase in line and
/// display, insert/delete characters; mode switches are ignored.
struct Screen {
    rows: Vec<Vec<u8>>,
    width: usize,
    row: usize,
    col: usize,
    pending_wrap: bool,
}

impl Screen {
    fn new(width: usize) -> Screen {
        Screen {
            rows: vec![vec![b' '; width]],
            width,
            row: 0,
            col: 0,
            pending_wrap: false,
        }
    }

    fn line_feed(&mut self) {
        self.row += 1;
        if self.row == self.rows.len() {
            self.rows.push(vec![b' '; self.width]);
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            match b {
                b'\r' => {
                    self.col = 0;
                    self.pending_wrap = false;
                }
                b'\n' => {
                    self.line_feed();
                    self.pending_wrap = false;
                }
                0x08 => {
                    self.col = self.col.saturating_sub(1);
                    self.pending_wrap = false;
                }
                0x07 => {}
                0x1b => {
                    match bytes.get(i) {
                        Some(b'[') => {}
                        Some(_) => {
                            i += 1;
                            continue;
                        }
                        None => continue,
                    }
                    i += 1;
                    let start = i;
                    while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                        i += 1;
                    }
                    let params =
                        String::from_utf8_lossy(&bytes[start..i.min(bytes.len())]).into_owned();
                    let Some(&fin) = bytes.get(i) else { break };
                    i += 1;
                    if params.starts_with('?') {
                        continue;
                    }
                    let n: usize = params.parse().unwrap_or(1).max(1);
                    self.pending_wrap = false;
                    let w = self.width;
                    match fin {
                        b'A' => self.row = self.row.saturating_sub(n),
                        b'B' => {
                            for _ in 0..n {
                                self.line_feed();
                            }
                        }
                        b'C' => self.col = (self.col + n).min(w - 1),
                        b'D' => self.col = self.col.saturating_sub(n),
                        b'K' => {
                            for c in self.col..w {
                                self.rows[self.row][c] = b' ';
                            }
                        }
                        b'J' => {
                            for c in self.col..w {
                                self.rows[self.row][c] = b' ';
                            }
                            self.rows.truncate(self.row + 1);
                        }
                        b'@' => {
                            let r = &mut self.rows[self.row];
                            for _ in 0..n {
                                r.insert(self.col, b' ');
                                r.truncate(w);
                            }
                        }
                        b'P' => {
                            let r = &mut self.rows[self.row];
                            for _ in 0..n {
                                if self.col < r.len() {
                                    r.remove(self.col);
                                    r.push(b' ');
                                }
                            }
                        }
                        _ => {}
                    }
                }
                _ if b < 0x20 => {}
                _ => {
                    if self.pending_wrap {
                        self.col = 0;
                        self.line_feed();
                        self.pending_wrap = false;
                    }
                    self.rows[self.row][self.col] = b;
                    if self.col + 1 == self.width {
                        self.pending_wrap = true;
                    } else {
                        self.col += 1;
                    }
                }
            }
        }
    }

    fn lines(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .rows
            .iter()
            .map(|r| String::from_utf8_lossy(r).trim_end().to_string())
            .collect();
        while v.last().is_some_and(|s| s.is_empty()) {
            v.pop();
        }
        v
    }
}

/// Runs `bin_dir/lua` under a pseudo-terminal with `keys`; returns the
/// screen (banner dropped), the exit status line and the raw output.
fn pty_session(bin_dir: &Path, home: &Path, keys: &[&str]) -> (Vec<String>, String, Vec<u8>) {
    let driver = home.join("pty_driver.py");
    std::fs::write(&driver, PTY_DRIVER).unwrap();
    let mut json = String::from("[");
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        for ch in k.chars() {
            match ch {
                '"' => json.push_str("\\\""),
                '\\' => json.push_str("\\\\"),
                c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                    json.push_str(&format!("\\u{:04x}", c as u32))
                }
                c => json.push(c),
            }
        }
        json.push('"');
    }
    json.push(']');
    let mut path = std::ffi::OsString::from(bin_dir);
    path.push(":/usr/bin:/bin");
    let out = Command::new("python3")
        .arg(&driver)
        .arg(&json)
        .arg("lua")
        .current_dir(home)
        .env("PATH", path)
        .env("HOME", home)
        .env("TERM", "xterm")
        .env("INPUTRC", "/dev/null")
        .env_remove("LUA_INIT")
        .output()
        .expect("run python3");
    let mut screen = Screen::new(80);
    screen.feed(&out.stdout);
    let lines = screen
        .lines()
        .into_iter()
        .filter(|l| !l.starts_with("Lua 5.1.5  Copyright") && !l.starts_with("Ferrous Lua "))
        .collect();
    (
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.stdout,
    )
}

fn have_python3() -> bool {
    Command::new("python3")
        .arg("-c")
        .arg("import pty")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn terminal_session_matches_readline() {
    assert!(have_python3(), "python3 (with the pty module) is required");
    let pair = Pair::new();
    let left5 = "\x1b[D".repeat(5);
    let keys: Vec<String> = vec![
        "x = 10\r".into(),
        // Insert in the middle of the line.
        format!("print(x * 2){left5}+1\r"),
        // Recall, go home, kill to the end, type `=x`.
        "\x1b[A\x01\x0b=x\r".into(),
        // `=x` was stored as `return x`, as lua.c stores it.
        "\x1b[A\r".into(),
        // Home, Delete, End.
        "xprint('abc')\x1b[H\x1b[3~\x1b[F\r".into(),
        // Ctrl-U, Ctrl-W, Backspace, Ctrl-B/Ctrl-F.
        "print(1)\x15print(2)\r".into(),
        "print(3) foo\x17\r".into(),
        "print(44)\x7f\x7f5)\r".into(),
        "print(7)\x02\x7f6\x06\r".into(),
        // Continuation lines.
        "for i = 1, 2 do\r".into(),
        "print(i)\r".into(),
        "end\r".into(),
        // Errors are reported without the program name.
        "error('oops')\r".into(),
        // A line longer than the terminal is wide.
        format!("print('{}')\r", "w".repeat(100)),
        "\x04".into(),
    ];
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let home_ref = TempDir::new("pty-ref");
    let home_fer = TempDir::new("pty-fer");
    let (exp, exp_status, _) = pty_session(&pair.lua_bin, home_ref.path(), &keys);
    let (got, got_status, raw) = pty_session(&pair.fer_bin, home_fer.path(), &keys);
    assert_eq!(
        exp,
        got,
        "screens differ\n--- lua5.1:\n{}\n--- ferrous-lua:\n{}\n--- raw ferrous output: {:?}",
        exp.join("\n"),
        got.join("\n"),
        String::from_utf8_lossy(&raw)
    );
    assert_eq!(exp_status, got_status);
    // The results really are there (the screens are not both empty).
    for want in ["12", "abc", "45", "6", "stdin:1: oops"] {
        assert!(got.iter().any(|l| l == want), "{want} missing: {got:?}");
    }

    // The history went to ~/.ferrous_lua_history; a new session recalls it.
    let hist_path = home_fer.path().join(".ferrous_lua_history");
    let hist = std::fs::read_to_string(&hist_path).expect("history file written");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hist_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "history is private");
    }
    assert!(hist.contains("return x\n"), "{hist}");
    assert!(
        hist.contains("for i = 1, 2 do\\nprint(i)\\nend\n"),
        "{hist}"
    );
    let (again, _, _) = pty_session(&pair.fer_bin, home_fer.path(), &["\x1b[A\x1b[A\r", "\x04"]);
    assert!(
        again.iter().any(|l| l.starts_with("> error('oops')")),
        "history recalled: {again:?}"
    );
}

/// Ctrl-C at the prompt abandons the line, left on screen as typed
/// (lua5.1 would exit: readline passes the signal on); ours is checked on
/// its own.
#[test]
fn terminal_ctrl_c_clears_the_line() {
    assert!(have_python3(), "python3 (with the pty module) is required");
    let pair = Pair::new();
    let home = TempDir::new("pty-cc");
    let (screen, status, _) = pty_session(
        &pair.fer_bin,
        home.path(),
        &[
            "print('never')\x03",
            "if x then\r",
            "\x03",
            "print('after')\r",
            "\x04",
        ],
    );
    assert_eq!(
        screen,
        vec![
            "> print('never')",
            "> if x then",
            ">>",
            "> print('after')",
            "after",
            ">",
        ],
        "{screen:?}"
    );
    assert_eq!(status.trim(), "status=0");
}

/// Keys as the pty driver sends them: each byte of `s`'s UTF-8 encoding as
/// one character (the driver writes them out as Latin-1).
fn utf8_keys(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

/// rustyline features lua5.1's readline also has, checked through what
/// the session prints: editing moves by characters (inserting inside
/// `中文` keeps valid UTF-8), Ctrl-R finds an earlier line, Tab completes
/// globals and library fields from the running state.
#[test]
fn terminal_utf8_editing_history_search_and_completion() {
    assert!(have_python3(), "python3 (with the pty module) is required");
    let pair = Pair::new();
    let home = TempDir::new("pty-utf8");
    let left3 = "\x1b[D".repeat(3);
    let keys = [
        // Cursor back over `)`, `'` and `文`, then insert `x`.
        utf8_keys(&format!("print('中文'){left3}x\r")),
        "print('other')\r".to_string(),
        // Ctrl-R, search for `中x`, accept: runs the first line again.
        utf8_keys("\x12中x\r"),
        // Tab completes a global and a field of a library table.
        "pri\t('tab', string.fo\t('%05.1f', 2.5))\r".to_string(),
        "myvariable = 7\r".to_string(),
        "=myvar\t + 1\r".to_string(),
        "\x04".to_string(),
    ];
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (_, status, raw) = pty_session(&pair.fer_bin, home.path(), &keys);
    let out = String::from_utf8(raw.clone())
        .unwrap_or_else(|_| panic!("the terminal got invalid UTF-8: {raw:?}"));
    let printed: Vec<&str> = out.split("\r\n").collect();
    let count = |want: &str| printed.iter().filter(|l| **l == want).count();
    assert_eq!(count("中x文"), 2, "edited line run twice (Ctrl-R): {out:?}");
    assert_eq!(count("other"), 1, "{out:?}");
    assert_eq!(count("tab\t002.5"), 1, "Tab completion: {out:?}");
    assert_eq!(count("8"), 1, "Tab completion of a new global: {out:?}");
    assert_eq!(status.trim(), "status=0");
}
