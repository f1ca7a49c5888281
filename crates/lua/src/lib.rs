//! Ferrous Lua: a pure-Rust Lua 5.1, for embedding.
//!
//! A [`Lua`] is one state with the standard libraries. Run code with
//! [`LuaState::load`], move values across with the [`IntoLua`] / [`FromLua`]
//! conversions, and give Lua your own functions and types with
//! [`LuaState::create_function`] and [`UserData`]. No C is involved, and no
//! misuse from Rust or from a script can corrupt the state: every failure
//! is an [`Error`].
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! lua.load("x = 6 * 7").exec().unwrap();
//! let x: i64 = lua.get_global("x").unwrap();
//! assert_eq!(x, 42);
//!
//! let s: String = lua.load("return ('hello'):upper()").eval().unwrap();
//! assert_eq!(s, "HELLO");
//! ```
//!
//! # The model: `&mut LuaState` everywhere
//!
//! Handles ([`Table`], [`Function`], [`LuaString`], [`AnyUserData`],
//! [`Thread`], [`RegistryKey`]) pin their object (the collector keeps it
//! alive) but hold no reference to the state: each operation takes the
//! state as `&mut LuaState`. There is no interior mutability and no runtime
//! borrow of the state to fail. Inside a Rust callback the closure gets
//! `&mut LuaState` again, so handles work there too.
//!
//! ```
//! use ferrous_lua::{Lua, Table};
//!
//! let mut lua = Lua::new();
//! let config = lua.create_table().unwrap();
//! config.set(&mut lua, "depth", 3).unwrap();
//! lua.globals().set(&mut lua, "config", &config).unwrap();
//! lua.load("config.depth = config.depth + 1").exec().unwrap();
//! assert_eq!(config.get::<i64>(&mut lua, "depth").unwrap(), 4);
//! ```
//!
//! A handle used with another state is an [`Error::WrongState`], never a
//! silent read of the other state's object:
//!
//! ```
//! use ferrous_lua::{Error, Lua};
//!
//! let mut a = Lua::new();
//! let mut b = Lua::new();
//! let t = a.create_table().unwrap();
//! assert!(matches!(t.get::<Option<i64>>(&mut b, 1), Err(Error::WrongState)));
//! ```
//!
//! # Rust functions
//!
//! Arguments and results are typed; a tuple takes the arguments in order.
//! A bad argument raises Lua's own message:
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! let add = lua.create_function(|_, (a, b): (f64, f64)| Ok(a + b)).unwrap();
//! lua.set_global("add", add).unwrap();
//! assert_eq!(lua.load("return add(2, 3)").eval::<f64>().unwrap(), 5.0);
//! let err = lua.load("return add(2, {})").eval::<f64>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "[string \"return add(2, {})\"]:1: bad argument #2 to 'add' (f64 expected, got table)"
//! );
//! ```
//!
//! Several results, optional arguments and the rest of the arguments:
//!
//! ```
//! use ferrous_lua::{Lua, Variadic};
//!
//! let mut lua = Lua::new();
//! let f = lua
//!     .create_function(|_, (sep, parts): (Option<String>, Variadic<String>)| {
//!         let sep = sep.unwrap_or_default();
//!         Ok((parts.join(&sep), parts.len()))
//!     })
//!     .unwrap();
//! lua.set_global("join", f).unwrap();
//! let (s, n): (String, i64) = lua.load("return join('-', 'a', 'b', 'c')").eval().unwrap();
//! assert_eq!((s.as_str(), n), ("a-b-c", 3));
//! ```
//!
//! Closures can capture handles and call back into Lua:
//!
//! ```
//! use ferrous_lua::{Function, Lua};
//!
//! let mut lua = Lua::new();
//! let square: Function = lua.load("return function(x) return x * x end").eval().unwrap();
//! let twice = lua
//!     .create_function(move |lua, x: f64| {
//!         let y: f64 = square.call(lua, x)?;
//!         square.call::<f64>(lua, y)
//!     })
//!     .unwrap();
//! assert_eq!(twice.call::<f64>(&mut lua, 3.0).unwrap(), 81.0);
//! ```
//!
//! A closure with mutable state:
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! let mut total = 0;
//! let acc = lua
//!     .create_function_mut(move |_, n: i64| {
//!         total += n;
//!         Ok(total)
//!     })
//!     .unwrap();
//! lua.set_global("acc", acc).unwrap();
//! assert_eq!(lua.load("acc(1) acc(2) return acc(3)").eval::<i64>().unwrap(), 6);
//! ```
//!
//! The VM's own native interface, for the last nanoseconds:
//!
//! ```
//! use ferrous_lua::{Lua, RawValue};
//!
//! let mut lua = Lua::new();
//! // `unsafe` only with the feature `send` (see the safety contract).
//! # #[allow(unused_unsafe)]
//! let f = unsafe {
//!     lua.create_raw_function(|ctx| {
//!         let n = ctx.check_number(1)?;
//!         ctx.push(RawValue::Number(n + 1.0))?;
//!         Ok(1)
//!     })
//! }
//! .unwrap();
//! assert_eq!(f.call::<f64>(&mut lua, 41).unwrap(), 42.0);
//! ```
//!
//! # Errors
//!
//! A Lua error reaches Rust with its value intact, its message
//! (`__tostring` used when the value has one) and a traceback:
//!
//! ```
//! use ferrous_lua::{Error, Lua, Value};
//!
//! let mut lua = Lua::new();
//! let err = lua.load("error({code = 42})").exec().unwrap_err();
//! let Some(Value::Table(t)) = err.value() else { panic!() };
//! assert_eq!(t.get::<i64>(&mut lua, "code").unwrap(), 42);
//! assert!(err.traceback().unwrap().starts_with("stack traceback:"));
//! ```
//!
//! A Rust error raised by a callback keeps its type through Lua (even
//! when a script catches it with `pcall` and raises it again):
//!
//! ```
//! use ferrous_lua::{Error, ExternalResult, Lua};
//!
//! let mut lua = Lua::new();
//! let parse = lua
//!     .create_function(|_, s: String| s.parse::<i64>().into_lua_err())
//!     .unwrap();
//! lua.set_global("parse", parse).unwrap();
//! let err = lua
//!     .load("local ok, e = pcall(parse, 'x') error(e)")
//!     .exec()
//!     .unwrap_err();
//! assert!(err.downcast_ref::<std::num::ParseIntError>().is_some());
//! assert_eq!(err.to_string(), "invalid digit found in string");
//! ```
//!
//! [`Error`] is a `std::error::Error + Send + Sync`, so `?` works in
//! functions returning `Box<dyn Error>` or `anyhow`-style types:
//!
//! ```
//! fn run() -> Result<i64, Box<dyn std::error::Error + Send + Sync>> {
//!     let mut lua = ferrous_lua::Lua::new();
//!     Ok(lua.load("return 1 + 1").eval::<i64>()?)
//! }
//! assert_eq!(run().unwrap(), 2);
//! ```
//!
//! Syntax errors say whether more input could complete the chunk (what a
//! REPL needs):
//!
//! ```
//! use ferrous_lua::{Error, Lua};
//!
//! let mut lua = Lua::new();
//! let err = lua.load("for i = 1, 2 do").exec().unwrap_err();
//! assert!(matches!(err, Error::Syntax { incomplete_input: true, .. }));
//! ```
//!
//! # Panics
//!
//! A panic in a callback is caught where Lua called it. With the default
//! options a script can catch it with `pcall` (message `panic: ...`);
//! otherwise it resumes in Rust when the call returns there. The state is
//! intact either way.
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! let f = lua.create_function(|_, ()| -> ferrous_lua::Result<()> { panic!("oops") }).unwrap();
//! lua.set_global("f", f).unwrap();
//! let msg: String = lua.load("local ok, e = pcall(f) return tostring(e)").eval().unwrap();
//! assert_eq!(msg, "panic: oops");
//! let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lua.load("f()").exec()));
//! assert!(r.is_err());
//! assert_eq!(lua.load("return 1").eval::<i64>().unwrap(), 1);
//! ```
//!
//! ```
//! use ferrous_lua::{Lua, LuaOptions};
//!
//! // pcall cannot catch panics: they always reach the host.
//! let mut lua = Lua::new_with(LuaOptions::new().catch_rust_panics(false));
//! let f = lua.create_function(|_, ()| -> ferrous_lua::Result<()> { panic!("fatal") }).unwrap();
//! lua.set_global("f", f).unwrap();
//! let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
//!     lua.load("pcall(f)").exec()
//! }));
//! assert!(r.is_err());
//! ```
//!
//! # Conversions
//!
//! Every integer type converts with a range check; a number that is not
//! integral or out of range is an error, never a wrap or a truncation:
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! assert_eq!(lua.load("return 255").eval::<u8>().unwrap(), 255);
//! assert!(lua.load("return 256").eval::<u8>().is_err());
//! assert!(lua.load("return 2.5").eval::<i64>().is_err());
//! assert!(lua.load("return 1e19").eval::<i64>().is_err());
//! // And the other way: f64 holds integers exactly up to 2^53.
//! assert!(lua.pack(u64::MAX).is_err());
//! ```
//!
//! Strings: strict UTF-8 for `String`, bytes or lossy text through
//! [`LuaString`] and [`Bytes`]:
//!
//! ```
//! use ferrous_lua::{Bytes, Lua, LuaString};
//!
//! let mut lua = Lua::new();
//! assert!(lua.load("return '\\255'").eval::<String>().is_err());
//! let b: Bytes = lua.load("return '\\255'").eval().unwrap();
//! assert_eq!(b.0, [255]);
//! let s: LuaString = lua.load("return 'caf\\195\\169'").eval().unwrap();
//! assert_eq!(s.to_str(&mut lua).unwrap(), "café");
//! ```
//!
//! Collections become tables and back:
//!
//! ```
//! use std::collections::{BTreeMap, HashSet};
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! lua.set_global("v", vec![10, 20, 30]).unwrap();
//! assert_eq!(lua.load("return #v").eval::<i64>().unwrap(), 3);
//! let m: BTreeMap<String, f64> = lua.load("return {a = 1, b = 2}").eval().unwrap();
//! assert_eq!(m["b"], 2.0);
//! let s: HashSet<String> = lua.load("return {'x', 'y'}").eval().unwrap();
//! assert!(s.contains("y"));
//! let a: [i32; 2] = lua.load("return {7, 8}").eval().unwrap();
//! assert_eq!(a, [7, 8]);
//! ```
//!
//! [`Value`] is the owned dynamic value, [`MultiValue`] several of them:
//!
//! ```
//! use ferrous_lua::{Lua, MultiValue, Value};
//!
//! let mut lua = Lua::new();
//! let all: MultiValue = lua.load("return 1, 'two', nil, {}").eval().unwrap();
//! assert_eq!(all.len(), 4);
//! assert_eq!(all[0], Value::Number(1.0));
//! assert_eq!(all[3].type_name(), "table");
//! ```
//!
//! # Userdata
//!
//! ```
//! use ferrous_lua::{Lua, MetaMethod, UserData, UserDataFields, UserDataMethods};
//!
//! struct Counter {
//!     n: i64,
//! }
//!
//! impl UserData for Counter {
//!     fn add_fields(f: &mut UserDataFields<Self>) {
//!         f.add_field_method_get("n", |_, c| Ok(c.n));
//!     }
//!     fn add_methods(m: &mut UserDataMethods<Self>) {
//!         m.add_method_mut("add", |_, c, k: i64| {
//!             c.n += k;
//!             Ok(c.n)
//!         });
//!         m.add_meta_method(MetaMethod::ToString, |_, c, ()| Ok(format!("Counter({})", c.n)));
//!     }
//! }
//!
//! let mut lua = Lua::new();
//! let c = lua.create_userdata(Counter { n: 0 }).unwrap();
//! lua.set_global("c", &c).unwrap();
//! lua.load("c:add(2) c:add(3)").exec().unwrap();
//! assert_eq!(lua.load("return c.n").eval::<i64>().unwrap(), 5);
//! assert_eq!(lua.load("return tostring(c)").eval::<String>().unwrap(), "Counter(5)");
//! assert_eq!(c.borrow::<Counter>(&mut lua).unwrap().n, 5);
//! // A wrong `self` is Lua's argument error.
//! let e = lua.load("return c.add({}, 1)").exec().unwrap_err();
//! assert!(e.to_string().ends_with("bad argument #1 to 'add' (Counter expected, got table)"));
//! ```
//!
//! A userdata argument of a function is borrowed with [`UserDataRef`]:
//!
//! ```
//! use ferrous_lua::{Lua, UserData, UserDataRef};
//!
//! struct Vec2(f64, f64);
//! impl UserData for Vec2 {}
//!
//! let mut lua = Lua::new();
//! let len = lua
//!     .create_function(|_, v: UserDataRef<Vec2>| Ok((v.0 * v.0 + v.1 * v.1).sqrt()))
//!     .unwrap();
//! lua.set_global("len", len).unwrap();
//! lua.set_global("v", Vec2(3.0, 4.0)).unwrap();
//! assert_eq!(lua.load("return len(v)").eval::<f64>().unwrap(), 5.0);
//! ```
//!
//! # Tables
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! let t = lua.create_sequence_from(["a", "b", "c"]).unwrap();
//! t.push(&mut lua, "d").unwrap();
//! assert_eq!(t.raw_len(&mut lua), 4);
//! assert_eq!(t.pop::<String>(&mut lua).unwrap(), "d");
//! assert_eq!(t.sequence_values::<String>(&mut lua).unwrap(), ["a", "b", "c"]);
//! let mut keys = 0;
//! t.for_each(&mut lua, |_, _k: i64, _v: String| {
//!     keys += 1;
//!     Ok(())
//! })
//! .unwrap();
//! assert_eq!(keys, 3);
//! ```
//!
//! # Coroutines
//!
//! ```
//! use ferrous_lua::{Function, Lua, ThreadStatus};
//!
//! let mut lua = Lua::new();
//! let gen: Function = lua
//!     .load("return function() for i = 1, 2 do coroutine.yield(i) end return 'done' end")
//!     .eval()
//!     .unwrap();
//! let co = lua.create_thread(&gen).unwrap();
//! assert_eq!(co.resume::<i64>(&mut lua, ()).unwrap(), 1);
//! assert_eq!(co.resume::<i64>(&mut lua, ()).unwrap(), 2);
//! assert_eq!(co.resume::<String>(&mut lua, ()).unwrap(), "done");
//! assert_eq!(co.status(&mut lua).unwrap(), ThreadStatus::Finished);
//! ```
//!
//! # Output
//!
//! `print`, `io.write` and `io.stdout` of a state go to its own sink:
//! stdout by default (flushed every time control returns to the host, so
//! nothing is lost when stdout is a pipe), or any `Write`:
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! let out = lua.capture_output();
//! lua.load("print('a', 1) io.write('b\\n')").exec().unwrap();
//! assert_eq!(out.take_string(), "a\t1\nb\n");
//! ```
//!
//! # Memory
//!
//! ```
//! use ferrous_lua::{Error, Lua};
//!
//! let mut lua = Lua::new();
//! let used = lua.used_memory();
//! lua.set_memory_limit(Some(used + 1_000_000));
//! let r = lua.load("local t = {} for i = 1, 1e7 do t[i] = i end").exec();
//! assert!(matches!(r, Err(Error::Memory)));
//! // An emergency collection already ran: the state works on.
//! assert_eq!(lua.load("return 40 + 2").eval::<i64>().unwrap(), 42);
//! ```
//!
//! # Sandboxing
//!
//! Chunks can run in their own environment, text-only:
//!
//! ```
//! use ferrous_lua::{ChunkMode, Lua};
//!
//! let mut lua = Lua::new();
//! let env = lua.create_table().unwrap();
//! env.set(&mut lua, "limit", 10).unwrap();
//! let r: i64 = lua
//!     .load("return limit * 2")
//!     .set_mode(ChunkMode::Text)
//!     .set_environment(env)
//!     .eval()
//!     .unwrap();
//! assert_eq!(r, 20);
//! // An empty environment hides every global.
//! let empty = lua.create_table().unwrap();
//! let p: Option<ferrous_lua::Function> =
//!     lua.load("return print").set_environment(empty).eval().unwrap();
//! assert!(p.is_none());
//! ```
//!
//! Kill a runaway script from another thread:
//!
//! ```
//! use std::sync::{atomic::AtomicBool, Arc};
//! use ferrous_lua::{Error, Lua};
//!
//! let mut lua = Lua::new();
//! let kill = Arc::new(AtomicBool::new(true));
//! lua.set_kill_flag(Some(kill.clone()));
//! let r = lua.load("while true do end").exec();
//! assert!(matches!(r, Err(Error::Interrupted(_))));
//! ```
//!
//! # Borrowing callbacks, serde, async
//!
//! [`LuaState::scope`] makes functions that borrow local data (they stop
//! working when the scope ends). With feature `serde`, `Lua::to_value` and
//! `Lua::from_value` convert any serde type (conventions in their docs:
//! `None` is a null light userdata, an empty `Vec` stays an array,
//! integers convert only when exact). With feature `async`,
//! `Lua::create_async_function` makes async Rust functions that suspend
//! the Lua code calling them, and `Function::call_async` drives that code
//! from any executor.
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! let log = std::cell::RefCell::new(Vec::new());
//! lua.scope(|lua, scope| {
//!     let f = scope.create_function(lua, |_, line: String| {
//!         log.borrow_mut().push(line);
//!         Ok(())
//!     })?;
//!     f.call::<()>(lua, "first")
//! })
//! .unwrap();
//! assert_eq!(log.into_inner(), ["first"]);
//! ```
//!
//! # Coming from mlua
//!
//! The same program with both crates. The differences: ferrous-lua's
//! handles take the state as an argument (`t.get(&mut lua, k)` for
//! mlua's `t.get(k)`), userdata registries are concrete types
//! (`UserDataMethods<Self>` instead of a generic `M`), and `Lua::new` is
//! the only constructor (everything is safe; there is no C to load).
//!
//! mlua 0.11:
//!
//! ```text
//! use mlua::{Lua, UserData, UserDataMethods};
//!
//! struct Acc(i64);
//! impl UserData for Acc {
//!     fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
//!         m.add_method_mut("add", |_, a, n: i64| { a.0 += n; Ok(a.0) });
//!     }
//! }
//!
//! fn main() -> mlua::Result<()> {
//!     let lua = Lua::new();
//!     let double = lua.create_function(|_, x: i64| Ok(x * 2))?;
//!     lua.globals().set("double", double)?;
//!     lua.globals().set("acc", Acc(0))?;
//!     let t: mlua::Table = lua.load("acc:add(double(4)) return {n = acc:add(1)}").eval()?;
//!     assert_eq!(t.get::<i64>("n")?, 9);
//!     Ok(())
//! }
//! ```
//!
//! ferrous-lua:
//!
//! ```
//! use ferrous_lua::{Lua, UserData, UserDataMethods};
//!
//! struct Acc(i64);
//! impl UserData for Acc {
//!     fn add_methods(m: &mut UserDataMethods<Self>) {
//!         m.add_method_mut("add", |_, a, n: i64| { a.0 += n; Ok(a.0) });
//!     }
//! }
//!
//! fn main() -> ferrous_lua::Result<()> {
//!     let mut lua = Lua::new();
//!     let double = lua.create_function(|_, x: i64| Ok(x * 2))?;
//!     lua.globals().set(&mut lua, "double", double)?;
//!     lua.globals().set(&mut lua, "acc", Acc(0))?;
//!     let t: ferrous_lua::Table = lua.load("acc:add(double(4)) return {n = acc:add(1)}").eval()?;
//!     assert_eq!(t.get::<i64>(&mut lua, "n")?, 9);
//!     Ok(())
//! }
//! ```
//!
//! | mlua | ferrous-lua |
//! | --- | --- |
//! | `lua.globals().set("k", v)` | `lua.globals().set(&mut lua, "k", v)` or `lua.set_global("k", v)` |
//! | `f.call::<R>(args)` | `f.call::<R>(&mut lua, args)` |
//! | `lua.create_function(\|lua, args\| ..)` (`lua: &Lua`) | the same closure, `lua: &mut LuaState` |
//! | `LuaSerdeExt::to_value` / `from_value` | `Lua::to_value` / `Lua::from_value` (feature `serde`) |
//! | `Error::RuntimeError(msg)` | [`Error::Runtime`] (`message`, `traceback`, `value`) |
//! | `Error::CallbackError { cause, .. }` | [`Error::Callback`]; [`Error::downcast_ref`] walks the causes |
//! | `AnyUserData::borrow::<T>()` | `ud.borrow::<T>(&mut lua)` |
//! | `lua.set_app_data(v)` / `lua.app_data_ref::<T>()` | the same names |
//! | `lua.create_registry_value(v)` | the same name; the key is `Send + Sync` |
//! | `Lua::sandbox` (Luau) | [`Chunk::set_environment`] + [`LuaState::set_default_chunk_mode`] |
//! | `lua.scope(\|scope\| ..)` | `lua.scope(\|lua, scope\| ..)`, `scope.create_function(lua, f)` |
//! | `create_async_function`, `call_async` (feature `async`) | the same names, feature `async`, any executor |
//! | feature `send` (`Lua: Send`) | feature `send`: `Lua: Send`, [`MaybeSend`] bounds as in mlua; `LuaState::vm` and `create_raw_function` become `unsafe` |
//!
//! # Limits
//!
//! Without the feature `send`, `Lua` is not `Send`: Rust callbacks and
//! userdata may hold `Rc`s, so a state stays on the thread that made it.
//! With it, `Lua` is `Send` (not `Sync`: share one through a `Mutex`),
//! and what a state keeps must be `Send` ([`MaybeSend`]): callbacks,
//! userdata types, app data, output sinks; a userdata type borrowed shared
//! from Rust must also be `Sync` ([`MaybeSync`]). [`LuaState`], what
//! callbacks receive, is never `Send`; the future of
//! `Function::call_async` (which borrows the owner) is.
//!
//! ```
//! use ferrous_lua::Lua;
//!
//! let mut lua = Lua::new();
//! lua.load("function greet(n) return 'hi ' .. n end").exec().unwrap();
//! # #[cfg(feature = "send")]
//! let mut lua = std::thread::spawn(move || {
//!     let mut lua = lua;
//!     lua.load("n = greet('worker')").exec().unwrap();
//!     lua
//! })
//! .join()
//! .unwrap();
//! # #[cfg(not(feature = "send"))]
//! # lua.load("n = greet('worker')").exec().unwrap();
//! assert_eq!(lua.get_global::<String>("n").unwrap(), "hi worker");
//! ```
//!
//! # Layers underneath
//!
//! [`LuaState::vm`] gives the VM ([`ferrous_vm::Vm`]) for what the facade
//! does not wrap (hooks, the debug interface); [`ferrous_stdlib`] opens
//! libraries one by one. With the feature `send`, `LuaState::vm` and
//! `create_raw_function` are `unsafe`: the VM they expose could otherwise
//! be swapped out of its state or be given values that are not `Send`.

#![deny(missing_docs)]

#[cfg(feature = "async")]
mod async_impl;
mod conv;
mod error;
mod func;
#[cfg(feature = "serde")]
mod serde_impl;
mod state;
mod table;
mod userdata;
mod value;

pub use ferrous_stdlib as stdlib;
pub use ferrous_vm as vm;
/// The VM under the facade ([`LuaState::vm`]), for what the facade does not
/// wrap; it works with [`RawValue`]s.
///
/// ```
/// use ferrous_lua::{Lua, RawValue};
///
/// let mut lua = Lua::new();
/// lua.load("x = 5").exec().unwrap();
/// // `unsafe` only with the feature `send` (see `LuaState::vm`).
/// # #[allow(unused_unsafe)]
/// let x = unsafe { lua.vm() }.get_global(b"x").unwrap();
/// assert!(matches!(x, RawValue::Number(n) if n == 5.0));
/// ```
pub use ferrous_vm::Vm;

/// The call frame a raw native function ([`LuaState::create_raw_function`])
/// works on: its arguments, results and the VM.
///
/// ```
/// use ferrous_lua::{Ctx, Lua, LuaResult, RawValue};
///
/// // Returns how many arguments it got.
/// fn count(ctx: &mut Ctx<'_>) -> LuaResult<usize> {
///     let n = ctx.nargs() as f64;
///     ctx.push(RawValue::Number(n))?;
///     Ok(1)
/// }
/// let mut lua = Lua::new();
/// # #[allow(unused_unsafe)]
/// let f = unsafe { lua.create_raw_function(count) }.unwrap();
/// lua.set_global("count", f).unwrap();
/// assert_eq!(lua.load("return count(1, nil, 'x')").eval::<f64>().unwrap(), 3.0);
/// ```
pub use ferrous_vm::Ctx;

/// The VM's error (what a raw native function returns to raise a Lua
/// error); [`LuaState::from_vm_error`] turns it into an [`Error`].
///
/// ```
/// use ferrous_lua::{Lua, LuaError};
///
/// let mut lua = Lua::new();
/// # #[allow(unused_unsafe)]
/// let f = unsafe {
///     lua.create_raw_function(|ctx| {
///         let e: LuaError = ctx.error("no such key");
///         Err(e)
///     })
/// }
/// .unwrap();
/// lua.set_global("f", f).unwrap();
/// let (ok, msg): (bool, String) = lua.load("return pcall(f)").eval().unwrap();
/// assert!(!ok);
/// assert!(msg.ends_with("no such key"), "{msg}");
/// ```
pub use ferrous_vm::LuaError;

/// The VM's result type: `Result<T, LuaError>`.
///
/// ```
/// use ferrous_lua::{Ctx, Lua, LuaResult, RawValue};
///
/// fn half(ctx: &mut Ctx<'_>) -> LuaResult<usize> {
///     let n = ctx.check_number(1)?; // a bad argument is a LuaError
///     ctx.push(RawValue::Number(n / 2.0))?;
///     Ok(1)
/// }
/// let mut lua = Lua::new();
/// # #[allow(unused_unsafe)]
/// let f = unsafe { lua.create_raw_function(half) }.unwrap();
/// assert_eq!(f.call::<f64>(&mut lua, 9).unwrap(), 4.5);
/// assert!(f.call::<f64>(&mut lua, "nine").is_err());
/// ```
pub use ferrous_vm::LuaResult;

/// The VM's own value type: `Copy`, unpinned, meaningful only to its state
/// and only while the object is reachable. The facade's [`Value`] is the
/// owned, checked form.
///
/// ```
/// use ferrous_lua::{Lua, RawValue, Value};
///
/// let mut lua = Lua::new();
/// let raw = RawValue::Number(1.5);
/// assert_eq!(raw.type_name(), "number");
/// // The facade wraps raw values into owned ones.
/// let v: Value = lua.pack(raw).unwrap();
/// assert_eq!(v.as_number(), Some(1.5));
/// ```
pub use ferrous_value::Value as RawValue;

pub use conv::{Bytes, FromLua, FromLuaMulti, IntoLua, IntoLuaMulti, LuaStringOrNumber, Nil};
pub use error::{Error, ExternalError, ExternalResult, Result};
pub use func::{Scope, ThreadStatus};
#[cfg(feature = "serde")]
pub use serde_impl::{Deserializer as LuaDeserializer, Serializer as LuaSerializer, TableBuilder};
pub use state::{Chunk, ChunkMode, Lua, LuaOptions, LuaState, OutputBuffer};
pub use userdata::{
    MetaMethod, UserData, UserDataFields, UserDataMethods, UserDataRef, UserDataRefMut,
};
/// `Send` with the feature `send`, nothing without it: the bound the
/// facade puts on what a state keeps (callbacks, userdata types, app
/// data, output sinks), so the same code compiles either way and a state
/// can move to another thread when the feature is on.
///
/// With the feature, a callback holding an `Rc` is refused:
///
#[cfg_attr(feature = "send", doc = "```compile_fail")]
#[cfg_attr(not(feature = "send"), doc = "```")]
/// let mut lua = ferrous_lua::Lua::new();
/// let shared = std::rc::Rc::new(5);
/// let f = lua.create_function(move |_, ()| Ok(*shared)).unwrap();
/// # assert_eq!(f.call::<i64>(&mut lua, ()).unwrap(), 5);
/// ```
#[cfg(feature = "send")]
pub trait MaybeSend: Send {}
#[cfg(feature = "send")]
impl<T: Send + ?Sized> MaybeSend for T {}

/// `Send` with the feature `send`, nothing without it: the bound the
/// facade puts on what a state keeps (callbacks, userdata types, app
/// data, output sinks), so the same code compiles either way and a state
/// can move to another thread when the feature is on.
///
/// With the feature, a callback holding an `Rc` is refused:
///
#[cfg_attr(feature = "send", doc = "```compile_fail")]
#[cfg_attr(not(feature = "send"), doc = "```")]
/// let mut lua = ferrous_lua::Lua::new();
/// let shared = std::rc::Rc::new(5);
/// let f = lua.create_function(move |_, ()| Ok(*shared)).unwrap();
/// # assert_eq!(f.call::<i64>(&mut lua, ()).unwrap(), 5);
/// ```
#[cfg(not(feature = "send"))]
pub trait MaybeSend {}
#[cfg(not(feature = "send"))]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` with the feature `send`, nothing without it: a userdata type
/// borrowed shared from Rust ([`AnyUserData::borrow`], a
/// [`UserDataRef`] argument) must be `Sync` when the state can move, as
/// the borrow may outlive the move.
///
/// ```
/// use ferrous_lua::{Lua, UserData, UserDataMethods};
///
/// struct Counter(i64);
/// impl UserData for Counter {
///     fn add_methods(m: &mut UserDataMethods<Self>) {
///         m.add_method("get", |_, c, ()| Ok(c.0));
///     }
/// }
///
/// let mut lua = Lua::new();
/// let ud = lua.create_userdata(Counter(7)).unwrap();
/// // A shared borrow from Rust: Counter is Sync, as MaybeSync asks with
/// // the feature `send`.
/// assert_eq!(ud.borrow::<Counter>(&mut lua).unwrap().0, 7);
/// ```
#[cfg(feature = "send")]
pub trait MaybeSync: Sync {}
#[cfg(feature = "send")]
impl<T: Sync + ?Sized> MaybeSync for T {}

/// `Sync` with the feature `send`, nothing without it: a userdata type
/// borrowed shared from Rust ([`AnyUserData::borrow`], a
/// [`UserDataRef`] argument) must be `Sync` when the state can move, as
/// the borrow may outlive the move.
///
/// ```
/// use ferrous_lua::{Lua, UserData, UserDataMethods};
///
/// struct Counter(i64);
/// impl UserData for Counter {
///     fn add_methods(m: &mut UserDataMethods<Self>) {
///         m.add_method("get", |_, c, ()| Ok(c.0));
///     }
/// }
///
/// let mut lua = Lua::new();
/// let ud = lua.create_userdata(Counter(7)).unwrap();
/// // A shared borrow from Rust: Counter is Sync, as MaybeSync asks with
/// // the feature `send`.
/// assert_eq!(ud.borrow::<Counter>(&mut lua).unwrap().0, 7);
/// ```
#[cfg(not(feature = "send"))]
pub trait MaybeSync {}
#[cfg(not(feature = "send"))]
impl<T: ?Sized> MaybeSync for T {}

pub use value::{
    AnyUserData, Function, LuaString, MultiValue, RegistryKey, Table, Thread, Value, Variadic,
};

impl LuaString {
    /// The string's bytes (empty if the handle belongs to another state).
    pub fn as_bytes<'l>(&self, lua: &'l mut LuaState) -> &'l [u8] {
        match lua.raw_of(&self.0) {
            Ok(RawValue::String(s)) => lua.vm.str_bytes(s),
            _ => &[],
        }
    }

    /// The string as UTF-8 text (an error for other bytes).
    pub fn to_str(&self, lua: &mut LuaState) -> Result<String> {
        let raw = lua.raw_of(&self.0)?;
        String::from_raw(raw, lua)
    }

    /// The string as text, with invalid UTF-8 replaced by U+FFFD.
    pub fn to_string_lossy(&self, lua: &mut LuaState) -> String {
        String::from_utf8_lossy(self.as_bytes(lua)).into_owned()
    }
}

/// The README's embedding example, compiled and run as a doctest so it
/// stays true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
