//! Heap benchmark, run by `cargo xtask bench-heap` (release build).
//!
//! Prints `key value` lines:
//! * bytes per object kind (empty table, table with 4 string fields,
//!   7-byte string, closure-like object without and with one upvalue,
//!   userdata), from the heap's own count, like lua5.1's
//!   `collectgarbage("count")`;
//! * allocation throughput with churn, the collector stepping at default
//!   settings;
//! * the longest single collector step (and the 99.9th percentile) on a
//!   heap of one million live objects with churn;
//! * memory after dropping everything and a full collection, against the
//!   baseline.

use std::rc::Rc;
use std::time::{Duration, Instant};

use ferrous_heap::{GcPhase, Heap, Marker, Trace, Types, UpvalList};
use ferrous_value::{TableRef, Value};

/// A closure as the VM stores it (crates/vm's `Function`, 24 bytes):
/// prototype, environment, thin upvalue list.
struct Closure {
    _proto: Rc<()>,
    env: Option<TableRef>,
    upvals: UpvalList,
}

const _: () = assert!(std::mem::size_of::<Closure>() == 24);

impl Trace for Closure {
    fn trace(&self, m: &mut Marker<'_>) {
        if let Some(e) = self.env {
            m.mark_table(e);
        }
        for u in self.upvals.iter() {
            m.mark_upval(*u);
        }
    }
    fn extra_bytes(&self) -> usize {
        self.upvals.heap_bytes()
    }
}

struct Upval(Value);

impl Trace for Upval {
    fn trace(&self, m: &mut Marker<'_>) {
        m.mark_value(self.0)
    }
}

struct Thread;

impl Trace for Thread {
    fn trace(&self, _: &mut Marker<'_>) {}
}

struct Bench;

impl Types for Bench {
    type Function = Closure;
    type Upvalue = Upval;
    type Thread = Thread;
}

/// CPU time of the calling thread (Linux `CLOCK_THREAD_CPUTIME_ID`): a
/// step's pause without the time the shared machine's scheduler took away.
fn thread_cpu() -> Duration {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let r = unsafe { clock_gettime(3, &mut ts) };
    if r != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.sec as u64, ts.nsec as u32)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn no_roots(_: &mut Marker<'_>) {}

/// Bytes per object of one kind: `n` objects stored in a pinned holder.
fn per_object(name: &str, n: usize, mut make: impl FnMut(&mut Heap<Bench>, usize) -> Value) {
    let mut heap: Heap<Bench> = Heap::new();
    heap.gc_stop();
    let holder = heap.new_table(n, 0).unwrap();
    let pin = heap.pin(Value::Table(holder));
    // Strings and fields used by the objects themselves are made first.
    let before = heap.bytes_in_use();
    for i in 0..n {
        let v = make(&mut heap, i);
        heap.table_set_int(holder, i as i64 + 1, v).unwrap();
    }
    let after = heap.bytes_in_use();
    println!("bytes_{name} {:.1}", (after - before) as f64 / n as f64);
    heap.unpin(pin);
}

/// Nanoseconds per operation of the table paths the VM leans on.
fn hot_paths() {
    use std::hint::black_box;
    let mut heap: Heap<Bench> = Heap::new();
    let iters = 20_000_000u64;
    let time = |name: &str, f: &mut dyn FnMut(u64)| {
        let c = thread_cpu();
        for i in 0..iters {
            f(i);
        }
        let d = thread_cpu().saturating_sub(c);
        println!("ns_{name} {:.2}", d.as_secs_f64() * 1e9 / iters as f64);
    };
    let t = heap.new_table(0, 0).unwrap();
    let keys: Vec<_> = ["alpha", "beta", "gamma", "delta", "x", "y", "name", "value"]
        .iter()
        .map(|k| heap.intern(k.as_bytes()).unwrap())
        .collect();
    for (i, k) in keys.iter().enumerate() {
        heap.table_set_str(t, *k, Value::Number(i as f64)).unwrap();
    }
    let arr = heap.new_table(0, 0).unwrap();
    for i in 1..=1000 {
        heap.table_set_int(arr, i, Value::Number(i as f64)).unwrap();
    }
    let h = &heap;
    let mut acc = 0.0;
    time("get_str", &mut |i| {
        let v = h
            .table(t)
            .map_or(Value::Nil, |tb| tb.get_str(keys[(i & 7) as usize]));
        acc += v.as_number().unwrap_or(0.0);
    });
    time("get_int", &mut |i| {
        let v = h
            .table(arr)
            .map_or(Value::Nil, |tb| tb.get_int((i & 511) as i64 + 1));
        acc += v.as_number().unwrap_or(0.0);
    });
    time("get_num", &mut |i| {
        let v = h.table(arr).map_or(Value::Nil, |tb| {
            tb.get(&Value::Number(((i & 511) + 1) as f64))
        });
        acc += v.as_number().unwrap_or(0.0);
    });
    time("border_seq1000", &mut |_| {
        acc += h.table(arr).map_or(0, |tb| tb.border()) as f64;
    });
    black_box(acc);
    time("set_int", &mut |i| {
        let _ = black_box(heap.table_set_int(arr, (i & 511) as i64 + 1, Value::Number(i as f64)));
    });
    time("set_str_existing", &mut |i| {
        let _ = black_box(heap.table_set_str(t, keys[(i & 7) as usize], Value::Number(i as f64)));
    });
    time("set_generic_existing", &mut |i| {
        let _ = black_box(heap.table_set(
            t,
            Value::String(keys[(i & 7) as usize]),
            Value::Number(i as f64),
        ));
    });
    let h = &heap;
    let mut n = 0u64;
    let c = thread_cpu();
    for _ in 0..20_000 {
        let mut k = Value::Nil;
        while let Ok(Some((nk, _))) = h.table_next(arr, &k) {
            k = nk;
            n += 1;
        }
    }
    let d = thread_cpu().saturating_sub(c);
    println!("ns_next_per_entry {:.2}", d.as_secs_f64() * 1e9 / n as f64);
    let words: Vec<Vec<u8>> = (0..64).map(|i| format!("word{i}").into_bytes()).collect();
    time("intern_existing", &mut |i| {
        let _ = black_box(heap.intern(&words[(i & 63) as usize]));
    });
    let pin = heap.pin(Value::Table(t));
    time("new_table_and_collect", &mut |i| {
        let _ = black_box(heap.new_table(0, 0));
        if i % 1024 == 0 {
            heap.check_gc(&no_roots);
        }
    });
    heap.unpin(pin);
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let churn_only = std::env::args().any(|a| a == "--churn-only");
    let n = 100_000;

    // ---------------------------------------------------------- bytes/object
    let proto = Rc::new(());
    if !churn_only {
        per_object("table", n, |h, _| Value::Table(h.new_table(0, 0).unwrap()));
        per_object("table4", n, |h, i| {
            let t = h.new_table(0, 0).unwrap();
            for k in ["a", "b", "c", "d"] {
                let k = h.intern(k.as_bytes()).unwrap();
                h.table_set_str(t, k, Value::Number(i as f64)).unwrap();
            }
            Value::Table(t)
        });
        per_object("string", n, |h, i| {
            Value::String(h.intern(format!("{}", 1_000_000 + i).as_bytes()).unwrap())
        });
        per_object("closure0", n, |h, _| {
            Value::Function(
                h.alloc_fn(Closure {
                    _proto: proto.clone(),
                    env: None,
                    upvals: UpvalList::new(0),
                })
                .unwrap(),
            )
        });
        per_object("closure1", n, |h, i| {
            let u = h.alloc_upval(Upval(Value::Number(i as f64))).unwrap();
            Value::Function(
                h.alloc_fn(Closure {
                    _proto: proto.clone(),
                    env: None,
                    upvals: UpvalList::from_slice(&[u]),
                })
                .unwrap(),
            )
        });
        per_object("userdata", n, |h, _| {
            Value::Userdata(h.new_userdata(Box::new(()), 0).unwrap())
        });
        for (k, v) in ferrous_heap::slot_sizes::<Bench>() {
            println!("slot_{k} {v}");
        }

        hot_paths();
    }

    // ------------------------------------------ 1M live objects with churn
    let live = if quick { 100_000 } else { 1_000_000 };
    let per = 1000;
    let groups = live / per;
    let mut heap: Heap<Bench> = Heap::new();
    let baseline = heap.bytes_in_use();
    let root = heap.new_table(groups, 0).unwrap();
    let pin = heap.pin(Value::Table(root));
    let env = heap.new_table(0, 4).unwrap();
    heap.table_set_int(root, 0, Value::Table(env)).unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut counter = 0usize;
    let make = |heap: &mut Heap<Bench>, rng: &mut Rng, counter: &mut usize| -> Value {
        *counter += 1;
        match rng.next() % 3 {
            0 => {
                let t = heap.new_table(0, 0).unwrap();
                if rng.next() % 2 == 0 {
                    heap.table_set_int(t, 1, Value::Number(*counter as f64))
                        .unwrap();
                }
                Value::Table(t)
            }
            1 => Value::String(heap.intern(format!("obj{}", *counter).as_bytes()).unwrap()),
            _ => Value::Function(
                heap.alloc_fn(Closure {
                    _proto: proto.clone(),
                    env: Some(env),
                    upvals: UpvalList::new(0),
                })
                .unwrap(),
            ),
        }
    };
    let t0 = thread_cpu();
    let mut subs = Vec::with_capacity(groups);
    for g in 0..groups {
        let sub = heap.new_table(per, 0).unwrap();
        heap.table_set_int(root, g as i64 + 1, Value::Table(sub))
            .unwrap();
        subs.push(sub);
        for i in 0..per {
            let v = make(&mut heap, &mut rng, &mut counter);
            heap.table_set_int(sub, i as i64 + 1, v).unwrap();
            heap.check_gc(&no_roots);
        }
    }
    let build = thread_cpu().saturating_sub(t0);
    println!(
        "live_objects {}",
        heap.stats().tables + heap.stats().strings + heap.stats().functions
    );
    println!("build_seconds {:.3}", build.as_secs_f64());
    println!("bytes_live_heap {}", heap.bytes_in_use());

    // Churn: replace random objects; time every collector step.
    let churn = if quick { 300_000 } else { 3_000_000 };
    let mut pauses: Vec<Duration> = Vec::new();
    let mut cycles = 0;
    let mut phase_max = [Duration::ZERO; 4];
    let mut long = Vec::new();
    let mut cpu_pauses: Vec<Duration> = Vec::new();
    let mut peak = heap.bytes_in_use();
    let t0 = Instant::now();
    let c0 = thread_cpu();
    for _ in 0..churn {
        let g = (rng.next() % groups as u64) as usize;
        let i = (rng.next() % per as u64) as i64 + 1;
        let v = make(&mut heap, &mut rng, &mut counter);
        heap.table_set_int(subs[g], i, v).unwrap();
        peak = peak.max(heap.bytes_in_use());
        if heap.gc_due() {
            let phase = heap.gc_phase();
            let s = Instant::now();
            let c = thread_cpu();
            if heap.step(&no_roots) {
                cycles += 1;
            }
            let cpu = thread_cpu().saturating_sub(c);
            let d = s.elapsed();
            cpu_pauses.push(cpu);
            let slot = match phase {
                GcPhase::Pause => 0,
                GcPhase::Propagate => 1,
                GcPhase::Sweep => 2,
                GcPhase::Finalize => 3,
            };
            if cpu > phase_max[slot] {
                phase_max[slot] = cpu;
            }
            pauses.push(d);
            if cpu > Duration::from_micros(200) {
                long.push((d, cpu, phase, heap.gc_phase()));
            }
        }
    }
    let churn_wall = t0.elapsed();
    let churn_time = thread_cpu().saturating_sub(c0);
    if std::env::var_os("HEAP_BENCH_DEBUG").is_some() {
        for (d, cpu, a, b) in &long {
            eprintln!("long step {d:?} (cpu {cpu:?}) {a:?} -> {b:?}");
        }
    }
    pauses.sort();
    let max = pauses.last().copied().unwrap_or_default();
    let p999 = pauses
        .get(
            pauses
                .len()
                .saturating_sub(1)
                .min(pauses.len() * 999 / 1000),
        )
        .copied()
        .unwrap_or_default();
    let total: Duration = pauses.iter().sum();
    println!("churn_allocations {churn}");
    println!("churn_seconds {:.3}", churn_time.as_secs_f64());
    println!("churn_wall_seconds {:.3}", churn_wall.as_secs_f64());
    println!(
        "alloc_per_second {:.0}",
        churn as f64 / churn_time.as_secs_f64()
    );
    println!("gc_steps {}", pauses.len());
    println!("gc_cycles {cycles}");
    let total_cpu: Duration = cpu_pauses.iter().sum();
    let _ = total;
    println!(
        "gc_time_share {:.3}",
        total_cpu.as_secs_f64() / churn_time.as_secs_f64()
    );
    cpu_pauses.sort();
    let cpu_max = cpu_pauses.last().copied().unwrap_or_default();
    let cpu_p999 = cpu_pauses
        .get(
            cpu_pauses
                .len()
                .saturating_sub(1)
                .min(cpu_pauses.len() * 999 / 1000),
        )
        .copied()
        .unwrap_or_default();
    println!("max_step_ms {:.3}", max.as_secs_f64() * 1e3);
    println!("max_step_cpu_ms {:.3}", cpu_max.as_secs_f64() * 1e3);
    println!("p999_step_cpu_ms {:.3}", cpu_p999.as_secs_f64() * 1e3);
    for (name, d) in ["pause", "propagate", "sweep", "finalize"]
        .iter()
        .zip(phase_max)
    {
        println!("max_step_cpu_from_{name}_ms {:.3}", d.as_secs_f64() * 1e3);
    }
    println!("p999_step_ms {:.3}", p999.as_secs_f64() * 1e3);
    println!("bytes_after_churn {}", heap.bytes_in_use());
    println!("bytes_peak_churn {peak}");

    // Writes of new strings into many small tables the collector has
    // already blackened: they come back through the gray-again list.
    let smalls = if quick { 10_000 } else { 100_000 };
    let holder = heap.new_table(smalls, 0).unwrap();
    heap.table_set_int(root, groups as i64 + 1, Value::Table(holder))
        .unwrap();
    for i in 0..smalls {
        let t = heap.new_table(0, 2).unwrap();
        heap.table_set_int(holder, i as i64 + 1, Value::Table(t))
            .unwrap();
    }
    let name = heap.intern(b"name").unwrap();
    let mut max_small = Duration::ZERO;
    for round in 0..6 {
        for i in 0..smalls {
            let Some(Value::Table(t)) = heap.table(holder).map(|h| h.get_int(i as i64 + 1)) else {
                continue;
            };
            let s = heap.intern(format!("n{round}-{i}").as_bytes()).unwrap();
            heap.table_set_str(t, name, Value::String(s)).unwrap();
            // Steps at a steady rate, as a busier program would cause.
            if i % 64 == 0 {
                let phase = heap.gc_phase();
                let c = thread_cpu();
                heap.step(&no_roots);
                let d = thread_cpu().saturating_sub(c);
                if d > Duration::from_micros(300) && std::env::var_os("HEAP_BENCH_DEBUG").is_some()
                {
                    eprintln!(
                        "small-writes long step {d:?} {phase:?} -> {:?}",
                        heap.gc_phase()
                    );
                }
                max_small = max_small.max(d);
            }
        }
    }
    println!("small_writes_tables {smalls}");
    println!(
        "small_writes_max_step_cpu_ms {:.3}",
        max_small.as_secs_f64() * 1e3
    );

    let s = Instant::now();
    heap.full_collect(&no_roots);
    println!("full_collect_ms {:.1}", s.elapsed().as_secs_f64() * 1e3);

    // Drop everything.
    heap.unpin(pin);
    heap.full_collect(&no_roots);
    let end = heap.bytes_in_use();
    println!("baseline_bytes {baseline}");
    println!("bytes_after_drop {end}");
    println!("retained_ratio {:.4}", end as f64 / baseline as f64);
    println!("arena_slots_kept {}", heap.stats().slots);
}
