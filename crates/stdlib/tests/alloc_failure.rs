//! Allocation failure is Lua's "not enough memory", never an abort (issue
//! 12, crash 3). With no memory limit set (the `ferrous-lua` default) a
//! script can still ask for more than the process may have; under an
//! address-space limit (`ulimit -v`) each such request must fail cleanly:
//! `string.rep`, a growing `gsub` result, `table.concat`, `..`, table
//! growth, a `load` reader that never ends, cjson/cmsgpack encoders and
//! `io.read` of an endless file.
//!
//! The parent test re-runs this binary's `oom_child` under `ulimit -v`
//! (a shell does the setrlimit); the child runs each case with `pcall` in
//! one state and checks the message, then that the state still works.

use std::process::Command;

use ferrous_vm::{Value, Vm};

/// Address space given to the child, in KiB.
const ADDRESS_SPACE_KB: u64 = 600 * 1024;

const CASES: &[(&str, &str)] = &[
    (
        "string.rep of 2^31-1 bytes",
        "return #string.rep('x', 2^31 - 1)",
    ),
    ("string.rep of 1 GB", "return #string.rep('abcd', 2^28)"),
    (
        "a gsub result growing to 1 GB",
        "local s = string.rep('a', 2^20) return #(s:gsub('a', string.rep('b', 1024)))",
    ),
    (
        "a gsub %0 expansion of 1 GB in one match",
        "local s = string.rep('a', 2^20) return #(s:gsub('.+', string.rep('%0', 1024)))",
    ),
    (
        "table.concat of 1 GB",
        "local t = {} for i = 1, 1024 do t[i] = 'x' end \
         return #table.concat(t, string.rep('-', 2^20))",
    ),
    (
        "a chain of .. of 1 GB",
        "local a = string.rep('x', 2^26) return #(a .. a .. a .. a .. a .. a .. a .. a \
         .. a .. a .. a .. a .. a .. a .. a .. a)",
    ),
    (
        "table growth to 2 GB",
        "local t = {} for i = 1, 2^27 do t[i] = i end return #t",
    ),
    (
        "hash growth to 2 GB",
        "local t = {} for i = 1, 2^26 do t[i + 0.5] = i end return #t",
    ),
    (
        "string.format repeating a big argument",
        "local s = string.rep('x', 2^24)          return #string.format(string.rep('%s', 64),            s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,            s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,            s, s, s, s, s, s, s, s)",
    ),
    (
        "struct.pack repeating a big argument",
        "local s = string.rep('x', 2^24)          return #struct.pack(string.rep('c0', 64),            s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,            s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,            s, s, s, s, s, s, s, s)",
    ),
    (
        "upper of a string that does not fit twice",
        "local s = string.rep('x', 2^28 + 2^27) return #s:upper()",
    ),
    (
        "loadstring of a chunk too big to compile",
        "local f, e = loadstring(string.rep('x = 1 ', 2^24)) assert(not f) error(e, 0)",
    ),
    (
        "cjson.encode of a 1.5 GB result",
        "local s = string.rep('\\0', 2^26) return #cjson.encode({s, s, s, s})",
    ),
    (
        "cmsgpack.pack of a 1 GB result",
        "local s = string.rep('x', 2^26) local t = {} for i = 1, 16 do t[i] = s end \
         return #cmsgpack.pack(t)",
    ),
    (
        "io.read('*a') of an endless file",
        "local f = assert(io.open('/dev/zero', 'rb')) return #f:read('*a')",
    ),
    (
        "file:read(n) of 1.5 GB",
        "local f = assert(io.open('/dev/zero', 'rb')) return #f:read(3 * 2^29)",
    ),
    (
        "a load reader that never ends",
        "local piece = string.rep(' ', 2^20) \
         local f, e = load(function() return piece end) assert(not f) error(e, 0)",
    ),
    (
        // The lexer reads a name across pieces: the parse must stop when
        // the reader's text cannot grow (it once went on to copy the name).
        "a load reader of one endless name",
        "local piece = string.rep('x', 2^20) \
         local f, e = load(function() return piece end) assert(not f) error(e, 0)",
    ),
];

fn message(vm: &Vm, v: Value) -> String {
    match v {
        Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
        other => format!("{other:?}"),
    }
}

#[test]
#[ignore = "run by allocation_failure_is_not_enough_memory under ulimit -v"]
fn oom_child() {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("standard library");
    ferrous_stdlib::open_struct(&mut vm).expect("struct");
    ferrous_stdlib::open_cjson(&mut vm).expect("cjson");
    ferrous_stdlib::open_cmsgpack(&mut vm).expect("cmsgpack");
    let mut failures = Vec::new();
    for (name, src) in CASES {
        let f = vm.load(src.as_bytes(), b"=case").expect("case compiles");
        match vm.pcall(f, &[], None) {
            Ok(r) => failures.push(format!("{name}: returned {:?}", r.first())),
            Err(e) => {
                let m = message(&vm, e.value);
                if !m.contains("not enough memory") {
                    failures.push(format!("{name}: {m}"));
                }
            }
        }
        vm.full_gc().expect("collects");
        // The state goes on working.
        let ok = vm
            .load(
                b"return #table.concat({string.rep('y', 1000), 'z'})",
                b"=after",
            )
            .expect("compiles");
        let r = vm.pcall(ok, &[], None).expect("runs after the failure");
        assert_eq!(r.first(), Some(&Value::Number(1001.0)), "after {name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("oom_child: {} cases ok", CASES.len());
}

#[test]
fn allocation_failure_is_not_enough_memory() {
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KB} && exec \"$0\" oom_child --exact --ignored \
             --nocapture --test-threads=1"
        ))
        .arg(&exe)
        .output()
        .expect("run sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("cases ok"),
        "child failed ({:?}):\n{stdout}\n{stderr}",
        out.status
    );
}
