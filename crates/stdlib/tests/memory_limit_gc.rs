//! The memory limit counts live memory, not garbage (issue 12, item 5):
//! under a limit the collector starts early enough, finishes its cycle
//! near the limit, runs even when a script stopped it, and a caught
//! "not enough memory" gives the garbage back so the script goes on.

use ferrous_vm::{Value, Vm};

const LIMIT: usize = 16 << 20;

fn vm() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("standard library");
    vm.heap.set_memory_limit(Some(LIMIT));
    vm
}

fn run(vm: &mut Vm, src: &str) -> Result<Vec<Value>, String> {
    let f = vm
        .load(src.as_bytes(), b"=t")
        .map_err(|_| "compile".to_string())?;
    vm.pcall(f, &[], None).map_err(|e| match e.value {
        Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
        other => format!("{other:?}"),
    })
}

/// Makes about 200 MB of garbage (strings and tables) with little live.
const CHURN: &str = r#"
local keep = {}
for i = 1, 20000 do
  local t = {}
  for j = 1, 20 do t[j] = string.rep("x", 400) .. i .. j end
  keep[i % 50 + 1] = t
end
return #keep
"#;

#[test]
fn garbage_never_fails_an_allocation() {
    for round in 0..12 {
        let mut vm = vm();
        assert_eq!(
            run(&mut vm, CHURN),
            Ok(vec![Value::Number(50.0)]),
            "round {round}"
        );
    }
}

#[test]
fn a_stopped_collector_still_collects_near_the_limit() {
    let mut vm = vm();
    run(&mut vm, "collectgarbage('stop')").expect("stops");
    for round in 0..5 {
        assert_eq!(
            run(&mut vm, CHURN),
            Ok(vec![Value::Number(50.0)]),
            "round {round}"
        );
    }
}

#[test]
fn caught_memory_errors_leave_the_script_room_to_go_on() {
    let mut vm = vm();
    let src = r#"
local fails = 0
for i = 1, 20 do
  local ok, e = pcall(function()
    local t = {}
    for j = 1, 1e8 do t[j] = "v" .. j end
  end)
  if not ok and e == "not enough memory" then fails = fails + 1 end
end
-- Everything the failed attempts built is garbage now.
local t = {}
for j = 1, 1e5 do t[j] = "w" .. j end
return fails, #t
"#;
    assert_eq!(
        run(&mut vm, src),
        Ok(vec![Value::Number(20.0), Value::Number(1e5)])
    );
    // The state stays usable and under its limit.
    assert!(vm.heap.bytes_in_use() <= LIMIT);
}
