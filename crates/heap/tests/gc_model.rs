//! Model-based randomized tests of the collector.
//!
//! Each case builds and mutates a graph of tables (some weak), strings,
//! closures, upvalues, userdata (some with `__gc`) and threads, with
//! cycles, a root stack and pinned values, and interleaves collector steps
//! (with small step multipliers so cycles cross many mutations) and full
//! collections. A model mirrors the graph. After every step:
//! every strongly reachable object is live with the contents the model
//! expects, every entry of every reachable table names live objects,
//! entries that vanished from weak tables had a collectable part that is
//! unreachable, finalizers are handed out once each, and the byte count
//! equals a recount from scratch. After every full collection: everything
//! unreachable is gone, and weak tables hold exactly the surviving entries.
//! Freed handles are checked to be reported as stale. Finally everything
//! is dropped and memory must return to the baseline.
//!
//! `FERROUS_GC_CASES=n` changes the number of cases (default 10,000).

use std::collections::{HashMap, HashSet};

use ferrous_heap::testing::{TestFn, TestThread, TestTypes, TestUpval};
use ferrous_heap::{GcPhase, Heap, HeapError, Marker, Pin, Trace};
use ferrous_value::{TableRef, UdRef, UpvalRef, Value};
use slotmap::Key;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
}

type Id = (u8, u64);

fn id_of(v: &Value) -> Option<Id> {
    Some(match *v {
        Value::String(s) => (0, s.key().data().as_ffi()),
        Value::Table(t) => (1, t.data().as_ffi()),
        Value::Function(f) => (2, f.data().as_ffi()),
        Value::Userdata(u) => (4, u.data().as_ffi()),
        Value::Thread(t) => (5, t.data().as_ffi()),
        _ => return None,
    })
}

fn uid(u: UpvalRef) -> Id {
    (3, u.data().as_ffi())
}

#[derive(Clone, Debug)]
enum MObj {
    Str(Vec<u8>),
    Table {
        fields: Vec<(Value, Value)>,
        mt: Option<TableRef>,
    },
    Fn {
        refs: Vec<Value>,
        upvals: Vec<UpvalRef>,
    },
    Upval(Value),
    Ud {
        gc: bool,
        env: Option<TableRef>,
        finalized: bool,
    },
    Thread(Vec<Value>),
}

struct Model {
    heap: Heap<TestTypes>,
    objs: HashMap<Id, (Value, Option<UpvalRef>, MObj)>,
    roots: Vec<Value>,
    pins: Vec<(Pin, Value)>,
    /// Metatables: weak 'k', 'v', 'kv', and one with `__gc`.
    mts: [TableRef; 4],
    mt_pins: Vec<Pin>,
    dead: Vec<Value>,
    dead_upvals: Vec<UpvalRef>,
    rng: Rng,
    steps: usize,
    fulls: usize,
    /// Whether this case may still build a big table (one per case, in
    /// one case of eight: they make every later check slower).
    big_ok: bool,
}

fn collectable_nonstring(v: &Value) -> bool {
    v.is_collectable() && !matches!(v, Value::String(_))
}

impl Model {
    fn new(seed: u64) -> Model {
        let mut heap: Heap<TestTypes> = Heap::new();
        let mut mts = [TableRef::null(); 4];
        let mut mt_pins = Vec::new();
        let mode = heap.tm_name(ferrous_heap::Tm::Mode);
        let gcn = heap.tm_name(ferrous_heap::Tm::Gc);
        for (i, m) in ["k", "v", "kv"].iter().enumerate() {
            let t = heap.new_table(0, 1).unwrap();
            let s = heap.intern(m.as_bytes()).unwrap();
            heap.table_set_str(t, mode, Value::String(s)).unwrap();
            mts[i] = t;
            mt_pins.push(heap.pin(Value::Table(t)));
        }
        let t = heap.new_table(0, 1).unwrap();
        heap.table_set_str(t, gcn, Value::Boolean(true)).unwrap();
        mts[3] = t;
        mt_pins.push(heap.pin(Value::Table(t)));
        let mut rng = Rng(seed);
        heap.set_stepmul([1, 2, 5, 20, 200][rng.below(5)]);
        heap.set_pause([50, 100, 200][rng.below(3)]);
        heap.set_remark_min([1, 2, 64][rng.below(3)]);
        Model {
            heap,
            objs: HashMap::new(),
            roots: Vec::new(),
            pins: Vec::new(),
            mts,
            mt_pins,
            dead: Vec::new(),
            dead_upvals: Vec::new(),
            rng,
            steps: 0,
            fulls: 0,
            big_ok: seed % 8 == 3,
        }
    }

    fn weak_mode(&self, mt: Option<TableRef>) -> u8 {
        match mt {
            Some(m) if m == self.mts[0] => 1,
            Some(m) if m == self.mts[1] => 2,
            Some(m) if m == self.mts[2] => 3,
            _ => 0,
        }
    }

    /// Objects reachable from the roots. `strong`: weak references of weak
    /// tables are not followed (strings always are: never cleared).
    fn reach(&self, strong: bool, extra: &[Value]) -> HashSet<Id> {
        let mut seen = HashSet::new();
        let mut stack: Vec<Id> = Vec::new();
        let push_v = |v: &Value, stack: &mut Vec<Id>| {
            if let Some(id) = id_of(v) {
                stack.push(id);
            }
        };
        for v in self
            .roots
            .iter()
            .chain(self.pins.iter().map(|p| &p.1))
            .chain(extra)
        {
            push_v(v, &mut stack);
        }
        while let Some(id) = stack.pop() {
            let Some((_, _, o)) = self.objs.get(&id) else {
                continue;
            };
            if !seen.insert(id) {
                continue;
            }
            match o {
                MObj::Str(_) => {}
                MObj::Table { fields, mt } => {
                    let mode = if strong { self.weak_mode(*mt) } else { 0 };
                    for (k, v) in fields {
                        if mode & 1 == 0 || matches!(k, Value::String(_)) {
                            push_v(k, &mut stack);
                        }
                        if mode & 2 == 0 || matches!(v, Value::String(_)) {
                            push_v(v, &mut stack);
                        }
                    }
                }
                MObj::Fn { refs, upvals } => {
                    for v in refs {
                        push_v(v, &mut stack);
                    }
                    for u in upvals {
                        stack.push(uid(*u));
                    }
                }
                MObj::Upval(v) => push_v(v, &mut stack),
                MObj::Ud { env, .. } => {
                    if let Some(e) = env {
                        stack.push((1, e.data().as_ffi()));
                    }
                }
                MObj::Thread(s) => {
                    for v in s {
                        push_v(v, &mut stack);
                    }
                }
            }
        }
        seen
    }

    fn value_of(&self, id: &Id) -> Option<Value> {
        self.objs
            .get(id)
            .and_then(|(v, _, _)| (id.0 != 3).then_some(*v))
    }

    /// A value for the mutator to store: any reachable object (weakly
    /// reachable included) or a fresh non-collectable value.
    fn pick_value(&mut self, reach: &[Id]) -> Value {
        match self.rng.below(10) {
            0 => Value::Number(self.rng.below(10) as f64),
            1 => Value::Boolean(self.rng.chance(50)),
            2 => Value::Nil,
            _ => {
                let cands: Vec<Value> = reach.iter().filter_map(|id| self.value_of(id)).collect();
                if cands.is_empty() {
                    Value::Number(1.0)
                } else {
                    cands[self.rng.below(cands.len())]
                }
            }
        }
    }

    fn pick_of(&mut self, reach: &[Id], kind: u8) -> Option<Id> {
        let c: Vec<Id> = reach.iter().filter(|id| id.0 == kind).copied().collect();
        if c.is_empty() {
            None
        } else {
            Some(c[self.rng.below(c.len())])
        }
    }

    fn add(&mut self, v: Value, u: Option<UpvalRef>, o: MObj) {
        let id = match u {
            Some(u) => uid(u),
            None => id_of(&v).unwrap(),
        };
        self.objs.insert(id, (v, u, o));
    }

    fn root(&mut self, v: Value) {
        if self.roots.len() < 24 {
            self.roots.push(v);
        } else {
            let i = self.rng.below(self.roots.len());
            self.roots[i] = v;
        }
    }

    fn mutate(&mut self) {
        let mut reach: Vec<Id> = self.reach(false, &[]).into_iter().collect();
        reach.sort();
        let op = self.rng.below(100);
        if std::env::var_os("FERROUS_GC_TRACE").is_some() {
            eprintln!(
                "op {op} phase {:?} drift {}",
                self.heap.gc_phase(),
                self.heap.bytes_in_use() as isize - self.heap.audit_bytes() as isize
            );
        }
        match op {
            0..=9 => {
                let mode = if self.rng.chance(25) {
                    Some(self.mts[self.rng.below(3)])
                } else {
                    None
                };
                let t = self
                    .heap
                    .new_table(self.rng.below(4), self.rng.below(4))
                    .unwrap();
                if mode.is_some() {
                    self.heap.set_metatable(t, mode).unwrap();
                }
                self.add(
                    Value::Table(t),
                    None,
                    MObj::Table {
                        fields: Vec::new(),
                        mt: mode,
                    },
                );
                self.root(Value::Table(t));
            }
            10..=15 => {
                let n = self.rng.below(30);
                let bytes: Vec<u8> = if self.rng.chance(20) {
                    format!("a long string that is stored out of line {n}").into_bytes()
                } else {
                    format!("s{n}").into_bytes()
                };
                let s = self.heap.intern(&bytes).unwrap();
                self.add(Value::String(s), None, MObj::Str(bytes));
                self.root(Value::String(s));
            }
            16..=20 => {
                let nrefs = self.rng.below(4);
                let refs: Vec<Value> = (0..nrefs).map(|_| self.pick_value(&reach)).collect();
                let mut upvals = Vec::new();
                for _ in 0..self.rng.below(3) {
                    if self.rng.chance(50) {
                        if let Some(id) = self.pick_of(&reach, 3) {
                            upvals.push(self.objs[&id].1.unwrap());
                            continue;
                        }
                    }
                    let v = self.pick_value(&reach);
                    let u = self.heap.alloc_upval(TestUpval { value: v }).unwrap();
                    self.add(Value::Nil, Some(u), MObj::Upval(v));
                    upvals.push(u);
                }
                let f = self
                    .heap
                    .alloc_fn(TestFn {
                        refs: refs.clone(),
                        upvals: upvals.clone(),
                    })
                    .unwrap();
                self.add(Value::Function(f), None, MObj::Fn { refs, upvals });
                self.root(Value::Function(f));
            }
            21..=24 => {
                let gc = self.rng.chance(60);
                let u = self
                    .heap
                    .new_userdata(Box::new(self.rng.below(100)), self.rng.below(64))
                    .unwrap();
                if gc {
                    self.heap.set_ud_metatable(u, Some(self.mts[3])).unwrap();
                }
                let env = if self.rng.chance(30) {
                    self.pick_of(&reach, 1).map(|id| match self.objs[&id].0 {
                        Value::Table(t) => t,
                        _ => unreachable!(),
                    })
                } else {
                    None
                };
                self.heap.set_ud_env(u, env).unwrap();
                self.add(
                    Value::Userdata(u),
                    None,
                    MObj::Ud {
                        gc,
                        env,
                        finalized: false,
                    },
                );
                self.root(Value::Userdata(u));
            }
            25..=26 => {
                let stack: Vec<Value> = (0..self.rng.below(4))
                    .map(|_| self.pick_value(&reach))
                    .collect();
                let th = self
                    .heap
                    .alloc_thread(TestThread {
                        stack: stack.clone(),
                    })
                    .unwrap();
                self.add(Value::Thread(th), None, MObj::Thread(stack));
                self.root(Value::Thread(th));
            }
            27..=59 => {
                // Table write.
                let Some(id) = self.pick_of(&reach, 1) else {
                    return;
                };
                let t = self.objs[&id].0.as_table().unwrap();
                let k = match self.rng.below(4) {
                    0 => Value::Number((self.rng.below(12) + 1) as f64),
                    1 => Value::Number(self.rng.below(5) as f64 + 0.5),
                    _ => self.pick_value(&reach),
                };
                if k.is_nil() {
                    assert_eq!(
                        self.heap.table_set(t, k, Value::Number(1.0)),
                        Err(HeapError::IndexIsNil)
                    );
                    return;
                }
                let v = self.pick_value(&reach);
                self.heap.table_set(t, k, v).unwrap();
                if let Some((_, _, MObj::Table { fields, .. })) = self.objs.get_mut(&id) {
                    fields.retain(|(fk, _)| *fk != k);
                    if !v.is_nil() {
                        fields.push((k, v));
                    }
                }
            }
            60..=62 => {
                // Change a table's weak mode.
                let Some(id) = self.pick_of(&reach, 1) else {
                    return;
                };
                let t = self.objs[&id].0.as_table().unwrap();
                let mt = if self.rng.chance(50) {
                    Some(self.mts[self.rng.below(3)])
                } else {
                    None
                };
                self.heap.set_metatable(t, mt).unwrap();
                if let Some((_, _, MObj::Table { mt: m, .. })) = self.objs.get_mut(&id) {
                    *m = mt;
                }
            }
            63..=67 => {
                // Closure write (with barrier).
                let Some(id) = self.pick_of(&reach, 2) else {
                    return;
                };
                let f = self.objs[&id].0.as_function().unwrap();
                let v = self.pick_value(&reach);
                let before = self.heap.functions().get(f).unwrap().extra_bytes();
                let obj = self.heap.functions_mut().get_mut(f).unwrap();
                let slot = self.rng.below(obj.refs.len() + 1);
                if slot == obj.refs.len() {
                    obj.refs.push(v);
                } else {
                    obj.refs[slot] = v;
                }
                let after = obj.extra_bytes();
                self.heap
                    .adjust_bytes(after as isize - before as isize)
                    .unwrap();
                self.heap.barrier_fn(f, v);
                if let Some((_, _, MObj::Fn { refs, .. })) = self.objs.get_mut(&id) {
                    if slot == refs.len() {
                        refs.push(v);
                    } else {
                        refs[slot] = v;
                    }
                }
            }
            68..=70 => {
                // Upvalue write.
                let Some(id) = self.pick_of(&reach, 3) else {
                    return;
                };
                let u = self.objs[&id].1.unwrap();
                let v = self.pick_value(&reach);
                self.heap.upvalues_mut().get_mut(u).unwrap().value = v;
                self.heap.barrier_upval(u, v);
                if let Some((_, _, MObj::Upval(x))) = self.objs.get_mut(&id) {
                    *x = v;
                }
            }
            71..=73 => {
                // Thread stack write: no barrier (threads are re-traced).
                let Some(id) = self.pick_of(&reach, 5) else {
                    return;
                };
                let th = self.objs[&id].0;
                let Value::Thread(th) = th else {
                    unreachable!()
                };
                let v = self.pick_value(&reach);
                let before = self.heap.threads().get(th).unwrap().extra_bytes();
                let obj = self.heap.threads_mut().get_mut(th).unwrap();
                let pop = self.rng.chance(30) && !obj.stack.is_empty();
                if pop {
                    obj.stack.pop();
                } else {
                    obj.stack.push(v);
                }
                let after = obj.extra_bytes();
                self.heap
                    .adjust_bytes(after as isize - before as isize)
                    .unwrap();
                if let Some((_, _, MObj::Thread(s))) = self.objs.get_mut(&id) {
                    if pop {
                        s.pop();
                    } else {
                        s.push(v);
                    }
                }
            }
            74..=81 => {
                // Drop or replace roots.
                if !self.roots.is_empty() {
                    let i = self.rng.below(self.roots.len());
                    if self.rng.chance(60) {
                        self.roots.swap_remove(i);
                    } else {
                        self.roots[i] = self.pick_value(&reach);
                    }
                }
            }
            82..=84 => {
                let v = self.pick_value(&reach);
                let p = self.heap.pin(v);
                self.pins.push((p, v));
            }
            85..=87 => {
                if !self.pins.is_empty() {
                    let i = self.rng.below(self.pins.len());
                    let (p, v) = self.pins.swap_remove(i);
                    assert_eq!(self.heap.unpin(p), Some(v));
                    assert_eq!(self.heap.unpin(p), None);
                }
            }
            88..=97 => {
                for _ in 0..1 + self.rng.below(8) {
                    self.step();
                }
            }
            _ if !self.big_ok => self.full(),
            _ => {
                // A table big enough to be traversed in chunks and to get
                // the forward barrier once black.
                let Some(id) = self.pick_of(&reach, 1) else {
                    return;
                };
                self.big_ok = false;
                let t = self.objs[&id].0.as_table().unwrap();
                let n = 520 + self.rng.below(300);
                let mut vals: Vec<Value> = (0..n).map(|_| self.pick_value(&reach)).collect();
                // Some values only this table will hold.
                for (i, v) in vals.iter_mut().enumerate() {
                    if i % 3 == 0 {
                        let b = format!("fill{}-{i}", self.steps).into_bytes();
                        let s = self.heap.intern(&b).unwrap();
                        self.objs.insert(
                            id_of(&Value::String(s)).unwrap(),
                            (Value::String(s), None, MObj::Str(b)),
                        );
                        *v = Value::String(s);
                    }
                }
                // Values held by Rust across collector steps must be pinned.
                // Each value is released as soon as the table holds it.
                let t_pin = self.heap.pin(Value::Table(t));
                let mut val_pins: Vec<Option<Pin>> =
                    vals.iter().map(|v| Some(self.heap.pin(*v))).collect();
                let in_range = |k: &Value| matches!(k, Value::Number(x) if *x >= 1.0 && *x <= n as f64 && x.fract() == 0.0);
                type Fields = Vec<(Value, Value)>;
                let (mut old, others): (Fields, Fields) = match &self.objs[&id].2 {
                    MObj::Table { fields, .. } => fields.iter().partition(|(k, _)| in_range(k)),
                    _ => unreachable!(),
                };
                old.sort_by(|a, b| {
                    a.0.as_number()
                        .unwrap()
                        .total_cmp(&b.0.as_number().unwrap())
                });
                let model_at = |done: &[bool]| -> Vec<(Value, Value)> {
                    let mut f = others.clone();
                    for (j, v) in vals.iter().enumerate() {
                        if done[j] && !v.is_nil() {
                            f.push((Value::Number((j + 1) as f64), *v));
                        }
                    }
                    f.extend(
                        old.iter()
                            .filter(|(k, _)| !done[k.as_number().unwrap() as usize - 1]),
                    );
                    f
                };
                // Keys in a shuffled order: entries move from the node part
                // to the array part as the table is rehashed, possibly
                // behind a chunked traversal's cursor.
                let mut order: Vec<usize> = (0..n).collect();
                let shuffled = self.rng.chance(50);
                if shuffled {
                    for i in (1..n).rev() {
                        let j = self.rng.below(i + 1);
                        order.swap(i, j);
                    }
                }
                let mut done = vec![false; n];
                for (c, &i) in order.iter().enumerate() {
                    let v = &vals[i];
                    let k = Value::Number((i + 1) as f64);
                    self.heap.table_set(t, k, *v).unwrap();
                    if let Some(p) = val_pins[i].take() {
                        self.heap.unpin(p);
                    }
                    done[i] = true;
                    if c % 31 == 0 {
                        // The model is brought up to date before each step.
                        let f = model_at(&done);
                        if let Some((_, _, MObj::Table { fields, .. })) = self.objs.get_mut(&id) {
                            *fields = f;
                        }
                        self.step();
                    }
                }
                let f = model_at(&done);
                if let Some((_, _, MObj::Table { fields, .. })) = self.objs.get_mut(&id) {
                    *fields = f;
                }
                self.heap.unpin(t_pin);
            }
        }
    }

    fn step(&mut self) {
        let roots = &self.roots;
        self.heap.step(&|m: &mut Marker<'_>| m.mark_values(roots));
        self.steps += 1;
        self.after_step();
    }

    /// Finalizers handed out by the heap: each at most once, for a
    /// userdata with `__gc` that no strong path reaches.
    fn drain_finalizers(&mut self, strong: &HashSet<Id>) -> Vec<UdRef> {
        let mut out = Vec::new();
        while let Some(u) = self.heap.pop_finalizer() {
            let id = id_of(&Value::Userdata(u)).unwrap();
            match self.objs.get_mut(&id) {
                Some((_, _, MObj::Ud { gc, finalized, .. })) => {
                    assert!(*gc, "finalizer for a userdata without __gc");
                    assert!(!*finalized, "finalizer handed out twice");
                    *finalized = true;
                }
                _ => panic!("finalizer for an unknown object"),
            }
            let _ = strong;
            out.push(u);
        }
        out
    }

    /// Checks after an incremental step.
    fn after_step(&mut self) {
        let strong = self.reach(true, &[]);
        let fins = self.drain_finalizers(&strong);
        self.sync_weak(&strong, false);
        // Strings held only by entries just cleared are no longer reachable.
        let strong = self.reach(true, &[]);
        self.prune_dead(&strong);
        self.check_intact(&strong);
        for u in fins {
            if self.rng.chance(50) {
                self.root(Value::Userdata(u));
            }
        }
        assert_eq!(
            self.heap.audit_bytes(),
            self.heap.bytes_in_use(),
            "byte count drifted"
        );
    }

    /// Weak tables: entries the heap dropped must have had an unreachable
    /// collectable part (or a finalized userdata value). With `exact`,
    /// every such entry must be gone.
    fn sync_weak(&mut self, strong: &HashSet<Id>, exact: bool) {
        let ids: Vec<Id> = self.objs.keys().filter(|id| id.0 == 1).copied().collect();
        for id in ids {
            let (tv, _, o) = &self.objs[&id];
            let Value::Table(t) = *tv else { continue };
            let MObj::Table { fields, mt } = o else {
                continue;
            };
            let mode = self.weak_mode(*mt);
            let Some(tab) = self.heap.table(t) else {
                continue;
            };
            let dead_part = |v: &Value| {
                collectable_nonstring(v) && !id_of(v).is_some_and(|i| strong.contains(&i))
            };
            let fin_ud = |v: &Value| match id_of(v).and_then(|i| self.objs.get(&i)) {
                Some((_, _, MObj::Ud { gc, finalized, .. })) => *gc || *finalized,
                _ => false,
            };
            let mut kept = Vec::new();
            for (k, v) in fields {
                let present = tab.get(k) == *v;
                let may_go = (mode != 0) && (dead_part(k) || dead_part(v) || fin_ud(v));
                if !present {
                    assert!(
                        may_go,
                        "entry {k:?}={v:?} vanished from a table of mode {mode}"
                    );
                    assert!(tab.get(k).is_nil(), "entry changed value");
                } else {
                    if exact && mode != 0 {
                        let must_go = (dead_part(k) || dead_part(v)) && !fin_ud(v) && !fin_ud(k);
                        assert!(
                            !must_go,
                            "weak entry {k:?}={v:?} survived a full collection"
                        );
                    }
                    kept.push((*k, *v));
                }
            }
            if let Some((_, _, MObj::Table { fields, .. })) = self.objs.get_mut(&id) {
                *fields = kept;
            }
        }
    }

    /// Forgets objects the heap freed (they must not be strongly reachable).
    fn prune_dead(&mut self, strong: &HashSet<Id>) {
        let ids: Vec<Id> = self.objs.keys().copied().collect();
        for id in ids {
            let (v, u, _) = &self.objs[&id];
            let live = match u {
                Some(u) => self.heap.upval_live(*u),
                None => self.heap.is_live(*v),
            };
            if !live {
                if strong.contains(&id) {
                    for (tk, tab) in self.heap.tables().iter() {
                        let mut k = Value::Nil;
                        while let Ok(Some((nk, nv))) = tab.next(&k) {
                            if nv == *v {
                                eprintln!(
                                    "heap table {tk:?} holds it at {nk:?} sizes {}/{}",
                                    tab.array_len(),
                                    tab.node_len()
                                );
                            }
                            k = nk;
                        }
                    }
                    eprintln!("pins {:?}", self.pins);
                    for (ov, ou, o) in self.objs.values() {
                        eprintln!("{ov:?}/{ou:?}: {o:?}");
                    }
                }
                assert!(
                    !strong.contains(&id),
                    "reachable object {v:?}/{u:?} was freed"
                );
                let (v, u, _) = self.objs.remove(&id).unwrap();
                match u {
                    Some(u) => self.dead_upvals.push(u),
                    None => self.dead.push(v),
                }
            }
        }
    }

    fn check_intact(&self, strong: &HashSet<Id>) {
        for id in strong {
            let Some((v, u, o)) = self.objs.get(id) else {
                continue;
            };
            match o {
                MObj::Str(b) => {
                    let s = v.as_string().unwrap();
                    assert_eq!(self.heap.str_bytes(s), Some(&b[..]));
                }
                MObj::Table { fields, mt } => {
                    let t = v.as_table().unwrap();
                    let tab = self.heap.table(t).expect("reachable table freed");
                    assert_eq!(tab.metatable(), *mt);
                    for (k, val) in fields {
                        assert_eq!(tab.get(k), *val, "table field {k:?}");
                    }
                    let mut n = 0;
                    let mut k = Value::Nil;
                    while let Some((nk, nv)) = tab.next(&k).unwrap() {
                        n += 1;
                        assert!(
                            self.heap.is_live(nk) && self.heap.is_live(nv),
                            "table {t:?} (mt {mt:?}, array {}, nodes {}) holds a stale handle: {nk:?}={nv:?}",
                            tab.array_len(),
                            tab.node_len()
                        );
                        k = nk;
                    }
                    assert_eq!(n, fields.len(), "table entry count");
                }
                MObj::Fn { refs, upvals } => {
                    let f = self
                        .heap
                        .functions()
                        .get(v.as_function().unwrap())
                        .expect("closure freed");
                    assert_eq!(&f.refs, refs);
                    assert_eq!(&f.upvals, upvals);
                }
                MObj::Upval(x) => {
                    let uv = self.heap.upvalues().get(u.unwrap()).expect("upvalue freed");
                    assert_eq!(uv.value, *x);
                }
                MObj::Ud { gc, env, .. } => {
                    let Value::Userdata(ud) = *v else {
                        unreachable!()
                    };
                    let o = self.heap.userdata(ud).expect("userdata freed");
                    assert_eq!(o.env(), *env);
                    assert_eq!(o.metatable().is_some(), *gc);
                }
                MObj::Thread(s) => {
                    let Value::Thread(th) = *v else {
                        unreachable!()
                    };
                    assert_eq!(&self.heap.threads().get(th).expect("thread freed").stack, s);
                }
            }
        }
    }

    fn full(&mut self) {
        let roots = &self.roots;
        self.heap
            .full_collect(&|m: &mut Marker<'_>| m.mark_values(roots));
        self.fulls += 1;
        assert_eq!(self.heap.gc_phase(), GcPhase::Pause);
        let strong0 = self.reach(true, &[]);
        let fins = self.drain_finalizers(&strong0);
        let extra: Vec<Value> = fins.iter().map(|u| Value::Userdata(*u)).collect();
        let strong = self.reach(true, &extra);
        // Marking follows the strong parts of every entry, including those
        // of weak entries cleared at the end of the mark phase (as Lua 5.1
        // does): what they reach survives this cycle.
        self.sync_weak(&strong, true);
        let marked = strong;
        let strong = self.reach(true, &extra);
        // Everything unreachable is gone; everything reachable is live.
        for (id, (v, u, _)) in &self.objs {
            let live = match u {
                Some(u) => self.heap.upval_live(*u),
                None => self.heap.is_live(*v),
            };
            assert!(
                !live || marked.contains(id),
                "after a full collection unreachable {v:?}/{u:?} is live"
            );
            assert!(
                live || !strong.contains(id),
                "after a full collection reachable {v:?}/{u:?} is dead"
            );
        }
        self.prune_dead(&strong);
        self.check_intact(&strong);
        self.check_stale();
        for u in fins {
            if self.rng.chance(50) {
                self.root(Value::Userdata(u));
            }
        }
        assert_eq!(self.heap.audit_bytes(), self.heap.bytes_in_use());
    }

    fn check_stale(&mut self) {
        for v in self.dead.iter().rev().take(4) {
            assert!(!self.heap.is_live(*v));
            match *v {
                Value::Table(t) => {
                    assert!(self.heap.table(t).is_none());
                    assert_eq!(
                        self.heap.table_set(t, Value::Number(1.0), Value::Nil),
                        Err(HeapError::StaleHandle)
                    );
                    assert_eq!(
                        self.heap.table_next(t, &Value::Nil),
                        Err(HeapError::StaleHandle)
                    );
                    assert_eq!(self.heap.table_get(t, &Value::Number(1.0)), Value::Nil);
                }
                Value::String(s) => assert!(self.heap.str_bytes(s).is_none()),
                Value::Function(f) => assert!(self.heap.functions().get(f).is_none()),
                Value::Userdata(u) => {
                    assert!(self.heap.userdata(u).is_none());
                    assert_eq!(
                        self.heap.set_ud_metatable(u, None),
                        Err(HeapError::StaleHandle)
                    );
                }
                Value::Thread(t) => assert!(self.heap.threads().get(t).is_none()),
                _ => {}
            }
        }
        for u in self.dead_upvals.iter().rev().take(2) {
            assert!(self.heap.upvalues().get(*u).is_none());
        }
        // Barriers and marks on stale handles are harmless.
        if let Some(&v) = self.dead.last() {
            let p = self.heap.pin(v);
            self.heap.unpin(p);
        }
    }

    /// Drops everything; memory must return to the baseline.
    fn finish(mut self, baseline: usize) {
        self.roots.clear();
        for (p, _) in std::mem::take(&mut self.pins) {
            self.heap.unpin(p);
        }
        for _ in 0..3 {
            self.heap.full_collect(&|_: &mut Marker<'_>| {});
            while self.heap.pop_finalizer().is_some() {}
            assert_eq!(
                self.heap.audit_bytes(),
                self.heap.bytes_in_use(),
                "drift in finish"
            );
        }
        for p in std::mem::take(&mut self.mt_pins) {
            self.heap.unpin(p);
        }
        self.heap.full_collect(&|_: &mut Marker<'_>| {});
        let st = self.heap.stats();
        assert_eq!(
            (
                st.tables,
                st.functions,
                st.upvalues,
                st.userdata,
                st.threads
            ),
            (0, 0, 0, 0, 0),
            "objects left after dropping everything"
        );
        assert_eq!(st.strings, 17, "only the fixed strings are left");
        assert_eq!(self.heap.audit_bytes(), self.heap.bytes_in_use());
        // The intern map may keep some capacity; everything else is back.
        assert!(self.heap.bytes_in_use() <= baseline + 4096);
    }
}

fn run_case(seed: u64) -> (usize, usize) {
    let baseline = Heap::<TestTypes>::new().bytes_in_use();
    let mut m = Model::new(seed);
    let ops = 20 + m.rng.below(100);
    for _ in 0..ops {
        m.mutate();
    }
    m.full();
    let r = (m.steps, m.fulls);
    m.finish(baseline);
    r
}

#[test]
fn randomized_gc_cases() {
    if let Some(seed) = std::env::var("FERROUS_GC_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        run_case(seed);
        return;
    }
    let n: u64 = std::env::var("FERROUS_GC_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let mut steps = 0;
    let mut fulls = 0;
    for seed in 0..n {
        let r = std::panic::catch_unwind(|| run_case(seed));
        match r {
            Ok((s, f)) => {
                steps += s;
                fulls += f;
            }
            Err(e) => {
                eprintln!("case {seed} failed");
                std::panic::resume_unwind(e);
            }
        }
    }
    eprintln!("{n} cases, {steps} incremental steps, {fulls} full collections");
}

#[test]
fn memory_limit_fails_cleanly_and_recovers() {
    let mut heap: Heap<TestTypes> = Heap::new();
    let base = heap.bytes_in_use();
    heap.set_memory_limit(Some(base + 200_000));
    let t = heap.new_table(0, 0).unwrap();
    let p = heap.pin(Value::Table(t));
    let mut i = 1;
    let err = loop {
        match heap.table_set_int(t, i, Value::Number(i as f64)) {
            Ok(()) => i += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(err, HeapError::OutOfMemory);
    assert!(heap.bytes_in_use() <= base + 200_000);
    // The table is intact and usable.
    let tab = heap.table(t).unwrap();
    assert_eq!(tab.border() as i64, i - 1);
    for j in 1..i {
        assert_eq!(tab.get_int(j), Value::Number(j as f64));
    }
    assert_eq!(heap.audit_bytes(), heap.bytes_in_use());
    // Strings and other objects fail too, then succeed after freeing.
    let long = vec![b'x'; 300_000];
    assert_eq!(heap.intern(&long), Err(HeapError::OutOfMemory));
    assert!(heap.find_str(&long).is_none());
    heap.unpin(p);
    heap.full_collect(&|_: &mut Marker<'_>| {});
    assert!(heap.bytes_in_use() <= base + 64);
    assert!(heap.intern(&vec![b'y'; 100_000]).is_ok());
    assert_eq!(heap.audit_bytes(), heap.bytes_in_use());
}
