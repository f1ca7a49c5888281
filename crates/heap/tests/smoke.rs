use ferrous_heap::testing::*;
use ferrous_heap::*;
use ferrous_value::Value;

#[test]
fn basics() {
    let mut heap: Heap<TestTypes> = Heap::new();
    let base = heap.bytes_in_use();
    let t = heap.new_table(0, 0).unwrap();
    let k = heap.intern(b"answer").unwrap();
    assert_eq!(heap.intern(b"answer").unwrap(), k);
    heap.table_set(t, Value::String(k), Value::Number(42.0))
        .unwrap();
    for i in 1..=100 {
        heap.table_set_int(t, i, Value::Number(i as f64)).unwrap();
    }
    assert_eq!(heap.table(t).unwrap().border(), 100);
    assert_eq!(heap.table(t).unwrap().get_str(k), Value::Number(42.0));
    let p = heap.pin(Value::Table(t));
    heap.full_collect(&NoRoots);
    assert!(heap.is_live(Value::Table(t)));
    assert!(heap.is_live(Value::String(k)));
    heap.unpin(p);
    heap.full_collect(&NoRoots);
    assert!(!heap.is_live(Value::Table(t)));
    assert!(!heap.is_live(Value::String(k)));
    assert_eq!(heap.bytes_in_use(), base);
}

#[test]
fn intern_map_accounting_follows_growth_and_shrink() {
    for n in [10usize, 100, 200, 300, 1000, 5000] {
        let mut heap: Heap<TestTypes> = Heap::new();
        let mut pins = Vec::new();
        for i in 0..n {
            let s = heap.intern(format!("k{i}").as_bytes()).unwrap();
            pins.push(heap.pin(Value::String(s)));
            assert_eq!(heap.audit_bytes(), heap.bytes_in_use(), "n={n} i={i}");
        }
        for p in pins.drain(..n / 2) {
            heap.unpin(p);
        }
        heap.full_collect(&NoRoots);
        assert_eq!(heap.audit_bytes(), heap.bytes_in_use(), "n={n} half");
        for p in pins {
            heap.unpin(p);
        }
        heap.full_collect(&NoRoots);
        assert_eq!(heap.audit_bytes(), heap.bytes_in_use(), "n={n} all");
        heap.full_collect(&NoRoots);
        assert_eq!(heap.audit_bytes(), heap.bytes_in_use(), "n={n} again");
    }
}

#[test]
fn long_strings_survive_reuse_of_their_side_slots() {
    let mut heap: Heap<TestTypes> = Heap::new();
    let mut kept = Vec::new();
    for round in 0..4 {
        let mut pins = Vec::new();
        for i in 0..200 {
            let b = format!("{round}: a string longer than sixteen bytes #{i}").into_bytes();
            let s = heap.intern(&b).unwrap();
            if i % 3 == 0 {
                kept.push((s, b, heap.pin(Value::String(s))));
            } else {
                pins.push(heap.pin(Value::String(s)));
            }
        }
        for p in pins {
            heap.unpin(p);
        }
        heap.full_collect(&NoRoots);
        for (s, b, _) in &kept {
            assert_eq!(heap.str_bytes(*s), Some(&b[..]));
            assert_eq!(heap.intern(b).unwrap(), *s);
        }
        assert_eq!(heap.audit_bytes(), heap.bytes_in_use());
    }
    let short = heap.intern(b"exactly16bytes!!").unwrap();
    assert_eq!(heap.str_bytes(short), Some(&b"exactly16bytes!!"[..]));
    let seventeen = heap.intern(b"seventeen bytes!!").unwrap();
    assert_eq!(heap.str_bytes(seventeen), Some(&b"seventeen bytes!!"[..]));
    let empty = heap.intern(b"").unwrap();
    assert_eq!(heap.str_bytes(empty), Some(&b""[..]));
}

#[test]
fn split_reads_a_function_while_writing_a_table() {
    let mut heap: Heap<TestTypes> = Heap::new();
    let t = heap.new_table(0, 0).unwrap();
    let k = heap.intern(b"k").unwrap();
    let f = heap
        .alloc_fn(TestFn {
            refs: vec![Value::String(k), Value::Number(7.0)],
            upvals: vec![],
        })
        .unwrap();
    let sp = heap.split();
    let func = sp.functions.get(f).unwrap();
    let mut tables = sp.tables;
    tables.set(t, func.refs[0], func.refs[1]).unwrap();
    tables.barrier_fn(f, Value::Table(t));
    assert_eq!(tables.get(t).unwrap().get_str(k), Value::Number(7.0));
    assert_eq!(sp.strings.get(k), Some(&b"k"[..]));
}

/// The count does not depend on the intern map's random hash seed: two
/// heaps (each with its own seed) doing the same work report the same
/// bytes at every step, through growth, removals (tombstones) and
/// shrinking. Before the map was charged its nominal size, the real
/// table's growth (which depends on where the hashes put tombstones) made
/// `collectgarbage("count")` differ from run to run.
#[test]
fn byte_count_is_the_same_whatever_the_hash_seed() {
    fn run() -> Vec<usize> {
        let mut heap: Heap<TestTypes> = Heap::new();
        let mut counts = Vec::new();
        let mut pins = std::collections::VecDeque::new();
        for i in 0..20_000u32 {
            let s = heap
                .intern(format!("s{}", i.wrapping_mul(2_654_435_761)).as_bytes())
                .unwrap();
            pins.push_back(heap.pin(Value::String(s)));
            if pins.len() > 300 {
                if let Some(p) = pins.pop_front() {
                    heap.unpin(p);
                }
            }
            if i % 97 == 0 {
                heap.full_collect(&NoRoots);
            }
            counts.push(heap.bytes_in_use());
        }
        while let Some(p) = pins.pop_front() {
            heap.unpin(p);
        }
        heap.full_collect(&NoRoots);
        counts.push(heap.bytes_in_use());
        assert_eq!(heap.audit_bytes(), heap.bytes_in_use());
        counts
    }
    let first = run();
    for _ in 0..3 {
        assert!(run() == first, "byte counts differ between heaps");
    }
}
