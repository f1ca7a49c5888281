//! ferrous-compiler: Lua 5.1 AST to function prototypes.
//!
//! [`bytecode`] defines the compiled form shared with the VM. The code
//! generator arrives with issue 4.

pub mod bytecode;

pub use bytecode::{Constant, Instr, LocVar, Proto};
