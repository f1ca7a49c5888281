//! `cmsgpack.unpack`, `unpack_one` and `unpack_limit` on arbitrary bytes:
//! never panic, never hang, never grow without bound (the VM runs under a
//! memory limit), and what unpacks packs again and unpacks again (a nil
//! key from tables nested past the packer's limit aside).
//!
//! The first byte picks the call: 0-127 `unpack`, 128-191 `unpack_one`
//! at offset (byte 1), 192-255 `unpack_limit` with limit (byte 1 % 8)
//! and offset (byte 2).
#![no_main]

use std::cell::RefCell;

use ferrous_vm::{Value, Vm};
use libfuzzer_sys::fuzz_target;

const DRIVER: &str = r#"
local data, mode, a, b = ...
local r
if mode < 128 then
  r = {pcall(cmsgpack.unpack, data)}
elseif mode < 192 then
  r = {pcall(cmsgpack.unpack_one, data, a)}
else
  r = {pcall(cmsgpack.unpack_limit, data, a % 8, b)}
end
if not r[1] then
  assert(type(r[2]) == "string", "error values are strings")
  return false
end
local n = #r
-- unpack_limit(s, 0, 0) decodes everything and returns no offset.
local all = mode < 128 or (mode >= 192 and a % 8 == 0 and b == 0)
if not all then
  assert(type(r[2]) == "number", "offset first")
end
if n > 1 and n < 3000 then
  local first = all and 2 or 3
  if n >= first then
    local ok, p = pcall(cmsgpack.pack, unpack(r, first, n))
    assert(ok, p)
    -- Tables nested past the packer's limit become nil, so a map key
    -- that deep comes back as a nil key (Redis does the same).
    local again = {pcall(cmsgpack.unpack, p)}
    assert(again[1] or again[2] == "table index is nil", again[2])
  end
end
return true
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
    ferrous_stdlib::open_cmsgpack(&mut vm).expect("cmsgpack");
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
    let mode = data.first().copied().unwrap_or(0);
    let a = data.get(1).copied().unwrap_or(0);
    let b = data.get(2).copied().unwrap_or(0);
    let body = if mode < 128 {
        data.get(1..).unwrap_or(&[])
    } else {
        data.get(3..).unwrap_or(&[])
    };
    STATE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let st = slot.get_or_insert_with(setup);
        let s = st.vm.str_value(body).expect("input string");
        let args = [
            s,
            Value::Number(mode as f64),
            Value::Number(a as f64),
            Value::Number(b as f64),
        ];
        if let Err(e) = st.vm.pcall(st.driver, &args, None) {
            let msg = match e.value {
                Value::String(m) => String::from_utf8_lossy(st.vm.str_bytes(m)).into_owned(),
                other => format!("{other:?}"),
            };
            assert!(msg.contains("not enough memory"), "driver failed: {msg}");
        }
        st.runs += 1;
        if st.runs % 256 == 0 {
            st.vm.full_gc().expect("gc");
        }
    });
});
