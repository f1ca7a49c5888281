//! Compiler + VM + standard library on arbitrary bytes: never panics, never
//! overflows the stack, never hangs, never grows past its memory limit.
//!
//! Each input is compiled with the Ferrous compiler (the prototype must
//! pass `ferrous_compiler::verify`) and, when it compiles, goes through
//! `string.dump` and back (the undumped function must dump to the same
//! bytes; one beyond Lua 5.1's binary format must be refused as such), then runs in a fresh `Vm` with the standard library under an
//! instruction budget (and a wall-clock deadline checked by the same hook,
//! as Redis checks its script timeout) and a 64 MiB memory limit. Functions that could touch the system or block (process
//! exit, commands, files, stdin, locale) are removed first; `print` and
//! `io.write` are replaced by sinks that still convert their arguments
//! (so `__tostring` runs) but write nothing. Any Lua error, including the
//! budget's interrupt and "not enough memory", is a normal outcome.
#![no_main]

use ferrous_vm::{Ctx, LuaResult, Value, Vm};
use libfuzzer_sys::fuzz_target;

/// Charged instructions (backward jumps and calls) between hook calls.
const INTERVAL: i64 = 1_000;
/// Hook calls before the budget stops the script: 200,000 charged
/// instructions, a fraction of a second even under AddressSanitizer.
const INTERVALS: u32 = 200;
/// Wall-clock time after which the hook stops the script: native calls in
/// a loop (a gsub over a long string per iteration) can make 200,000
/// charged instructions last minutes under AddressSanitizer.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);
const MEMORY_LIMIT: usize = 64 << 20;

/// string.dump and loadstring agree: what is dumped loads, and dumps again
/// to the same bytes.
const ROUNDTRIP: &str = r#"
local f = ...
local s = string.dump(f)
local g, e = loadstring(s, "=undumped")
assert(g, e)
assert(string.dump(g) == s, "dump of the undumped function differs")
"#;

/// Removes what could reach outside the process or block, run before the
/// fuzz input with no budget installed.
const SANDBOX: &str = r#"
os.exit, os.execute, os.remove, os.rename, os.tmpname, os.setlocale = nil
io.popen, io.open, io.lines, io.read, io.input, io.output = nil
io.close, io.tmpfile, io.stdin, io.stdout, io.stderr = nil
io.write = __sink
print = __sink
__sink = nil
dofile, loadfile = nil
debug.debug = nil
package.loadlib = nil
package.path, package.cpath = "", ""
"#;

/// print/io.write replacement: converts each argument like print does.
fn sink(ctx: &mut Ctx) -> LuaResult<usize> {
    let tostring = ctx.vm.get_global(b"tostring")?;
    for i in 1..=ctx.nargs() {
        let v = ctx.arg(i);
        if let Value::Function(_) = tostring {
            ctx.vm.call(tostring, &[v])?;
        }
    }
    Ok(0)
}

fn fresh_vm() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("standard library");
    let s = vm.native(sink).expect("sink");
    vm.set_global(b"__sink", s).expect("sink global");
    let f = vm
        .load(SANDBOX.as_bytes(), b"=sandbox")
        .expect("sandbox compiles");
    vm.call(f, &[]).expect("sandbox runs");
    vm.heap.set_memory_limit(Some(MEMORY_LIMIT));
    vm
}

fn install_budget(vm: &mut Vm) {
    let mut ticks = 0u32;
    let start = std::time::Instant::now();
    vm.set_budget_hook(
        INTERVAL,
        Some(Box::new(move |vm: &mut Vm| {
            ticks = ticks.saturating_add(1);
            if ticks > INTERVALS || start.elapsed() > DEADLINE {
                Err(vm.interrupt_error("budget"))
            } else {
                Ok(())
            }
        })),
    );
}

fn message(vm: &Vm, e: &ferrous_vm::LuaError) -> String {
    match e.value {
        Value::String(m) => String::from_utf8_lossy(vm.str_bytes(m)).into_owned(),
        other => format!("{other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    // The compiler alone: what it produces passes the structural checks.
    let proto = match ferrous_compiler::compile_source(data, b"=fuzz") {
        Ok(p) => p,
        Err(_) => return,
    };
    if let Err(e) = ferrous_compiler::verify(&proto) {
        panic!("compiled code fails verify: {e}");
    }
    let mut vm = fresh_vm();
    let Ok(f) = vm.load(data, b"=fuzz") else {
        panic!("compile_source accepted what Vm::load rejects");
    };
    let rt = vm
        .load(ROUNDTRIP.as_bytes(), b"=roundtrip")
        .expect("round trip compiles");
    if let Err(e) = vm.pcall(rt, &[f], None) {
        // A function beyond Lua 5.1's binary format (Ferrous's wider
        // limits) cannot be dumped, with this message.
        let msg = message(&vm, &e);
        assert!(
            msg.contains("not enough memory")
                || msg.contains("does not fit Lua 5.1's binary format"),
            "dump/undump: {msg}"
        );
    }
    install_budget(&mut vm);
    let _ = vm.pcall(f, &[], None);
    // Finalizers (newproxy + __gc) run here, still under the budget.
    vm.close();
});
