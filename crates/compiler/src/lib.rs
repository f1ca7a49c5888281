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
//! -l` is its oracle: the listing differential (tests/listing_differential.rs)
//! compiles every program of the corpus and thousands of generated ones
//! with both and requires identical text.
//!
//! The differences are deliberate and lie beyond luac's limits only:
//! registers and RK operands are 15 bits wide and Bx/sBx 32 bits, so a
//! function may use up to 32768 registers and any number of constants and
//! instructions; "function or expression too complex" is raised only past
//! 32768 registers (without luac's `near 'TOKEN'`: the tree has no tokens),
//! "constant table overflow" and "control structure too long" never.
//! Constants become RK operands only up to index 255, as in luac (so code
//! inside luac's limits is luac's code), and a `SETLIST` block number always
//! fits in its operand (luac spills block numbers above 511 into an extra
//! code word, where the compiler puts a `JMP` to the next instruction, so
//! the pcs are luac's).
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
//! * `constants.rs`: the constant table, deduplicated by Lua equality
//!   (`0` and `-0` are one constant); strings are keyed by their bytes.
//! * `jumps.rs`: jump lists, `jpc`, patching, `TESTSET`/`TEST` selection;
//!   list tails are remembered so appending is constant time.
//! * `code.rs`: discharging descriptors to registers/RK operands, stores,
//!   conditional jumps, `not`, operators and constant folding.
//! * `expr.rs`: expressions over the tree (calls, suffix chains, table
//!   constructors with `SETLIST` flushes, closures).
//! * `stat.rs`: statements (assignments with `check_conflict`, locals,
//!   control structures, `return`/`break`).
//! * `walk.rs`: finds the functions of a subtree without recursion.
//! * `listing.rs`: the `luac -l` listing.
//! * `verify.rs`: structural checks on prototypes ([`verify`]).
//! * [`binary`]: Lua 5.1's binary chunks (`luac -o`, `string.dump`).
//!
//! # Recursion
//!
//! The walkers recurse along the tree's `Box` nesting only, which the
//! parser bounds (200 levels); every list (statements, expression lists,
//! binary chains, suffixes, constructor items) is walked with a loop.
//! Nested functions are compiled by recursion for the first 8 levels; a
//! subtree deeper than that is compiled bottom-up, innermost function
//! first, in a loop (a nested function does not depend on the state of
//! the function around it), so the deepest program the parser accepts
//! compiles on a 256 KiB stack.

#![deny(missing_docs)]

pub mod binary;
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
mod verify;
mod walk;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use ferrous_syntax::ast;

pub use bytecode::{Constant, Instr, LocVar, Proto};
pub use error::{CompileError, Error};
pub use listing::listing;
pub use verify::{verify, MAX_NESTING};

/// Bytes of working memory parsing and compiling `source_len` bytes of
/// source may take at their peak (parse tree plus compiled prototypes):
/// an upper estimate from measurements (a 5 MB chunk of table items,
/// statements or field accesses peaks near 55 bytes per source byte), for
/// embedders that charge compilation to a memory limit.
pub fn compile_memory_estimate(source_len: usize) -> usize {
    source_len.saturating_mul(64).saturating_add(64 * 1024)
}

use func::{CResult, Ctx, FuncState};

/// Compiles a parsed chunk into the prototype of its main function.
pub fn compile(chunk: &ast::Chunk) -> Result<Proto, CompileError> {
    let scratch = RefCell::new(Vec::new());
    let ctx = Ctx {
        chunkname: &chunk.name,
        source: Arc::from(&chunk.name[..]),
        done: RefCell::new(HashMap::new()),
        taken: None,
        scratch: &scratch,
    };
    compile_nested(&ctx, &chunk.main, 0)
}

/// Prototypes compiled while the chunk is still being parsed, until the
/// enclosing function claims them.
#[derive(Default)]
pub(crate) struct Taken {
    slots: Vec<Option<Proto>>,
    free: Vec<u32>,
}

impl Taken {
    fn put(&mut self, p: Proto) -> u32 {
        if let Some(n) = self.free.pop() {
            if let Some(slot) = self.slots.get_mut(n as usize) {
                *slot = Some(p);
                return n;
            }
        }
        self.slots.push(Some(p));
        (self.slots.len() - 1) as u32
    }

    pub(crate) fn take(&mut self, n: u32) -> Option<Proto> {
        let p = self.slots.get_mut(n as usize)?.take();
        if p.is_some() {
            self.free.push(n);
        }
        p
    }
}

/// Compiles each nested function as the parser closes it (its own nested
/// functions are compiled already), so the tree of a large chunk is never
/// held whole: parsing and compiling touch the same few kilobytes.
struct Eager<'n> {
    chunkname: &'n [u8],
    source: Arc<[u8]>,
    taken: RefCell<Taken>,
    /// Working buffers kept from one function to the next.
    scratch: RefCell<Vec<func::Scratch>>,
    /// A function hit a code-generation limit: nothing more is taken.
    failed: bool,
}

impl ferrous_syntax::FunctionSink for Eager<'_> {
    fn function_done(&mut self, f: &ast::Function) -> Option<u32> {
        if self.failed {
            return None;
        }
        let ctx = Ctx {
            chunkname: self.chunkname,
            source: self.source.clone(),
            done: RefCell::new(HashMap::new()),
            taken: Some(&self.taken),
            scratch: &self.scratch,
        };
        match compile_function(&ctx, f, 0) {
            Ok(p) => Some(self.taken.borrow_mut().put(p)),
            Err(_) => {
                self.failed = true;
                None
            }
        }
    }
}

/// [`compile_source`] with the parser's C-call count starting at
/// `c_calls` (see [`ferrous_syntax::parse_with_level`]).
///
/// Functions are compiled as the parser closes them and their trees freed
/// at once, so memory stays proportional to the largest function rather
/// than to the chunk; the result is the same as [`compile`] of the whole
/// tree.
pub fn compile_source_with_level(
    source: &[u8],
    chunkname: &[u8],
    c_calls: u32,
) -> Result<Proto, Error> {
    let mut eager = Eager {
        chunkname,
        source: Arc::from(chunkname),
        taken: RefCell::new(Taken::default()),
        scratch: RefCell::new(Vec::new()),
        failed: false,
    };
    let parsed = ferrous_syntax::parse_with_sink(source, chunkname, c_calls, &mut eager);
    if eager.failed {
        // A limit was hit: luac reports the first such error in source
        // order, which the whole-tree compiler picks. Rare enough to parse
        // again.
        drop(parsed);
        let chunk = ferrous_syntax::parse_with_level(source, chunkname, c_calls)?;
        return Ok(compile(&chunk)?);
    }
    let chunk = parsed?;
    let ctx = Ctx {
        chunkname: &chunk.name,
        source: eager.source.clone(),
        done: RefCell::new(HashMap::new()),
        taken: Some(&eager.taken),
        scratch: &eager.scratch,
    };
    Ok(compile_function(&ctx, &chunk.main, 0)?)
}

/// How many levels of nested functions are compiled by plain recursion
/// (each costs about 2 KB of Rust stack); deeper subtrees are compiled
/// bottom-up ([`compile_bottom_up`]).
pub(crate) const DIRECT_DEPTH: u32 = 8;

/// Compiles function `f`, which is nested `depth` functions deep.
pub(crate) fn compile_nested<'a>(
    ctx: &'a Ctx<'a>,
    f: &'a ast::Function,
    depth: u32,
) -> CResult<Proto> {
    if depth < DIRECT_DEPTH {
        compile_function(ctx, f, depth)
    } else {
        compile_bottom_up(ctx, f)
    }
}

/// Compiles `root` and every function inside it innermost first, in a
/// loop (see walk.rs): each enclosing function takes its children's
/// prototypes from `ctx.done`, so no recursion happens per nesting level.
#[inline(never)]
fn compile_bottom_up<'a>(ctx: &'a Ctx<'a>, root: &'a ast::Function) -> CResult<Proto> {
    let funcs = walk::functions(root);
    let mut first_error: Option<CompileError> = None;
    for f in funcs.iter().rev() {
        let proto = match compile_function(ctx, f, DIRECT_DEPTH) {
            Ok(p) => p,
            Err(e) => {
                // luac stops at the first error in source order: keep the
                // one with the smallest line, and let the enclosing
                // functions compile on with an empty stand-in.
                if first_error.as_ref().map_or(true, |k| e.line() < k.line()) {
                    first_error = Some(e);
                }
                FuncState::new(ctx, f, DIRECT_DEPTH).into_proto()
            }
        };
        ctx.done.borrow_mut().insert(func::key(f), proto);
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let main = ctx.done.borrow_mut().remove(&func::key(root));
    Ok(main.unwrap_or_else(|| FuncState::new(ctx, root, DIRECT_DEPTH).into_proto()))
}

/// Parses and compiles `source` as `lua_load` would (`chunkname` is
/// `@file`, `=name` or the source itself). The source is taken as is: a
/// first line starting with `#` is not skipped (see
/// [`ferrous_syntax::skip_first_line`]).
pub fn compile_source(source: &[u8], chunkname: &[u8]) -> Result<Proto, Error> {
    compile_source_with_level(source, chunkname, 1)
}

/// Compiles one function (`open_func`, `parlist`, `chunk`, `close_func`),
/// nested `depth` functions deep. At [`DIRECT_DEPTH`] and beyond, the
/// functions it contains must be in `ctx.done` already.
#[inline(never)]
pub(crate) fn compile_function<'a>(
    ctx: &'a Ctx<'a>,
    f: &'a ast::Function,
    depth: u32,
) -> CResult<Proto> {
    let mut fs = FuncState::new(ctx, f, depth);
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
