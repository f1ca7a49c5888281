//! `cjson.decode` on arbitrary bytes: never panics, never hangs, never
//! grows without bound (the VM runs under a memory limit, so runaway
//! allocation shows up as a clean "not enough memory"), and whatever it
//! decodes can be encoded again.
//!
//! The first byte picks the configuration (on a `cjson.new()` instance):
//! bit 0 turns `decode_invalid_numbers` off, bit 1 raises both depth
//! limits to 100000 (so the C-stack emulation decides), bit 2 lets the
//! encoder write NaN/inf, bit 3 converts sparse arrays.
#![no_main]

use std::cell::RefCell;

use ferrous_vm::{Value, Vm};
use libfuzzer_sys::fuzz_target;

const DRIVER: &str = r#"
local data, mode = ...
local c = cjson.new()
if mode % 2 == 1 then c.decode_invalid_numbers(false) end
if mode % 4 >= 2 then c.decode_max_depth(100000) c.encode_max_depth(100000) end
if mode % 8 >= 4 then c.encode_invalid_numbers(true) end
if mode % 16 >= 8 then c.encode_sparse_array(true) end
local ok, v = pcall(c.decode, data)
if ok then
  local ok2, s = pcall(c.encode, v)
  if ok2 and mode % 16 < 4 then
    -- What the encoder writes, the decoder reads back (same depth limits).
    local ok3, w = pcall(c.decode, s)
    assert(ok3, w)
  end
  return true
end
assert(type(v) == "string", "error values are strings")
return false
"#;

struct State {
    vm: Vm,
    driver: Value,
    runs: u32,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn setup() -> State {
    let mut vm = Vm::new();
    ferrous_stdlib::open_base(&mut vm).expect("base");
    ferrous_stdlib::open_string(&mut vm).expect("string");
    ferrous_stdlib::open_table(&mut vm).expect("table");
    ferrous_stdlib::open_cjson(&mut vm).expect("cjson");
    let driver = vm
        .load(DRIVER.as_bytes(), b"=driver")
        .expect("driver compiles");
    vm.set_global(b"__driver", driver).expect("keep the driver");
    vm.heap.set_memory_limit(Some(512 << 20));
    State {
        vm,
        driver,
        runs: 0,
    }
}

fuzz_target!(|data: &[u8]| {
    let (mode, json) = match data.split_first() {
        Some((m, rest)) => (*m, rest),
        None => (0, data),
    };
    STATE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let st = slot.get_or_insert_with(setup);
        let s = st.vm.str_value(json).expect("input string");
        let r = st
            .vm
            .pcall(st.driver, &[s, Value::Number(mode as f64)], None);
        if let Err(e) = r {
            let msg = match e.value {
                Value::String(m) => String::from_utf8_lossy(st.vm.str_bytes(m)).into_owned(),
                other => format!("{other:?}"),
            };
            // Only the memory limit may stop the driver itself.
            assert!(msg.contains("not enough memory"), "driver failed: {msg}");
        }
        st.runs += 1;
        if st.runs % 256 == 0 {
            st.vm.full_gc().expect("gc");
        }
    });
});
