//! The embedding facade's safety guarantees (issue 14): panics in
//! callbacks, output sinks, cross-state and stale values, out-of-memory
//! recovery, error values and tracebacks, Rust errors through Lua.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use ferrous_lua::{Error, Function, Lua, LuaOptions, MultiValue, RawValue, Table, Value, Variadic};

#[test]
fn panic_in_callback_is_a_lua_error_pcall_can_catch() {
    let mut lua = Lua::new();
    let boom = lua
        .create_function(|_, ()| -> ferrous_lua::Result<()> { panic!("kaboom") })
        .unwrap();
    lua.set_global("boom", boom).unwrap();
    let (ok, msg): (bool, String) = lua
        .load("local ok, e = pcall(boom) return ok, tostring(e)")
        .eval()
        .unwrap();
    assert!(!ok);
    assert_eq!(msg, "panic: kaboom");
    // The state is intact: no frames or nesting left behind.
    let n: i64 = lua.load("return 40 + 2").eval().unwrap();
    assert_eq!(n, 42);
}

#[test]
fn uncaught_panic_resumes_in_rust_and_leaves_the_state_intact() {
    let mut lua = Lua::new();
    let boom = lua
        .create_function(|_, ()| -> ferrous_lua::Result<()> { panic!("kaboom") })
        .unwrap();
    lua.set_global("boom", boom).unwrap();
    // Far more than the 200 levels of nesting a leak would exhaust.
    for _ in 0..300 {
        let r = catch_unwind(AssertUnwindSafe(|| {
            lua.load("local function f() boom() end f()").exec()
        }));
        let payload = r.expect_err("the panic resumes on the Rust side");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"kaboom"));
    }
    // A deeply nested chunk still loads (the nesting counter is back at 0).
    let src = format!("return {}1{}", "(".repeat(150), ")".repeat(150));
    let n: i64 = lua.load(src).eval().unwrap();
    assert_eq!(n, 1);
    assert_eq!(vm_of(&mut lua).frame_count(), 0);
    assert_eq!(vm_of(&mut lua).stack_top(), 0);
}

#[test]
fn panic_not_catchable_by_pcall_when_configured() {
    let mut lua = Lua::new_with(LuaOptions::new().catch_rust_panics(false));
    let boom = lua
        .create_function(|_, ()| -> ferrous_lua::Result<()> { panic!("no catch") })
        .unwrap();
    lua.set_global("boom", boom).unwrap();
    let r = catch_unwind(AssertUnwindSafe(|| {
        lua.load("pcall(boom) reached = true").exec()
    }));
    assert!(r.is_err());
    let reached: Option<bool> = lua.get_global("reached").unwrap();
    assert_eq!(reached, None);
    let n: i64 = lua.load("return 1 + 1").eval().unwrap();
    assert_eq!(n, 2);
}

#[test]
fn panic_in_raw_callback_is_caught_too() {
    let mut lua = Lua::new();
    #[allow(unused_unsafe)]
    // SAFETY: the function touches nothing.
    let f = unsafe { lua.create_raw_function(|_ctx| panic!("raw")) }.unwrap();
    lua.set_global("f", f).unwrap();
    let msg: String = lua
        .load("local ok, e = pcall(f) return tostring(e)")
        .eval()
        .unwrap();
    assert_eq!(msg, "panic: raw");
}

#[test]
fn output_goes_to_the_state_sink() {
    let mut a = Lua::new();
    let mut b = Lua::new();
    let out_a = a.capture_output();
    let out_b = b.capture_output();
    a.load("print('from a', 1) io.write('x', 2, '\\n') io.stdout:write('y')")
        .exec()
        .unwrap();
    b.load("print('from b')").exec().unwrap();
    assert_eq!(out_a.take_string(), "from a\t1\nx2\ny");
    assert_eq!(out_b.take_string(), "from b\n");
}

/// Run by `default_output_reaches_a_pipe` in a child process.
#[test]
fn child_prints() {
    if std::env::var_os("FERROUS_LUA_CHILD").is_none() {
        return;
    }
    let mut lua = Lua::new();
    for i in 0..3 {
        lua.load(format!("print('lua line {i}')")).exec().unwrap();
    }
    // Exit without any flush from Rust's side: nothing may be lost.
    std::process::exit(0);
}

#[test]
fn default_output_reaches_a_pipe() {
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args(["--exact", "child_prints", "--nocapture", "--test-threads=1"])
        .env("FERROUS_LUA_CHILD", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for i in 0..3 {
        assert!(text.contains(&format!("lua line {i}\n")), "{text}");
    }
}

#[test]
fn handles_of_another_state_are_an_error() {
    let mut a = Lua::new();
    let mut b = Lua::new();
    let ta = a.create_table().unwrap();
    ta.set(&mut a, "k", 1).unwrap();
    let tb = b.create_table().unwrap();
    tb.set(&mut b, "k", 2).unwrap();
    assert!(matches!(ta.get::<i64>(&mut b, "k"), Err(Error::WrongState)));
    assert!(matches!(ta.set(&mut b, "k", 3), Err(Error::WrongState)));
    assert!(matches!(b.set_global("t", &ta), Err(Error::WrongState)));
    let f: Function = a.load("return function() return 1 end").eval().unwrap();
    assert!(matches!(f.call::<i64>(&mut b, ()), Err(Error::WrongState)));
    // Nothing was touched.
    assert_eq!(tb.get::<i64>(&mut b, "k").unwrap(), 2);
    assert_eq!(ta.get::<i64>(&mut a, "k").unwrap(), 1);
}

#[test]
fn stale_raw_values_are_an_error() {
    let mut lua = Lua::new();
    let raw: RawValue = lua.load("return {}").eval::<Table>().unwrap().to_raw();
    // The handle is gone: the table is garbage.
    lua.gc_collect().unwrap();
    assert!(matches!(lua.set_global("t", raw), Err(Error::DeadObject)));
    assert!(matches!(lua.pack(raw), Err(Error::DeadObject)));
    // A pinned one stays valid.
    let t: Table = lua.load("return {x = 1}").eval().unwrap();
    lua.gc_collect().unwrap();
    assert_eq!(t.get::<i64>(&mut lua, "x").unwrap(), 1);
}

#[test]
fn state_usable_after_out_of_memory() {
    let mut lua = Lua::new();
    let used = lua.used_memory();
    lua.set_memory_limit(Some(used + 2_000_000));
    let r = lua
        .load("local t = {} for i = 1, 1e8 do t[i] = {i} end")
        .exec();
    assert!(matches!(r, Err(Error::Memory)), "{r:?}");
    let n: i64 = lua.load("return 40 + 2").eval().unwrap();
    assert_eq!(n, 42);
    let s: String = lua.load("return string.rep('x', 1000)").eval().unwrap();
    assert_eq!(s.len(), 1000);
    // And again, with a string the size of the limit.
    let r = lua
        .load("local s = string.rep('x', 3000000) return #s")
        .eval::<i64>();
    assert!(matches!(r, Err(Error::Memory)), "{r:?}");
    let n: i64 = lua.load("return 40 + 2").eval().unwrap();
    assert_eq!(n, 42);
}

#[test]
fn error_values_reach_rust_intact() {
    let mut lua = Lua::new();
    let err = lua.load("error({code = 42})").exec().unwrap_err();
    let Error::Runtime {
        value: Some(Value::Table(t)),
        traceback,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(t.get::<i64>(&mut lua, "code").unwrap(), 42);
    let tb = traceback.as_deref().unwrap();
    assert!(tb.starts_with("stack traceback:"), "{tb}");
    // __tostring gives the message.
    let err = lua
        .load("error(setmetatable({}, {__tostring = function() return 'custom' end}))")
        .exec()
        .unwrap_err();
    assert_eq!(err.to_string(), "custom");
    // Plain messages keep Lua's position.
    let err = lua
        .load("local x = nil; return x.y")
        .name("=chunk")
        .exec()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "chunk:1: attempt to index local 'x' (a nil value)"
    );
    assert!(
        err.traceback().unwrap().contains("chunk:1"),
        "{:?}",
        err.traceback()
    );
}

#[derive(Debug)]
struct MyError(u32);

impl fmt::Display for MyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "my error {}", self.0)
    }
}

impl std::error::Error for MyError {}

#[test]
fn rust_errors_survive_a_trip_through_lua() {
    let mut lua = Lua::new();
    let f = lua
        .create_function(|_, n: u32| -> ferrous_lua::Result<()> {
            Err(Error::external(MyError(n)))
        })
        .unwrap();
    lua.set_global("fail", f).unwrap();
    // Lua sees the message.
    let msg: String = lua
        .load("local ok, e = pcall(fail, 7) return tostring(e)")
        .eval()
        .unwrap();
    assert_eq!(msg, "my error 7");
    // Rust gets the original error back, through pcall + error rethrow.
    let err = lua
        .load("local ok, e = pcall(fail, 9) error(e)")
        .exec()
        .unwrap_err();
    assert_eq!(err.downcast_ref::<MyError>().map(|e| e.0), Some(9));
    let err = lua.load("fail(3)").exec().unwrap_err();
    assert!(matches!(err, Error::Callback { .. }));
    assert_eq!(err.downcast_ref::<MyError>().map(|e| e.0), Some(3));
    // Error is a std error that converts into a boxed one.
    let boxed: Box<dyn std::error::Error + Send + Sync> = err.into();
    assert_eq!(boxed.to_string(), "my error 3");
}

#[test]
fn typed_callbacks_and_argument_errors() {
    let mut lua = Lua::new();
    let add = lua
        .create_function(|_, (a, b): (i64, i64)| Ok(a + b))
        .unwrap();
    lua.set_global("add", add).unwrap();
    assert_eq!(lua.load("return add(2, 3)").eval::<i64>().unwrap(), 5);
    let e = lua.load("return add(2, {})").eval::<i64>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "[string \"return add(2, {})\"]:1: bad argument #2 to 'add' (i64 expected, got table)"
    );
    let e = lua.load("return add(2, 2.5)").eval::<i64>().unwrap_err();
    assert!(
        e.to_string()
            .ends_with("(number has no integer representation)"),
        "{e}"
    );
    let sum = lua
        .create_function(|_, v: Variadic<f64>| Ok(v.iter().sum::<f64>()))
        .unwrap();
    lua.set_global("sum", sum).unwrap();
    assert_eq!(
        lua.load("return sum(1, 2, 3.5)").eval::<f64>().unwrap(),
        6.5
    );
    // Handles inside callbacks.
    let t = lua.create_table().unwrap();
    t.set(&mut lua, "n", 10).unwrap();
    let f: Function = lua
        .load("return function(x) return x * 2 end")
        .eval()
        .unwrap();
    let g = lua
        .create_function(move |lua, x: i64| {
            let n: i64 = t.get(lua, "n")?;
            f.call::<i64>(lua, x + n)
        })
        .unwrap();
    lua.set_global("g", g).unwrap();
    assert_eq!(lua.load("return g(1)").eval::<i64>().unwrap(), 22);
    // Mutable callbacks.
    let mut count = 0;
    let c = lua
        .create_function_mut(move |_, ()| {
            count += 1;
            Ok(count)
        })
        .unwrap();
    lua.set_global("c", c).unwrap();
    assert_eq!(lua.load("c() c() return c()").eval::<i64>().unwrap(), 3);
    let all: MultiValue = lua.load("return 1, 'a', nil").eval().unwrap();
    assert_eq!(all.len(), 3);
}

#[test]
fn integer_conversions_check_ranges() {
    let mut lua = Lua::new();
    assert!(lua.load("return 1e19").eval::<i64>().is_err());
    assert!(lua.load("return 2.5").eval::<i64>().is_err());
    assert!(lua.load("return -1").eval::<u8>().is_err());
    assert!(lua.load("return 256").eval::<u8>().is_err());
    assert_eq!(lua.load("return 255").eval::<u8>().unwrap(), 255);
    assert_eq!(lua.load("return -2^63").eval::<i64>().unwrap(), i64::MIN);
    assert!(lua.load("return 2^63").eval::<i64>().is_err());
    assert!(lua.load("return 0/0").eval::<i32>().is_err());
    assert!(lua.pack(u64::MAX).is_err());
    assert!(lua.pack((1u64 << 53) + 1).is_err());
    assert!(lua.pack(1u64 << 60).is_ok());
    assert!(lua.pack(i64::MAX).is_err());
    assert!(lua.pack(i64::MIN).is_ok());
    assert!(lua.pack(-(1i64 << 53) - 1).is_err());
}

#[derive(Debug, Clone)]
struct Point {
    x: f64,
    y: f64,
}

impl ferrous_lua::UserData for Point {
    fn add_fields(f: &mut ferrous_lua::UserDataFields<Self>) {
        f.add_field_method_get("x", |_, p| Ok(p.x));
        f.add_field_method_set("x", |_, p, v: f64| {
            p.x = v;
            Ok(())
        });
    }
    fn add_methods(m: &mut ferrous_lua::UserDataMethods<Self>) {
        m.add_method("len", |_, p, ()| Ok((p.x * p.x + p.y * p.y).sqrt()));
        m.add_method_mut("scale", |_, p, k: f64| {
            p.x *= k;
            p.y *= k;
            Ok(())
        });
        m.add_function("new", |_, (x, y): (f64, f64)| Ok(Point { x, y }));
        m.add_meta_method(ferrous_lua::MetaMethod::ToString, |_, p, ()| {
            Ok(format!("Point({}, {})", p.x, p.y))
        });
        m.add_meta_function(
            ferrous_lua::MetaMethod::Add,
            |_,
             (a, b): (
                ferrous_lua::UserDataRef<Point>,
                ferrous_lua::UserDataRef<Point>,
            )| {
                Ok(Point {
                    x: a.x + b.x,
                    y: a.y + b.y,
                })
            },
        );
        m.add_method("call_back", |lua, _p, f: Function| f.call::<()>(lua, ()));
    }
}

// (`Arc` and atomics: with the feature `send` a userdata type is `Send`.)
struct Dropped(std::sync::Arc<std::sync::atomic::AtomicU32>);
impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}
impl ferrous_lua::UserData for Dropped {}

#[test]
fn userdata_methods_fields_metamethods() {
    let mut lua = Lua::new();
    let p = lua.create_userdata(Point { x: 3.0, y: 4.0 }).unwrap();
    lua.set_global("p", &p).unwrap();
    assert_eq!(lua.load("return p:len()").eval::<f64>().unwrap(), 5.0);
    lua.load("p:scale(2) p.x = p.x + 1").exec().unwrap();
    assert_eq!(p.borrow::<Point>(&mut lua).unwrap().x, 7.0);
    assert_eq!(
        lua.load("return tostring(p)").eval::<String>().unwrap(),
        "Point(7, 8)"
    );
    assert_eq!(
        lua.load("return tostring(p + p)").eval::<String>().unwrap(),
        "Point(14, 16)"
    );
    // Wrong self: Lua's message.
    let e = lua.load("return p.len({})").eval::<f64>().unwrap_err();
    assert!(
        e.to_string()
            .ends_with("bad argument #1 to 'len' (Point expected, got table)"),
        "{e}"
    );
    let e = lua.load("return p:scale('x')").eval::<()>().unwrap_err();
    assert!(
        e.to_string()
            .ends_with("bad argument #1 to 'scale' (f64 expected, got string)"),
        "{e}"
    );
    // Borrow checks: a mutable method while a borrow is held.
    let held = p.borrow::<Point>(&mut lua).unwrap();
    let e = lua.load("p:scale(2)").exec().unwrap_err();
    assert!(matches!(e.root_cause(), Error::UserDataBorrowMut), "{e:?}");
    drop(held);
    // Re-entrancy: a method calling Lua that calls a mutating method.
    let e = lua
        .load("p:call_back(function() p:scale(2) end)")
        .exec()
        .unwrap_err();
    assert!(matches!(e.root_cause(), Error::UserDataBorrowMut), "{e:?}");
    assert!(!p.is::<Dropped>(&mut lua));
    // Drop runs when Lua collects it.
    let n = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let d = lua.create_userdata(Dropped(n.clone())).unwrap();
    lua.set_global("d", d).unwrap();
    lua.load("d = nil").exec().unwrap();
    lua.gc_collect().unwrap();
    lua.gc_collect().unwrap();
    assert_eq!(n.load(std::sync::atomic::Ordering::Relaxed), 1);
    // And when the state closes.
    let d2 = lua.create_userdata(Dropped(n.clone())).unwrap();
    lua.set_global("d2", d2).unwrap();
    drop(lua);
    assert_eq!(n.load(std::sync::atomic::Ordering::Relaxed), 2);
}

#[test]
fn tables_threads_registry_app_data_env_binary() {
    let mut lua = Lua::new();
    let t = lua.create_table().unwrap();
    t.push(&mut lua, "a").unwrap();
    t.push(&mut lua, "b").unwrap();
    t.raw_set(&mut lua, "k", 1).unwrap();
    assert_eq!(t.raw_len(&mut lua), 2);
    assert!(t.contains_key(&mut lua, "k").unwrap());
    assert_eq!(t.sequence_values::<String>(&mut lua).unwrap(), ["a", "b"]);
    assert_eq!(t.pop::<String>(&mut lua).unwrap(), "b");
    let pairs: Vec<(Value, Value)> = t.pairs(&mut lua).unwrap();
    assert_eq!(pairs.len(), 2);
    t.clear(&mut lua).unwrap();
    assert!(t.pairs::<Value, Value>(&mut lua).unwrap().is_empty());
    // Metatables.
    let mt: Table = lua
        .load("return {__index = function(_, k) return k .. '!' end}")
        .eval()
        .unwrap();
    t.set_metatable(&mut lua, Some(&mt)).unwrap();
    assert_eq!(t.get::<String>(&mut lua, "hi").unwrap(), "hi!");
    assert_eq!(t.raw_get::<Option<String>>(&mut lua, "hi").unwrap(), None);
    assert!(t.get_metatable(&mut lua).unwrap().ptr_eq(&mt));
    // Threads.
    let f: Function = lua
        .load("return function(a) local b = coroutine.yield(a + 1) return b * 2 end")
        .eval()
        .unwrap();
    let co = lua.create_thread(&f).unwrap();
    assert_eq!(co.resume::<i64>(&mut lua, 1).unwrap(), 2);
    assert_eq!(
        co.status(&mut lua).unwrap(),
        ferrous_lua::ThreadStatus::Resumable
    );
    assert_eq!(co.resume::<i64>(&mut lua, 5).unwrap(), 10);
    assert_eq!(
        co.status(&mut lua).unwrap(),
        ferrous_lua::ThreadStatus::Finished
    );
    assert!(co.resume::<()>(&mut lua, ()).is_err());
    // Registry and app data.
    let key = lua.create_registry_value("kept").unwrap();
    lua.gc_collect().unwrap();
    assert_eq!(lua.registry_value::<String>(&key).unwrap(), "kept");
    lua.set_named_registry_value("n", 5).unwrap();
    assert_eq!(lua.named_registry_value::<i64>("n").unwrap(), 5);
    lua.set_app_data(vec![1u8, 2]);
    let f = lua
        .create_function(|lua, ()| Ok(lua.app_data_ref::<Vec<u8>>().map_or(0, |v| v.len())))
        .unwrap();
    assert_eq!(f.call::<usize>(&mut lua, ()).unwrap(), 2);
    // Environments.
    let env = lua.create_table().unwrap();
    env.set(&mut lua, "x", 7).unwrap();
    let x: i64 = lua.load("return x").set_environment(env).eval().unwrap();
    assert_eq!(x, 7);
    // Binary chunks: accepted by default, refused in text mode.
    let bin: Vec<u8> = lua
        .load("return string.dump(function() return 99 end)")
        .eval::<ferrous_lua::Bytes>()
        .unwrap()
        .0;
    assert_eq!(lua.load(&bin).eval::<i64>().unwrap(), 99);
    let e = lua
        .load(&bin)
        .set_mode(ferrous_lua::ChunkMode::Text)
        .eval::<i64>()
        .unwrap_err();
    assert!(matches!(e, Error::Syntax { .. }));
}

#[test]
fn collections_round_trip() {
    use std::collections::{BTreeMap, HashMap, HashSet};
    let mut lua = Lua::new();
    let v = vec![1i64, 2, 3];
    lua.set_global("v", v.clone()).unwrap();
    assert_eq!(lua.get_global::<Vec<i64>>("v").unwrap(), v);
    let m: HashMap<String, i64> = [("a".to_string(), 1), ("b".to_string(), 2)].into();
    lua.set_global("m", m.clone()).unwrap();
    assert_eq!(lua.get_global::<HashMap<String, i64>>("m").unwrap(), m);
    let b: BTreeMap<i64, String> = lua.load("return {[1]='x', [5]='y'}").eval().unwrap();
    assert_eq!(b.len(), 2);
    let s: HashSet<String> = lua.load("return {'p', 'q'}").eval().unwrap();
    assert!(s.contains("p") && s.contains("q"));
    let a: [u8; 3] = lua.load("return {1, 2, 3}").eval().unwrap();
    assert_eq!(a, [1, 2, 3]);
    assert!(lua.load("return {1, 2}").eval::<[u8; 3]>().is_err());
    let o: Option<i64> = lua.load("return nil").eval().unwrap();
    assert_eq!(o, None);
    let bad = lua.load("return '\\255'").eval::<String>();
    assert!(bad.is_err());
    let lossy = lua
        .load("return '\\255'")
        .eval::<ferrous_lua::LuaString>()
        .unwrap();
    assert_eq!(lossy.to_string_lossy(&mut lua), "\u{fffd}");
}

#[test]
fn scoped_functions_end_with_their_scope() {
    let mut lua = Lua::new();
    let dropped = std::rc::Rc::new(std::cell::Cell::new(0));
    struct D(std::rc::Rc<std::cell::Cell<u32>>);
    impl Drop for D {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let local = String::from("borrowed");
    let d = D(dropped.clone());
    lua.scope(|lua, scope| {
        let f = scope.create_function(lua, |_, ()| {
            let _keep = &d;
            Ok(local.clone())
        })?;
        lua.set_global("f", f)?;
        assert_eq!(lua.load("return f()").eval::<String>()?, "borrowed");
        Ok(())
    })
    .unwrap();
    let e = lua.load("return f()").eval::<String>().unwrap_err();
    assert!(
        e.to_string()
            .ends_with("callback called after its scope ended"),
        "{e}"
    );
    drop(d);
    assert_eq!(dropped.get(), 1);
    // A panic inside the scope still ends it.
    let r = catch_unwind(AssertUnwindSafe(|| {
        lua.scope(|lua, scope| {
            let g = scope.create_function(lua, |_, ()| Ok(local.len()))?;
            lua.set_global("g", g)?;
            panic!("inside scope");
            #[allow(unreachable_code)]
            Ok(())
        })
    }));
    assert!(r.is_err());
    assert!(lua.load("return g()").exec().is_err());
}

#[test]
fn userdata_gc_metamethod_then_drop() {
    struct G(std::sync::Arc<std::sync::Mutex<Vec<&'static str>>>);
    impl Drop for G {
        fn drop(&mut self) {
            self.0.lock().unwrap().push("drop");
        }
    }
    impl ferrous_lua::UserData for G {
        fn add_methods(m: &mut ferrous_lua::UserDataMethods<Self>) {
            m.add_meta_method(ferrous_lua::MetaMethod::Gc, |_, g, ()| {
                g.0.lock().unwrap().push("__gc");
                Ok(())
            });
        }
    }
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut lua = Lua::new();
    lua.set_global("g", G(log.clone())).unwrap();
    lua.load("g = nil").exec().unwrap();
    lua.gc_collect().unwrap();
    lua.gc_collect().unwrap();
    assert_eq!(*log.lock().unwrap(), ["__gc", "drop"]);
}

/// Random sequences of operations mixing two states, stale raw values,
/// collections, panics and errors: every misuse is an error, the states
/// stay consistent (checked by a computation at the end of each round).
#[test]
fn random_misuse_never_corrupts_a_state() {
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut rnd = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut states = [Lua::new(), Lua::new()];
    for lua in states.iter_mut() {
        let boom = lua
            .create_function(|_, n: i64| -> ferrous_lua::Result<i64> {
                if n % 3 == 0 {
                    panic!("boom {n}")
                }
                Err(Error::runtime(format!("err {n}")))
            })
            .unwrap();
        lua.set_global("boom", boom).unwrap();
    }
    let mut tables: Vec<(usize, Table)> = Vec::new();
    let mut raws: Vec<(usize, RawValue)> = Vec::new();
    for round in 0..3000 {
        let s = rnd(2) as usize;
        match rnd(9) {
            0 => {
                let t = states[s].create_table().unwrap();
                t.set(&mut states[s], "n", round).unwrap();
                raws.push((s, t.to_raw()));
                tables.push((s, t));
            }
            1 if !tables.is_empty() => {
                let i = rnd(tables.len() as u64) as usize;
                let (owner, t) = &tables[i];
                let other = rnd(2) as usize;
                let r = t.get::<i64>(&mut states[other], "n");
                if *owner == other {
                    assert!(r.is_ok());
                } else {
                    assert!(matches!(r, Err(Error::WrongState)), "{r:?}");
                }
            }
            2 if !tables.is_empty() => {
                let i = rnd(tables.len() as u64) as usize;
                tables.swap_remove(i);
            }
            3 => {
                states[s].gc_collect().unwrap();
            }
            4 if !raws.is_empty() => {
                let i = rnd(raws.len() as u64) as usize;
                let (owner, raw) = raws[i];
                // Only meaningful on its own state: alive or DeadObject.
                match states[owner].set_global("r", raw) {
                    Ok(()) => {}
                    Err(Error::DeadObject) => {
                        raws.swap_remove(i);
                    }
                    Err(e) => panic!("{e:?}"),
                }
                states[owner].set_global("r", ferrous_lua::Nil).unwrap();
            }
            5 => {
                let n = rnd(10) as i64;
                let r = catch_unwind(AssertUnwindSafe(|| {
                    states[s].load(format!("return boom({n})")).eval::<i64>()
                }));
                match r {
                    Err(_) => assert_eq!(n % 3, 0),
                    Ok(Err(e)) => assert!(e.to_string().contains("err"), "{e}"),
                    Ok(Ok(_)) => panic!("boom returned"),
                }
            }
            6 => {
                let n = rnd(10) as i64;
                let (ok, _msg): (bool, String) = states[s]
                    .load(format!(
                        "local ok, e = pcall(boom, {n}) return ok, tostring(e)"
                    ))
                    .eval()
                    .unwrap();
                assert!(!ok);
            }
            7 => {
                let used = states[s].used_memory();
                states[s].set_memory_limit(Some(used + 200_000));
                let r = states[s]
                    .load("local t = {} for i = 1, 1e6 do t[i] = i end")
                    .exec();
                assert!(matches!(r, Err(Error::Memory)), "{r:?}");
                states[s].set_memory_limit(None);
            }
            _ => {
                let v = states[s].load("error({round = 1})").exec().unwrap_err();
                assert!(v.value().is_some());
            }
        }
        if round % 100 == 0 {
            for lua in states.iter_mut() {
                let n: i64 = lua
                    .load("local s = 0 for i = 1, 100 do s = s + i end return s")
                    .eval()
                    .unwrap();
                assert_eq!(n, 5050);
                assert_eq!(vm_of(lua).frame_count(), 0);
            }
        }
    }
}

#[test]
fn handles_and_errors_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Error>();
    send_sync::<Value>();
    send_sync::<Table>();
    send_sync::<Function>();
    send_sync::<ferrous_lua::LuaString>();
    send_sync::<ferrous_lua::AnyUserData>();
    send_sync::<ferrous_lua::Thread>();
    send_sync::<ferrous_lua::RegistryKey>();
    // A handle dropped on another thread is released by its state later.
    let mut lua = Lua::new();
    let t = lua.create_table().unwrap();
    let before = lua.used_memory();
    std::thread::spawn(move || drop(t)).join().unwrap();
    lua.gc_collect().unwrap();
    assert!(lua.used_memory() < before);
}

/// The VM layer of the state, for the tests that reach below the facade
/// (`LuaState::vm` is `unsafe` with the feature `send`).
#[allow(unused_unsafe)]
fn vm_of(lua: &mut ferrous_lua::LuaState) -> &mut ferrous_lua::Vm {
    // SAFETY: the tests neither move the VM to another state nor store
    // anything that is not `Send` in it.
    unsafe { lua.vm() }
}

/// A callback cannot swap the running state for another one (it holds an
/// unsized `&mut LuaState`, see the `compile_fail` example of `LuaState`),
/// but it can swap the VMs underneath through `LuaState::vm` (`unsafe`
/// with the feature `send`). That would leave the interpreter below it
/// reading the moved-away VM's memory; the VM notices when the callback
/// returns and panics instead, through pcall and nested calls, without
/// touching either state; the state the host now holds stays usable.
#[test]
fn swapping_the_running_state_is_a_panic_not_a_dangling_read() {
    let mut lua = Lua::new();
    let swap = lua
        .create_function(|lua, ()| {
            let mut other = Lua::new();
            other
                .load("x = {} for i = 1, 100 do x[i] = {i} end")
                .exec()?;
            std::mem::swap(vm_of(lua), vm_of(&mut other));
            drop(other);
            Ok(1)
        })
        .unwrap();
    lua.set_global("swap", swap).unwrap();
    // Deep in Lua frames, under pcall, with locals live.
    let r = catch_unwind(AssertUnwindSafe(|| {
        lua.load(
            "local a, b = 1, 2
             local function deep(n) if n == 0 then return {pcall(swap)} end return deep(n - 1) end
             local t = deep(20) return a + b + #t",
        )
        .eval::<i64>()
    }));
    let payload = r.expect_err("the swap must panic");
    let msg = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(|s| s.as_str()))
        .unwrap_or("");
    assert!(msg.contains("was replaced"), "{msg}");
    // `lua` is now the other state, intact.
    let (n, len): (i64, i64) = lua.load("return 40 + 2, #x").eval().unwrap();
    assert_eq!((n, len), (42, 100));
    // A swap inside a nested Rust -> Lua -> Rust call is caught as well.
    let mut lua = Lua::new();
    let swap = lua
        .create_function(|lua, ()| {
            let mut other = Lua::new();
            std::mem::swap(vm_of(lua), vm_of(&mut other));
            Ok(())
        })
        .unwrap();
    let outer = lua
        .create_function(move |lua, ()| swap.call::<()>(lua, ()))
        .unwrap();
    lua.set_global("outer", outer).unwrap();
    let r = catch_unwind(AssertUnwindSafe(|| lua.load("return pcall(outer)").exec()));
    assert!(r.is_err());
    assert_eq!(lua.load("return 1 + 1").eval::<i64>().unwrap(), 2);
}

/// Redis's libraries open by name only with the feature `redis-libs`.
#[test]
fn redis_libraries_are_opt_in() {
    let mut lua = Lua::new();
    let r = lua.open("cjson");
    if cfg!(feature = "redis-libs") {
        r.unwrap();
        let s: String = lua.load("return cjson.encode({1, 2})").eval().unwrap();
        assert_eq!(s, "[1,2]");
    } else {
        assert!(r.is_err(), "cjson must not exist without the feature");
        assert!(lua
            .load("return cjson")
            .eval::<Option<ferrous_lua::Table>>()
            .unwrap()
            .is_none());
    }
}

/// `AnyUserData::take` moves the value out once; while a method runs the
/// value is borrowed and stays; afterwards Lua gets its own index error
/// and no `__gc` runs. User values live as long as the userdata, through
/// full collections, and never touch the globals (the default
/// environment).
#[test]
fn userdata_take_and_user_values() {
    use ferrous_lua::{AnyUserData, MetaMethod, UserData, UserDataMethods};
    use std::sync::atomic::{AtomicUsize, Ordering};
    static GCS: AtomicUsize = AtomicUsize::new(0);
    struct Counter(i64);
    impl UserData for Counter {
        fn add_methods(m: &mut UserDataMethods<Self>) {
            m.add_method_mut("inc", |_, this, ()| {
                this.0 += 1;
                Ok(this.0)
            });
            m.add_function("take_self", |lua, ud: AnyUserData| {
                ud.take::<Counter>(lua).map(|c| c.0)
            });
            m.add_meta_method(MetaMethod::Gc, |_, _, ()| {
                GCS.fetch_add(1, Ordering::SeqCst);
                Ok(())
            });
        }
    }
    let mut lua = Lua::new();
    let ud = lua.create_userdata(Counter(0)).unwrap();
    lua.set_global("c", &ud).unwrap();
    lua.load("c:inc() c:inc()").exec().unwrap();
    // Taking from inside a running method of the same value fails cleanly.
    let f = lua
        .create_function(|lua, ud: AnyUserData| {
            let _b = ud.borrow::<Counter>(lua)?;
            ud.take::<Counter>(lua).map(|c| c.0)
        })
        .unwrap();
    let e = f.call::<i64>(&mut lua, &ud).unwrap_err();
    assert!(e.to_string().contains("already borrowed"), "{e}");
    assert_eq!(ud.borrow::<Counter>(&mut lua).unwrap().0, 2);
    // Another type is refused and leaves the value in place.
    struct Other;
    impl UserData for Other {}
    assert!(ud.take::<Other>(&mut lua).is_err());
    assert_eq!(lua.load("return c.take_self(c)").eval::<i64>().unwrap(), 2);
    assert!(matches!(
        ud.borrow::<Counter>(&mut lua),
        Err(Error::UserDataDestructed)
    ));
    assert!(matches!(
        ud.take::<Counter>(&mut lua),
        Err(Error::UserDataDestructed)
    ));
    let e = lua.load("return c:inc()").exec().unwrap_err();
    assert!(e.to_string().contains("attempt to index"), "{e}");
    lua.load("c = nil").exec().unwrap();
    drop(ud);
    lua.gc_collect().unwrap();
    lua.gc_collect().unwrap();
    assert_eq!(GCS.load(Ordering::SeqCst), 0, "__gc ran on a taken value");

    // User values.
    let u = lua.create_userdata(Other).unwrap();
    assert_eq!(u.user_value::<Option<String>>(&mut lua).unwrap(), None);
    let t = lua.create_table().unwrap();
    t.set(&mut lua, "k", "v").unwrap();
    u.set_user_value(&mut lua, &t).unwrap();
    u.set_named_user_value(&mut lua, "n", 7).unwrap();
    drop(t);
    lua.gc_collect().unwrap();
    let t: Table = u.user_value(&mut lua).unwrap();
    assert_eq!(t.get::<String>(&mut lua, "k").unwrap(), "v");
    assert_eq!(u.named_user_value::<i64>(&mut lua, "n").unwrap(), 7);
    let g: Option<i64> = lua.load("return rawget(_G, 1)").eval().unwrap();
    assert_eq!(g, None, "a user value went into the globals");
}

/// `io.popen` flushes the state's open files first (lua5.1's `lua_popen`
/// calls `fflush(NULL)`): the command reads what was written and not yet
/// flushed. (lua5.1 prints `buffered` for the same chunk.)
#[test]
fn popen_flushes_the_open_files_first() {
    let path = std::env::temp_dir().join(format!("ferrous-popen-{}.txt", std::process::id()));
    let mut lua = Lua::new();
    lua.set_global("path", path.to_str().unwrap()).unwrap();
    let got: String = lua
        .load(
            "local f = assert(io.open(path, 'w')) f:write('buffered')
             local p = io.popen('cat ' .. path) local s = p:read('*a') p:close()
             f:close() return s",
        )
        .eval()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(got, "buffered");
}
