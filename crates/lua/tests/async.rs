//! Async Rust functions under `Function::call_async` (feature `async`).
#![cfg(feature = "async")]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use ferrous_lua::{Function, Lua};

struct Noop;
impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

/// Polls to completion, counting the polls that returned Pending.
fn block_on<F: Future>(f: F) -> (F::Output, usize) {
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    let mut pending = 0;
    loop {
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return (v, pending),
            Poll::Pending => pending += 1,
        }
    }
}

/// Pending `n` times, then ready.
struct Later(usize);
impl Future for Later {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            Poll::Ready(())
        } else {
            self.0 -= 1;
            Poll::Pending
        }
    }
}

#[test]
fn async_functions_suspend_the_lua_code_calling_them() {
    let mut lua = Lua::new();
    let slow_add = lua
        .create_async_function(|(a, b): (i64, i64)| async move {
            Later(2).await;
            Ok(a + b)
        })
        .unwrap();
    lua.set_global("slow_add", slow_add).unwrap();
    let f: Function = lua
        .load(
            "return function(n)
                local s = 0
                for i = 1, n do s = slow_add(s, i) end
                coroutine.yield('plain yields pass through')
                return s
            end",
        )
        .eval()
        .unwrap();
    let (r, pending) = block_on(f.call_async::<i64>(&mut lua, 10));
    assert_eq!(r.unwrap(), 55);
    assert_eq!(pending, 20);
    // Outside call_async: an error, not a hang.
    let e = lua.load("return slow_add(1, 2)").exec().unwrap_err();
    assert!(
        e.to_string().contains("outside Function::call_async"),
        "{e}"
    );
    // Errors of the future come back as errors of the call.
    let fail = lua
        .create_async_function(|()| async move {
            Later(1).await;
            Err::<(), _>(ferrous_lua::Error::runtime("no luck"))
        })
        .unwrap();
    let (r, _) = block_on(fail.call_async::<()>(&mut lua, ()));
    assert_eq!(r.unwrap_err().to_string(), "no luck");
    assert_eq!(lua.load("return 1 + 1").eval::<i64>().unwrap(), 2);
}
