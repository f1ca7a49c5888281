//! Regression (found by fuzzing the VM): a tail call whose callee is a
//! table with `__call` ran the handler as a nested, non-tail call on the
//! Rust stack, so `return self(k - 1)` through `__call` recursed in Rust
//! until the process's stack overflowed. Lua 5.1 tail-calls the handler:
//! such a chain runs in constant space, however long.

use ferrous_vm::{Value, Vm};

const CHAIN: &str = r#"
local obj, mt = ...
local calls = 0
mt.__call = function(self, k)
  calls = calls + 1
  if k == 0 then return "done", calls end
  return self(k - 1)
end
return obj(200000)
"#;

#[test]
fn call_metamethod_in_tail_position_uses_no_stack() {
    // A small Rust stack: any per-level Rust recursion would overflow it.
    let t = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(|| {
            let mut vm = Vm::new();
            let obj = vm.new_table(0, 0).expect("table");
            let mt = vm.new_table(0, 1).expect("metatable");
            vm.set_metatable(Value::Table(obj), Some(mt))
                .expect("setmetatable");
            let f = vm.load(CHAIN.as_bytes(), b"=chain").expect("compiles");
            let r = vm
                .call(f, &[Value::Table(obj), Value::Table(mt)])
                .map_err(|e| format!("{:?}", e.value));
            let r = r.expect("the chain runs to its end");
            let first = match r.first() {
                Some(Value::String(s)) => vm.str_bytes(*s).to_vec(),
                other => panic!("unexpected result {other:?}"),
            };
            (first, r.get(1).copied())
        })
        .expect("spawn");
    let (first, calls) = t.join().expect("no stack overflow");
    assert_eq!(first, b"done");
    assert_eq!(calls, Some(Value::Number(200001.0)));
}
