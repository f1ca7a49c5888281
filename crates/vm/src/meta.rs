//! Metamethods and the slow paths of the interpreter: indexing with
//! `__index`/`__newindex` chains, arithmetic with coercion, comparison,
//! length and concatenation, each with Lua 5.1's rules and messages.
//!
//! `reg` arguments name the register an operand came from, so errors can
//! say "local 'x'"; `None` for constants and values not in a register.

use ferrous_heap::Tm;
use ferrous_value::{number, Value};

use crate::error::LuaResult;
use crate::ops::ArithOp;
use crate::state::Vm;

/// Lua 5.1's MAXTAGLOOP: longest `__index`/`__newindex` chain.
pub(crate) const MAX_TAG_LOOP: usize = 100;

impl ArithOp {
    pub(crate) fn tm(self) -> Tm {
        match self {
            ArithOp::Add => Tm::Add,
            ArithOp::Sub => Tm::Sub,
            ArithOp::Mul => Tm::Mul,
            ArithOp::Div => Tm::Div,
            ArithOp::Mod => Tm::Mod,
            ArithOp::Pow => Tm::Pow,
        }
    }

    /// The operation on numbers, as Lua 5.1 defines it.
    #[inline(always)]
    pub(crate) fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            ArithOp::Add => a + b,
            ArithOp::Sub => a - b,
            ArithOp::Mul => a * b,
            ArithOp::Div => a / b,
            ArithOp::Mod => lua_mod(a, b),
            ArithOp::Pow => a.powf(b),
        }
    }
}

/// `a % b` as Lua 5.1 computes it: `a - floor(a/b)*b`.
#[inline(always)]
pub fn lua_mod(a: f64, b: f64) -> f64 {
    a - number::floor(a / b) * b
}

impl Vm {
    /// Calls metamethod `f` with `args` and returns its first result.
    pub(crate) fn call_tm1(&mut self, f: Value, args: &[Value]) -> LuaResult<Value> {
        let base = self.top;
        self.push(f)?;
        for &a in args {
            self.push(a)?;
        }
        self.call_at(base, 1)?;
        let v = self.stack[base];
        self.top = base;
        Ok(v)
    }

    /// Calls metamethod `f` with `args`, discarding results.
    pub(crate) fn call_tm0(&mut self, f: Value, args: &[Value]) -> LuaResult<()> {
        let base = self.top;
        self.push(f)?;
        for &a in args {
            self.push(a)?;
        }
        self.call_at(base, 0)?;
        self.top = base;
        Ok(())
    }

    /// `t[k]` with `__index` (Lua 5.1's luaV_gettable).
    pub fn index(&mut self, t: Value, k: Value) -> LuaResult<Value> {
        self.index_named(t, k, None)
    }

    pub(crate) fn index_named(
        &mut self,
        mut t: Value,
        k: Value,
        reg: Option<usize>,
    ) -> LuaResult<Value> {
        for i in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(tr) = t {
                let (v, mt) = match self.heap.table(tr) {
                    Some(tab) => (tab.get(&k), tab.metatable()),
                    None => (Value::Nil, None),
                };
                if !v.is_nil() {
                    return Ok(v);
                }
                let Some(mt) = mt else { return Ok(Value::Nil) };
                let tm = self.heap.metamethod(mt, Tm::Index);
                if tm.is_nil() {
                    return Ok(Value::Nil);
                }
                tm
            } else {
                let tm = self.metamethod(t, Tm::Index);
                if tm.is_nil() {
                    return Err(self.type_error(t, if i == 0 { reg } else { None }, "index"));
                }
                tm
            };
            if let Value::Function(_) = tm {
                return self.call_tm1(tm, &[t, k]);
            }
            t = tm;
        }
        Err(self.rt_error("loop in gettable"))
    }

    /// `t[k] = v` with `__newindex` (Lua 5.1's luaV_settable).
    pub fn set_index(&mut self, t: Value, k: Value, v: Value) -> LuaResult<()> {
        self.set_index_named(t, k, v, None)
    }

    pub(crate) fn set_index_named(
        &mut self,
        mut t: Value,
        k: Value,
        v: Value,
        reg: Option<usize>,
    ) -> LuaResult<()> {
        for i in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(tr) = t {
                // Lua 5.1 inserts the key before looking at __newindex, so a
                // nil or NaN key fails even when a metamethod exists.
                match k {
                    Value::Nil => return Err(self.rt_error("table index is nil")),
                    Value::Number(n) if n.is_nan() => {
                        return Err(self.rt_error("table index is NaN"))
                    }
                    _ => {}
                }
                let (old, mt) = match self.heap.table(tr) {
                    Some(tab) => (tab.get(&k), tab.metatable()),
                    None => (Value::Nil, None),
                };
                let tm = match mt {
                    Some(mt) if old.is_nil() => self.heap.metamethod(mt, Tm::NewIndex),
                    _ => Value::Nil,
                };
                if tm.is_nil() {
                    return self.raw_set(tr, k, v);
                }
                tm
            } else {
                let tm = self.metamethod(t, Tm::NewIndex);
                if tm.is_nil() {
                    return Err(self.type_error(t, if i == 0 { reg } else { None }, "index"));
                }
                tm
            };
            if let Value::Function(_) = tm {
                return self.call_tm0(tm, &[t, k, v]);
            }
            t = tm;
        }
        Err(self.rt_error("loop in settable"))
    }

    /// Arithmetic on non-numbers: string coercion, then metamethods.
    pub(crate) fn arith_slow(
        &mut self,
        op: ArithOp,
        a: Value,
        b: Value,
        ra: Option<usize>,
        rb: Option<usize>,
    ) -> LuaResult<Value> {
        if let (Some(x), Some(y)) = (self.to_number(a), self.to_number(b)) {
            return Ok(Value::Number(op.apply(x, y)));
        }
        let mut tm = self.metamethod(a, op.tm());
        if tm.is_nil() {
            tm = self.metamethod(b, op.tm());
        }
        if !tm.is_nil() {
            return self.call_tm1(tm, &[a, b]);
        }
        // Blame the first operand that is not a number.
        let (bad, reg) = if self.to_number(a).is_none() {
            (a, ra)
        } else {
            (b, rb)
        };
        Err(self.type_error(bad, reg, "perform arithmetic on"))
    }

    /// Unary minus on a non-number.
    pub(crate) fn unm_slow(&mut self, a: Value, reg: Option<usize>) -> LuaResult<Value> {
        if let Some(x) = self.to_number(a) {
            return Ok(Value::Number(-x));
        }
        let tm = self.metamethod(a, Tm::Unm);
        if !tm.is_nil() {
            return self.call_tm1(tm, &[a, a]);
        }
        Err(self.type_error(a, reg, "perform arithmetic on"))
    }

    /// The length operator.
    pub(crate) fn len_of(&mut self, a: Value, reg: Option<usize>) -> LuaResult<Value> {
        match a {
            Value::String(s) => Ok(Value::Number(self.str_bytes(s).len() as f64)),
            Value::Table(t) => Ok(Value::Number(
                self.heap.table(t).map_or(0, |t| t.border()) as f64
            )),
            _ => {
                let tm = self.metamethod(a, Tm::Len);
                if tm.is_nil() {
                    return Err(self.type_error(a, reg, "get length of"));
                }
                self.call_tm1(tm, &[a, Value::Nil])
            }
        }
    }

    /// The `__eq` handler shared by two values' metatables, if any.
    fn eq_metamethod(&self, a: Value, b: Value) -> Value {
        let (Some(m1), Some(m2)) = (self.metatable_of(a), self.metatable_of(b)) else {
            return Value::Nil;
        };
        let tm1 = self.heap.metamethod(m1, Tm::Eq);
        if tm1.is_nil() {
            return Value::Nil;
        }
        if m1 == m2 {
            return tm1;
        }
        let tm2 = self.heap.metamethod(m2, Tm::Eq);
        if tm1 == tm2 {
            tm1
        } else {
            Value::Nil
        }
    }

    /// `a == b` (Lua 5.1's luaV_equalval).
    #[inline]
    pub fn equals(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Table(x), Value::Table(y)) if x != y => self.eq_slow(a, b),
            (Value::Userdata(x), Value::Userdata(y)) if x != y => self.eq_slow(a, b),
            _ => Ok(a == b),
        }
    }

    #[cold]
    fn eq_slow(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        let tm = self.eq_metamethod(a, b);
        if tm.is_nil() {
            return Ok(false);
        }
        Ok(self.call_tm1(tm, &[a, b])?.is_truthy())
    }

    /// The order metamethod both operands share, or nil.
    fn order_tm(&self, a: Value, b: Value, event: Tm) -> Value {
        let tm1 = self.metamethod(a, event);
        if tm1.is_nil() {
            return Value::Nil;
        }
        let tm2 = self.metamethod(b, event);
        if tm1 == tm2 {
            tm1
        } else {
            Value::Nil
        }
    }

    /// "attempt to compare ..." (Lua 5.1's luaG_ordererror).
    fn order_error(&mut self, a: Value, b: Value) -> crate::LuaError {
        let (t1, t2) = (a.type_name(), b.type_name());
        // Lua 5.1 compares only the third letter of the type names, so
        // "string" and "thread" read as the same type here.
        if t1.as_bytes()[2] == t2.as_bytes()[2] {
            self.rt_error(format!("attempt to compare two {t1} values"))
        } else {
            self.rt_error(format!("attempt to compare {t1} with {t2}"))
        }
    }

    /// `a < b`.
    pub fn less_than(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Ok(x < y),
            (Value::String(x), Value::String(y)) => Ok(self.str_bytes(x) < self.str_bytes(y)),
            _ if a.type_of() != b.type_of() => Err(self.order_error(a, b)),
            _ => {
                let tm = self.order_tm(a, b, Tm::Lt);
                if tm.is_nil() {
                    return Err(self.order_error(a, b));
                }
                Ok(self.call_tm1(tm, &[a, b])?.is_truthy())
            }
        }
    }

    /// `a <= b` (falls back to `not (b < a)` through `__lt`).
    pub fn less_equal(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Ok(x <= y),
            (Value::String(x), Value::String(y)) => Ok(self.str_bytes(x) <= self.str_bytes(y)),
            _ if a.type_of() != b.type_of() => Err(self.order_error(a, b)),
            _ => {
                let tm = self.order_tm(a, b, Tm::Le);
                if !tm.is_nil() {
                    return Ok(self.call_tm1(tm, &[a, b])?.is_truthy());
                }
                let tm = self.order_tm(b, a, Tm::Lt);
                if !tm.is_nil() {
                    return Ok(!self.call_tm1(tm, &[b, a])?.is_truthy());
                }
                Err(self.order_error(a, b))
            }
        }
    }

    /// Concatenates the registers `first..=last` (absolute stack indexes)
    /// into `stack[first]`, right to left as Lua 5.1 does: runs of strings
    /// and numbers are joined at once, anything else goes through
    /// `__concat` pairwise. `base` is the frame base, for naming registers.
    pub(crate) fn concat(&mut self, first: usize, last: usize, base: usize) -> LuaResult<()> {
        /// Results up to this many bytes (numbers counted as 32) are
        /// built on the Rust stack.
        const SMALL_CONCAT: usize = 128;
        // The commonest case first: two strings (`s .. "#"`), a short
        // result joined on the Rust stack, a long one in a buffer of its
        // size that the new string keeps.
        if last == first + 1 {
            if let (Some(Value::String(a)), Some(Value::String(b))) = (
                self.stack.get(first).copied(),
                self.stack.get(last).copied(),
            ) {
                let ab = self.heap.str_bytes(a).unwrap_or(&[]);
                let bb = self.heap.str_bytes(b).unwrap_or(&[]);
                let n = ab.len() + bb.len();
                let s = if n <= 64 {
                    let mut small = [0u8; 64];
                    small[..ab.len()].copy_from_slice(ab);
                    small[ab.len()..n].copy_from_slice(bb);
                    self.intern(&small[..n])?
                } else {
                    // As the general path below builds a long result.
                    let mut buf = self.heap.buf();
                    if n > u32::MAX as usize
                        || buf.reserve(&self.heap, n).is_err()
                        || buf.extend(&self.heap, ab).is_err()
                        || buf.extend(&self.heap, bb).is_err()
                    {
                        return Err(self.memory_error());
                    }
                    self.heap.intern_buf(buf).map_err(|e| self.heap_error(e))?
                };
                self.stack[first] = Value::String(s);
                return Ok(());
            }
        }
        // One past the last operand still pending.
        let mut top = last + 1;
        while top - first > 1 {
            let a = self.stack[top - 2];
            let b = self.stack[top - 1];
            let a_ok = matches!(a, Value::String(_) | Value::Number(_));
            let b_ok = matches!(b, Value::String(_) | Value::Number(_));
            if !a_ok || !b_ok {
                let mut tm = self.metamethod(a, Tm::Concat);
                if tm.is_nil() {
                    tm = self.metamethod(b, Tm::Concat);
                }
                if tm.is_nil() {
                    let (bad, reg) = if a_ok { (b, top - 1) } else { (a, top - 2) };
                    return Err(self.type_error(bad, Some(reg - base), "concatenate"));
                }
                let saved = self.top;
                self.top = self.top.max(last + 1);
                let r = self.call_tm1(tm, &[a, b]);
                self.top = saved;
                self.stack[top - 2] = r?;
                top -= 1;
                continue;
            }
            // Join as many strings/numbers as possible, from the right.
            let mut n = 2;
            while top - first > n
                && matches!(self.stack[top - n - 1], Value::String(_) | Value::Number(_))
            {
                n += 1;
            }
            let mut total = 0usize;
            for i in top - n..top {
                total = total.saturating_add(match self.stack[i] {
                    Value::String(s) => self.heap.str_bytes(s).map_or(0, |b| b.len()),
                    Value::Number(_) => 32,
                    _ => 0,
                });
            }
            // A short result is assembled in a local array: no scratch
            // buffer is allocated and freed for `row .. "#"`.
            if total <= SMALL_CONCAT {
                let mut small = [0u8; SMALL_CONCAT];
                let mut len = 0;
                for i in top - n..top {
                    let mut put = |b: &[u8]| {
                        small[len..len + b.len()].copy_from_slice(b);
                        len += b.len();
                    };
                    match self.stack[i] {
                        Value::String(s) => put(self.heap.str_bytes(s).unwrap_or(&[])),
                        Value::Number(x) => put(&number::fmt_number(x)),
                        _ => {}
                    }
                }
                let s = self.intern(&small[..len])?;
                self.stack[top - n] = Value::String(s);
                top -= n - 1;
                continue;
            }
            // Lua 5.1's MAX_SIZET check ("string length overflow") cannot
            // trigger on 64 bits; lengths past what a string can hold are
            // out of memory, as the allocation would be.
            // Charged to the limit and reserved fallibly: a chain of `..`
            // can build a string as large as a script asks for.
            let mut buf = self.heap.buf();
            if total > u32::MAX as usize || buf.reserve(&self.heap, total).is_err() {
                return Err(self.memory_error());
            }
            for i in top - n..top {
                let r = match self.stack[i] {
                    Value::String(s) => {
                        buf.extend(&self.heap, self.heap.str_bytes(s).unwrap_or(&[]))
                    }
                    Value::Number(x) => buf.extend(&self.heap, &number::fmt_number(x)),
                    _ => Ok(()),
                };
                if r.is_err() {
                    return Err(self.memory_error());
                }
            }
            // The buffer was reserved at the result's size (exactly, when
            // no number was formatted shorter than counted): a new string
            // keeps its bytes, with no second allocation and copy; one
            // that exists already is found by the same lookup.
            let s = self.heap.intern_buf(buf).map_err(|e| self.heap_error(e))?;
            self.stack[top - n] = Value::String(s);
            top -= n - 1;
        }
        Ok(())
    }

    /// `tostring(v)`: `__tostring`, or the default text (Lua 5.1's
    /// luaL_tolstring-like behaviour of the `tostring` function).
    pub fn tostring(&mut self, v: Value) -> LuaResult<Value> {
        let tm = match self.metatable_of(v) {
            Some(mt) => {
                let k = self.names.tostring;
                self.heap.table(mt).map_or(Value::Nil, |t| t.get_str(k))
            }
            None => Value::Nil,
        };
        if !tm.is_nil() {
            return self.call_tm1(tm, &[v]);
        }
        let text: Vec<u8> = match v {
            Value::Nil => b"nil".to_vec(),
            Value::Boolean(true) => b"true".to_vec(),
            Value::Boolean(false) => b"false".to_vec(),
            Value::Number(n) => number::fmt_number(n).to_vec(),
            Value::String(_) => return Ok(v),
            other => format!("{}: {}", other.type_name(), self.address_of(other)).into_bytes(),
        };
        self.str_value(&text)
    }

    /// A stable, address-like identity for a value, printed as `0x...`.
    pub fn address_of(&self, v: Value) -> String {
        use slotmap::Key;
        let bits: u64 = match v {
            Value::Table(t) => t.data().as_ffi(),
            Value::Function(f) => f.data().as_ffi(),
            Value::Userdata(u) => u.data().as_ffi(),
            Value::Thread(t) => t.data().as_ffi(),
            Value::String(s) => s.key().data().as_ffi(),
            Value::LightUserdata(p) => p as u64,
            _ => 0,
        };
        // Spread the bits so the text looks like an address (and differs
        // for every live object, as an address would).
        let tag: u64 = match v {
            Value::Table(_) => 1,
            Value::Function(_) => 2,
            Value::Userdata(_) => 3,
            Value::Thread(_) => 4,
            _ => 0,
        };
        if let Value::LightUserdata(p) = v {
            // glibc's "%p" prints a null pointer as "(nil)" (cjson.null).
            if p == 0 {
                return "(nil)".to_string();
            }
            return format!("0x{p:x}");
        }
        let idx = bits & 0xffff_ffff;
        let ver = bits >> 32;
        format!(
            "0x{:08x}",
            0x5500_0000_0000u64 | (tag << 40) | (idx << 8) | (ver & 0xff)
        )
    }
}
