//! Async Rust functions driven by coroutines (feature `async`).
//!
//! An async function called from Lua starts its future and yields the
//! coroutine it runs in; [`Function::call_async`] runs the Lua function in
//! a coroutine, awaits each such future with whatever executor polls it,
//! and resumes the coroutine with the future's result. Nothing here
//! depends on an executor: the only suspension point is `.await` on the
//! user's own futures.

use std::future::Future;
use std::pin::Pin;

use ferrous_vm::{Ctx, LuaResult, Native};

use crate::conv::{FromLuaMulti, IntoLuaMulti};
use crate::error::{Error, Result};
use crate::func::{cb, native_of};
use crate::value::{Function, MultiValue, Value};
use crate::{Lua, LuaState, MaybeSend, RawValue, ThreadStatus};

/// Turns a finished future's output into Lua values.
#[cfg(not(feature = "send"))]
type Converter = Box<dyn FnOnce(&mut LuaState) -> Result<MultiValue>>;
#[cfg(feature = "send")]
type Converter = Box<dyn FnOnce(&mut LuaState) -> Result<MultiValue> + Send>;

/// A started async call waiting for its driver (`Send` with the feature
/// `send`, so that the future of [`Function::call_async`] is).
#[cfg(not(feature = "send"))]
pub(crate) type Pending = Pin<Box<dyn Future<Output = Result<Converter>>>>;
#[cfg(feature = "send")]
pub(crate) type Pending = Pin<Box<dyn Future<Output = Result<Converter>> + Send>>;

/// The light userdata a coroutine yields to say "await pending call N".
static MARKER: u8 = 0;

fn marker() -> usize {
    &MARKER as *const u8 as usize
}

impl LuaState {
    /// An async Rust function. Called from Lua code that runs under
    /// [`Function::call_async`], it starts `f(args)` and suspends that
    /// code until the future finishes; its output becomes the call's
    /// results. Called anywhere else it raises an error.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     struct Noop;
    /// #     impl std::task::Wake for Noop { fn wake(self: std::sync::Arc<Self>) {} }
    /// #     let waker = std::task::Waker::from(std::sync::Arc::new(Noop));
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut f = std::pin::pin!(f);
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v } }
    /// # }
    /// use ferrous_lua::{Function, Lua};
    ///
    /// let mut lua = Lua::new();
    /// let fetch = lua
    ///     .create_async_function(|id: i64| async move { Ok(format!("item {id}")) })
    ///     .unwrap();
    /// lua.set_global("fetch", fetch).unwrap();
    /// let f: Function = lua.load("return function(n) return fetch(n) .. '!' end").eval().unwrap();
    /// let s: String = block_on(f.call_async(&mut lua, 7)).unwrap();
    /// assert_eq!(s, "item 7!");
    /// ```
    pub fn create_async_function<A, R, F, Fut>(&mut self, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti + MaybeSend + 'static,
        F: Fn(A) -> Fut + MaybeSend + 'static,
        Fut: Future<Output = Result<R>> + MaybeSend + 'static,
    {
        let start = native_of(move |lua: &mut LuaState, base: usize, n: usize| {
            cb((|| {
                if !lua.vm.can_yield() {
                    return Err(Error::runtime(
                        "async function called outside Function::call_async",
                    ));
                }
                let a = A::from_stack(lua, base, n, 1)?;
                let fut = f(a);
                let pending: Pending = Box::pin(async move {
                    let r = fut.await?;
                    Ok(Box::new(move |lua: &mut LuaState| r.into_lua_multi(lua)) as Converter)
                });
                let st = lua.st();
                st.next_pending += 1;
                let id = st.next_pending;
                st.pending.insert(id, pending);
                lua.push_raw(RawValue::LightUserdata(marker()))?;
                lua.push_number(id as f64)?;
                Ok(2)
            })())
        });
        // The native yields what it pushed: wrap it so a successful start
        // turns into a yield of those two values.
        let yielding = match start {
            Native::Closure(inner) => Native::Closure(std::rc::Rc::new(
                move |ctx: &mut Ctx<'_>| -> LuaResult<usize> {
                    let n = inner(ctx)?;
                    Err(ctx.vm.yield_error(n))
                },
            )),
            other => other,
        };
        self.create_native(yielding, Vec::new())
    }
}

impl Function {
    /// Calls the function in a new coroutine, awaiting the futures of the
    /// async functions it calls ([`LuaState::create_async_function`]); a plain
    /// `coroutine.yield` in it resumes at once with the yielded values.
    /// The future borrows the state until it finishes; it takes the owner
    /// ([`Lua`]) so that with the feature `send` the future is `Send`
    /// (when `args` is), as a multi-threaded executor wants.
    pub async fn call_async<R: FromLuaMulti>(
        &self,
        lua: &mut Lua,
        args: impl IntoLuaMulti,
    ) -> Result<R> {
        let th = lua.create_thread(self)?;
        let mut next = args.into_lua_multi(lua)?;
        loop {
            let out: MultiValue = th.resume(lua, next)?;
            if th.status(lua)? != ThreadStatus::Resumable {
                return R::from_lua_multi(out, lua);
            }
            let id = match (out.first(), out.get(1)) {
                (Some(Value::LightUserData(m)), Some(Value::Number(id))) if *m == marker() => {
                    Some(*id as u64)
                }
                _ => None,
            };
            next = match id.and_then(|id| lua.st().pending.remove(&id)) {
                Some(fut) => {
                    let convert = fut.await?;
                    convert(lua)?
                }
                None => out,
            };
        }
    }
}
