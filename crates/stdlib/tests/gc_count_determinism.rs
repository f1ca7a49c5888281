//! `collectgarbage("count")` is the same on every run of a program (issue
//! 15): each state's string intern map has its own random hash seed, and
//! the count must not depend on it (it once did, through the map's real
//! allocation: four runs of this program gave four different sequences).
//! Every `Vm` below gets a fresh seed, like a new process.

use ferrous_vm::{Value, Vm};

const PROGRAM: &str = r#"
local out = {}
for i = 1, 3000 do
  local t = {}
  for j = 1, 20 do t[j] = tostring(i * j) .. "x" .. j end
  if i % 100 == 0 then out[#out + 1] = string.format("%.0f", collectgarbage("count") * 1024) end
end
collectgarbage()
out[#out + 1] = string.format("%.0f", collectgarbage("count") * 1024)
return table.concat(out, " ")
"#;

fn run() -> String {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("libs");
    let f = vm.load(PROGRAM.as_bytes(), b"=gc").expect("compiles");
    let r = vm.pcall(f, &[], None).expect("runs");
    match r.first() {
        Some(Value::String(s)) => String::from_utf8_lossy(vm.str_bytes(*s)).into_owned(),
        other => panic!("unexpected result {other:?}"),
    }
}

#[test]
fn count_sequence_is_the_same_on_every_run() {
    let first = run();
    assert_eq!(first.split(' ').count(), 31);
    for _ in 0..4 {
        assert_eq!(run(), first);
    }
}
