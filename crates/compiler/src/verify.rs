//! Structural checks on compiled prototypes (what 5.1's `luaG_checkcode`
//! checks, for the wide encoding, and more): every operand names an
//! existing register, constant, upvalue or prototype, jumps land inside the
//! code, tests are followed by their jump, `CLOSURE` by exactly one
//! pseudo-instruction per upvalue of the new function, and the debug
//! information is consistent.
//!
//! This is the only gate between a binary chunk (`string.dump` output that
//! anyone may have edited) and the VM, whose loop reads registers,
//! constants and code without bounds checks: the VM's loader runs it on
//! every prototype before translating it. So it checks every invariant the
//! loop relies on, not only those the compiler could get wrong:
//!
//! - the frame: `max_stack` within the register space, the fixed
//!   parameters (plus the 5.1 `arg` table when the vararg flags ask for
//!   it) inside `max_stack`, and vararg flags that make sense together;
//! - control flow: the code ends with RETURN and no skip (LOADBOOL, a
//!   test) or jump leaves the code, so `pc` stays inside it; FORPREP jumps
//!   forward (the loop charges the instruction budget on backward jumps
//!   only, so a backward FORPREP would be a loop SCRIPT KILL cannot stop);
//! - open results (5.1's `checkopenop`): an instruction that leaves the
//!   number of values open (CALL with C = 0, VARARG with B = 0, TAILCALL)
//!   is followed by one that takes them (CALL, TAILCALL, RETURN or SETLIST
//!   with B = 0) whose registers start at or below the values produced;
//!   and such a taker is reached only from its producer (never the target
//!   of a jump or a skip), so the stack top it reads was set just before;
//! - nested functions: each is created by exactly one CLOSURE (loading
//!   instantiates a prototype per CLOSURE, so sharing would make loading
//!   exponential in the nesting depth).
//!
//! The compiler's output always passes; the tests and the fuzz targets
//! check that.

use crate::bytecode::{is_k, k_index, vararg, Constant, Instr, Proto, MAX_REG};

/// Deepest nesting of functions a prototype may have (a function inside
/// a function ... : the main function is at depth 0). The parser's limit of
/// 200 syntax levels keeps compiled code far below it; loaders of nested
/// prototypes may recurse this deep.
pub const MAX_NESTING: usize = 250;

/// Checks `p` and every prototype nested in it; `Err` names the first
/// problem found (function, pc and what is wrong).
pub fn verify(p: &Proto) -> Result<(), String> {
    let mut stack = vec![(p, "main".to_string(), 0usize)];
    while let Some((f, path, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Err(format!("{path}: functions nested too deep"));
        }
        verify_one(f).map_err(|e| format!("{path}: {e}"))?;
        for (i, c) in f.protos.iter().enumerate() {
            stack.push((c, format!("{path}/{i}"), depth + 1));
        }
    }
    Ok(())
}

/// Checks `p` alone, not the prototypes nested in it (binary chunks are
/// checked one function at a time as they are read, like 5.1's).
pub(crate) fn verify_function(p: &Proto) -> Result<(), String> {
    verify_one(p)
}

struct Checker<'p> {
    p: &'p Proto,
    pc: usize,
}

impl Checker<'_> {
    fn fail<T>(&self, what: String) -> Result<T, String> {
        Err(format!(
            "pc {} ({:?}): {what}",
            self.pc + 1,
            self.p.code.get(self.pc)
        ))
    }

    /// Registers `first..first+count` exist.
    fn regs(&self, first: u32, count: u32) -> Result<(), String> {
        if first as u64 + count as u64 > self.p.max_stack as u64 {
            return self.fail(format!(
                "registers {first}..{} beyond {} slots",
                first as u64 + count as u64,
                self.p.max_stack
            ));
        }
        Ok(())
    }

    fn reg(&self, r: u16) -> Result<(), String> {
        self.regs(r as u32, 1)
    }

    fn constant(&self, k: u32) -> Result<&Constant, String> {
        match self.p.constants.get(k as usize) {
            Some(c) => Ok(c),
            None => self.fail(format!("constant {k} does not exist")),
        }
    }

    fn rk(&self, x: u16) -> Result<(), String> {
        if is_k(x) {
            self.constant(k_index(x) as u32).map(|_| ())
        } else {
            self.reg(x)
        }
    }

    fn upvalue(&self, u: u16) -> Result<(), String> {
        if u as usize >= self.p.num_upvalues() {
            return self.fail(format!("upvalue {u} does not exist"));
        }
        Ok(())
    }

    fn jump(&self, sbx: i32) -> Result<(), String> {
        match jump_target(self.pc, sbx, self.p.code.len()) {
            Some(_) => Ok(()),
            None => self.fail(format!(
                "jump to {} outside the code",
                self.pc as i64 + 2 + sbx as i64
            )),
        }
    }

    fn string_constant(&self, k: u32) -> Result<(), String> {
        match self.constant(k)? {
            Constant::String(_) => Ok(()),
            _ => self.fail(format!("constant {k} is not a string")),
        }
    }
}

/// Where a jump at `pc` with offset `sbx` lands, if inside `n`
/// instructions.
fn jump_target(pc: usize, sbx: i32, n: usize) -> Option<usize> {
    let dest = pc as i64 + 1 + sbx as i64;
    if dest < 0 || dest >= n as i64 {
        None
    } else {
        Some(dest as usize)
    }
}

/// The register from which an instruction leaves an open number of values
/// (up to the stack top), if it does.
fn open_producer(i: &Instr) -> Option<u16> {
    match *i {
        Instr::Call { a, c: 0, .. } | Instr::VarArg { a, b: 0 } | Instr::TailCall { a, .. } => {
            Some(a)
        }
        _ => None,
    }
}

/// Whether an instruction takes an open number of values (up to the stack
/// top), and the lowest register it must find below the top.
fn open_consumer(i: &Instr) -> Option<u32> {
    match *i {
        // The function and its arguments from R(a+1) on.
        Instr::Call { a, b: 0, .. } | Instr::TailCall { a, b: 0, .. } => Some(a as u32 + 1),
        // Values from R(a) on (possibly none).
        Instr::Return { a, b: 0 } => Some(a as u32),
        // The table's items from R(a+1) on.
        Instr::SetList { a, b: 0, .. } => Some(a as u32 + 1),
        _ => None,
    }
}

fn verify_one(p: &Proto) -> Result<(), String> {
    let n = p.code.len();
    // No lines at all is a function without line information (a stripped
    // binary chunk), as 5.1 allows.
    if p.lines.len() != n && !p.lines.is_empty() {
        return Err(format!("{} lines for {n} instructions", p.lines.len()));
    }
    if p.max_stack > MAX_REG as u32 + 1 {
        return Err(format!("{} slots", p.max_stack));
    }
    let flags = p.is_vararg;
    if flags & !(vararg::HAS_ARG | vararg::IS_VARARG | vararg::NEEDS_ARG) != 0
        || (flags & vararg::NEEDS_ARG != 0 && flags & vararg::HAS_ARG == 0)
        || (flags & vararg::HAS_ARG != 0 && flags & vararg::IS_VARARG == 0)
    {
        return Err(format!("vararg flags {flags}"));
    }
    if p.num_params as u32 + (flags & vararg::HAS_ARG) as u32 > p.max_stack {
        return Err("parameters beyond the slots".to_string());
    }
    if !matches!(p.code.last(), Some(Instr::Return { .. })) {
        return Err("the code does not end with RETURN".to_string());
    }
    for (i, v) in p.locvars.iter().enumerate() {
        if v.start_pc > v.end_pc || v.end_pc as usize > n {
            return Err(format!(
                "local {i} has range {}..{} in {n} instructions",
                v.start_pc, v.end_pc
            ));
        }
    }
    // Instructions reached other than by falling through from the one
    // before (jump targets and skips over one instruction).
    let mut entry = vec![false; n];
    for (pc, i) in p.code.iter().enumerate() {
        let target = match *i {
            Instr::Jmp { sbx } | Instr::ForLoop { sbx, .. } | Instr::ForPrep { sbx, .. } => {
                jump_target(pc, sbx, n)
            }
            Instr::LoadBool { c, .. } if c != 0 => Some(pc + 2).filter(|&t| t < n),
            _ => None,
        };
        if let Some(t) = target {
            entry[t] = true;
        }
    }
    let mut closures = vec![0u32; p.protos.len()];
    let mut c = Checker { p, pc: 0 };
    while c.pc < n {
        let i = p.code[c.pc];
        match i {
            Instr::Move { a, b } => {
                c.reg(a)?;
                c.reg(b)?;
            }
            Instr::LoadK { a, bx } => {
                c.reg(a)?;
                c.constant(bx)?;
            }
            Instr::LoadBool { a, c: skip, .. } => {
                c.reg(a)?;
                if skip != 0 && c.pc + 2 >= n {
                    return c.fail("skips past the end".to_string());
                }
            }
            Instr::LoadNil { a, b } => {
                if b < a {
                    return c.fail("empty range".to_string());
                }
                c.regs(a as u32, (b - a) as u32 + 1)?;
            }
            Instr::GetUpval { a, b } => {
                c.reg(a)?;
                c.upvalue(b)?;
            }
            Instr::SetUpval { a, b } => {
                c.reg(a)?;
                c.upvalue(b)?;
            }
            Instr::GetGlobal { a, bx } | Instr::SetGlobal { a, bx } => {
                c.reg(a)?;
                c.string_constant(bx)?;
            }
            Instr::GetTable { a, b, c: k } => {
                c.reg(a)?;
                c.reg(b)?;
                c.rk(k)?;
            }
            Instr::SetTable { a, b, c: v } => {
                c.reg(a)?;
                c.rk(b)?;
                c.rk(v)?;
            }
            Instr::NewTable { a, .. } => c.reg(a)?,
            Instr::SelfOp { a, b, c: k } => {
                c.regs(a as u32, 2)?;
                c.reg(b)?;
                c.rk(k)?;
            }
            Instr::Add { a, b, c: y }
            | Instr::Sub { a, b, c: y }
            | Instr::Mul { a, b, c: y }
            | Instr::Div { a, b, c: y }
            | Instr::Mod { a, b, c: y }
            | Instr::Pow { a, b, c: y } => {
                c.reg(a)?;
                c.rk(b)?;
                c.rk(y)?;
            }
            Instr::Unm { a, b } | Instr::Not { a, b } | Instr::Len { a, b } => {
                c.reg(a)?;
                c.reg(b)?;
            }
            Instr::Concat { a, b, c: last } => {
                c.reg(a)?;
                if last <= b {
                    return c.fail("fewer than two operands".to_string());
                }
                c.regs(b as u32, (last - b) as u32 + 1)?;
            }
            Instr::Jmp { sbx } => c.jump(sbx)?,
            Instr::Eq { b, c: y, .. } | Instr::Lt { b, c: y, .. } | Instr::Le { b, c: y, .. } => {
                c.rk(b)?;
                c.rk(y)?;
            }
            Instr::Test { a, .. } => c.reg(a)?,
            Instr::TestSet { a, b, .. } => {
                c.reg(a)?;
                c.reg(b)?;
            }
            Instr::Call { a, b, c: r } | Instr::TailCall { a, b, c: r } => {
                c.reg(a)?;
                if b > 0 {
                    c.regs(a as u32, b as u32)?;
                }
                if r > 1 {
                    c.regs(a as u32, r as u32 - 1)?;
                }
                if matches!(i, Instr::TailCall { .. })
                    && !matches!(p.code.get(c.pc + 1), Some(Instr::Return { .. }))
                {
                    return c.fail("TAILCALL not followed by RETURN".to_string());
                }
            }
            Instr::Return { a, b } => {
                if b > 1 {
                    c.regs(a as u32, b as u32 - 1)?;
                } else {
                    c.regs(a as u32, 0)?;
                }
            }
            Instr::ForLoop { a, sbx } => {
                c.regs(a as u32, 4)?;
                c.jump(sbx)?;
            }
            Instr::ForPrep { a, sbx } => {
                c.regs(a as u32, 4)?;
                c.jump(sbx)?;
                if sbx < 0 {
                    return c.fail("FORPREP jumps backwards".to_string());
                }
            }
            Instr::TForLoop { a, c: nvars } => {
                if nvars == 0 {
                    return c.fail("no loop variables".to_string());
                }
                c.regs(a as u32, 3 + nvars as u32)?;
            }
            Instr::SetList { a, b, c: block } => {
                c.reg(a)?;
                if b > 0 {
                    c.regs(a as u32, b as u32 + 1)?;
                }
                if block == 0 {
                    return c.fail("block 0".to_string());
                }
            }
            Instr::Close { a } => c.reg(a)?,
            Instr::Closure { a, bx } => {
                c.reg(a)?;
                let Some(child) = p.protos.get(bx as usize) else {
                    return c.fail(format!("prototype {bx} does not exist"));
                };
                closures[bx as usize] += 1;
                if closures[bx as usize] > 1 {
                    return c.fail(format!("prototype {bx} has two CLOSUREs"));
                }
                let at = c.pc;
                for _ in 0..child.num_upvalues() {
                    c.pc += 1;
                    match p.code.get(c.pc) {
                        Some(Instr::Move { a: 0, b }) => c.reg(*b)?,
                        Some(Instr::GetUpval { a: 0, b }) => c.upvalue(*b)?,
                        _ => {
                            c.pc = at;
                            return c.fail("missing upvalue pseudo-instruction".to_string());
                        }
                    }
                }
            }
            Instr::VarArg { a, b } => {
                if flags & vararg::IS_VARARG == 0 {
                    return c.fail("VARARG in a function that is not vararg".to_string());
                }
                if flags & vararg::NEEDS_ARG != 0 {
                    return c.fail("VARARG in a function that builds 'arg'".to_string());
                }
                c.reg(a)?;
                if b > 1 {
                    c.regs(a as u32, b as u32 - 1)?;
                }
            }
        }
        if crate::jumps::is_test_mode(&i)
            && !matches!(p.code.get(c.pc + 1), Some(Instr::Jmp { .. }))
        {
            return c.fail("test not followed by JMP".to_string());
        }
        // Open results: producer and taker come in pairs (the pseudo-
        // instructions of a CLOSURE are neither).
        if let Some(first) = open_producer(&i) {
            match p.code.get(c.pc + 1).and_then(open_consumer) {
                Some(low) if low <= first as u32 => {}
                _ => return c.fail("open results not taken by the next instruction".to_string()),
            }
        }
        if open_consumer(&i).is_some() {
            let fed =
                c.pc > 0 && !entry[c.pc] && p.code.get(c.pc - 1).and_then(open_producer).is_some();
            if !fed {
                return c.fail("takes open results nothing produced".to_string());
            }
        }
        c.pc += 1;
    }
    if let Some(unused) = closures.iter().position(|&k| k == 0) {
        return Err(format!("prototype {unused} has no CLOSURE"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proto(src: &str) -> Proto {
        let p = crate::compile_source(src.as_bytes(), b"=t").expect("compiles");
        verify(&p).expect("the compiler's output verifies");
        p
    }

    fn broken(p: &Proto, what: &str) {
        match verify(p) {
            Ok(()) => panic!("not caught: {what}"),
            Err(e) => assert!(e.contains(what), "{what}: {e}"),
        }
    }

    #[test]
    fn verify_catches_broken_prototypes() {
        let src = "local a = ... if a < 1 then a = {} end return function() return a end";
        let good = proto(src);

        let mut p = good.clone();
        p.lines.pop();
        broken(&p, "lines for");

        let mut p = good.clone();
        p.max_stack = 1;
        broken(&p, "beyond 1 slots");

        let mut p = good.clone();
        let jmp = p.code.iter().position(|i| matches!(i, Instr::Jmp { .. }));
        p.code[jmp.expect("a jump")] = Instr::Jmp { sbx: 1000 };
        broken(&p, "outside the code");

        let mut p = good.clone();
        let lt = p.code.iter().position(|i| matches!(i, Instr::Lt { .. }));
        p.code[lt.expect("a comparison") + 1] = Instr::Move { a: 0, b: 0 };
        broken(&p, "not followed by JMP");

        let mut p = good.clone();
        let lt = p.code.iter().position(|i| matches!(i, Instr::Lt { .. }));
        p.code[lt.expect("a comparison")] = Instr::Lt {
            a: 1,
            b: 0,
            c: crate::bytecode::rk_const(99),
        };
        broken(&p, "constant 99 does not exist");

        let mut p = good.clone();
        let cl = p
            .code
            .iter()
            .position(|i| matches!(i, Instr::Closure { .. }));
        p.code[cl.expect("a closure") + 1] = Instr::LoadNil { a: 0, b: 0 };
        broken(&p, "missing upvalue pseudo-instruction");

        let mut p = good.clone();
        if let Some(last) = p.code.last_mut() {
            *last = Instr::Move { a: 0, b: 0 };
        }
        broken(&p, "does not end with RETURN");

        let mut p = good.clone();
        p.locvars[0].end_pc = 1000;
        broken(&p, "local 0 has range");

        let mut p = good;
        let child = std::sync::Arc::make_mut(&mut p.protos[0]);
        child.code[0] = Instr::GetUpval { a: 0, b: 5 };
        broken(&p, "main/0: pc 1");
    }
}
