//! Crossing the Rust/Lua boundary: ferrous-lua against mlua 0.11 (vendored
//! PUC-Rio Lua 5.1), one row per kind of crossing. Each figure is the best
//! of 9 runs of thread CPU time, in nanoseconds per operation.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone)]
struct Entry {
    id: u32,
    name: String,
    score: f64,
    tags: Vec<String>,
}

fn data() -> Vec<Entry> {
    (0..1000)
        .map(|i| Entry {
            id: i,
            name: format!("entry{i}"),
            score: i as f64 * 0.5,
            tags: vec!["a".into(), "b".into()],
        })
        .collect()
}

/// CPU time of this thread in nanoseconds (time spent descheduled on a
/// busy machine does not count).
fn cpu_ns() -> u128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a pointer to a timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u128 * 1_000_000_000 + ts.tv_nsec as u128
}

fn best(n: u64, mut f: impl FnMut(u64)) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..9 {
        let t = cpu_ns();
        f(n);
        let ns = (cpu_ns() - t) as f64 / n as f64;
        best = best.min(ns);
    }
    best
}

mod fer {
    use ferrous_lua::{Function, Lua, UserData, UserDataMethods};

    pub struct Counter(pub i64);
    impl UserData for Counter {
        fn add_methods(m: &mut UserDataMethods<Self>) {
            m.add_method_mut("inc", |_, c, ()| {
                c.0 += 1;
                Ok(())
            });
        }
    }

    pub fn lua_calls_rust(n: u64) -> f64 {
        let mut lua = Lua::new();
        let add = lua.create_function(|_, (a, b): (f64, f64)| Ok(a + b)).unwrap();
        lua.set_global("add", add).unwrap();
        let f: Function = lua
            .load("return function(n) local s = 0 for i = 1, n do s = add(s, 1) end return s end")
            .eval()
            .unwrap();
        super::best(n, |n| {
            let r: f64 = f.call(&mut lua, n as f64).unwrap();
            assert_eq!(r, n as f64);
        })
    }

    pub fn rust_calls_lua(n: u64) -> f64 {
        let mut lua = Lua::new();
        let f: Function = lua.load("return function(a, b) return a + b end").eval().unwrap();
        super::best(n, |n| {
            let mut s = 0i64;
            for i in 0..n {
                s = f.call(&mut lua, (s, i as i64 & 1)).unwrap();
            }
            std::hint::black_box(s);
        })
    }

    pub fn table_get_set(n: u64) -> f64 {
        let mut lua = Lua::new();
        let t = lua.create_table().unwrap();
        super::best(n, |n| {
            for i in 0..n {
                t.set(&mut lua, "k", i as f64).unwrap();
                let v: f64 = t.get(&mut lua, "k").unwrap();
                std::hint::black_box(v);
            }
        })
    }

    pub fn userdata_methods(n: u64) -> f64 {
        let mut lua = Lua::new();
        let c = lua.create_userdata(Counter(0)).unwrap();
        lua.set_global("c", &c).unwrap();
        let f: Function = lua
            .load("return function(n) for i = 1, n do c:inc() end end")
            .eval()
            .unwrap();
        super::best(n, |n| f.call::<()>(&mut lua, n as f64).unwrap())
    }

    pub fn serde(n: u64, d: &[super::Entry]) -> (f64, f64) {
        let mut lua = Lua::new();
        let to = super::best(n, |n| {
            for _ in 0..n {
                std::hint::black_box(lua.to_value(d).unwrap());
            }
        });
        let v = lua.to_value(d).unwrap();
        let from = super::best(n, |n| {
            for _ in 0..n {
                let back: Vec<super::Entry> = lua.from_value(v.clone()).unwrap();
                std::hint::black_box(back);
            }
        });
        (to, from)
    }
}

mod ml {
    use mlua::{Function, Lua, LuaSerdeExt, UserData, UserDataMethods};

    pub struct Counter(pub i64);
    impl UserData for Counter {
        fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
            m.add_method_mut("inc", |_, c, ()| {
                c.0 += 1;
                Ok(())
            });
        }
    }

    pub fn lua_calls_rust(n: u64) -> f64 {
        let lua = Lua::new();
        let add = lua.create_function(|_, (a, b): (f64, f64)| Ok(a + b)).unwrap();
        lua.globals().set("add", add).unwrap();
        let f: Function = lua
            .load("return function(n) local s = 0 for i = 1, n do s = add(s, 1) end return s end")
            .eval()
            .unwrap();
        super::best(n, |n| {
            let r: f64 = f.call(n as f64).unwrap();
            assert_eq!(r, n as f64);
        })
    }

    pub fn rust_calls_lua(n: u64) -> f64 {
        let lua = Lua::new();
        let f: Function = lua.load("return function(a, b) return a + b end").eval().unwrap();
        super::best(n, |n| {
            let mut s = 0i64;
            for i in 0..n {
                s = f.call((s, i as i64 & 1)).unwrap();
            }
            std::hint::black_box(s);
        })
    }

    pub fn table_get_set(n: u64) -> f64 {
        let lua = Lua::new();
        let t = lua.create_table().unwrap();
        super::best(n, |n| {
            for i in 0..n {
                t.set("k", i as f64).unwrap();
                let v: f64 = t.get("k").unwrap();
                std::hint::black_box(v);
            }
        })
    }

    pub fn userdata_methods(n: u64) -> f64 {
        let lua = Lua::new();
        lua.globals().set("c", Counter(0)).unwrap();
        let f: Function = lua
            .load("return function(n) for i = 1, n do c:inc() end end")
            .eval()
            .unwrap();
        super::best(n, |n| f.call::<()>(n as f64).unwrap())
    }

    pub fn serde(n: u64, d: &[super::Entry]) -> (f64, f64) {
        let lua = Lua::new();
        let to = super::best(n, |n| {
            for _ in 0..n {
                std::hint::black_box(lua.to_value(d).unwrap());
            }
        });
        let v = lua.to_value(d).unwrap();
        let from = super::best(n, |n| {
            for _ in 0..n {
                let back: Vec<super::Entry> = lua.from_value(v.clone()).unwrap();
                std::hint::black_box(back);
            }
        });
        (to, from)
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    // `--only ROW` runs one ferrous-lua row (for a profiler).
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--only") {
        // BENCH_N: fewer iterations under callgrind.
        let n = std::env::var("BENCH_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3_000_000);
        match args.get(i + 1).map(String::as_str) {
            Some("lua_calls_rust") => println!("{:.1}", fer::lua_calls_rust(n)),
            Some("rust_calls_lua") => println!("{:.1}", fer::rust_calls_lua(n)),
            Some("table") => println!("{:.1}", fer::table_get_set(n)),
            Some("userdata") => println!("{:.1}", fer::userdata_methods(n)),
            _ => println!("rows: lua_calls_rust rust_calls_lua table userdata"),
        }
        return;
    }
    // `--only-mlua ROW`: the same for mlua (to compare instruction counts).
    if let Some(i) = args.iter().position(|a| a == "--only-mlua") {
        let n = std::env::var("BENCH_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3_000_000);
        match args.get(i + 1).map(String::as_str) {
            Some("lua_calls_rust") => println!("{:.1}", ml::lua_calls_rust(n)),
            Some("rust_calls_lua") => println!("{:.1}", ml::rust_calls_lua(n)),
            Some("table") => println!("{:.1}", ml::table_get_set(n)),
            Some("userdata") => println!("{:.1}", ml::userdata_methods(n)),
            _ => println!("rows: lua_calls_rust rust_calls_lua table userdata"),
        }
        return;
    }
    let n = if quick { 20_000 } else { 1_000_000 };
    let d = data();
    let rows: Vec<(&str, f64, f64, &str)> = {
        let (fto, ffrom) = fer::serde(if quick { 5 } else { 50 }, &d);
        let (mto, mfrom) = ml::serde(if quick { 5 } else { 50 }, &d);
        vec![
            ("Lua calls Rust `add(a, b)`", fer::lua_calls_rust(n), ml::lua_calls_rust(n), "ns/call"),
            ("Rust calls Lua `f(a, b)`", fer::rust_calls_lua(n), ml::rust_calls_lua(n), "ns/call"),
            ("table set + get from Rust", fer::table_get_set(n), ml::table_get_set(n), "ns/pair"),
            ("userdata method `c:inc()`", fer::userdata_methods(n), ml::userdata_methods(n), "ns/call"),
            ("to_value, 1,000 entries", fto / 1000.0, mto / 1000.0, "us"),
            ("from_value, 1,000 entries", ffrom / 1000.0, mfrom / 1000.0, "us"),
        ]
    };
    // `--tsv`: one line per row for `cargo xtask bench-embed`, which runs
    // this program several times and summarises.
    if std::env::args().any(|a| a == "--tsv") {
        for (name, f, m, unit) in rows {
            println!("{name}\t{f}\t{m}\t{unit}");
        }
        return;
    }
    println!("| crossing | ferrous-lua | mlua 0.11 (Lua 5.1) | ratio |");
    println!("| --- | --- | --- | --- |");
    for (name, f, m, unit) in rows {
        println!("| {name} | {f:.1} {unit} | {m:.1} {unit} | {:.2} |", f / m);
    }
}
