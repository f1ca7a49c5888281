//! The interpreter loop.
//!
//! `execute(stop)` runs Lua frames until the frame count drops back to
//! `stop`. Lua-to-Lua calls and returns switch frames inside the loop (no
//! Rust recursion); native functions are called directly; metamethods and
//! generic-for iterators go through [`Vm::call_at`], a nested run counted
//! against the C-call limit, as in Lua 5.1.
//!
//! Fast paths handle the common cases inline (numbers, tables without
//! metatables or with the key present); everything else saves the pc and
//! goes to the slow paths in `meta.rs`, which may call back into Lua.
//!
//! # Unchecked accesses, and why they are in bounds
//!
//! The loop reads instructions and registers without bounds checks. Five
//! invariants make that sound:
//!
//! 1. The loader (`loader::verify`) checked every prototype before it could
//!    run: register operands are below `max_stack`, constant, upvalue and
//!    prototype indexes exist, every jump lands inside the code, the
//!    instructions that skip the next one are followed by one, and the
//!    code ends with RETURN, so `pc` never leaves `0..code.len()`.
//! 2. Entering a Lua frame (`enter_lua`) makes the stack at least
//!    `base + max_stack` long, and the stack never shrinks while the
//!    thread lives (it only grows; coroutine switches move the whole
//!    vector out and back in before control returns here).
//! 3. The prototype is borrowed through the running frame's `FrameProto`
//!    (valid while the frame exists: its closure holds the prototype and
//!    stays alive with the frame, for the reasons given in invariant 4 and
//!    because the collector marks frames' closures); the
//!    frame outlives every use: only RETURN and TAILCALL pop it, and both
//!    leave this frame's code (`continue 'newframe` or `return`); nested
//!    calls pop only frames above their own; catchers that truncate the
//!    frame list run after this function has returned.
//!
//! 4. The running closure's upvalue list (`upvals`, a pointer into the
//!    closure object's `UpvalList`, kept in the frame since the frame was
//!    pushed) stays valid while the frame runs: the list is never replaced
//!    or resized after the closure is made, and it lives as long as the
//!    closure object, which is alive while its frame is: the frame's
//!    function value stays in stack slot `func`, below `base`, which the
//!    frame's instructions never write (registers start at `base`; a tail
//!    call to a native leaves it in place) and which the collector marks
//!    with the rest of the stack (a suspended thread's stack through its
//!    object); the collector also marks every frame's closure. A tail
//!    call that replaces the frame's closure replaces the pointer with it.
//!    The list is read with bounds checks where the index is not the
//!    operand of an instruction (GETUPVAL and SETUPVAL read it without:
//!    invariant 5).
//!
//! 5. A running Lua closure's upvalue list holds exactly as many handles
//!    as its prototype has upvalues (`make_closure` and `load_proto` build
//!    it so; the loader checked the count against the prototype), and the
//!    verifier bounded every GETUPVAL/SETUPVAL operand by that count. Each
//!    handle names a live upvalue: the closure is alive (invariant 4) and
//!    the collector marks a closure's upvalues with it, so none is swept
//!    while the frame runs. GETUPVAL and SETUPVAL read the upvalue arena
//!    without the handle's bounds and version checks for that reason.
//!
//! Debug builds assert each access; the fuzz target for the VM exercises
//! them under the budget hook.

use ferrous_compiler::bytecode::{fb2int, FIELDS_PER_FLUSH};
use ferrous_value::{TableRef, Value};

use crate::error::LuaResult;
use crate::objects::{Function, LuaProto, Native};
use crate::ops::{ArithOp, Op, Rk};
use crate::state::{EnvWord, Vm};

/// How a run of the loop ended.
pub(crate) enum Exit {
    /// The frame count dropped to `stop`.
    Done,
    /// The hooks changed: run the other variant of the loop.
    Switch,
    /// The coroutine yielded at a CALL of `coroutine.yield`.
    Yield,
}

impl Vm {
    /// The environment table of a function.
    #[inline]
    fn fn_env(&self, f: ferrous_value::FnRef) -> TableRef {
        self.heap
            .functions()
            .get(f)
            .map_or(self.globals, |f| f.env())
    }

    /// Runs Lua frames until only `stop` frames remain. Returns true when
    /// the running coroutine yielded from the loop itself (see
    /// [`Vm::resume_at`]); only a coroutine's base loop can see that.
    pub(crate) fn execute(&mut self, stop: usize) -> LuaResult<bool> {
        loop {
            let exit = if self.hook.traces() {
                self.run::<true>(stop)?
            } else {
                self.run::<false>(stop)?
            };
            match exit {
                Exit::Done => return Ok(false),
                Exit::Switch => continue,
                Exit::Yield => return Ok(true),
            }
        }
    }

    /// The loop proper. `HOOKED` runs line and count hooks before each
    /// instruction. Ends when `stop` is reached, when the hooks changed and
    /// the other variant must take over (the state is all in the frames),
    /// or when the coroutine yields.
    fn run<const HOOKED: bool>(&mut self, stop: usize) -> LuaResult<Exit> {
        'newframe: loop {
            let mut fi = self.frames.len() - 1;
            let (mut proto, closure, mut base, mut pc, mut env, epoch, mut upvals): (
                &LuaProto,
                _,
                usize,
                usize,
                _,
                _,
                ferrous_heap::UpvalListPtr,
            ) = {
                let Some(f) = self.frames.last() else {
                    return Ok(Exit::Done);
                };
                match f.proto {
                    Some(proto) => {
                        let closure = &f.closure;
                        // SAFETY: invariant 3 of the module doc: the frame
                        // (and with it its closure and the prototype) outlives
                        // every use of this reference.
                        let p: &LuaProto = unsafe { &*(&*proto as *const LuaProto) };
                        (p, *closure, f.base, f.pc, f.env, f.env_epoch, f.upvals)
                    }
                    None => {
                        return Err(self.rt_error("internal error: native frame in the Lua loop"))
                    }
                }
            };
            if epoch != self.env_epoch {
                env = EnvWord::of(self.fn_env(closure));
                self.frames[fi].env = env;
                self.frames[fi].env_epoch = self.env_epoch;
            }
            // The running closure, read from the frame where it is needed
            // (rarely: CLOSURE and environment changes).
            macro_rules! closure {
                () => {{
                    debug_assert!(fi < self.frames.len());
                    // SAFETY: frame `fi` exists while this code runs
                    // (invariant 3).
                    unsafe { self.frames.get_unchecked(fi) }.closure
                }};
            }
            // The running prototype's code and constants as bare pointers
            // (the verifier bounded every index; invariant 1): fewer values
            // for the loop to keep in registers than slices would be.
            let mut code: *const Op = proto.code.as_ptr();
            let mut k: *const Value = proto.consts.as_ptr();
            let mut kstr: *const ferrous_value::StrRef = proto.kstr.as_ptr();
            // The loop takes over the Lua frame just entered (a call or a
            // tail call's callee, whose prototype `$p` points at) with the
            // state it already holds, instead of reloading it from the frame.
            macro_rules! switch_to {
                ($p:expr, $ups:expr, $base:expr, $env:expr) => {
                    // SAFETY: invariant 3: the frame now runs the callee,
                    // whose closure (in the frame's `func` slot) holds the
                    // prototype.
                    proto = unsafe { &*$p };
                    upvals = $ups;
                    base = $base;
                    pc = 0;
                    env = EnvWord::of($env);
                    code = proto.code.as_ptr();
                    k = proto.consts.as_ptr();
                    kstr = proto.kstr.as_ptr();
                };
            }
            // The frame's top: one past its highest register.
            macro_rules! ci_top {
                () => {
                    base + proto.max_stack as usize
                };
            }

            debug_assert!(self.stack.len() >= ci_top!());
            macro_rules! r {
                ($x:expr) => {
                    // SAFETY: invariants 1 and 2 of the module doc.
                    *unsafe {
                        let i = base + ($x) as usize;
                        debug_assert!(i < self.stack.len());
                        self.stack.get_unchecked_mut(i)
                    }
                };
            }
            macro_rules! rref {
                ($x:expr) => {
                    // SAFETY: as for `r!`.
                    unsafe {
                        let i = base + ($x) as usize;
                        debug_assert!(i < self.stack.len());
                        self.stack.get_unchecked(i)
                    }
                };
            }
            macro_rules! kref {
                ($x:expr) => {
                    // SAFETY: as for `kk!`.
                    unsafe {
                        let i = ($x) as usize;
                        debug_assert!(i < proto.consts.len());
                        &*k.add(i)
                    }
                };
            }
            macro_rules! ks {
                ($x:expr) => {
                    // SAFETY: invariant 1; the translator emits the string
                    // forms only for string constants.
                    *unsafe {
                        let i = ($x) as usize;
                        debug_assert!(i < proto.kstr.len());
                        &*kstr.add(i)
                    }
                };
            }
            macro_rules! kk {
                ($x:expr) => {
                    // SAFETY: invariant 1 (constant indexes were verified).
                    *unsafe {
                        let i = ($x) as usize;
                        debug_assert!(i < proto.consts.len());
                        &*k.add(i)
                    }
                };
            }
            macro_rules! rk {
                ($x:expr) => {
                    match $x.decode() {
                        Rk::R(i) => r!(i),
                        Rk::K(i) => kk!(i),
                    }
                };
            }
            macro_rules! reg_of {
                ($x:expr) => {
                    match $x.decode() {
                        Rk::R(i) => Some(i as usize),
                        Rk::K(_) => None,
                    }
                };
            }
            macro_rules! save_pc {
                () => {
                    // SAFETY: frame `fi` exists while this code runs
                    // (invariant 3).
                    debug_assert!(fi < self.frames.len());
                    unsafe { self.frames.get_unchecked_mut(fi) }.pc = pc;
                };
            }
            macro_rules! charge {
                () => {
                    self.budget -= 1;
                    if self.budget <= 0 {
                        save_pc!();
                        self.budget_exhausted()?;
                    }
                };
            }
            // The budget point of a backward jump: `pc` already holds the
            // jump target, and the frame records target + 1 so that the
            // budget hook (and an interrupt) sees the loop's first
            // instruction as the current one, not the one before the loop.
            macro_rules! charge_jump {
                () => {
                    self.budget -= 1;
                    if self.budget <= 0 {
                        // SAFETY: as in save_pc.
                        debug_assert!(fi < self.frames.len());
                        unsafe { self.frames.get_unchecked_mut(fi) }.pc = pc + 1;
                        self.budget_exhausted()?;
                    }
                };
            }
            macro_rules! arith_rr {
                ($a:expr, $b:expr, $c:expr, $op:expr, $f:expr) => {{
                    let n = match (rref!($b), rref!($c)) {
                        (Value::Number(x), Value::Number(y)) => Some($f(*x, *y)),
                        _ => None,
                    };
                    if let Some(n) = n {
                        Value::set_number(&mut r!($a), n);
                    } else {
                        let (x, y) = (r!($b), r!($c));
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.arith_slow($op, x, y, Some($b as usize), Some($c as usize))?;
                        r!($a) = v;
                        check_hooks!();
                    }
                }};
            }
            macro_rules! arith_rk {
                ($a:expr, $b:expr, $c:expr, $op:expr, $f:expr) => {{
                    let n = match (rref!($b), kref!($c)) {
                        (Value::Number(x), Value::Number(y)) => Some($f(*x, *y)),
                        _ => None,
                    };
                    if let Some(n) = n {
                        Value::set_number(&mut r!($a), n);
                    } else {
                        let (x, y) = (r!($b), kk!($c));
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.arith_slow($op, x, y, Some($b as usize), None)?;
                        r!($a) = v;
                        check_hooks!();
                    }
                }};
            }
            macro_rules! arith_kr {
                ($a:expr, $b:expr, $c:expr, $op:expr, $f:expr) => {{
                    let n = match (kref!($b), rref!($c)) {
                        (Value::Number(x), Value::Number(y)) => Some($f(*x, *y)),
                        _ => None,
                    };
                    if let Some(n) = n {
                        Value::set_number(&mut r!($a), n);
                    } else {
                        let (x, y) = (kk!($b), r!($c));
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.arith_slow($op, x, y, None, Some($c as usize))?;
                        r!($a) = v;
                        check_hooks!();
                    }
                }};
            }
            macro_rules! order {
                ($x:expr, $y:expr, $cond:expr, $cmp:tt, $slow:ident) => {{
                    let fast = match ($x, $y) {
                        (Value::Number(x), Value::Number(y)) => Some(*x $cmp *y),
                        _ => None,
                    };
                    let res = match fast {
                        Some(r) => r,
                        None => {
                            let (x, y) = (*$x, *$y);
                            save_pc!();
                            self.top = ci_top!();
                            let res = self.$slow(x, y)?;
                            switch_after_test!(res, $cond);
                            res
                        }
                    };
                    if res == $cond {
                        jump_next!();
                    } else {
                        pc += 1;
                    }
                }};
            }
            macro_rules! store {
                // R(a)[key] = v: a raw write unless __newindex applies.
                ($a:expr, $key:expr, $v:expr) => {{
                    let key = $key;
                    let v = $v;
                    if let Value::Table(tr) = *rref!($a) {
                        match self.heap.table_set_or_defer(tr, key, v) {
                            Ok(true) => continue,
                            Ok(false) => {}
                            Err(e) => {
                                save_pc!();
                                return Err(self.heap_error(e));
                            }
                        }
                    }
                    let t = r!($a);
                    save_pc!();
                    self.top = ci_top!();
                    self.set_index_named(t, key, v, Some($a as usize))?;
                    check_hooks!();
                }};
            }
            macro_rules! equal {
                // Raw equality, then __eq for two tables or two userdata.
                ($x:expr, $y:expr, $cond:expr) => {{
                    let x = $x;
                    let y = $y;
                    let res = match (x, y) {
                        (Value::Table(_), Value::Table(_))
                        | (Value::Userdata(_), Value::Userdata(_)) => {
                            save_pc!();
                            self.top = ci_top!();
                            let res = self.equals(x, y)?;
                            switch_after_test!(res, $cond);
                            res
                        }
                        _ => x == y,
                    };
                    if res == $cond {
                        jump_next!();
                    } else {
                        pc += 1;
                    }
                }};
            }
            macro_rules! str_index {
                // R(a) := tab[k] for a string key without calling anything:
                // the raw read, then `__index` tables followed (method
                // lookups through a class table), through the heap's chain
                // cache. False, with R(a) untouched: the general path must
                // run (a function handler, another kind of value, a chain
                // of MAX_TAG_LOOP); it redoes the read, which had no effect.
                ($tab:expr, $k:expr, $a:expr) => {{
                    let tab: &ferrous_heap::Table = $tab;
                    let v = tab.get_str_ref($k);
                    if !v.is_nil() || tab.metatable().is_none() {
                        r!($a) = *v;
                        true
                    } else {
                        self.heap.index_chain_cached(
                            tab,
                            $k,
                            crate::meta::MAX_TAG_LOOP,
                            &mut r!($a),
                        )
                    }
                }};
            }
            macro_rules! check_hooks {
                // After anything that may have called debug.sethook.
                () => {
                    if self.hook.traces() != HOOKED {
                        save_pc!();
                        return Ok(Exit::Switch);
                    }
                };
            }
            check_hooks!();
            macro_rules! switch_after_test {
                // After a test's metamethod ran: if it changed the hooks,
                // finish the test (take or skip its JMP) and let the other
                // variant of the loop continue from there.
                ($res:expr, $cond:expr) => {
                    if self.hook.traces() != HOOKED {
                        if $res == $cond {
                            jump_next!();
                        } else {
                            pc += 1;
                        }
                        save_pc!();
                        return Ok(Exit::Switch);
                    }
                };
            }
            macro_rules! jump_next {
                // Take the JMP that follows a test instruction.
                () => {{
                    // SAFETY: invariant 1: a test is followed by a JMP.
                    if let Op::Jmp { sbx } = unsafe { *code.add(pc) } {
                        pc = (pc as i64 + 1 + sbx as i64) as usize;
                        if sbx < 0 {
                            charge_jump!();
                        }
                    } else {
                        pc += 1;
                    }
                }};
            }

            loop {
                if HOOKED {
                    self.trace_instruction(fi, pc)?;
                    check_hooks!();
                }
                debug_assert!(pc < proto.code.len());
                // SAFETY: invariant 1 of the module doc.
                let op = unsafe { *code.add(pc) };
                pc += 1;
                match op {
                    Op::Move { a, b } => {
                        r!(a) = r!(b);
                    }
                    Op::LoadK { a, k: i } => {
                        r!(a) = kk!(i);
                    }
                    Op::LoadBool { a, value, skip } => {
                        r!(a) = Value::Boolean(value);
                        if skip {
                            pc += 1;
                        }
                    }
                    Op::LoadNil { a, b } => {
                        for i in a..=b {
                            r!(i) = Value::Nil;
                        }
                    }
                    Op::GetUpval { a, b } => {
                        // A reference is chosen, then the value copied
                        // once: choosing between values made the compiler
                        // carry the value across the join through a stack
                        // slot (or in pieces), in the path of every call
                        // through an upvalue (`fib`).
                        static NIL: Value = Value::Nil;
                        // SAFETY: invariants 4 and 5 of the module doc.
                        let u = unsafe { upvals.get_unchecked(b as usize) };
                        // SAFETY: as above.
                        let src = match unsafe { self.heap.upvalues().get_unchecked(u) } {
                            crate::objects::Upvalue::Closed(v) => v,
                            &crate::objects::Upvalue::Open { thread, index }
                                if thread == self.thread =>
                            {
                                self.stack.get(index as usize).unwrap_or(&NIL)
                            }
                            _ => {
                                let v = self.upval_get(u);
                                r!(a) = v;
                                continue;
                            }
                        };
                        let v = *src;
                        r!(a) = v;
                    }
                    Op::SetUpval { a, b } => {
                        let v = r!(a);
                        // SAFETY: invariants 4 and 5 of the module doc.
                        unsafe {
                            let u = upvals.get_unchecked(b as usize);
                            match self.heap.upvalues_mut().get_unchecked_mut(u) {
                                &mut crate::objects::Upvalue::Open { thread, index }
                                    if thread == self.thread =>
                                {
                                    if let Some(slot) = self.stack.get_mut(index as usize) {
                                        *slot = v;
                                    }
                                }
                                crate::objects::Upvalue::Open { .. } => self.upval_set(u, v),
                                slot => {
                                    *slot = crate::objects::Upvalue::Closed(v);
                                    self.heap.barrier_upval(u, v);
                                }
                            }
                        }
                    }
                    Op::GetGlobal { a, k: i } => {
                        if let Some(tab) = self.heap.table(env.table()) {
                            if str_index!(tab, ks!(i), a) {
                                continue;
                            }
                        }
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.index_named(Value::Table(env.table()), kk!(i), None)?;
                        r!(a) = v;
                        check_hooks!();
                    }
                    Op::SetGlobal { a, k: i } => {
                        let key = kk!(i);
                        let v = r!(a);
                        match self.heap.table_set_or_defer(env.table(), key, v) {
                            Ok(true) => continue,
                            Ok(false) => {}
                            Err(e) => {
                                save_pc!();
                                return Err(self.heap_error(e));
                            }
                        }
                        save_pc!();
                        self.top = ci_top!();
                        self.set_index_named(Value::Table(env.table()), key, v, None)?;
                        check_hooks!();
                    }
                    Op::GetTable { a, b, c } => {
                        if let Value::Table(tr) = *rref!(b) {
                            if let Some(tab) = self.heap.table(tr) {
                                // An integer key inside the array part is
                                // read here; anything else via `get_ref`.
                                let arr = tab.array();
                                let v = match *rref!(c) {
                                    Value::Number(n) => {
                                        match ferrous_heap::table::array_index(n, arr.len()) {
                                            Some(i) => &arr[i],
                                            None => tab.get_ref(rref!(c)),
                                        }
                                    }
                                    _ => tab.get_ref(rref!(c)),
                                };
                                if !v.is_nil() || tab.metatable().is_none() {
                                    r!(a) = *v;
                                    continue;
                                }
                            }
                        }
                        let (t, key) = (r!(b), r!(c));
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.index_named(t, key, Some(b as usize))?;
                        r!(a) = v;
                        check_hooks!();
                    }
                    Op::GetField { a, b, k: i } => {
                        if let Value::Table(tr) = *rref!(b) {
                            if let Some(tab) = self.heap.table(tr) {
                                if str_index!(tab, ks!(i), a) {
                                    continue;
                                }
                            }
                        }
                        let t = r!(b);
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.index_named(t, kk!(i), Some(b as usize))?;
                        r!(a) = v;
                        check_hooks!();
                    }
                    Op::GetTableK { a, b, k: i } => {
                        if let Value::Table(tr) = *rref!(b) {
                            if let Some(tab) = self.heap.table(tr) {
                                let v = tab.get_ref(kref!(i));
                                if !v.is_nil() || tab.metatable().is_none() {
                                    r!(a) = *v;
                                    continue;
                                }
                            }
                        }
                        let t = r!(b);
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.index_named(t, kk!(i), Some(b as usize))?;
                        r!(a) = v;
                        check_hooks!();
                    }
                    Op::SetTable { a, b, c } => store!(a, rk!(b), rk!(c)),
                    Op::SetTableR { a, b, c } => {
                        if let (Value::Table(tr), Value::Number(n)) = (*rref!(a), *rref!(b)) {
                            if self.heap.try_array_set(tr, n, rk!(c)) {
                                continue;
                            }
                        }
                        store!(a, r!(b), rk!(c))
                    }
                    Op::SetField { a, k: i, c } => {
                        if let Value::Table(tr) = *rref!(a) {
                            match self.heap.table_set_str_fast(tr, ks!(i), rref!(c)) {
                                Ok(true) => continue,
                                Ok(false) => {}
                                Err(e) => {
                                    save_pc!();
                                    return Err(self.heap_error(e));
                                }
                            }
                        }
                        store!(a, kk!(i), r!(c))
                    }
                    Op::NewTable { a, b, c } => {
                        save_pc!();
                        let t = self.new_table(fb2int(b) as usize, fb2int(c) as usize)?;
                        r!(a) = Value::Table(t);
                        if self.heap.gc_due() {
                            self.top = ci_top!();
                            self.gc_step()?;
                            check_hooks!();
                        }
                    }
                    Op::SelfOp { a, b, c } => {
                        let obj = r!(b);
                        r!(a + 1) = obj;
                        if let (Value::Table(tr), Rk::K(i)) = (obj, c.decode()) {
                            if let Some(tab) = self.heap.table(tr) {
                                if str_index!(tab, ks!(i), a) {
                                    continue;
                                }
                            }
                        } else if let Rk::K(i) = c.decode() {
                            // A method of a string (`s:sub(i, j)`) or of a
                            // userdata: the metatable's `__index` is a table
                            // (the string library, the type's method table),
                            // read directly. A miss or any other handler takes
                            // the general path, which starts over.
                            let mt = match obj {
                                Value::String(_) => {
                                    self.type_mt
                                        [crate::state::type_index(ferrous_value::Type::String)]
                                }
                                Value::Userdata(u) => {
                                    self.heap.userdata(u).and_then(|ud| ud.metatable())
                                }
                                _ => None,
                            };
                            if let Some(mt) = mt {
                                let h = self.heap.metamethod(mt, ferrous_heap::Tm::Index);
                                if let Some(tab) = h.as_table().and_then(|t| self.heap.table(t)) {
                                    let v = tab.get_str_ref(ks!(i));
                                    if !v.is_nil() {
                                        r!(a) = *v;
                                        continue;
                                    }
                                }
                            }
                        }
                        let key = rk!(c);
                        save_pc!();
                        self.top = ci_top!();
                        let v = self.index_named(obj, key, Some(b as usize))?;
                        r!(a) = v;
                        check_hooks!();
                    }
                    Op::AddRR { a, b, c } => arith_rr!(a, b, c, ArithOp::Add, |x, y| x + y),
                    Op::SubRR { a, b, c } => arith_rr!(a, b, c, ArithOp::Sub, |x, y| x - y),
                    Op::MulRR { a, b, c } => arith_rr!(a, b, c, ArithOp::Mul, |x, y| x * y),
                    Op::DivRR { a, b, c } => arith_rr!(a, b, c, ArithOp::Div, |x, y| x / y),
                    Op::ModRR { a, b, c } => arith_rr!(a, b, c, ArithOp::Mod, crate::meta::lua_mod),
                    Op::PowRR { a, b, c } => {
                        arith_rr!(a, b, c, ArithOp::Pow, |x: f64, y: f64| x.powf(y))
                    }
                    Op::AddRK { a, b, c } => arith_rk!(a, b, c, ArithOp::Add, |x, y| x + y),
                    Op::SubRK { a, b, c } => arith_rk!(a, b, c, ArithOp::Sub, |x, y| x - y),
                    Op::MulRK { a, b, c } => arith_rk!(a, b, c, ArithOp::Mul, |x, y| x * y),
                    Op::DivRK { a, b, c } => arith_rk!(a, b, c, ArithOp::Div, |x, y| x / y),
                    Op::ModRK { a, b, c } => arith_rk!(a, b, c, ArithOp::Mod, crate::meta::lua_mod),
                    Op::PowRK { a, b, c } => {
                        arith_rk!(a, b, c, ArithOp::Pow, |x: f64, y: f64| x.powf(y))
                    }
                    Op::AddKR { a, b, c } => arith_kr!(a, b, c, ArithOp::Add, |x, y| x + y),
                    Op::SubKR { a, b, c } => arith_kr!(a, b, c, ArithOp::Sub, |x, y| x - y),
                    Op::MulKR { a, b, c } => arith_kr!(a, b, c, ArithOp::Mul, |x, y| x * y),
                    Op::DivKR { a, b, c } => arith_kr!(a, b, c, ArithOp::Div, |x, y| x / y),
                    Op::ModKR { a, b, c } => arith_kr!(a, b, c, ArithOp::Mod, crate::meta::lua_mod),
                    Op::PowKR { a, b, c } => {
                        arith_kr!(a, b, c, ArithOp::Pow, |x: f64, y: f64| x.powf(y))
                    }
                    Op::Arith { op, a, b, c } => {
                        let x = rk!(b);
                        let y = rk!(c);
                        if let (Value::Number(x), Value::Number(y)) = (x, y) {
                            Value::set_number(&mut r!(a), op.apply(x, y));
                        } else {
                            save_pc!();
                            self.top = ci_top!();
                            let v = self.arith_slow(op, x, y, reg_of!(b), reg_of!(c))?;
                            r!(a) = v;
                            check_hooks!();
                        }
                    }
                    Op::Unm { a, b } => {
                        let x = r!(b);
                        if let Value::Number(x) = x {
                            Value::set_number(&mut r!(a), -x);
                        } else {
                            save_pc!();
                            self.top = ci_top!();
                            let v = self.unm_slow(x, Some(b as usize))?;
                            r!(a) = v;
                            check_hooks!();
                        }
                    }
                    Op::Not { a, b } => {
                        let v = r!(b).is_falsy();
                        r!(a) = Value::Boolean(v);
                    }
                    Op::Len { a, b } => {
                        let x = r!(b);
                        let v = match x {
                            Value::Table(t) => match self.heap.table(t) {
                                Some(tab) => Value::Number(tab.border() as i64 as f64),
                                None => Value::Number(0.0),
                            },
                            Value::String(s) => {
                                Value::Number(self.str_bytes(s).len() as i64 as f64)
                            }
                            _ => {
                                save_pc!();
                                self.top = ci_top!();
                                let v = self.len_of(x, Some(b as usize))?;
                                r!(a) = v;
                                check_hooks!();
                                continue;
                            }
                        };
                        r!(a) = v;
                    }
                    Op::Concat { a, b, c } => {
                        save_pc!();
                        self.top = ci_top!();
                        self.concat(base + b as usize, base + c as usize, base)?;
                        r!(a) = r!(b);
                        if self.heap.gc_due() {
                            self.gc_step()?;
                        }
                        check_hooks!();
                    }
                    Op::Jmp { sbx } => {
                        pc = (pc as i64 + sbx as i64) as usize;
                        if sbx < 0 {
                            charge_jump!();
                        }
                    }
                    Op::Eq { cond, b, c } => equal!(rk!(b), rk!(c), cond),
                    Op::Lt { cond, b, c } => order!(&rk!(b), &rk!(c), cond, <, less_than),
                    Op::Le { cond, b, c } => order!(&rk!(b), &rk!(c), cond, <=, less_equal),
                    Op::EqRR { cond, b, c } => equal!(r!(b), r!(c), cond),
                    Op::EqRK { cond, b, c } => {
                        if (r!(b) == kk!(c)) == cond {
                            jump_next!();
                        } else {
                            pc += 1;
                        }
                    }
                    Op::LtRR { cond, b, c } => order!(rref!(b), rref!(c), cond, <, less_than),
                    Op::LtRK { cond, b, c } => order!(rref!(b), kref!(c), cond, <, less_than),
                    Op::LtKR { cond, b, c } => order!(kref!(b), rref!(c), cond, <, less_than),
                    Op::LeRR { cond, b, c } => order!(rref!(b), rref!(c), cond, <=, less_equal),
                    Op::LeRK { cond, b, c } => order!(rref!(b), kref!(c), cond, <=, less_equal),
                    Op::LeKR { cond, b, c } => order!(kref!(b), rref!(c), cond, <=, less_equal),
                    Op::Test { a, cond } => {
                        if r!(a).is_truthy() == cond {
                            jump_next!();
                        } else {
                            pc += 1;
                        }
                    }
                    Op::TestSet { a, b, cond } => {
                        let v = r!(b);
                        if v.is_truthy() == cond {
                            r!(a) = v;
                            jump_next!();
                        } else {
                            pc += 1;
                        }
                    }
                    Op::Call { a, b, c } => {
                        let func = base + a as usize;
                        if b != 0 {
                            self.top = func + b as usize;
                        }
                        save_pc!();
                        charge!();
                        // Fast path: a Lua closure (no __call, no native).
                        // The loop switches to the callee directly, with
                        // the state it already holds, instead of
                        // reloading it from the frame just pushed.
                        let mut native_done = false;
                        if let Value::Function(f) = r!(a) {
                            // One lookup of the callee for both kinds.
                            let callee = self.heap.functions().get(f);
                            if let Some(Function::Native(nc)) = callee {
                                if matches!(nc.f, Native::Yield)
                                    && self.can_yield()
                                    && self.hook.mask == 0
                                {
                                    // coroutine.yield called from Lua: the
                                    // loop yields by itself. Its frame stays,
                                    // as a C function's does in Lua 5.1
                                    // (tracebacks of the suspended coroutine
                                    // show it); resume pops it and delivers
                                    // the results to this CALL.
                                    self.push_frame_with(
                                        func,
                                        func + 1,
                                        c as i32 - 1,
                                        TableRef::default(),
                                        f,
                                        None,
                                        ferrous_heap::UpvalListPtr::EMPTY,
                                    );
                                    return Ok(Exit::Yield);
                                }
                                if matches!(nc.f, Native::Resume | Native::Wrap)
                                    && self.hook.mask == 0
                                {
                                    let wrap = nc.upvals.first().copied();
                                    self.call_resume(func, f, wrap, c as i32 - 1)?;
                                } else {
                                    let nf = nc.f.clone();
                                    self.call_native_with(func, f, nf, c as i32 - 1)?;
                                }
                                native_done = true;
                            } else if let Some(Function::Lua(cl)) = callee {
                                let p = crate::state::FrameProto::of(&cl.proto);
                                let e = cl.env;
                                let callee_upvals = cl.upvals.as_ptr();
                                let pptr: *const LuaProto = &*p;
                                // (The new frame's index as the push
                                // computed it: reloading the length just
                                // stored would wait on that store.)
                                let (nb, nfi) = self.enter_lua::<HOOKED>(
                                    func,
                                    f,
                                    p,
                                    callee_upvals,
                                    e,
                                    c as i32 - 1,
                                )?;
                                fi = nfi;
                                switch_to!(pptr, callee_upvals, nb, e);
                                // Without hooks no code ran here that could
                                // set one (a call hook is the only code).
                                if HOOKED {
                                    check_hooks!();
                                }
                                continue;
                            }
                        }
                        if !native_done && self.precall(func, c as i32 - 1)? {
                            continue 'newframe;
                        }
                        if c != 0 {
                            self.top = ci_top!();
                        }
                        check_hooks!();
                        if self.frames[fi].env_epoch != self.env_epoch {
                            env = EnvWord::of(self.fn_env(closure!()));
                            self.frames[fi].env = env;
                            self.frames[fi].env_epoch = self.env_epoch;
                        }
                        if self.heap.gc_due() {
                            let t = self.top;
                            self.top = t.max(ci_top!());
                            self.gc_step()?;
                            self.top = t;
                            check_hooks!();
                        }
                    }
                    Op::TailCall { a, b } => {
                        let func = base + a as usize;
                        if b != 0 {
                            self.top = func + b as usize;
                        }
                        save_pc!();
                        charge!();
                        // Fast path: a Lua callee with fixed parameters
                        // takes this frame over in place, and the loop
                        // switches to it with the state it already holds
                        // (as CALL's fast path does), instead of reloading
                        // it from the frame.
                        if !HOOKED || self.hook.mask & crate::debug::MASK_CALL == 0 {
                            if let Value::Function(f) = r!(a) {
                                if let Some(Function::Lua(cl)) = self.heap.functions().get(f) {
                                    if cl.proto.is_vararg
                                        & ferrous_compiler::bytecode::vararg::IS_VARARG
                                        == 0
                                    {
                                        let p = crate::state::FrameProto::of(&cl.proto);
                                        let e = cl.env;
                                        let ups = cl.upvals.as_ptr();
                                        let pptr: *const LuaProto = &*p;
                                        // `None`: not the last frame; the
                                        // general path below.
                                        if let Some(nb) =
                                            self.tail_in_place(fi, func, f, p, ups, e)?
                                        {
                                            switch_to!(pptr, ups, nb, e);
                                            continue;
                                        }
                                    }
                                }
                            }
                        }
                        if self.tailcall(fi, func)? {
                            continue 'newframe;
                        }
                        // A native callee ran; the RETURN that follows
                        // returns its results.
                        check_hooks!();
                        if self.frames[fi].env_epoch != self.env_epoch {
                            env = EnvWord::of(self.fn_env(closure!()));
                            self.frames[fi].env = env;
                            self.frames[fi].env_epoch = self.env_epoch;
                        }
                    }
                    Op::Return { a, b } => {
                        let first = base + a as usize;
                        let n = if b == 0 {
                            self.top.saturating_sub(first)
                        } else {
                            b as usize - 1
                        };
                        if HOOKED && self.hook.mask & crate::debug::MASK_RET != 0 {
                            save_pc!();
                            let saved = self.top;
                            self.top = self.top.max(first + n);
                            self.return_hooks(fi)?;
                            self.top = saved;
                        }
                        if let Some(&(idx, _)) = self.open_upvals.last() {
                            if idx as usize >= base {
                                self.close_upvals(base);
                            }
                        }
                        let frame = match self.frames.pop() {
                            Some(f) => f,
                            None => return Ok(Exit::Done),
                        };
                        // The frames left, read here while the compiler
                        // still holds the count the pop stored: read after
                        // the result stores below it came back from memory,
                        // waiting on that store.
                        let left = self.frames.len();
                        let dst = frame.func;
                        let w = frame.nresults as usize;
                        if frame.nresults >= 0
                            && dst + w <= self.stack.len()
                            && first + n <= self.stack.len()
                        {
                            // Fixed results into fixed slots: copy inline,
                            // then pad with nils. (Two loops: one loop
                            // choosing between a copy and nil makes the
                            // compiler move each value in pieces.)
                            let m = n.min(w);
                            for i in 0..m {
                                // SAFETY: both ranges were checked above.
                                unsafe {
                                    let v = *self.stack.get_unchecked(first + i);
                                    *self.stack.get_unchecked_mut(dst + i) = v;
                                }
                            }
                            for i in m..w {
                                // SAFETY: as above.
                                unsafe {
                                    *self.stack.get_unchecked_mut(dst + i) = Value::Nil;
                                }
                            }
                            self.top = dst + w;
                        } else if frame.nresults < 0 && dst < first && first + n <= self.stack.len()
                        {
                            // All results wanted: they move down, in order
                            // (`dst < first`), to slots that exist.
                            for i in 0..n {
                                // SAFETY: `dst + i < first + i < stack.len()`.
                                unsafe {
                                    let v = *self.stack.get_unchecked(first + i);
                                    *self.stack.get_unchecked_mut(dst + i) = v;
                                }
                            }
                            self.top = dst + n;
                        } else {
                            self.place_results(frame.func, first, n, frame.nresults)?;
                        }
                        if left <= stop {
                            return Ok(Exit::Done);
                        }
                        // Back in the calling Lua frame, whose state the
                        // loop takes over here (what `'newframe` does, with
                        // fewer reloads): a fixed number of results restores
                        // its top.
                        let cfi = left - 1;
                        // SAFETY: `frames.len() > stop >= 0`, checked above.
                        let cf = unsafe { self.frames.get_unchecked(cfi) };
                        let Some(cp) = cf.proto else {
                            continue 'newframe;
                        };
                        // SAFETY: invariant 3: the caller's frame is alive.
                        proto = unsafe { &*(&*cp as *const LuaProto) };
                        fi = cfi;
                        base = cf.base;
                        pc = cf.pc;
                        let stale = cf.env_epoch != self.env_epoch;
                        env = cf.env;
                        upvals = cf.upvals;
                        code = proto.code.as_ptr();
                        k = proto.consts.as_ptr();
                        kstr = proto.kstr.as_ptr();
                        if frame.nresults >= 0 {
                            self.top = ci_top!();
                        }
                        if stale {
                            env = EnvWord::of(self.fn_env(closure!()));
                            self.frames[fi].env = env;
                            self.frames[fi].env_epoch = self.env_epoch;
                        }
                        // Only the return hook can have run code here.
                        if HOOKED {
                            check_hooks!();
                        }
                        continue;
                    }
                    Op::ForLoop { a, sbx } => {
                        let next = match (rref!(a), rref!(a + 1), rref!(a + 2)) {
                            (Value::Number(idx), Value::Number(limit), Value::Number(step)) => {
                                let idx = *idx + *step;
                                let go = if *step > 0.0 {
                                    idx <= *limit
                                } else {
                                    *limit <= idx
                                };
                                Some(if go { Some(idx) } else { None })
                            }
                            _ => None,
                        };
                        match next {
                            Some(Some(idx)) => {
                                pc = (pc as i64 + sbx as i64) as usize;
                                Value::set_number(&mut r!(a), idx);
                                Value::set_number(&mut r!(a + 3), idx);
                                charge_jump!();
                            }
                            Some(None) => {}
                            None => {
                                save_pc!();
                                return Err(self.rt_error("'for' loop variables must be numbers"));
                            }
                        }
                    }
                    Op::ForPrep { a, sbx } => {
                        let (vi, vl, vs) = (r!(a), r!(a + 1), r!(a + 2));
                        let init = self.to_number(vi);
                        let limit = self.to_number(vl);
                        let step = self.to_number(vs);
                        let (init, limit, step) = match (init, limit, step) {
                            (Some(i), Some(l), Some(s)) => (i, l, s),
                            (None, _, _) => {
                                save_pc!();
                                return Err(self.rt_error("'for' initial value must be a number"));
                            }
                            (_, None, _) => {
                                save_pc!();
                                return Err(self.rt_error("'for' limit must be a number"));
                            }
                            _ => {
                                save_pc!();
                                return Err(self.rt_error("'for' step must be a number"));
                            }
                        };
                        r!(a) = Value::Number(init - step);
                        r!(a + 1) = Value::Number(limit);
                        r!(a + 2) = Value::Number(step);
                        pc = (pc as i64 + sbx as i64) as usize;
                    }
                    Op::TForLoop { a, c } => {
                        let cb = base + a as usize + 3;
                        self.ensure_stack(cb + 3)?;
                        self.stack[cb] = self.stack[cb - 3];
                        self.stack[cb + 1] = self.stack[cb - 2];
                        self.stack[cb + 2] = self.stack[cb - 1];
                        self.top = cb + 3;
                        save_pc!();
                        // A native iterator (next, a coroutine.wrap
                        // function, ...) is called directly: what call_at
                        // does for it (charge, count the Rust-level call,
                        // precall's dispatch) without the detour.
                        let mut called = false;
                        if let Value::Function(f) = self.stack[cb] {
                            if let Some(Function::Native(nc)) = self.heap.functions().get(f) {
                                // `pairs` and `ipairs` step in place (no hook
                                // can see the call it would have been, and
                                // it would not overflow the C stack).
                                if let (Native::Fn(nf), Value::Table(t), 0, true) = (
                                    &nc.f,
                                    self.stack[cb + 1],
                                    self.hook.mask,
                                    self.c_depth + 1 < crate::state::MAX_C_CALLS,
                                ) {
                                    if self.iter_step(*nf, t, cb, c as usize)? {
                                        called = true;
                                    }
                                }
                            }
                        }
                        if called {
                            // Stepped in place.
                        } else if let Value::Function(f) = self.stack[cb] {
                            if let Some(Function::Native(nc)) = self.heap.functions().get(f) {
                                if self.c_depth + 1 < crate::state::MAX_C_CALLS {
                                    let nf = nc.f.clone();
                                    self.budget -= 1;
                                    if self.budget <= 0 {
                                        self.budget_exhausted()?;
                                    }
                                    self.c_depth += 1;
                                    let r = self.call_native_with(cb, f, nf, c as i32);
                                    self.c_depth -= 1;
                                    r?;
                                    called = true;
                                }
                            }
                        }
                        if !called {
                            self.call_at(cb, c as i32)?;
                        }
                        self.top = ci_top!();
                        check_hooks!();
                        if self.frames[fi].env_epoch != self.env_epoch {
                            env = EnvWord::of(self.fn_env(closure!()));
                            self.frames[fi].env = env;
                            self.frames[fi].env_epoch = self.env_epoch;
                        }
                        // Test and copy in place: a copy through a local is
                        // split into pieces whose reload stalls (see
                        // `Table::get_ref`).
                        if !self.stack[cb].is_nil() {
                            self.stack[cb - 1] = self.stack[cb];
                            jump_next!();
                        } else {
                            pc += 1;
                        }
                    }
                    Op::SetList { a, b, c } => {
                        // `black_box`: otherwise `base + 1` became a value
                        // the loop carried (and stored at its join points)
                        // for this rare instruction.
                        let from = std::hint::black_box(base) + a as usize + 1;
                        let n = if b == 0 {
                            self.top.saturating_sub(from)
                        } else {
                            b as usize
                        };
                        if let Value::Table(t) = r!(a) {
                            let start = (c as i64 - 1) * FIELDS_PER_FLUSH as i64 + 1;
                            let r = self
                                .heap
                                .table_set_list(t, start, &self.stack[from..from + n]);
                            if let Err(e) = r {
                                save_pc!();
                                return Err(self.heap_error(e));
                            }
                        }
                        self.top = ci_top!();
                    }
                    Op::Close { a } => {
                        self.close_upvals(base + a as usize);
                    }
                    Op::Closure { a, p } => {
                        save_pc!();
                        let child = proto.protos[p as usize].clone();
                        let nups = child.upvals.len();
                        let f = self.make_closure(child, base, closure!(), env.table())?;
                        r!(a) = Value::Function(f);
                        pc += nups;
                        if self.heap.gc_due() {
                            self.top = ci_top!();
                            self.gc_step()?;
                            check_hooks!();
                        }
                    }
                    Op::VarArg { a, b } => {
                        let func = self.frames[fi].func;
                        let nvar = base.saturating_sub(func + 1 + proto.num_params as usize);
                        let dst = base + a as usize;
                        if b == 0 {
                            save_pc!();
                            self.ensure_stack(dst + nvar)?;
                            for j in 0..nvar {
                                self.stack[dst + j] = self.stack[base - nvar + j];
                            }
                            self.top = dst + nvar;
                        } else {
                            for j in 0..(b as usize - 1) {
                                self.stack[dst + j] = if j < nvar {
                                    self.stack[base - nvar + j]
                                } else {
                                    Value::Nil
                                };
                            }
                        }
                    }
                    Op::UpvalDesc => {}
                }
            }
        }
    }

    /// A tail call from frame `fi` of the function at `func`. Returns true
    /// when a Lua callee replaced the frame (run it), false when a native
    /// callee already ran (its results are at `func..top`).
    fn tailcall(&mut self, fi: usize, func: usize) -> LuaResult<bool> {
        // Resolve __call first, so the callee is known: the handler takes
        // the callee's place (arguments shift up by one) and is then
        // tail-called like any function, as in Lua 5.1, so a chain of
        // `return self()` through __call uses neither frames nor Rust stack.
        if !matches!(self.stack[func], Value::Function(_)) {
            let callee = self.stack[func];
            self.call_metamethod(func, callee)?;
        }
        let Value::Function(f) = self.stack[func] else {
            return Ok(false);
        };
        let (proto, ups, env) = match self.heap.functions().get(f) {
            Some(Function::Lua(c)) => (
                crate::state::FrameProto::of(&c.proto),
                c.upvals.as_ptr(),
                c.env,
            ),
            _ => {
                self.call_native(func, f, -1)?;
                return Ok(false);
            }
        };
        let cur_base = self.frames[fi].base;
        if let Some(&(idx, _)) = self.open_upvals.last() {
            if idx as usize >= cur_base {
                self.close_upvals(cur_base);
            }
        }
        if self.hook.mask & crate::debug::MASK_CALL != 0 {
            return self.tailcall_hooked(fi, func, f, proto, ups);
        }
        if fi + 1 == self.frames.len()
            && proto.is_vararg & ferrous_compiler::bytecode::vararg::IS_VARARG == 0
        {
            if self.tail_in_place(fi, func, f, proto, ups, env)?.is_some() {
                return Ok(true);
            }
        }
        let frame = match self.frames.pop() {
            Some(f) => f,
            None => return Ok(false),
        };
        let dst = frame.func;
        let n = self.top - func;
        for i in 0..n {
            self.stack[dst + i] = self.stack[func + i];
        }
        self.top = dst + n;
        self.enter_lua::<true>(dst, f, proto, ups, env, frame.nresults)?;
        if let Some(last) = self.frames.last_mut() {
            last.tailcalls = frame.tailcalls.saturating_add(1);
        }
        Ok(true)
    }
}

impl Vm {
    /// The common tail call, done in place: the Lua callee `f` at `func`
    /// (fixed parameters, no call hook) takes frame `fi` over, laid out as
    /// `enter_lua` would lay it out after the frame was popped, when `fi`
    /// is the last frame (`None`, nothing done, when it is not). Closes
    /// the frame's open upvalues first. Returns the new base.
    #[inline(always)]
    fn tail_in_place(
        &mut self,
        fi: usize,
        func: usize,
        f: ferrous_value::FnRef,
        proto: crate::state::FrameProto,
        ups: ferrous_heap::UpvalListPtr,
        env: TableRef,
    ) -> LuaResult<Option<usize>> {
        // `black_box`: computed in the loop, `fi + 1` became a value the
        // loop kept (and spilled) across its join points, which cost every
        // other instruction.
        if std::hint::black_box(fi) + 1 != self.frames.len() {
            return Ok(None);
        }
        let cur_base = self.frames[fi].base;
        if let Some(&(idx, _)) = self.open_upvals.last() {
            if idx as usize >= cur_base {
                self.close_upvals(cur_base);
            }
        }
        let dst = self.frames[fi].func;
        let n = self.top - func;
        let base = dst + 1;
        let end = base + proto.max_stack as usize;
        self.ensure_stack(end.max(func + n))?;
        // The callee and its arguments move down (`dst < func`), one
        // value at a time: a few values, where `memmove`'s call cost more.
        debug_assert!(dst < func && func + n <= self.stack.len());
        for i in 0..n {
            // SAFETY: `dst + i < func + i < func + n <= stack.len()`
            // (ensure_stack above).
            unsafe {
                let v = *self.stack.get_unchecked(func + i);
                *self.stack.get_unchecked_mut(dst + i) = v;
            }
        }
        let mut i = (dst + n).max(base).min(base + proto.num_params as usize);
        while i < end {
            // SAFETY: `i < end <= stack.len()` (ensure_stack above).
            debug_assert!(i < self.stack.len());
            unsafe { *self.stack.get_unchecked_mut(i) = Value::Nil };
            i += 1;
        }
        self.top = end;
        let epoch = self.env_epoch;
        let frame = &mut self.frames[fi];
        frame.base = base;
        frame.pc = 0;
        frame.tailcalls = frame.tailcalls.saturating_add(1);
        frame.env = EnvWord::of(env);
        frame.env_epoch = epoch;
        frame.closure = f;
        frame.proto = Some(proto);
        frame.upvals = ups;
        Ok(Some(base))
    }

    /// A Lua tail call while a call hook is set, in Lua 5.1's order: the
    /// callee's frame is entered above the caller's (so the hook sees the
    /// caller and its TAILCALL), then moved down over it.
    #[cold]
    fn tailcall_hooked(
        &mut self,
        fi: usize,
        func: usize,
        f: ferrous_value::FnRef,
        proto: crate::state::FrameProto,
        ups: ferrous_heap::UpvalListPtr,
    ) -> LuaResult<bool> {
        let env = match self.heap.functions().get(f) {
            Some(func) => func.env(),
            None => self.globals,
        };
        self.enter_lua::<true>(func, f, proto, ups, env, -1)?;
        let Some(mut new) = self.frames.pop() else {
            return Ok(false);
        };
        let Some(old) = self.frames.pop() else {
            return Ok(false);
        };
        debug_assert_eq!(self.frames.len(), fi);
        let delta = new.func - old.func;
        let end = self.top;
        for i in new.func..end {
            self.stack[i - delta] = self.stack[i];
        }
        self.top = end - delta;
        new.func = old.func;
        new.base -= delta;
        new.nresults = old.nresults;
        new.tailcalls = old.tailcalls.saturating_add(1);
        self.frames.push(new);
        Ok(true)
    }
}

impl Vm {
    /// One step of a `pairs` or `ipairs` loop, done in place when the
    /// iterator `f` is the base library's `next` or `ipairs`'s iterator
    /// and its state is table `t`: the loop's `c` results (key and value,
    /// or nil at the end) are written from `cb` and the step is charged
    /// like the call it replaces. `false`, with nothing written or
    /// charged, for any other iterator and for every case in which the
    /// call would raise an error (a key `next` does not know, a control
    /// value that is not a number): the call then runs and raises it.
    #[inline]
    fn iter_step(
        &mut self,
        f: crate::objects::NativeFn,
        t: TableRef,
        cb: usize,
        c: usize,
    ) -> LuaResult<bool> {
        let is_next = std::ptr::fn_addr_eq(f, crate::state::lib_next as crate::objects::NativeFn);
        if !is_next
            && !std::ptr::fn_addr_eq(f, crate::state::lib_ipairs_aux as crate::objects::NativeFn)
        {
            return Ok(false);
        }
        let Some(tab) = self.heap.table(t) else {
            return Ok(false);
        };
        let mut key = Value::Nil;
        let value;
        if is_next {
            match tab.next_pos(&self.stack[cb + 2]) {
                Ok(Some(pos)) => {
                    if tab.pos_in_array(pos) {
                        Value::set_number(&mut key, (pos + 1) as i64 as f64);
                    } else {
                        key = tab.entry_key(pos);
                    }
                    value = *tab.entry_value(pos);
                }
                Ok(None) => value = Value::Nil,
                Err(_) => return Ok(false),
            }
        } else {
            let Value::Number(x) = self.stack[cb + 2] else {
                return Ok(false);
            };
            let i = crate::state::num_to_integer(x) as i32 as i64 + 1;
            let v = *tab.get_int_ref(i);
            if !v.is_nil() {
                Value::set_number(&mut key, i as f64);
            }
            value = v;
        }
        self.budget -= 1;
        if self.budget <= 0 {
            self.budget_exhausted()?;
        }
        self.stack[cb] = key;
        if c >= 2 {
            self.stack[cb + 1] = value;
        }
        for j in 2..c {
            self.stack[cb + j] = Value::Nil;
        }
        Ok(true)
    }
}
