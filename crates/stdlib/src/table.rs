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
use ferrous_vm::{Ctx, LuaResult, NativeFn, TableRef, Type, Value, Vm};

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
    let mut buf: Vec<u8> = Vec::new();
    while i <= last {
        match rawgeti(ctx.vm, t, i) {
            Value::String(s) => buf.extend_from_slice(ctx.vm.str_bytes(s)),
            Value::Number(n) => buf.extend_from_slice(&number::fmt_number(n)),
            other => {
                // Debian's lua5.1 names the type of the offending value.
                return Err(ctx.error(format!(
                    "invalid value ({}) at index {i} in table for 'concat'",
                    other.type_name()
                )));
            }
        }
        if i < last {
            buf.extend_from_slice(&sep);
        }
        i += 1;
    }
    ctx.push_str(&buf)?;
    Ok(1)
}

// ---------------------------------------------------------------- sort

/// Lua 5.1's auxsort, driven through the VM stack exactly as the C code
/// uses its stack: `get` pushes `t[i]`, `set2(i, j)` pops into `t[i]` then
/// `t[j]`, comparisons read stack slots relative to the top.
struct Sorter<'c, 'v> {
    ctx: &'c mut Ctx<'v>,
    t: TableRef,
    /// The comparator, or `None` for `<`.
    cmp: Option<Value>,
}

impl Sorter<'_, '_> {
    #[inline]
    fn get(&mut self, i: i64) -> LuaResult<()> {
        let v = rawgeti(self.ctx.vm, self.t, i);
        self.ctx.push(v)
    }

    /// The value `k` slots below the top (1 = the top), like index `-k`.
    #[inline]
    fn at(&self, k: usize) -> Value {
        let top = self.ctx.vm.stack_top();
        self.ctx.vm.stack_get(top - k)
    }

    #[inline]
    fn pop(&mut self, n: usize) -> LuaResult<()> {
        let top = self.ctx.vm.stack_top();
        self.ctx.vm.set_stack_top(top - n)
    }

    /// `t[i] = pop(); t[j] = pop()`.
    fn set2(&mut self, i: i64, j: i64) -> LuaResult<()> {
        let a = self.at(1);
        self.ctx.vm.raw_set_int(self.t, i, a)?;
        let b = self.at(2);
        self.ctx.vm.raw_set_int(self.t, j, b)?;
        self.pop(2)
    }

    /// `sort_comp(-a, -b)`: is the value at `-a` less than the one at `-b`?
    fn less(&mut self, a: usize, b: usize) -> LuaResult<bool> {
        let x = self.at(a);
        let y = self.at(b);
        match self.cmp {
            None => self.ctx.vm.less_than(x, y),
            Some(f) => {
                let func = self.ctx.vm.stack_top();
                self.ctx.push(f)?;
                self.ctx.push(x)?;
                self.ctx.push(y)?;
                self.ctx.vm.call_slot(func, 1)?;
                let r = self.ctx.vm.stack_get(func).is_truthy();
                self.ctx.vm.set_stack_top(func)?;
                Ok(r)
            }
        }
    }

    fn invalid_order(&mut self) -> ferrous_vm::LuaError {
        self.ctx.error("invalid order function for sorting")
    }

    /// Sorts `t[l..=u]`. The C code recurses on the smaller part and loops
    /// on the larger; here the larger part waits on an explicit list, which
    /// visits the ranges in the same order without Rust recursion.
    fn sort(&mut self, l: i64, u: i64) -> LuaResult<()> {
        let mut pending: Vec<(i64, i64)> = vec![(l, u)];
        while let Some((mut l, mut u)) = pending.pop() {
            while l < u {
                match self.partition(l, u)? {
                    None => break,
                    Some((small, large)) => {
                        pending.push(large);
                        (l, u) = small;
                    }
                }
            }
        }
        Ok(())
    }

    /// One round of auxsort on `[l, u]`: `None` when the range is done,
    /// else the smaller and the larger part left to sort.
    #[allow(clippy::type_complexity)]
    fn partition(&mut self, l: i64, u: i64) -> LuaResult<Option<((i64, i64), (i64, i64))>> {
        // Sort a[l], a[(l+u)/2] and a[u].
        self.get(l)?;
        self.get(u)?;
        if self.less(1, 2)? {
            self.set2(l, u)?;
        } else {
            self.pop(2)?;
        }
        if u - l == 1 {
            return Ok(None);
        }
        let mut i = (l + u) / 2;
        self.get(i)?;
        self.get(l)?;
        if self.less(2, 1)? {
            self.set2(i, l)?;
        } else {
            self.pop(1)?;
            self.get(u)?;
            if self.less(1, 2)? {
                self.set2(i, u)?;
            } else {
                self.pop(2)?;
            }
        }
        if u - l == 2 {
            return Ok(None);
        }
        // The pivot P = a[i] goes to a[u-1] and stays on the stack.
        self.get(i)?;
        let p = self.at(1);
        self.ctx.push(p)?;
        self.get(u - 1)?;
        self.set2(i, u - 1)?;
        i = l;
        let mut j = u - 1;
        loop {
            // Repeat ++i until a[i] >= P.
            loop {
                i += 1;
                self.get(i)?;
                if !self.less(1, 2)? {
                    break;
                }
                if i > u {
                    return Err(self.invalid_order());
                }
                self.pop(1)?;
            }
            // Repeat --j until a[j] <= P.
            loop {
                j -= 1;
                self.get(j)?;
                if !self.less(3, 1)? {
                    break;
                }
                if j < l {
                    return Err(self.invalid_order());
                }
                self.pop(1)?;
            }
            if j < i {
                self.pop(3)?;
                break;
            }
            self.set2(i, j)?;
        }
        self.get(u - 1)?;
        self.get(i)?;
        self.set2(u - 1, i)?;
        // The smaller part is sorted first, the larger one after it.
        if i - l < u - i {
            Ok(Some(((l, i - 1), (i + 1, u))))
        } else {
            Ok(Some(((i + 1, u), (l, i - 1))))
        }
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
    // Work above the arguments (lua_settop(L, 2)).
    let top = ctx.base() + 2;
    ctx.vm.set_stack_top(top.max(ctx.vm.stack_top()))?;
    let mut s = Sorter { ctx, t, cmp };
    s.sort(1, n)?;
    Ok(0)
}
