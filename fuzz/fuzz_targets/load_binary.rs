//! The binary-chunk loader on edited Lua 5.1 binary chunks (`string.dump`
//! and `luac5.1` output): whatever bytes follow the 5.1 header,
//! `loadstring` either refuses them with a Lua error or returns a function
//! that runs safely.
//!
//! Each input is a binary chunk (the 12-byte header is prepended when
//! missing, so the mutator spends its effort on the prototype). It goes
//! through `ferrous_stdlib::dump::load_chunk` (`ferrous_compiler::binary::
//! undump` checking each function with the verifier, then the VM's
//! loader); what loads is called with a few arguments in a fresh
//! sandboxed `Vm` under the same instruction budget, wall-clock deadline
//! and 64 MiB memory limit as the `vm` target, then `string.dump`ed again
//! (a loaded function must dump and load back). A panic, a Rust stack
//! overflow, an AddressSanitizer report (the loop's unchecked accesses) or
//! a timeout is a failure; any Lua error is a normal outcome.
//!
//! Seed corpus: the dumps of the main functions of tests/lua (see
//! fuzz/README.md, `load_binary`).
#![no_main]

use ferrous_vm::{Value, Vm};
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = &ferrous_compiler::binary::HEADER;
const INTERVAL: i64 = 1_000;
const INTERVALS: u32 = 200;
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);
const MEMORY_LIMIT: usize = 64 << 20;

/// Removes what could reach outside the process or block.
const SANDBOX: &str = r#"
os.exit, os.execute, os.remove, os.rename, os.tmpname, os.setlocale = nil
io = nil
print = function(...) for i = 1, select('#', ...) do tostring((select(i, ...))) end end
dofile, loadfile = nil
debug.debug = nil
package.loadlib = nil
package.path, package.cpath = "", ""
"#;

/// What loaded dumps and loads back.
const REDUMP: &str = r#"
local f = ...
local s = string.dump(f)
local g, e = loadstring(s, "=redumped")
assert(g, e)
"#;

fn fresh_vm() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("standard library");
    let f = vm
        .load(SANDBOX.as_bytes(), b"=sandbox")
        .expect("sandbox compiles");
    vm.call(f, &[]).expect("sandbox runs");
    vm.heap.set_memory_limit(Some(MEMORY_LIMIT));
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
    vm
}

fn message(vm: &Vm, e: &ferrous_vm::LuaError) -> String {
    match e.value {
        Value::String(m) => String::from_utf8_lossy(vm.str_bytes(m)).into_owned(),
        other => format!("{other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let chunk: Vec<u8> = if data.starts_with(HEADER) {
        data.to_vec()
    } else {
        let mut c = HEADER.to_vec();
        c.extend_from_slice(data);
        c
    };
    let mut vm = fresh_vm();
    let f = match ferrous_stdlib::dump::load_chunk(&mut vm, &chunk, b"=fuzz") {
        Ok(f) => f,
        Err(e) => {
            // A refusal is a message in 5.1's words, never an interrupt.
            let msg = message(&vm, &e);
            assert!(
                msg.contains("precompiled chunk") || msg.contains("not enough memory"),
                "refusal: {msg}"
            );
            return;
        }
    };
    let redump = vm
        .load(REDUMP.as_bytes(), b"=redump")
        .expect("redump compiles");
    if let Err(e) = vm.pcall(redump, &[f], None) {
        let msg = message(&vm, &e);
        assert!(
            msg.contains("not enough memory") || msg.contains("budget"),
            "a loaded chunk does not dump and load back: {msg}"
        );
    }
    let args = [Value::Number(1.0), Value::Nil, Value::Boolean(true)];
    let _ = vm.pcall(f, &args, None);
    vm.close();
});
