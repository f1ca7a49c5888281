//! The feature `send`: a state moves to another thread with its callbacks,
//! userdata and app data, and keeps working there.
#![cfg(feature = "send")]

use std::sync::{Arc, Mutex};

use ferrous_lua::{
    AnyUserData, Error, Function, Lua, LuaString, OutputBuffer, RegistryKey, Table, Thread,
    UserData, UserDataMethods, Value,
};

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

#[test]
fn the_state_and_its_handles_are_send() {
    assert_send::<Lua>();
    assert_send::<Table>();
    assert_sync::<Table>();
    assert_send::<Function>();
    assert_send::<LuaString>();
    assert_send::<AnyUserData>();
    assert_send::<Thread>();
    assert_send::<RegistryKey>();
    assert_send::<Value>();
    assert_send::<Error>();
    assert_sync::<Error>();
    assert_send::<OutputBuffer>();
    assert_send::<Mutex<Lua>>();
    assert_sync::<Mutex<Lua>>();
}

struct Counter {
    n: i64,
}

impl UserData for Counter {
    fn add_methods(m: &mut UserDataMethods<Self>) {
        m.add_method_mut("bump", |_, c, by: i64| {
            c.n += by;
            Ok(c.n)
        });
    }
}

#[test]
fn a_state_moves_to_another_thread_with_callbacks_and_userdata() {
    let mut lua = Lua::new();
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let l2 = log.clone();
    let record = lua
        .create_function(move |_, s: String| {
            l2.lock().unwrap().push(s);
            Ok(())
        })
        .unwrap();
    lua.set_global("record", record).unwrap();
    let mut total = 0i64;
    let add = lua
        .create_function_mut(move |_, x: i64| {
            total += x;
            Ok(total)
        })
        .unwrap();
    lua.set_global("add", add).unwrap();
    let ud = lua.create_userdata(Counter { n: 0 }).unwrap();
    lua.set_global("c", &ud).unwrap();
    lua.set_app_data(String::from("app"));
    let out = lua.capture_output();
    lua.load("record('main') add(1) c:bump(1) print('before')")
        .exec()
        .unwrap();

    let (mut lua, n) = std::thread::spawn(move || {
        let mut lua = lua;
        lua.load("record('worker') add(2) c:bump(10) print('after')")
            .exec()
            .unwrap();
        let n: i64 = lua.load("return add(0) + c:bump(0)").eval().unwrap();
        assert_eq!(lua.app_data_ref::<String>().unwrap(), "app");
        (lua, n)
    })
    .join()
    .unwrap();
    assert_eq!(n, 3 + 11);
    assert_eq!(*log.lock().unwrap(), ["main", "worker"]);
    assert_eq!(out.take_string(), "before\nafter\n");
    assert_eq!(ud.borrow::<Counter>(&mut lua).unwrap().n, 11);
    drop(lua);
}

#[test]
fn a_borrow_kept_on_one_thread_is_seen_by_the_state_on_another() {
    let mut lua = Lua::new();
    let ud = lua.create_userdata(Counter { n: 5 }).unwrap();
    lua.set_global("c", &ud).unwrap();
    let mut held = ud.borrow_mut::<Counter>(&mut lua).unwrap();
    let lua = std::thread::spawn(move || {
        let e = lua.load("c:bump(1)").exec().unwrap_err();
        assert!(e.to_string().contains("borrow"), "{e}");
        lua
    })
    .join()
    .unwrap();
    held.n = 7;
    drop(held);
    let mut lua = std::thread::spawn(move || {
        let mut lua = lua;
        assert_eq!(lua.load("return c:bump(1)").eval::<i64>().unwrap(), 8);
        lua
    })
    .join()
    .unwrap();
    // The value can still be taken out once no borrow is left.
    assert_eq!(ud.take::<Counter>(&mut lua).unwrap().n, 8);
}

#[test]
fn states_cross_threads_through_a_mutex() {
    let lua = Arc::new(Mutex::new(Lua::new()));
    lua.lock()
        .unwrap()
        .load("n = 0 function bump() n = n + 1 return n end")
        .exec()
        .unwrap();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let lua = lua.clone();
            std::thread::spawn(move || {
                for _ in 0..100 {
                    let mut l = lua.lock().unwrap();
                    let f: Function = l.get_global("bump").unwrap();
                    f.call::<i64>(&mut l, ()).unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let n: i64 = lua.lock().unwrap().get_global("n").unwrap();
    assert_eq!(n, 400);
}

#[test]
fn files_opened_before_a_move_are_flushed_and_closed_after_it() {
    let dir = std::env::temp_dir().join(format!("ferrous-send-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.txt");
    let mut lua = Lua::new();
    lua.set_global("path", path.to_str().unwrap()).unwrap();
    lua.load("f = assert(io.open(path, 'w')) f:write('one ')")
        .exec()
        .unwrap();
    let lua = std::thread::spawn(move || {
        let mut lua = lua;
        lua.load("f:write('two') f:close() f = nil collectgarbage()")
            .exec()
            .unwrap();
        lua
    })
    .join()
    .unwrap();
    drop(lua);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "one two");
    let _ = std::fs::remove_dir_all(&dir);
}

/// With `async` too, the future of `call_async` is `Send`: it can be
/// polled on another thread (as a multi-threaded executor does).
#[cfg(feature = "async")]
#[test]
fn call_async_futures_are_send() {
    use std::future::Future;
    use std::task::{Context, Poll, Wake, Waker};

    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    fn block_on<F: Future>(f: F) -> F::Output {
        let waker = Waker::from(Arc::new(Noop));
        let mut cx = Context::from_waker(&waker);
        let mut f = std::pin::pin!(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
    fn is_send<T: Send>(_: &T) {}

    let mut lua = Lua::new();
    let inc = lua
        .create_async_function(|x: i64| async move {
            std::thread::yield_now();
            Ok(x + 1)
        })
        .unwrap();
    lua.set_global("inc", inc).unwrap();
    let g: Function = lua
        .load("return function(n) return inc(n) * 2 end")
        .eval()
        .unwrap();
    let fut = g.call_async::<i64>(&mut lua, 20);
    is_send(&fut);
    let r = std::thread::scope(|s| s.spawn(move || block_on(fut)).join().unwrap());
    assert_eq!(r.unwrap(), 42);
}
