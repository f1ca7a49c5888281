//! Loading compiled prototypes into a VM.
//!
//! A compiler [`Proto`] is plain shareable data. Loading it into a VM
//! interns its string constants, translates its code (see [`crate::ops`])
//! and verifies every operand once, so the interpreter loop can index
//! registers, constants, upvalues and jump targets knowing they are in
//! range.

use std::rc::Rc;
use std::sync::Arc;

use ferrous_compiler::bytecode::{is_k, k_index, Constant, Instr, Proto};
use ferrous_value::{TableRef, Value};

use crate::error::{ErrorKind, LuaError, LuaResult};
use crate::objects::{Function, LuaClosure, LuaProto, UpvalSource, Upvalue};
use crate::ops;
use crate::state::Vm;

impl Vm {
    /// Compiles `source` and returns the main function, with the globals as
    /// its environment. A syntax error comes back as an error of kind
    /// [`ErrorKind::Syntax`] whose value is the message.
    pub fn load(&mut self, source: &[u8], chunkname: &[u8]) -> LuaResult<Value> {
        // Lua 5.1's parser counts its nesting on top of the C calls active
        // when the chunk is loaded (L->nCcalls), so the syntax-level limit
        // depends on where loadstring runs.
        let compiled = ferrous_syntax::parse_with_level(source, chunkname, self.c_depth.max(1))
            .map_err(ferrous_compiler::Error::from)
            .and_then(|chunk| {
                ferrous_compiler::compile(&chunk).map_err(ferrous_compiler::Error::from)
            });
        match compiled {
            Ok(p) => {
                let env = self.thread_globals();
                self.load_proto(Arc::new(p), env)
            }
            Err(e) => {
                // The message is bytes (it may quote non-UTF-8 source).
                let v = self.str_value(e.message())?;
                Err(LuaError::with_kind(ErrorKind::Syntax, v))
            }
        }
    }

    /// Turns a compiled main function into a function value with
    /// environment `env`.
    pub fn load_proto(&mut self, p: Arc<Proto>, env: TableRef) -> LuaResult<Value> {
        // A compiled chunk has no upvalues; a dumped closure may have some:
        // like Lua 5.1's loader, give it fresh ones holding nil.
        let n = p.num_upvalues();
        let lp = self.instantiate(&p, &vec![UpvalSource::Upvalue(0); n])?;
        let mut upvals = Vec::with_capacity(n);
        for _ in 0..n {
            let u = self
                .heap
                .alloc_upval(Upvalue::Closed(Value::Nil))
                .map_err(|e| self.heap_error(e))?;
            upvals.push(u);
        }
        let f = Function::Lua(LuaClosure {
            proto: lp,
            upvals: upvals.into_boxed_slice(),
            env,
        });
        let r = self.heap.alloc_fn(f).map_err(|e| self.heap_error(e))?;
        Ok(Value::Function(r))
    }

    fn instantiate(&mut self, p: &Arc<Proto>, upvals: &[UpvalSource]) -> LuaResult<Rc<LuaProto>> {
        if let Err(why) = verify(p, upvals.len()) {
            return Err(self.rt_error(format!("invalid bytecode: {why}")));
        }
        let mut consts = Vec::with_capacity(p.constants.len());
        for c in &p.constants {
            consts.push(match c {
                Constant::Nil => Value::Nil,
                Constant::Boolean(b) => Value::Boolean(*b),
                Constant::Number(n) => Value::Number(*n),
                Constant::String(s) => Value::String(self.intern(s)?),
            });
        }
        // Each nested prototype's upvalue sources follow its CLOSURE.
        let mut children: Vec<Option<Rc<LuaProto>>> = vec![None; p.protos.len()];
        for (pc, i) in p.code.iter().enumerate() {
            if let Instr::Closure { bx, .. } = *i {
                let Some(child) = p.protos.get(bx as usize) else {
                    return Err(self.rt_error("invalid bytecode: closure index"));
                };
                let n = child.num_upvalues();
                let mut srcs = Vec::with_capacity(n);
                for j in 1..=n {
                    match p.code.get(pc + j) {
                        Some(Instr::Move { b, .. }) => srcs.push(UpvalSource::Register(*b)),
                        Some(Instr::GetUpval { b, .. }) => srcs.push(UpvalSource::Upvalue(*b)),
                        _ => return Err(self.rt_error("invalid bytecode: upvalue descriptor")),
                    }
                }
                let c = self.instantiate(child, &srcs)?;
                children[bx as usize] = Some(c);
            }
        }
        let mut protos = Vec::with_capacity(children.len());
        for c in children {
            match c {
                Some(c) => protos.push(c),
                None => return Err(self.rt_error("invalid bytecode: unused prototype")),
            }
        }
        let source = self.intern(&p.source)?;
        let kstr: Vec<ferrous_value::StrRef> = consts
            .iter()
            .map(|c| match c {
                Value::String(s) => *s,
                _ => ferrous_value::StrRef::default(),
            })
            .collect();
        Ok(Rc::new(LuaProto {
            kstr: kstr.into_boxed_slice(),
            code: ops::translate(p).into_boxed_slice(),
            consts: consts.into_boxed_slice(),
            protos: protos.into_boxed_slice(),
            upvals: upvals.to_vec().into_boxed_slice(),
            num_params: p.num_params as u32,
            is_vararg: p.is_vararg,
            max_stack: p.max_stack.max(2),
            source,
            info: p.clone(),
        }))
    }
}

/// Checks that every operand of `p` is in range: registers below
/// `max_stack`, constants, upvalues and prototypes that exist, jumps that
/// land inside the code, and code that cannot run off its end.
fn verify(p: &Proto, nups: usize) -> Result<(), &'static str> {
    let ms = p.max_stack.max(2) as usize;
    let nk = p.constants.len();
    let n = p.code.len();
    if n == 0 || p.lines.len() != n {
        return Err("empty code or line table mismatch");
    }
    if !matches!(p.code[n - 1], Instr::Return { .. }) {
        return Err("code does not end with RETURN");
    }
    let reg = |r: u16| (r as usize) < ms;
    let rk = |x: u16| {
        if is_k(x) {
            (k_index(x) as usize) < nk
        } else {
            reg(x)
        }
    };
    let kstr = |i: u32| matches!(p.constants.get(i as usize), Some(Constant::String(_)));
    let target = |pc: usize, sbx: i32| {
        let t = pc as i64 + 1 + sbx as i64;
        t >= 0 && (t as usize) < n
    };
    let mut pc = 0;
    while pc < n {
        let ok = match p.code[pc] {
            Instr::Move { a, b } => reg(a) && reg(b),
            Instr::LoadK { a, bx } => reg(a) && (bx as usize) < nk,
            Instr::LoadBool { a, c, .. } => reg(a) && (c == 0 || pc + 2 < n),
            Instr::LoadNil { a, b } => reg(a) && reg(b) && a <= b,
            Instr::GetUpval { a, b } | Instr::SetUpval { a, b } => reg(a) && (b as usize) < nups,
            Instr::GetGlobal { a, bx } | Instr::SetGlobal { a, bx } => reg(a) && kstr(bx),
            Instr::GetTable { a, b, c } => reg(a) && reg(b) && rk(c),
            Instr::SetTable { a, b, c } => reg(a) && rk(b) && rk(c),
            Instr::NewTable { a, .. } => reg(a),
            Instr::SelfOp { a, b, c } => reg(a) && (a as usize + 1) < ms && reg(b) && rk(c),
            Instr::Add { a, b, c }
            | Instr::Sub { a, b, c }
            | Instr::Mul { a, b, c }
            | Instr::Div { a, b, c }
            | Instr::Mod { a, b, c }
            | Instr::Pow { a, b, c } => reg(a) && rk(b) && rk(c),
            Instr::Unm { a, b } | Instr::Not { a, b } | Instr::Len { a, b } => reg(a) && reg(b),
            Instr::Concat { a, b, c } => reg(a) && reg(b) && reg(c) && b <= c,
            Instr::Jmp { sbx } => target(pc, sbx),
            Instr::Eq { b, c, .. } | Instr::Lt { b, c, .. } | Instr::Le { b, c, .. } => {
                rk(b)
                    && rk(c)
                    && matches!(p.code.get(pc + 1), Some(Instr::Jmp { sbx }) if target(pc + 1, *sbx))
            }
            Instr::Test { a, .. } => {
                reg(a)
                    && matches!(p.code.get(pc + 1), Some(Instr::Jmp { sbx }) if target(pc + 1, *sbx))
            }
            Instr::TestSet { a, b, .. } => {
                reg(a)
                    && reg(b)
                    && matches!(p.code.get(pc + 1), Some(Instr::Jmp { sbx }) if target(pc + 1, *sbx))
            }
            Instr::Call { a, b, c } => {
                reg(a)
                    && (b == 0 || (a as usize + b as usize) <= ms)
                    && (c <= 1 || (a as usize + c as usize - 1) <= ms)
            }
            Instr::TailCall { a, b, .. } => reg(a) && (b == 0 || (a as usize + b as usize) <= ms),
            Instr::Return { a, b } => {
                (a as usize) <= ms && (b == 0 || (a as usize + b as usize - 1) <= ms)
            }
            Instr::ForLoop { a, sbx } | Instr::ForPrep { a, sbx } => {
                (a as usize + 3) < ms && target(pc, sbx)
            }
            Instr::TForLoop { a, c } => {
                (a as usize + 3 + c as usize) <= ms
                    && c >= 1
                    && matches!(p.code.get(pc + 1), Some(Instr::Jmp { sbx }) if target(pc + 1, *sbx))
            }
            Instr::SetList { a, b, c } => reg(a) && (a as usize + b as usize) < ms && c >= 1,
            Instr::Close { a } => (a as usize) <= ms,
            Instr::Closure { a, bx } => {
                let ok = reg(a) && (bx as usize) < p.protos.len();
                if ok {
                    let nup = p.protos[bx as usize].num_upvalues();
                    let descs_ok = (1..=nup).all(|j| match p.code.get(pc + j) {
                        Some(Instr::Move { b, .. }) => reg(*b),
                        Some(Instr::GetUpval { b, .. }) => (*b as usize) < nups,
                        _ => false,
                    });
                    if !descs_ok {
                        return Err("bad upvalue descriptors");
                    }
                    pc += nup;
                }
                ok
            }
            Instr::VarArg { a, b } => reg(a) && (b == 0 || (a as usize + b as usize - 1) <= ms),
        };
        if !ok {
            return Err("operand out of range");
        }
        pc += 1;
    }
    Ok(())
}
