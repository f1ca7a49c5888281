//! Library functions that run long without calling Lua charge the
//! instruction budget as they go (issue 12, item 7), so a time limit or
//! SCRIPT KILL (the budget hook, the kill flag) reaches them: a pattern
//! match that backtracks for minutes, gsub over a long subject, sorting
//! and concatenating big tables, string.rep.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ferrous_vm::{Value, Vm};

fn vm() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("standard library");
    ferrous_stdlib::open_cjson(&mut vm).expect("cjson");
    ferrous_stdlib::open_cmsgpack(&mut vm).expect("cmsgpack");
    vm
}

fn message(vm: &Vm, v: Value) -> String {
    match v {
        Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
        other => format!("{other:?}"),
    }
}

/// Runs `src` with a hook that stops it 200 ms in; returns how long it
/// took and the error message.
fn run_stopped(src: &str) -> (Duration, String) {
    let mut vm = vm();
    let start = Instant::now();
    vm.set_budget_hook(
        100,
        Some(Box::new(move |vm: &mut Vm| {
            if start.elapsed() > Duration::from_millis(200) {
                Err(vm.interrupt_error("time limit"))
            } else {
                Ok(())
            }
        })),
    );
    let f = vm.load(src.as_bytes(), b"=t").expect("compiles");
    let r = vm.pcall(f, &[], None);
    let took = start.elapsed();
    match r {
        Ok(v) => (took, format!("returned {v:?}")),
        Err(e) => (took, message(&vm, e.value)),
    }
}

#[test]
fn backtracking_match_reaches_the_time_limit() {
    // The issue's case: hours of backtracking in one string.find call.
    for src in [
        "return string.find(string.rep('a', 300), string.rep('%a-', 8) .. '%d')",
        "return string.match(string.rep('a', 300), string.rep('%a*', 8) .. '%d')",
        "return string.gsub(string.rep('a', 300), string.rep('%a-', 8) .. '%d', '')",
        "for m in string.gmatch(string.rep('a', 300), string.rep('%a-', 8) .. '%d') do end",
        // pcall cannot catch the stop.
        "return pcall(string.find, string.rep('a', 300), string.rep('%a-', 8) .. '%d')",
    ] {
        let (took, msg) = run_stopped(src);
        assert!(msg.contains("time limit"), "{src}: {msg}");
        assert!(took < Duration::from_secs(3), "{src}: took {took:?}");
    }
}

#[test]
fn long_natives_reach_the_time_limit() {
    for src in [
        // Many cheap matches over a long subject, again and again.
        "local s = string.rep('ab', 5e6) while true do s:gsub('a', 'c') end",
        // Sorting big tables of numbers and strings, without comparator.
        "local t = {} for i = 1, 3e5 do t[i] = (i * 7919) % 1000003 end \
         while true do table.sort(t) for i = 1, #t, 2 do t[i] = -t[i] end end",
        "local t = {} for i = 1, 2e5 do t[i] = tostring((i * 7919) % 1000003) end \
         while true do table.sort(t) t[1], t[#t] = t[#t], t[1] end",
        // Concatenating a big table, again and again.
        "local t = {} for i = 1, 1e6 do t[i] = 'x' end while true do table.concat(t) end",
        // Encoding and decoding big tables (cjson, cmsgpack).
        "local t = {} for i = 1, 1e6 do t[i] = i end          while true do cjson.decode(cjson.encode(t)) end",
        "local t = {} for i = 1, 1e6 do t[i] = i end while true do cmsgpack.pack(t) end",
    ] {
        let (took, msg) = run_stopped(src);
        assert!(msg.contains("time limit"), "{src}: {msg}");
        assert!(took < Duration::from_secs(5), "{src}: took {took:?}");
    }
}

#[test]
fn a_kill_flag_stops_a_match() {
    let mut vm = vm();
    let flag = Arc::new(AtomicBool::new(false));
    vm.set_kill_flag(Some(flag.clone()));
    let killer = {
        let flag = flag.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            flag.store(true, Ordering::Relaxed);
        })
    };
    let f = vm
        .load(
            b"return string.find(string.rep('a', 300), string.rep('%a-', 8) .. '%d')",
            b"=t",
        )
        .expect("compiles");
    let start = Instant::now();
    let r = vm.pcall(f, &[], None);
    let _ = killer.join();
    assert!(r.is_err(), "the kill stops the match");
    assert!(start.elapsed() < Duration::from_secs(3));
}

/// Runs `prelude` freely, then `call` under a hook that stops it 200 ms
/// in: one long native call, not a Lua loop, must reach the limit.
fn run_call_stopped(prelude: &str, call: &str) -> (Duration, String) {
    let mut vm = vm();
    let p = vm.load(prelude.as_bytes(), b"=prelude").expect("compiles");
    vm.pcall(p, &[], None).expect("prelude runs");
    let f = vm.load(call.as_bytes(), b"=t").expect("compiles");
    let start = Instant::now();
    vm.set_budget_hook(
        100,
        Some(Box::new(move |vm: &mut Vm| {
            if start.elapsed() > Duration::from_millis(200) {
                Err(vm.interrupt_error("time limit"))
            } else {
                Ok(())
            }
        })),
    );
    let r = vm.pcall(f, &[], None);
    let took = start.elapsed();
    match r {
        Ok(v) => (took, format!("returned {v:?}")),
        Err(e) => (took, message(&vm, e.value)),
    }
}

#[test]
fn one_long_unpack_or_read_reaches_the_time_limit() {
    for (prelude, call) in [
        // One array of 2^27 nils: cheap to build, long to decode.
        (
            "s = string.char(0xdd, 8, 0, 0, 0) .. string.rep('\\192', 2^27)",
            "return cmsgpack.unpack(s)",
        ),
        // Nested maps of small integers.
        (
            "s = string.char(0xdf, 1, 0, 0, 0) .. string.rep('\\1\\2', 2^24)",
            "return cmsgpack.unpack(s)",
        ),
        // Reading an endless file in one call (no memory limit here).
        ("f = io.open('/dev/zero', 'rb')", "return #f:read('*a')"),
        ("f = io.open('/dev/zero', 'rb')", "return #f:read('*l')"),
    ] {
        let (took, msg) = run_call_stopped(prelude, call);
        assert!(msg.contains("time limit"), "{call}: {msg}");
        assert!(took < Duration::from_secs(3), "{call}: took {took:?}");
    }
}

/// cmsgpack.unpack's first pass, which only scans the input to find how
/// far decoding reads, charges the budget too: here the second pass
/// cannot even start (copying the 128 MB input is over the memory
/// limit), so only the scan can reach the time limit.
#[test]
fn the_unpack_scan_alone_reaches_the_time_limit() {
    let mut vm = vm();
    let p = vm
        .load(
            b"s = string.char(0xdd, 8, 0, 0, 0) .. string.rep('\\192', 2^27)",
            b"=prelude",
        )
        .expect("compiles");
    vm.pcall(p, &[], None).expect("prelude runs");
    vm.full_gc().expect("gc");
    let used = vm.heap.bytes_in_use();
    vm.heap.set_memory_limit(Some(used + (64 << 20)));
    let f = vm
        .load(b"return cmsgpack.unpack(s)", b"=t")
        .expect("compiles");
    let start = Instant::now();
    vm.set_budget_hook(
        100,
        Some(Box::new(move |vm: &mut Vm| {
            if start.elapsed() > Duration::from_millis(100) {
                Err(vm.interrupt_error("time limit"))
            } else {
                Ok(())
            }
        })),
    );
    let r = vm.pcall(f, &[], None);
    let took = start.elapsed();
    let msg = match r {
        Ok(v) => format!("returned {v:?}"),
        Err(e) => message(&vm, e.value),
    };
    assert!(msg.contains("time limit"), "{msg}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

/// The scan's pauses (every 16384 items, inside nested containers) do not
/// change what is decoded, nor the offsets `unpack_one` and
/// `unpack_limit` return.
#[test]
fn unpack_across_the_scan_pauses_decodes_the_same() {
    let mut vm = vm();
    vm.set_budget_hook(100, Some(Box::new(|_: &mut Vm| Ok(()))));
    let src = r#"
        local t = {}
        for i = 1, 50000 do t[i] = {i, {i * 2, "s" .. i}, {a = i}} end
        local p = cmsgpack.pack(t, 7, t)
        local a, b, c = cmsgpack.unpack(p)
        assert(#a == 50000 and a[50000][2][2] == "s50000" and b == 7)
        assert(c[1234][3].a == 1234 and c[49999][2][1] == 99998)
        local off, x = cmsgpack.unpack_one(p)
        assert(#x == 50000 and x[17000][1] == 17000)
        local off2, y = cmsgpack.unpack_one(p, off)
        assert(y == 7 and off2 == off + 1)
        local off3, z = cmsgpack.unpack_one(p, off2)
        assert(off3 == -1 and z[33333][3].a == 33333)
        local o, u, v = cmsgpack.unpack_limit(p, 2)
        assert(o == off2 and v == 7 and u[2][3].a == 2)
        -- Cut inside the last value: the scan reads to the end.
        local ok, e = pcall(cmsgpack.unpack, p:sub(1, -2))
        assert(not ok and e:find("Missing bytes in input.", 1, true), e)
        return "ok"
    "#;
    let f = vm.load(src.as_bytes(), b"=t").expect("compiles");
    match vm.pcall(f, &[], None) {
        Ok(v) => assert_eq!(message(&vm, v[0]), "ok"),
        Err(e) => panic!("{}", message(&vm, e.value)),
    }
}
