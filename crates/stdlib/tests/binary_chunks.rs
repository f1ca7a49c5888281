//! Edited binary chunks (issue 12, crash 2): `loadstring` of a damaged
//! `string.dump` result either refuses it ("bad code in precompiled
//! chunk", ...) or runs it safely. A vararg-flag edit used to get past the
//! loader and index the stack out of bounds when the function was called.
//!
//! Chunks are Lua 5.1's binary format (`ferrous_compiler::binary`);
//! tests/luac51_chunks.rs compares them with luac5.1's.
//!
//! The sweep below edits every byte of the dumps of a few functions in
//! several ways, loads each result and runs what loads under an
//! instruction budget. The `ci` profile keeps debug assertions on, so the
//! loop's unchecked accesses are asserted too: any out-of-range register,
//! constant or pc fails the test, not only a panic.

use std::sync::Arc;

use ferrous_compiler::bytecode::{vararg, Instr, Proto};
use ferrous_stdlib::dump::{load_chunk, undump};
use ferrous_vm::{Value, Vm};

const SNIPPETS: &[&str] = &[
    // varargs: select, VARARG with B = 0 feeding CALL/RETURN/SETLIST
    "local function f(...) local t = {...} return select('#', ...), #t, ... end \
     return f(1, nil, 3)",
    // the 5.1 `arg` table (a vararg function that never uses `...`)
    "local function g(a, ...) return a, arg and arg.n end return g(1, 2, 3)",
    // closures and upvalues, numeric and generic for
    "local acc = {} for i = 1, 3 do acc[i] = function() return i end end \
     local s = 0 for _, f in ipairs(acc) do s = s + f() end \
     local function counter() local n = 0 return function() n = n + 1 return n end end \
     local c = counter() c() return s, c()",
    // methods, concat, comparisons, tail calls
    "local o = {v = 'x'} function o:m(a, b) return self.v .. a .. b end \
     local function t(n) if n <= 0 then return o:m('y', n) end return t(n - 1) end \
     return t(5), 1 < 2, 'a' <= 'b', not nil",
    // tables: constructors with many items (SETLIST blocks), lengths
    "local t = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
     21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, \
     41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, x = 1, y = {}} \
     return #t, t.x, (string.rep('a', 3))",
];

fn fresh_vm() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("standard library");
    let sandbox = "os, io, dofile, loadfile, print, require, module, package = nil";
    let f = vm.load(sandbox.as_bytes(), b"=sandbox").expect("compiles");
    vm.call(f, &[]).expect("runs");
    vm.heap.set_memory_limit(Some(32 << 20));
    let mut ticks = 0u32;
    vm.set_budget_hook(
        1000,
        Some(Box::new(move |vm: &mut Vm| {
            ticks += 1;
            if ticks % 20 == 0 {
                Err(vm.interrupt_error("budget"))
            } else {
                Ok(())
            }
        })),
    );
    vm
}

fn dump_of(vm: &mut Vm, src: &str) -> Vec<u8> {
    let f = vm
        .load(src.as_bytes(), b"=snippet")
        .expect("snippet compiles");
    ferrous_stdlib::dump::dump_function(vm, f)
        .expect("a Lua function dumps")
        .expect("within 5.1's format")
}

/// Loads `chunk` and, when it loads, calls it with a few arguments.
fn load_and_run(vm: &mut Vm, chunk: &[u8]) {
    if let Ok(f) = load_chunk(vm, chunk, b"=edited") {
        let args = [Value::Number(1.0), Value::Nil, Value::Boolean(true)];
        let _ = vm.pcall(f, &args, None);
    }
}

#[test]
fn every_byte_edit_of_a_dump_loads_cleanly_or_is_refused() {
    let mut runs = 0usize;
    for src in SNIPPETS {
        let mut vm = fresh_vm();
        let dump = dump_of(&mut vm, src);
        for pos in 0..dump.len() {
            let old = dump[pos];
            for new in [
                old ^ 1,
                old ^ 0x80,
                old.wrapping_add(1),
                old.wrapping_sub(1),
                0,
                7,
                0xff,
            ] {
                if new == old {
                    continue;
                }
                let mut edited = dump.clone();
                edited[pos] = new;
                load_and_run(&mut vm, &edited);
                runs += 1;
            }
        }
    }
    assert!(runs > 5_000, "{runs} edited chunks");
}

/// The dump of `src`'s compiled prototype after `edit`.
fn edited_dump(src: &str, edit: impl Fn(&mut Proto)) -> Vec<u8> {
    let mut p = ferrous_compiler::compile_source(src.as_bytes(), b"=t").expect("compiles");
    edit(&mut p);
    // string.dump only dumps loaded, hence valid, functions.
    ferrous_stdlib::dump::dump_proto_bytes(&p).expect("within 5.1's format")
}

/// Loads an edited prototype: it must be refused as bad code.
fn refused(src: &str, what: &str, edit: impl Fn(&mut Proto)) {
    let chunk = edited_dump(src, edit);
    let mut vm = fresh_vm();
    match load_chunk(&mut vm, &chunk, b"=edited") {
        Ok(f) => {
            let r = vm.pcall(f, &[Value::Number(1.0)], None);
            panic!("{what}: an edited chunk loaded (ran: {:?})", r.is_ok());
        }
        Err(e) => {
            let msg = match e.value {
                Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
                _ => String::new(),
            };
            assert_eq!(msg, "edited: bad code in precompiled chunk", "{what}");
        }
    }
}

#[test]
fn dumped_prototypes_read_back_and_run() {
    let src = SNIPPETS[2];
    let p = ferrous_compiler::compile_source(src.as_bytes(), b"=t").expect("compiles");
    let bytes = ferrous_stdlib::dump::dump_proto_bytes(&p).expect("fits");
    let back = undump(&bytes).expect("reads back");
    assert_eq!(back.code, p.code);
    assert_eq!(back.protos.len(), p.protos.len());
    let mut vm = fresh_vm();
    let f = load_chunk(&mut vm, &bytes, b"=t").expect("loads");
    vm.pcall(f, &[], None).expect("runs");
}

#[test]
fn edits_the_vm_cannot_run_are_refused() {
    let va = "local function f(a, b, ...) return a, b end return f(1, 2, 3)";
    // The crash of issue 12: `arg` table requested with no slot for it.
    refused(va, "NEEDS_ARG without room", |p| {
        let c = Arc::make_mut(&mut p.protos[0]);
        c.is_vararg = vararg::IS_VARARG | vararg::HAS_ARG | vararg::NEEDS_ARG;
        c.max_stack = c.num_params as u32;
    });
    refused(va, "NEEDS_ARG without HAS_ARG", |p| {
        let c = Arc::make_mut(&mut p.protos[0]);
        c.is_vararg = vararg::IS_VARARG | vararg::NEEDS_ARG;
    });
    refused(va, "unknown vararg bits", |p| p.is_vararg |= 0x40);
    refused(va, "more parameters than slots", |p| {
        let c = Arc::make_mut(&mut p.protos[0]);
        c.num_params = c.max_stack as u16 + 1;
    });
    // 5.1's MAXSTACK is 250 (the byte could say 255).
    let mut chunk = edited_dump(va, |_| {});
    let at = 12 + 11 + 8 + 3; // header, source "=t\0", lines, 3 bytes
    assert_eq!(chunk[at] as u32, {
        let p = ferrous_compiler::compile_source(va.as_bytes(), b"=t").expect("compiles");
        p.max_stack
    });
    chunk[at] = 251;
    let mut vm = fresh_vm();
    let e = load_chunk(&mut vm, &chunk, b"=edited").expect_err("MAXSTACK");
    let Value::String(m) = e.value else {
        panic!("message")
    };
    assert_eq!(vm.str_bytes(m), b"edited: bad code in precompiled chunk");
    // Open results taken without a producer: CALL B = 0 after a LOADNIL.
    refused("local f = ... return f(nil)", "CALL B=0 unfed", |p| {
        for i in p.code.iter_mut() {
            if let Instr::Call { b, .. } | Instr::TailCall { b, .. } = i {
                *b = 0;
            }
        }
    });
    // A producer whose values start above the taker's function slot.
    refused(
        "local f = ... return f(1, ...)",
        "VARARG feeding a CALL below it",
        |p| {
            for i in p.code.iter_mut() {
                if let Instr::VarArg { a, .. } = i {
                    *a = 0;
                }
                if let Instr::TailCall { a, .. } = i {
                    *a = 1;
                }
            }
        },
    );
    // A backward FORPREP would loop without charging the budget.
    refused("for i = 1, 2 do end", "backward FORPREP", |p| {
        for i in p.code.iter_mut() {
            if let Instr::ForPrep { sbx, .. } = i {
                *sbx = -1;
            }
        }
    });
    // LOADBOOL skipping the final RETURN.
    refused("local a = 1 < 2", "LOADBOOL past the end", |p| {
        let n = p.code.len();
        p.code[n - 2] = Instr::LoadBool { a: 0, b: 1, c: 1 };
    });
    // One prototype under two CLOSUREs (exponential loading).
    refused(
        "local f = function() end local g = 1",
        "shared prototype",
        |p| {
            let n = p.code.len();
            p.code[n - 2] = Instr::Closure { a: 1, bx: 0 };
        },
    );
    refused("return function() end", "unused prototype", |p| {
        let child = p.protos[0].clone();
        p.protos.push(child);
    });
}

#[test]
fn deeply_nested_prototypes_are_refused_without_recursion() {
    // Nested functions past MAX_NESTING, built by hand: verify walks them
    // with an explicit stack and refuses them, so loading never recurses
    // that deep.
    let mut p =
        ferrous_compiler::compile_source(b"return function() end", b"=t").expect("compiles");
    let leaf = p.protos[0].clone();
    let mut cur = leaf;
    for _ in 0..ferrous_compiler::MAX_NESTING + 10 {
        let mut outer = p.clone();
        outer.protos = vec![cur];
        cur = Arc::new(outer);
    }
    p.protos = vec![cur];
    let e = ferrous_compiler::verify(&p).expect_err("too deep");
    assert!(e.contains("nested too deep"), "{e}");
    let mut vm = Vm::new();
    let env = vm.thread_globals();
    assert!(vm.load_proto(Arc::new(p), env).is_err());
}
