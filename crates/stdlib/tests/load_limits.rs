//! `load` with a reader function that never ends: under a memory limit it
//! returns nil and "not enough memory", as lua5.1's load does when its
//! buffer cannot grow, and the calls to the reader reach the instruction
//! budget hook (found by the `vm` fuzz target as a timeout).

use ferrous_vm::{ErrorKind, Value, Vm};

fn vm_with_base() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_base(&mut vm).expect("base");
    vm
}

fn text(vm: &Vm, v: Value) -> String {
    match v {
        Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
        other => format!("{other:?}"),
    }
}

#[test]
fn endless_reader_fails_with_not_enough_memory() {
    let mut vm = vm_with_base();
    vm.heap.set_memory_limit(Some(8 << 20));
    let src = "local f, e = load(function() return 'return' end) return f, e";
    let f = vm.load(src.as_bytes(), b"=t").expect("compiles");
    let r = vm
        .pcall(f, &[], None)
        .expect("load reports the failure itself");
    assert_eq!(r.first(), Some(&Value::Nil));
    assert_eq!(text(&vm, r[1]), "not enough memory");
    // The charge was given back and the state still works.
    vm.full_gc().expect("gc");
    assert!(vm.heap.bytes_in_use() < 4 << 20);
    let f = vm
        .load(
            b"return load(function() local s = p; p = nil; return s end)",
            b"=t",
        )
        .expect("compiles");
    let g = vm.load(b"p = 'return 1 + 2'", b"=t").expect("compiles");
    vm.pcall(g, &[], None).expect("runs");
    let r = vm.pcall(f, &[], None).expect("runs");
    let r = vm.pcall(r[0], &[], None).expect("loaded chunk runs");
    assert_eq!(r.first(), Some(&Value::Number(3.0)));
}

#[test]
fn endless_reader_reaches_the_budget_hook() {
    let mut vm = vm_with_base();
    let calls = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let seen = calls.clone();
    vm.set_budget_hook(
        1000,
        Some(Box::new(move |vm: &mut Vm| {
            seen.set(seen.get() + 1);
            if seen.get() >= 10 {
                Err(vm.interrupt_error("budget"))
            } else {
                Ok(())
            }
        })),
    );
    let src = "return load(function() return 'return' end)";
    let f = vm.load(src.as_bytes(), b"=t").expect("compiles");
    let e = vm.pcall(f, &[], None).expect_err("the hook stops it");
    assert_eq!(e.kind, ErrorKind::Interrupted);
    assert_eq!(calls.get(), 10);
}
