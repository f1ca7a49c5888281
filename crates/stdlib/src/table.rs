//! The table library: `concat`, `foreach`, `foreachi`, `getn`, `insert`,
//! `maxn`, `remove`, `setn`, `sort`, with Lua 5.1's results and messages.
//!
//! `sort` is Lua 5.1's quicksort step for step (median of three, the same
//! pivot placement, the same comparisons and swaps), so that comparators
//! that are not strict orders, equal keys and the "invalid order function
//! for sorting" error behave exactly as in `lua5.1`. Every value the
//! algorithm holds while a comparator runs lives on the VM stack, as it
//! does in the C implementation, so the collector always sees it.

use ferrous_value::number;
use ferrous_vm::{Ctx, LuaError, LuaResult, NativeFn, TableRef, Type, Value, Vm};

use crate::string::{oom, push_buf, put};

/// Registration order of ltablib.c (it decides `pairs(table)` order).
const FUNCS: &[(&str, NativeFn)] = &[
    ("concat", concat),
    ("foreach", foreach),
    ("foreachi", foreachi),
    ("getn", getn),
    ("maxn", maxn),
    ("insert", insert),
    ("remove", remove),
    ("setn", setn),
    ("sort", sort),
];

/// Opens the `table` library.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    crate::register_lib(vm, "table", FUNCS)?;
    Ok(())
}

/// `lua_rawgeti`.
#[inline]
fn rawgeti(vm: &Vm, t: TableRef, i: i64) -> Value {
    vm.heap.table(t).map_or(Value::Nil, |tab| tab.get_int(i))
}

/// `#t` as a C int (`luaL_getn`).
fn getn_of(vm: &Vm, t: TableRef) -> i64 {
    vm.heap.table(t).map_or(0, |tab| tab.border()) as i32 as i64
}

/// `aux_getn`: checks that argument 1 is a table and returns its length.
fn aux_getn(ctx: &mut Ctx) -> LuaResult<(TableRef, i64)> {
    let t = ctx.check_table(1)?;
    Ok((t, getn_of(ctx.vm, t)))
}

/// `luaL_checkint`: an integer argument truncated to a C int.
fn check_int(ctx: &mut Ctx, i: usize) -> LuaResult<i64> {
    Ok(ctx.check_integer(i)? as i32 as i64)
}

fn foreachi(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, n) = aux_getn(ctx)?;
    ctx.check_type(2, Type::Function)?;
    let f = ctx.arg(2);
    for i in 1..=n {
        let v = rawgeti(ctx.vm, t, i);
        let func = ctx.vm.stack_top();
        ctx.push(f)?;
        ctx.push(Value::Number(i as f64))?;
        ctx.push(v)?;
        ctx.vm.call_slot(func, 1)?;
        let r = ctx.vm.stack_get(func);
        if !r.is_nil() {
            return Ok(1);
        }
        ctx.vm.set_stack_top(func)?;
    }
    Ok(0)
}

fn foreach(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    ctx.check_type(2, Type::Function)?;
    let f = ctx.arg(2);
    // The current key stays on the stack (slot `key_slot`) while `f` runs.
    let key_slot = ctx.vm.stack_top();
    ctx.push(Value::Nil)?;
    loop {
        let k = ctx.vm.stack_get(key_slot);
        let next = match ctx.vm.heap.table_next(t, &k) {
            Ok(n) => n,
            Err(e) => return Err(ctx.vm.rt_error(e.to_string())),
        };
        let Some((k, v)) = next else {
            return Ok(0);
        };
        ctx.vm.stack_set(key_slot, k);
        let func = key_slot + 1;
        ctx.vm.set_stack_top(func)?;
        ctx.push(f)?;
        ctx.push(k)?;
        ctx.push(v)?;
        ctx.vm.call_slot(func, 1)?;
        let r = ctx.vm.stack_get(func);
        if !r.is_nil() {
            ctx.vm.set_stack_top(func + 1)?;
            return Ok(1);
        }
    }
}

fn maxn(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = ctx.check_table(1)?;
    let mut max = 0.0f64;
    let mut k = Value::Nil;
    loop {
        let next = match ctx.vm.heap.table_next(t, &k) {
            Ok(n) => n,
            Err(e) => return Err(ctx.vm.rt_error(e.to_string())),
        };
        let Some((key, _)) = next else { break };
        if let Value::Number(n) = key {
            if n > max {
                max = n;
            }
        }
        k = key;
    }
    ctx.push(Value::Number(max))?;
    Ok(1)
}

fn getn(ctx: &mut Ctx) -> LuaResult<usize> {
    let (_, n) = aux_getn(ctx)?;
    ctx.push(Value::Number(n as f64))?;
    Ok(1)
}

fn setn(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.check_table(1)?;
    Err(ctx.error("'setn' is obsolete"))
}

fn insert(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, n) = aux_getn(ctx)?;
    let mut e = (n + 1) as i32 as i64; // first empty element
    let pos = match ctx.nargs() {
        2 => e,
        3 => {
            let pos = check_int(ctx, 2)?;
            if pos > e {
                e = pos;
            }
            let mut i = e;
            while i > pos {
                let v = rawgeti(ctx.vm, t, i - 1);
                ctx.vm.raw_set_int(t, i, v)?;
                i -= 1;
            }
            pos
        }
        _ => return Err(ctx.error("wrong number of arguments to 'insert'")),
    };
    let v = ctx.arg(ctx.nargs());
    ctx.vm.raw_set_int(t, pos, v)?;
    Ok(0)
}

fn remove(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, e) = aux_getn(ctx)?;
    let mut pos = if ctx.arg(2).is_nil() {
        e
    } else {
        check_int(ctx, 2)?
    };
    if !(1 <= pos && pos <= e) {
        return Ok(0);
    }
    let removed = rawgeti(ctx.vm, t, pos);
    ctx.push(removed)?;
    while pos < e {
        let v = rawgeti(ctx.vm, t, pos + 1);
        ctx.vm.raw_set_int(t, pos, v)?;
        pos += 1;
    }
    ctx.vm.raw_set_int(t, e, Value::Nil)?;
    Ok(1)
}

fn concat(ctx: &mut Ctx) -> LuaResult<usize> {
    let sep = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.str_bytes(s).to_vec(),
        None => Vec::new(),
    };
    let t = ctx.check_table(1)?;
    let mut i = if ctx.arg(3).is_nil() {
        1
    } else {
        check_int(ctx, 3)?
    };
    let last = if ctx.arg(4).is_nil() {
        getn_of(ctx.vm, t)
    } else {
        check_int(ctx, 4)?
    };
    // The result grows in a buffer charged to the limit, fallibly.
    let mut buf = ctx.vm.heap.buf();
    while i <= last {
        let r = match rawgeti(ctx.vm, t, i) {
            Value::String(s) => put(ctx.vm, &mut buf, ctx.vm.str_bytes(s)),
            Value::Number(n) => put(ctx.vm, &mut buf, &number::fmt_number(n)),
            other => {
                // Debian's lua5.1 names the type of the offending value.
                return Err(ctx.error(format!(
                    "invalid value ({}) at index {i} in table for 'concat'",
                    other.type_name()
                )));
            }
        };
        r.map_err(|e| oom(ctx.vm, e))?;
        if i & 255 == 0 {
            // Long concatenations are work the budget sees.
            ctx.vm.charge(1)?;
        }
        if i < last {
            put(ctx.vm, &mut buf, &sep).map_err(|e| oom(ctx.vm, e))?;
        }
        i += 1;
    }
    push_buf(ctx, buf)?;
    Ok(1)
}

// ---------------------------------------------------------------- sort

/// The three values auxsort keeps on the C stack: the pivot and the two
/// elements being compared or swapped.
#[derive(Clone, Copy)]
enum Reg {
    P = 0,
    A = 1,
    B = 2,
}

/// What Lua 5.1's auxsort does to the table and its stack, as operations
/// on three registers. `Stacked` keeps the registers in VM stack slots and
/// may call Lua; `Mirrored` sorts a copy of the array when no comparison
/// can run Lua code.
trait SortOps {
    /// `reg = t[i]` (a raw read).
    fn load(&mut self, r: Reg, i: i64) -> LuaResult<()>;
    /// `t[i] = reg` (a raw write).
    fn store(&mut self, i: i64, r: Reg) -> LuaResult<()>;
    /// `sort_comp`: is `a < b` by the comparator or by `<`?
    fn lt(&mut self, a: Reg, b: Reg) -> LuaResult<bool>;
    /// "invalid order function for sorting", with the caller's position.
    fn invalid_order(&mut self) -> LuaError;
    /// Charges `n` units of work to the VM's instruction budget (a big
    /// sort with no comparator calls no Lua and must still reach the
    /// budget hook).
    fn charge(&mut self, n: i64) -> LuaResult<()>;
}

/// Lua 5.1's auxsort on `t[l..=u]`, comparison for comparison and write
/// for write. The C code recurses on the smaller part and loops on the
/// larger; here the larger part waits on an explicit list, which visits
/// the ranges in the same order without Rust recursion.
fn auxsort<S: SortOps>(s: &mut S, l: i64, u: i64) -> LuaResult<()> {
    use Reg::{A, B, P};
    let mut pending: Vec<(i64, i64)> = vec![(l, u)];
    while let Some((mut l, mut u)) = pending.pop() {
        while l < u {
            // Partitioning costs about u - l comparisons.
            s.charge(1 + ((u - l) >> 8))?;
            // Sort a[l], a[(l+u)/2] and a[u].
            s.load(A, l)?;
            s.load(B, u)?;
            if s.lt(B, A)? {
                s.store(l, B)?;
                s.store(u, A)?;
            }
            if u - l == 1 {
                break;
            }
            let mut i = (l + u) / 2;
            s.load(A, i)?;
            s.load(B, l)?;
            if s.lt(A, B)? {
                s.store(i, B)?;
                s.store(l, A)?;
            } else {
                s.load(B, u)?;
                if s.lt(B, A)? {
                    s.store(i, B)?;
                    s.store(u, A)?;
                }
            }
            if u - l == 2 {
                break;
            }
            // The pivot P = a[i] goes to a[u-1].
            s.load(P, i)?;
            s.load(B, u - 1)?;
            s.store(i, B)?;
            s.store(u - 1, P)?;
            i = l;
            let mut j = u - 1;
            loop {
                // Repeat ++i until a[i] >= P.
                loop {
                    i += 1;
                    s.load(A, i)?;
                    if !s.lt(A, P)? {
                        break;
                    }
                    if i > u {
                        return Err(s.invalid_order());
                    }
                }
                // Repeat --j until a[j] <= P.
                loop {
                    j -= 1;
                    s.load(B, j)?;
                    if !s.lt(P, B)? {
                        break;
                    }
                    if j < l {
                        return Err(s.invalid_order());
                    }
                }
                if j < i {
                    break;
                }
                s.store(i, B)?;
                s.store(j, A)?;
            }
            s.load(A, u - 1)?;
            s.load(B, i)?;
            s.store(u - 1, B)?;
            s.store(i, A)?;
            // Sort the smaller part first, then the larger one.
            if i - l < u - i {
                pending.push((i + 1, u));
                u = i - 1;
            } else {
                pending.push((l, i - 1));
                l = i + 1;
            }
        }
    }
    Ok(())
}

/// Registers in three VM stack slots (so the collector sees them while a
/// comparator or metamethod runs), the table read and written in place.
struct Stacked<'c, 'v> {
    ctx: &'c mut Ctx<'v>,
    t: TableRef,
    /// The comparator, or `None` for `<`.
    cmp: Option<Value>,
    /// Stack slot of register P; A and B follow.
    slots: usize,
}

impl SortOps for Stacked<'_, '_> {
    fn charge(&mut self, n: i64) -> LuaResult<()> {
        self.ctx.vm.charge(n)
    }
    #[inline]
    fn load(&mut self, r: Reg, i: i64) -> LuaResult<()> {
        let v = rawgeti(self.ctx.vm, self.t, i);
        self.ctx.vm.stack_set(self.slots + r as usize, v);
        Ok(())
    }

    #[inline]
    fn store(&mut self, i: i64, r: Reg) -> LuaResult<()> {
        let v = self.ctx.vm.stack_get(self.slots + r as usize);
        self.ctx.vm.raw_set_int(self.t, i, v)
    }

    fn lt(&mut self, a: Reg, b: Reg) -> LuaResult<bool> {
        let x = self.ctx.vm.stack_get(self.slots + a as usize);
        let y = self.ctx.vm.stack_get(self.slots + b as usize);
        match self.cmp {
            None => self.ctx.vm.less_than(x, y),
            Some(f) => {
                let r = self.ctx.vm.call_slot_1(self.slots + 3, f, &[x, y])?;
                Ok(r.is_truthy())
            }
        }
    }

    fn invalid_order(&mut self) -> LuaError {
        self.ctx.error("invalid order function for sorting")
    }
}

/// Sorting a copy of `t[1..=n]` when every element is a number or every
/// element is a string and there is no comparator: no comparison can run
/// Lua code, so nothing can observe the table before the copy is written
/// back (at the end, or before an error is raised).
struct Mirrored<'c, 'v> {
    ctx: &'c mut Ctx<'v>,
    t: TableRef,
    arr: Vec<Value>,
    regs: [Value; 3],
}

impl Mirrored<'_, '_> {
    /// Writes the copy back into the table.
    fn write_back(&mut self) -> LuaResult<()> {
        for (k, v) in self.arr.iter().enumerate() {
            self.ctx.vm.raw_set_int(self.t, k as i64 + 1, *v)?;
        }
        Ok(())
    }

    /// `<` on a value from outside 1..n (only an inconsistent order could
    /// reach one): the table sees the current state and every register
    /// stays reachable while `<` runs; then the copy is read again.
    #[cold]
    #[inline(never)]
    fn lt_slow(&mut self, x: Value, y: Value) -> LuaResult<bool> {
        self.write_back()?;
        for v in self.regs {
            self.ctx.push(v)?;
        }
        let r = self.ctx.vm.less_than(x, y);
        let n = self.arr.len() as i64;
        for k in 1..=n {
            self.arr[(k - 1) as usize] = rawgeti(self.ctx.vm, self.t, k);
        }
        r
    }
}

impl SortOps for Mirrored<'_, '_> {
    fn charge(&mut self, n: i64) -> LuaResult<()> {
        self.ctx.vm.charge(n)
    }
    #[inline(always)]
    fn load(&mut self, r: Reg, i: i64) -> LuaResult<()> {
        self.regs[r as usize] = match self.arr.get((i - 1) as usize) {
            Some(v) if i >= 1 => *v,
            _ => rawgeti(self.ctx.vm, self.t, i),
        };
        Ok(())
    }

    #[inline(always)]
    fn store(&mut self, i: i64, r: Reg) -> LuaResult<()> {
        let v = self.regs[r as usize];
        match self.arr.get_mut((i - 1) as usize) {
            Some(slot) if i >= 1 => {
                *slot = v;
                Ok(())
            }
            _ => self.ctx.vm.raw_set_int(self.t, i, v),
        }
    }

    #[inline(always)]
    fn lt(&mut self, a: Reg, b: Reg) -> LuaResult<bool> {
        let (x, y) = (self.regs[a as usize], self.regs[b as usize]);
        match (x, y) {
            (Value::Number(p), Value::Number(q)) => Ok(p < q),
            (Value::String(p), Value::String(q)) => {
                Ok(self.ctx.vm.str_bytes(p) < self.ctx.vm.str_bytes(q))
            }
            _ => self.lt_slow(x, y),
        }
    }

    fn invalid_order(&mut self) -> LuaError {
        if let Err(e) = self.write_back() {
            return e;
        }
        self.ctx.error("invalid order function for sorting")
    }
}

/// Sorting numbers none of which is NaN, without a comparator: `<` is a
/// total preorder there, so every index auxsort touches stays within
/// 1..n and no error can occur; the copy holds plain floats.
struct MirroredNum<'v> {
    vm: &'v mut Vm,
    arr: Vec<f64>,
    regs: [f64; 3],
}

impl SortOps for MirroredNum<'_> {
    fn charge(&mut self, n: i64) -> LuaResult<()> {
        self.vm.charge(n)
    }

    #[inline(always)]
    fn load(&mut self, r: Reg, i: i64) -> LuaResult<()> {
        // Out-of-range reads cannot happen for a total preorder.
        self.regs[r as usize] = self.arr.get((i - 1) as usize).copied().unwrap_or(f64::NAN);
        Ok(())
    }

    #[inline(always)]
    fn store(&mut self, i: i64, r: Reg) -> LuaResult<()> {
        if let Some(slot) = self.arr.get_mut((i - 1) as usize) {
            *slot = self.regs[r as usize];
        }
        Ok(())
    }

    #[inline(always)]
    fn lt(&mut self, a: Reg, b: Reg) -> LuaResult<bool> {
        Ok(self.regs[a as usize] < self.regs[b as usize])
    }

    fn invalid_order(&mut self) -> LuaError {
        LuaError::runtime(Value::Nil)
    }
}

fn sort(ctx: &mut Ctx) -> LuaResult<usize> {
    let (t, n) = aux_getn(ctx)?;
    let cmp = if ctx.arg(2).is_nil() {
        None
    } else {
        ctx.check_type(2, Type::Function)?;
        Some(ctx.arg(2))
    };
    if cmp.is_none() && n > 1 {
        let arr: Vec<Value> = match ctx.vm.heap.table(t) {
            Some(tab) => (1..=n).map(|i| tab.get_int(i)).collect(),
            None => Vec::new(),
        };
        let plain: Option<Vec<f64>> = arr
            .iter()
            .map(|v| match v {
                Value::Number(x) if !x.is_nan() => Some(*x),
                _ => None,
            })
            .collect();
        if let Some(nums) = plain {
            let mut m = MirroredNum {
                vm: ctx.vm,
                arr: nums,
                regs: [0.0; 3],
            };
            auxsort(&mut m, 1, n)?;
            for (k, x) in m.arr.iter().enumerate() {
                ctx.vm.raw_set_int(t, k as i64 + 1, Value::Number(*x))?;
            }
            return Ok(0);
        }
        let all_numbers = arr.iter().all(|v| matches!(v, Value::Number(_)));
        let all_strings = arr.iter().all(|v| matches!(v, Value::String(_)));
        if all_numbers || all_strings {
            let mut m = Mirrored {
                ctx,
                t,
                arr,
                regs: [Value::Nil; 3],
            };
            auxsort(&mut m, 1, n)?;
            m.write_back()?;
            return Ok(0);
        }
    }
    // Three register slots above the arguments (lua_settop(L, 2)).
    let slots = ctx.base() + 2;
    ctx.vm.set_stack_top(slots + 3)?;
    let mut s = Stacked { ctx, t, cmp, slots };
    auxsort(&mut s, 1, n)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(vm: &mut Vm, src: &str) -> Vec<Value> {
        let f = vm.load(src.as_bytes(), b"=test");
        let f = f.unwrap_or_else(|_| unreachable!("load failed"));
        vm.call(f, &[])
            .unwrap_or_else(|_| unreachable!("call failed"))
    }

    #[test]
    fn opens_alone() {
        let mut vm = Vm::new();
        assert!(open(&mut vm).is_ok());
        let r = run(
            &mut vm,
            "local t = {3, 1, 2} table.sort(t) return table.concat(t, ',')",
        );
        let Some(Value::String(s)) = r.first().copied() else {
            unreachable!("no string")
        };
        assert_eq!(vm.str_bytes(s), b"1,2,3");
    }

    #[test]
    fn sort_paths_agree() {
        // The same data through the number, string and comparator paths.
        let mut vm = Vm::new();
        assert!(open(&mut vm).is_ok());
        let src = "local a, b, c = {}, {}, {}
            local x = 7
            for i = 1, 500 do x = (x * 16807) % 2147483647
              a[i] = x % 97 b[i] = '' .. (1000 + x % 97) c[i] = x % 97 end
            table.sort(a) table.sort(b) table.sort(c, function(p, q) return p < q end)
            for i = 1, 500 do
              if a[i] ~= c[i] or '' .. (1000 + a[i]) ~= b[i] then return false end
            end
            return true";
        assert_eq!(run(&mut vm, src), vec![Value::Boolean(true)]);
    }
}
