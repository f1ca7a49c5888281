//! Unit tests of Lua 5.1 rules the heap implements. Expected behaviour
//! comes from lua5.1 (the programs are quoted in each test).

use ferrous_heap::testing::TestTypes;
use ferrous_heap::{GcPhase, Heap, HeapError, Marker, NoRoots, Tm};
use ferrous_value::{TableRef, UdRef, Value};

fn heap() -> Heap<TestTypes> {
    Heap::new()
}

fn gc_meta(h: &mut Heap<TestTypes>) -> TableRef {
    let mt = h.new_table(0, 1).unwrap();
    let k = h.tm_name(Tm::Gc);
    h.table_set_str(mt, k, Value::Boolean(true)).unwrap();
    mt
}

fn weak(h: &mut Heap<TestTypes>, mode: &str) -> TableRef {
    let mt = h.new_table(0, 1).unwrap();
    let k = h.tm_name(Tm::Mode);
    let m = h.intern(mode.as_bytes()).unwrap();
    h.table_set_str(mt, k, Value::String(m)).unwrap();
    let t = h.new_table(0, 0).unwrap();
    h.set_metatable(t, Some(mt)).unwrap();
    t
}

fn count(h: &Heap<TestTypes>, t: TableRef) -> usize {
    let mut n = 0;
    let mut k = Value::Nil;
    while let Some((nk, _)) = h.table_next(t, &k).unwrap() {
        n += 1;
        k = nk;
    }
    n
}

#[test]
fn errors_carry_lua_messages() {
    let mut h = heap();
    let t = h.new_table(0, 0).unwrap();
    assert_eq!(
        h.table_set(t, Value::Nil, Value::Number(1.0)),
        Err(HeapError::IndexIsNil)
    );
    assert_eq!(
        h.table_set(t, Value::Number(f64::NAN), Value::Number(1.0)),
        Err(HeapError::IndexIsNaN)
    );
    assert_eq!(HeapError::IndexIsNil.to_string(), "table index is nil");
    assert_eq!(HeapError::IndexIsNaN.to_string(), "table index is NaN");
    assert_eq!(HeapError::OutOfMemory.to_string(), "not enough memory");
    // next(t, k) with a key not in the table.
    h.table_set_int(t, 1, Value::Boolean(true)).unwrap();
    assert_eq!(
        h.table_next(t, &Value::Number(2.5)),
        Err(HeapError::InvalidNextKey)
    );
    assert_eq!(
        HeapError::InvalidNextKey.to_string(),
        "invalid key to 'next'"
    );
    // Reads of nil and NaN are plain misses.
    let tab = h.table(t).unwrap();
    assert_eq!(tab.get(&Value::Nil), Value::Nil);
    assert_eq!(tab.get(&Value::Number(f64::NAN)), Value::Nil);
    // The table is still usable.
    assert_eq!(tab.border(), 1);
}

#[test]
fn integer_valued_floats_and_negative_zero() {
    // lua5.1: t={} t[-0]=1 for k in pairs(t) do print(k) end  --> -0
    // and t[0] finds the same entry.
    let mut h = heap();
    let t = h.new_table(0, 0).unwrap();
    h.table_set(t, Value::Number(-0.0), Value::Number(1.0))
        .unwrap();
    let tab = h.table(t).unwrap();
    assert_eq!(tab.get(&Value::Number(0.0)), Value::Number(1.0));
    let (k, _) = tab.next(&Value::Nil).unwrap().unwrap();
    assert!(matches!(k, Value::Number(z) if z == 0.0 && z.is_sign_negative()));
    // 2.0 and 2 are one key.
    h.table_set(t, Value::Number(2.0), Value::Number(5.0))
        .unwrap();
    assert_eq!(h.table(t).unwrap().get_int(2), Value::Number(5.0));
}

#[test]
fn nil_assignment_during_traversal_keeps_next_valid() {
    let mut h = heap();
    let t = h.new_table(0, 0).unwrap();
    for i in 0..50 {
        let k = h.intern(format!("k{i}").as_bytes()).unwrap();
        h.table_set_str(t, k, Value::Number(i as f64)).unwrap();
        h.table_set_int(t, i + 1, Value::Number(i as f64)).unwrap();
    }
    let mut k = Value::Nil;
    let mut seen = 0;
    while let Some((nk, _)) = h.table_next(t, &k).unwrap() {
        h.table_set(t, nk, Value::Nil).unwrap();
        // A collection in the middle turns the removed keys dead; next
        // still accepts them.
        if seen == 30 {
            h.full_collect(&|m: &mut Marker<'_>| m.mark_table(t));
        }
        seen += 1;
        k = nk;
    }
    assert_eq!(seen, 100);
    assert_eq!(count(&h, t), 0);
}

#[test]
fn finalizers_run_newest_first_once_and_resurrect() {
    // lua5.1: three newproxy(true) with __gc, dropped, collectgarbage()
    // --> finalizers run in the order c b a.
    let mut h = heap();
    let mt = gc_meta(&mut h);
    let p = h.pin(Value::Table(mt));
    let uds: Vec<UdRef> = (0..3)
        .map(|i| {
            let u = h.new_userdata(Box::new(i), 0).unwrap();
            h.set_ud_metatable(u, Some(mt)).unwrap();
            u
        })
        .collect();
    h.full_collect(&NoRoots);
    assert_eq!(h.gc_phase(), GcPhase::Pause);
    let order: Vec<UdRef> = std::iter::from_fn(|| h.pop_finalizer()).collect();
    assert_eq!(order, vec![uds[2], uds[1], uds[0]]);
    // Finalized objects stay alive until the next cycle finds them dead;
    // the VM resurrects one (its __gc stored it somewhere).
    for u in &uds {
        assert!(h.is_live(Value::Userdata(*u)));
    }
    let saved = uds[1];
    let sp = h.pin(Value::Userdata(saved));
    h.full_collect(&NoRoots);
    assert!(h.pop_finalizer().is_none(), "__gc runs once");
    assert!(!h.is_live(Value::Userdata(uds[0])));
    assert!(h.is_live(Value::Userdata(saved)));
    h.unpin(sp);
    h.full_collect(&NoRoots);
    assert!(
        h.pop_finalizer().is_none(),
        "a resurrected object is not finalized again"
    );
    assert!(!h.is_live(Value::Userdata(saved)));
    h.unpin(p);
}

#[test]
fn finalizer_reaches_keep_objects_alive() {
    let mut h = heap();
    let mt = gc_meta(&mut h);
    let p = h.pin(Value::Table(mt));
    let u = h.new_userdata(Box::new(()), 16).unwrap();
    h.set_ud_metatable(u, Some(mt)).unwrap();
    let env = h.new_table(0, 0).unwrap();
    let s = h.intern(b"kept by the finalizer's object").unwrap();
    h.table_set_int(env, 1, Value::String(s)).unwrap();
    h.set_ud_env(u, Some(env)).unwrap();
    h.full_collect(&NoRoots);
    assert_eq!(h.pop_finalizer(), Some(u));
    assert!(h.is_live(Value::Table(env)) && h.is_live(Value::String(s)));
    h.full_collect(&NoRoots);
    assert!(!h.is_live(Value::Table(env)) && !h.is_live(Value::String(s)));
    h.unpin(p);
}

#[test]
fn weak_tables_follow_lua51() {
    // lua5.1:
    //   local t = setmetatable({}, {__mode = "v"})
    //   t[1] = "x" .. 1; t[2] = {}; collectgarbage(); print(t[1], t[2])
    //   --> x1  nil   (strings are values, never cleared)
    let mut h = heap();
    let t = weak(&mut h, "v");
    let p = h.pin(Value::Table(t));
    let s = h.intern(b"x1").unwrap();
    h.table_set_int(t, 1, Value::String(s)).unwrap();
    let inner = h.new_table(0, 0).unwrap();
    h.table_set_int(t, 2, Value::Table(inner)).unwrap();
    h.full_collect(&NoRoots);
    assert_eq!(h.table(t).unwrap().get_int(1), Value::String(s));
    assert_eq!(h.table(t).unwrap().get_int(2), Value::Nil);
    assert!(!h.is_live(Value::Table(inner)));

    // lua5.1: a userdata with __gc as key of a 'k' table and value of a
    // 'v' table, dropped, collectgarbage(): the key stays for one more
    // cycle (count 1, then 0) while the value is cleared at once.
    let mt = gc_meta(&mut h);
    let mp = h.pin(Value::Table(mt));
    let wk = weak(&mut h, "k");
    let wv = weak(&mut h, "v");
    let pk = h.pin(Value::Table(wk));
    let pv = h.pin(Value::Table(wv));
    let q = h.new_userdata(Box::new(()), 0).unwrap();
    h.set_ud_metatable(q, Some(mt)).unwrap();
    h.table_set(wk, Value::Userdata(q), Value::Number(1.0))
        .unwrap();
    h.table_set_int(wv, 1, Value::Userdata(q)).unwrap();
    h.full_collect(&NoRoots);
    while h.pop_finalizer().is_some() {}
    assert_eq!(count(&h, wk), 1);
    assert_eq!(h.table(wv).unwrap().get_int(1), Value::Nil);
    h.full_collect(&NoRoots);
    assert_eq!(count(&h, wk), 0);

    // 'kv' and a mode string with other letters: "vk" is both.
    let both = weak(&mut h, "vk");
    let pb = h.pin(Value::Table(both));
    let a = h.new_table(0, 0).unwrap();
    let keep = h.new_table(0, 0).unwrap();
    let pk2 = h.pin(Value::Table(keep));
    h.table_set(both, Value::Table(a), Value::Table(keep))
        .unwrap();
    h.table_set(both, Value::Table(keep), Value::Table(keep))
        .unwrap();
    h.full_collect(&NoRoots);
    assert_eq!(count(&h, both), 1);
    for x in [p, mp, pk, pv, pb, pk2] {
        h.unpin(x);
    }
}

#[test]
fn fixed_strings_and_counts() {
    let mut h = heap();
    let reserved = h.intern_fixed(b"function").unwrap();
    h.full_collect(&NoRoots);
    assert_eq!(h.str_bytes(reserved), Some(&b"function"[..]));
    assert_eq!(h.str_bytes(h.tm_name(Tm::Index)), Some(&b"__index"[..]));
    assert_eq!(h.count_kb(), h.bytes_in_use() as f64 / 1024.0);
    assert_eq!(h.gcinfo(), h.bytes_in_use() / 1024);
    // stop: allocation never makes a step due; restart: due at once.
    h.gc_stop();
    for _ in 0..10_000 {
        h.new_table(4, 4).unwrap();
    }
    assert!(!h.gc_due());
    h.gc_restart();
    assert!(h.gc_due());
    assert_eq!(h.set_pause(150), 200);
    assert_eq!(h.set_stepmul(300), 200);
    // collectgarbage("step", 0) finishes a cycle eventually.
    let mut steps = 0;
    while !h.gc_step(0, &NoRoots) {
        steps += 1;
        assert!(steps < 100_000);
    }
    assert!(h.stats().tables == 0);
}

#[test]
fn metamethod_cache_is_invalidated_by_writes() {
    let mut h = heap();
    let mt = h.new_table(0, 0).unwrap();
    assert_eq!(h.metamethod(mt, Tm::Index), Value::Nil);
    assert_ne!(h.table(mt).unwrap().tm_flags(), 0, "absence cached");
    let f = h.new_table(0, 0).unwrap();
    let k = h.tm_name(Tm::Index);
    h.table_set_str(mt, k, Value::Table(f)).unwrap();
    assert_eq!(h.metamethod(mt, Tm::Index), Value::Table(f));
}

#[test]
fn constructor_hints_size_the_parts() {
    let mut h = heap();
    let t = h.new_table(3, 5).unwrap();
    let tab = h.table(t).unwrap();
    assert_eq!(tab.array_len(), 3);
    assert_eq!(tab.node_len(), 8);
    h.table_set_list(t, 1, &[Value::Number(1.0); 10]).unwrap();
    assert_eq!(h.table(t).unwrap().array_len(), 10);
    assert_eq!(h.table(t).unwrap().border(), 10);
}

#[test]
fn userdata_payloads_and_their_bytes() {
    let mut h = heap();
    let base = h.bytes_in_use();
    // A `()` payload (newproxy's) takes no payload entry: slot only.
    let unit = h.new_userdata(Box::new(()), 0).unwrap();
    let p1 = h.pin(Value::Userdata(unit));
    let unit_bytes = h.bytes_in_use() - base;
    assert!(h.userdata(unit).unwrap().payload().is::<()>());
    assert!(h.userdata_mut(unit).unwrap().payload_mut().is::<()>());
    assert_eq!(h.userdata(unit).unwrap().env(), None);
    // Any other payload is stored apart and charged its entry.
    let before = h.bytes_in_use();
    let num = h.new_userdata(Box::new(41i64), 8).unwrap();
    let p2 = h.pin(Value::Userdata(num));
    assert!(h.bytes_in_use() - before > unit_bytes + 8);
    if let Some(n) = h
        .userdata_mut(num)
        .unwrap()
        .payload_mut()
        .downcast_mut::<i64>()
    {
        *n += 1;
    }
    assert_eq!(
        h.userdata(num).unwrap().payload().downcast_ref::<i64>(),
        Some(&42)
    );
    assert_eq!(h.userdata(num).unwrap().size(), 8);
    let env = h.new_table(0, 0).unwrap();
    h.set_ud_env(unit, Some(env)).unwrap();
    assert_eq!(h.userdata(unit).unwrap().env(), Some(env));
    h.full_collect(&NoRoots);
    assert!(h.is_live(Value::Table(env)));
    assert_eq!(h.audit_bytes(), h.bytes_in_use());
    // Freed payload entries are reused by the next userdata.
    h.unpin(p2);
    h.full_collect(&NoRoots);
    assert!(!h.is_live(Value::Userdata(num)));
    let s = h.new_userdata(Box::new(String::from("x")), 0).unwrap();
    let p3 = h.pin(Value::Userdata(s));
    assert_eq!(
        h.userdata(s).unwrap().payload().downcast_ref::<String>(),
        Some(&String::from("x"))
    );
    assert!(h.userdata(unit).unwrap().payload().is::<()>());
    assert_eq!(h.audit_bytes(), h.bytes_in_use());
    h.unpin(p1);
    h.unpin(p3);
    h.full_collect(&NoRoots);
    assert!(!h.is_live(Value::Table(env)));
    assert_eq!(h.audit_bytes(), h.bytes_in_use());
    assert_eq!(h.bytes_in_use(), base);
}

#[test]
fn full_collection_gives_back_a_big_intern_map() {
    let mut h = heap();
    let base = h.bytes_in_use();
    let t = h.new_table(0, 0).unwrap();
    let p = h.pin(Value::Table(t));
    for i in 0..40_000i64 {
        let s = h.intern(format!("string {i}").as_bytes()).unwrap();
        h.table_set_int(t, i + 1, Value::String(s)).unwrap();
    }
    h.unpin(p);
    h.full_collect(&NoRoots);
    assert_eq!(h.bytes_in_use(), base);
    assert_eq!(h.audit_bytes(), h.bytes_in_use());
}
