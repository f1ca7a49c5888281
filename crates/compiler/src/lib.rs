//! ferrous-compiler: Lua 5.1 syntax trees to function prototypes.
//!
//! ```
//! let proto = ferrous_compiler::compile_source(b"local x = 1 + 2\nprint(x)", b"=demo").unwrap();
//! let text = ferrous_compiler::listing(&proto, false);
//! assert!(text.contains("LOADK    \t0 -1\t; 3"));
//! assert!(text.contains("CALL     \t1 2 1"));
//!
//! let err = ferrous_compiler::compile_source(b"x = = 1", b"=demo").unwrap_err();
//! assert_eq!(err.to_string(), "demo:1: unexpected symbol near '='");
//! ```
//!
//! The code generator reproduces PUC-Rio luac 5.1's output instruction for
//! instruction: the same expression descriptors and discharge rules, the
//! same register allocation, jump lists and patching, `LOADNIL` elision,
//! constant folding, line numbers and local-variable ranges. `luac5.1 -l
//! -l` is its oracle: the listing differential test compiles every program
//! of the corpus with both and requires identical text. The differences
//! are deliberate and only beyond luac's limits: registers and RK operands
//! are 15 bits wide and Bx/sBx 32 bits, so a function may use up to 32768
//! registers and any number of constants and code; "function or expression
//! too complex" is raised only past that, "constant table overflow" and
//! "control structure too long" never. Constants become RK operands only up
//! to index 255 as in luac (see [`code`](crate) docs in `code.rs`), and a
//! `SETLIST` block number always fits in its operand (luac spills numbers
//! above 511 into an extra code word).
//!
//! # Structure
//!
//! One file per concern, mirroring `lcode.c` and `lparser.c`:
//!
//! * [`bytecode`]: the compiled form shared with the VM (`Instr`, `Proto`).
//! * `exprdesc.rs`: expression descriptors (`expdesc`) and jump-list ends.
//! * `func.rs`: the function being compiled (`FuncState`): instruction
//!   buffer and lines, registers (`freereg`, `maxstacksize`), active locals
//!   and their `startpc`/`endpc`, blocks.
//! * `constants.rs`: the constant table, deduplicated by Lua equality.
//! * `jumps.rs`: jump lists, `jpc`, patching, `TESTSET`/`TEST` selection.
//! * `code.rs`: discharging descriptors to registers/RK operands, stores,
//!   conditional jumps, `not`, operators and constant folding.
//! * `expr.rs`: expressions over the tree (calls, suffix chains, table
//!   constructors with `SETLIST` flushes, closures).
//! * `stat.rs`: statements (assignments, locals, control structures,
//!   `return`/`break`).
//! * `listing.rs`: the `luac -l` listing.
//!
//! The walkers recurse only along the tree's `Box` nesting, which the
//! parser bounds to 200 levels; every list (statements, expression lists,
//! binary chains, suffixes, constructor items) is walked with a loop.

pub mod bytecode;
mod code;
mod constants;
mod error;
mod expr;
mod exprdesc;
mod func;
mod jumps;
mod listing;
mod stat;
mod walk;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use ferrous_syntax::ast;

pub use bytecode::{Constant, Instr, LocVar, Proto};
pub use error::{CompileError, Error};
pub use listing::listing;

use func::{CResult, Ctx, FuncState};

/// Compiles a parsed chunk into the prototype of its main function.
pub fn compile(chunk: &ast::Chunk) -> Result<Proto, CompileError> {
    let ctx = Ctx {
        chunkname: &chunk.name,
        source: Arc::from(&chunk.name[..]),
        done: RefCell::new(HashMap::new()),
    };
    // Innermost functions first (see walk.rs); each enclosing function
    // takes its children's prototypes from `ctx.done`.
    let funcs = walk::functions(&chunk.main);
    let mut first_error: Option<CompileError> = None;
    for f in funcs.iter().rev() {
        let proto = match compile_function(&ctx, f) {
            Ok(p) => p,
            Err(e) => {
                // luac stops at the first error in source order: keep the
                // one with the smallest line, and let the enclosing
                // functions compile on with an empty stand-in.
                if first_error.as_ref().map_or(true, |k| e.line() < k.line()) {
                    first_error = Some(e);
                }
                FuncState::new(&ctx, f).into_proto()
            }
        };
        ctx.done.borrow_mut().insert(func::key(f), proto);
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let main = ctx.done.borrow_mut().remove(&func::key(&chunk.main));
    Ok(main.unwrap_or_else(|| FuncState::new(&ctx, &chunk.main).into_proto()))
}

/// Parses and compiles `source` as `lua_load` would (`chunkname` is
/// `@file`, `=name` or the source itself). The source is taken as is: a
/// first line starting with `#` is not skipped (see
/// [`ferrous_syntax::skip_first_line`]).
pub fn compile_source(source: &[u8], chunkname: &[u8]) -> Result<Proto, Error> {
    let chunk = ferrous_syntax::parse(source, chunkname)?;
    Ok(compile(&chunk)?)
}

/// Compiles one function (`open_func`, `parlist`, `chunk`, `close_func`);
/// the functions it contains must be in `ctx.done` already.
pub(crate) fn compile_function(ctx: &Ctx<'_>, f: &ast::Function) -> CResult<Proto> {
    let mut fs = FuncState::new(ctx, f);
    let nparams = f.num_params as u32 + f.has_arg as u32;
    let params: Vec<ast::LocalId> = (0..nparams).collect();
    fs.activate(&params);
    fs.reserve_regs(nparams)?;
    fs.chunk(&f.body.stats)?;
    fs.line = if f.line_defined == 0 {
        f.body.end_line
    } else {
        f.last_line_defined
    };
    fs.remove_vars(0);
    fs.ret(0, 0);
    Ok(fs.into_proto())
}
