//! Compiling is charged to the memory limit (issue 12, item 4): the parse
//! tree and compiler output of a chunk are not heap objects, so their
//! peak is reserved against the limit (an estimate from the source size)
//! before they are built. A huge chunk loaded under a limit fails with
//! "not enough memory" without the process growing past the limit.

use ferrous_vm::{Value, Vm};

const LIMIT: usize = 32 << 20;

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn run(vm: &mut Vm, src: &str) -> Vec<Value> {
    let f = vm.load(src.as_bytes(), b"=t").expect("compiles");
    vm.pcall(f, &[], None).expect("runs")
}

fn text(vm: &Vm, v: Value) -> String {
    match v {
        Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
        other => format!("{other:?}"),
    }
}

#[test]
fn huge_chunks_fail_under_the_limit_without_growing_the_process() {
    let mut vm = Vm::new();
    ferrous_stdlib::open_libs(&mut vm).expect("standard library");
    vm.heap.set_memory_limit(Some(LIMIT));
    let before = peak_rss_kb();
    for src in [
        // 6 MB of statements (about 330 MB to compile).
        "local f, e = loadstring(string.rep('x = x + 1\\n', 6e5)) return f, e",
        // 8 MB of table items, through a reader function.
        "local done = false \
         local f, e = load(function() if done then return nil end done = true \
           return 'local t = {' .. string.rep('1,', 4e6) .. '}' end) return f, e",
    ] {
        let r = run(&mut vm, src);
        assert_eq!(r.first(), Some(&Value::Nil), "{src}");
        assert_eq!(text(&vm, r[1]), "not enough memory", "{src}");
    }
    // Small chunks still load and run, and the state is fine.
    let r = run(
        &mut vm,
        "local f = assert(loadstring(string.rep('x = (x or 0) + 1\\n', 1e4))) f() return x",
    );
    assert_eq!(r.first(), Some(&Value::Number(1e4)));
    let grown_kb = peak_rss_kb().saturating_sub(before);
    assert!(
        grown_kb < (4 * LIMIT as u64 + (64 << 20)) / 1024,
        "peak RSS grew by {grown_kb} kB"
    );
}
