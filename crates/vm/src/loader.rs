//! Loading compiled prototypes into a VM.
//!
//! A compiler [`Proto`] is plain shareable data. Loading it into a VM
//! verifies it ([`ferrous_compiler::verify`]: every invariant the loop's
//! unchecked accesses rely on), interns its string constants and
//! translates its code (see [`crate::ops`]), so the interpreter loop can
//! index registers, constants, upvalues and jump targets knowing they are
//! in range.

use std::rc::Rc;
use std::sync::Arc;

use ferrous_compiler::bytecode::{Constant, Instr, Proto};
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
        //
        // The parse tree and the compiler's output are not heap objects:
        // their peak is charged to the memory limit (as an estimate from
        // the source's size) while they are built, so a huge chunk fails
        // with "not enough memory" instead of outgrowing the limit.
        let estimate = ferrous_compiler::compile_memory_estimate(source.len());
        let reserve = self.heap.reserve_transient(estimate);
        let Ok(reserve) = reserve else {
            return Err(self.memory_error());
        };
        // Without a limit, a chunk whose compilation could not get the
        // address space it needs fails the same way instead of aborting
        // in the middle (a probe reservation, never touched).
        if estimate > 1 << 20 && self.heap.memory_limit().is_none() {
            let mut probe: Vec<u8> = Vec::new();
            if probe.try_reserve_exact(estimate).is_err() {
                return Err(self.memory_error());
            }
        }
        let compiled =
            ferrous_compiler::compile_source_with_level(source, chunkname, self.c_depth.max(1));
        drop(reserve);
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

    /// The C-call count a chunk loaded now is parsed from (what [`Vm::load`]
    /// passes to `ferrous_syntax::parse_with_level`), for loaders that
    /// parse themselves (`load` with a reader function).
    pub fn parse_level(&self) -> u32 {
        self.c_depth.max(1)
    }

    /// Turns a compiled main function into a function value with
    /// environment `env`.
    pub fn load_proto(&mut self, p: Arc<Proto>, env: TableRef) -> LuaResult<Value> {
        // A compiled chunk has no upvalues; a dumped closure may have some:
        // like Lua 5.1's loader, give it fresh ones holding nil.
        // The one check between a prototype (perhaps from an edited
        // binary chunk) and the loop's unchecked accesses; it covers the
        // nested prototypes, which `instantiate` then trusts.
        if let Err(why) = ferrous_compiler::verify(&p) {
            return Err(self.rt_error(format!("invalid bytecode: {why}")));
        }
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
            upvals: ferrous_heap::UpvalList::from_slice(&upvals),
            env,
        });
        let r = self.heap.alloc_fn(f).map_err(|e| self.heap_error(e))?;
        Ok(Value::Function(r))
    }

    /// Builds the VM's form of a verified prototype and of its nested
    /// ones (one per CLOSURE, which the verifier made one per prototype;
    /// recursion as deep as the nesting, which it bounded).
    fn instantiate(&mut self, p: &Arc<Proto>, upvals: &[UpvalSource]) -> LuaResult<Rc<LuaProto>> {
        if upvals.len() != p.num_upvalues() {
            return Err(self.rt_error("invalid bytecode: upvalue count"));
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
        let charge = self
            .heap
            .charge_owned(LuaProto::footprint(p))
            .map_err(|e| self.heap_error(e))?;
        Ok(Rc::new(LuaProto {
            _charge: charge,
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
