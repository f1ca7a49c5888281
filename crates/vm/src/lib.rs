//! ferrous-vm: the Ferrous Lua virtual machine.
//!
//! A [`Vm`] is one Lua state: a heap ([`ferrous_heap`]), the running
//! thread's stack and call frames, the globals and the registry. It loads
//! compiled prototypes ([`Vm::load`], [`Vm::load_proto`]), runs them with
//! Lua 5.1's semantics, and lets Rust code call Lua ([`Vm::call`],
//! [`Vm::pcall`]) and Lua call Rust ([`NativeFn`] receiving a [`Ctx`]).
//!
//! Module map:
//! * `state`: the [`Vm`] struct, frames, GC roots, budgets, [`Ctx`].
//! * `loader`: compiler prototypes to runtime prototypes, verified.
//! * `ops`: the VM's instruction form (1:1 with the compiler's).
//! * `exec`: the interpreter loop.
//! * `call`: calls, returns, varargs, upvalues, protected calls.
//! * `meta`: metamethods and slow paths (index, arithmetic, compare...).
//! * `coroutine`: resume and yield.
//! * `debuginfo`: variable names for error messages.
//! * `objects`: functions, upvalues, threads, runtime prototypes.

#![deny(missing_docs)]

mod call;
mod coroutine;
pub mod debug;
pub mod debuginfo;
mod error;
mod exec;
mod loader;
mod meta;
pub mod objects;
pub mod ops;
mod state;

pub use coroutine::Resumed;
pub use debug::{DebugInfo, MASK_CALL, MASK_COUNT, MASK_LINE, MASK_RET};
pub use error::{ErrorKind, LuaError, LuaResult};
pub use meta::lua_mod;
pub use objects::{CoStatus, Function, Heap, LuaProto, Native, NativeFn, VmTypes};
pub use state::{
    lib_ipairs_aux, lib_next, num_to_integer, BudgetHook, Ctx, Level, Vm, MAX_C_CALLS,
};

pub use ferrous_heap::{Buf, HeapError, Pin, Reservation, Tm};
pub use ferrous_value::{FnRef, StrRef, TableRef, ThreadRef, Type, UdRef, Value};
