//! Structural checks on compiled prototypes (what 5.1's `luaG_checkcode`
//! checks, for the wide encoding): every operand names an existing
//! register, constant, upvalue or prototype, jumps land inside the code,
//! tests are followed by their jump, `CLOSURE` by exactly one
//! pseudo-instruction per upvalue of the new function, and the debug
//! information is consistent. The compiler's output always passes; the
//! tests and the fuzz target check that, and an embedder that builds or
//! edits prototypes by other means can check them before running them.

use crate::bytecode::{is_k, k_index, Constant, Instr, Proto, MAX_REG};

/// Checks `p` and every prototype nested in it; `Err` names the first
/// problem found (function, pc and what is wrong).
pub fn verify(p: &Proto) -> Result<(), String> {
    let mut stack = vec![(p, "main".to_string())];
    while let Some((f, path)) = stack.pop() {
        verify_one(f).map_err(|e| format!("{path}: {e}"))?;
        for (i, c) in f.protos.iter().enumerate() {
            stack.push((c, format!("{path}/{i}")));
        }
    }
    Ok(())
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
        if first + count > self.p.max_stack {
            return self.fail(format!(
                "registers {first}..{} beyond {} slots",
                first + count,
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
        let dest = self.pc as i64 + 1 + sbx as i64;
        if dest < 0 || dest >= self.p.code.len() as i64 {
            return self.fail(format!("jump to {} outside the code", dest + 1));
        }
        Ok(())
    }

    fn string_constant(&self, k: u32) -> Result<(), String> {
        match self.constant(k)? {
            Constant::String(_) => Ok(()),
            _ => self.fail(format!("constant {k} is not a string")),
        }
    }
}

fn verify_one(p: &Proto) -> Result<(), String> {
    let n = p.code.len();
    if p.lines.len() != n {
        return Err(format!("{} lines for {n} instructions", p.lines.len()));
    }
    if p.max_stack > MAX_REG as u32 + 1 {
        return Err(format!("{} slots", p.max_stack));
    }
    if p.num_params as u32 + (p.is_vararg & crate::bytecode::vararg::HAS_ARG) as u32 > p.max_stack {
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
                if skip != 0 && c.pc + 2 > n {
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
                }
            }
            Instr::ForLoop { a, sbx } | Instr::ForPrep { a, sbx } => {
                c.regs(a as u32, 4)?;
                c.jump(sbx)?;
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
                for _ in 0..child.num_upvalues() {
                    c.pc += 1;
                    match p.code.get(c.pc) {
                        Some(Instr::Move { a: 0, b }) => c.reg(*b)?,
                        Some(Instr::GetUpval { a: 0, b }) => c.upvalue(*b)?,
                        _ => return c.fail("missing upvalue pseudo-instruction".to_string()),
                    }
                }
            }
            Instr::VarArg { a, b } => {
                if p.is_vararg & crate::bytecode::vararg::IS_VARARG == 0 {
                    return c.fail("VARARG in a function that is not vararg".to_string());
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
        c.pc += 1;
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
