//! The string library (Lua 5.1's lstrlib), and the string metatable that
//! makes `("x"):upper()` work.
//!
//! Pattern matching lives in [`crate::pattern`], `string.format` in
//! [`crate::strformat`], `string.dump`'s chunk format in [`crate::dump`].
//!
//! Sizes: a result string longer than [`MAX_STRING`] bytes, or one the
//! heap's memory limit cannot hold, raises "not enough memory" before
//! anything that large is allocated (`string.rep("x", 1e10)`, a `gsub`
//! that multiplies its subject, ...). Lua 5.1 itself would try to
//! allocate it.

use ferrous_value::number::fmt_number;
use ferrous_vm::{Buf, Ctx, HeapError, LuaError, LuaResult, Native, StrRef, Type, Value, Vm};
use smallvec::SmallVec;

use crate::pattern::{self, Cap, MatchState, PatError, PatInfo, Searcher, Subject, MATCH_CHARGE};

/// The longest string the library builds (2 GiB - 1, the largest length
/// Lua 5.1's `int`-based APIs handle).
pub const MAX_STRING: usize = i32::MAX as usize;

/// Lua 5.1's LUAI_MAXCSTACK: values a C function may push.
const MAX_CSTACK: usize = 8000;

/// Registration order of lstrlib.c (it decides `pairs(string)` order).
const FUNCS: &[(&str, ferrous_vm::NativeFn)] = &[
    ("byte", byte),
    ("char", char),
    ("dump", dump),
    ("find", find),
    ("format", crate::strformat::format),
    ("gfind", gmatch),
    ("gmatch", gmatch),
    ("gsub", gsub),
    ("len", len),
    ("lower", lower),
    ("match", match_),
    ("rep", rep),
    ("reverse", reverse),
    ("sub", sub),
    ("upper", upper),
];

/// Opens `string` and sets the metatable of strings.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    let t = crate::register_lib(vm, "string", FUNCS)?;
    // LUA_COMPAT_GFIND: gfind is the very same function as gmatch.
    let gm = vm.raw_get_str(t, b"gmatch")?;
    vm.raw_set_str(t, b"gfind", gm)?;
    let mt = vm.new_table(0, 1)?;
    vm.set_type_metatable(Type::String, Some(mt));
    vm.raw_set_str(mt, b"__index", Value::Table(t))?;
    Ok(())
}

/// Raises "not enough memory" if a string of `len` bytes is too large to
/// build (see the module doc).
#[inline]
pub fn check_size(ctx: &mut Ctx, len: usize) -> LuaResult<()> {
    // Small results are left to the final intern's own limit check.
    if len <= 1 << 20 {
        return Ok(());
    }
    if len > MAX_STRING || ctx.vm.heap.adjust_bytes(len as isize).is_err() {
        return Err(ctx.vm.memory_error());
    }
    let _ = ctx.vm.heap.adjust_bytes(-(len as isize));
    Ok(())
}

/// A result buffer with room for `n` bytes, charged to the heap's limit
/// while it lives ([`Buf`]); "not enough memory" when `n` passes
/// [`MAX_STRING`] or the limit, or cannot be allocated.
pub fn result_buf(vm: &mut Vm, n: usize) -> LuaResult<Buf> {
    if n > MAX_STRING {
        return Err(vm.memory_error());
    }
    vm.heap.buf_with_capacity(n).map_err(|_| vm.memory_error())
}

/// Appends `b` to a result buffer, failing past [`MAX_STRING`] or the
/// limit (map the error with [`oom`]).
#[inline]
pub fn put(vm: &Vm, buf: &mut Buf, b: &[u8]) -> Result<(), HeapError> {
    if buf.len() + b.len() > MAX_STRING {
        return Err(HeapError::OutOfMemory);
    }
    buf.extend(&vm.heap, b)
}

/// The "not enough memory" error for a failed [`put`].
#[cold]
pub fn oom(vm: &mut Vm, _: HeapError) -> LuaError {
    vm.memory_error()
}

/// Interns a result buffer (without copying a long one) and pushes it.
pub fn push_buf(ctx: &mut Ctx, buf: Buf) -> LuaResult<()> {
    let s = ctx
        .vm
        .heap
        .intern_buf(buf)
        .map_err(|_| ctx.vm.memory_error())?;
    ctx.push(Value::String(s))
}

thread_local! {
    /// A result buffer kept between calls (format, gsub), so that most
    /// calls allocate nothing but their result string.
    static BUF: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Takes the shared result buffer (empty); a nested user gets a new one.
pub(crate) fn take_buf() -> Vec<u8> {
    let mut v = BUF.with(|b| b.take());
    v.clear();
    v
}

/// Returns a buffer taken with [`take_buf`] (large ones are dropped).
pub(crate) fn give_buf(v: Vec<u8>) {
    if v.capacity() <= 1 << 16 {
        BUF.with(|b| b.set(v));
    }
}

/// Lua 5.1's posrelat: a negative position counts from the end; the
/// result is never negative.
#[inline]
fn posrelat(pos: i64, len: usize) -> i64 {
    let pos = if pos < 0 {
        pos.saturating_add(len as i64 + 1)
    } else {
        pos
    };
    pos.max(0)
}

/// A string argument (numbers converted), kept on the stack so that the
/// converted string stays alive across calls into Lua.
#[inline(always)]
fn str_arg(ctx: &mut Ctx, i: usize) -> LuaResult<StrRef> {
    if let Value::String(s) = ctx.arg(i) {
        return Ok(s);
    }
    str_arg_converted(ctx, i)
}

#[inline(never)]
fn str_arg_converted(ctx: &mut Ctx, i: usize) -> LuaResult<StrRef> {
    let s = ctx.check_string(i)?;
    if !matches!(ctx.arg(i), Value::String(_)) {
        ctx.set_arg(i, Value::String(s));
    }
    Ok(s)
}

fn pat_error(ctx: &mut Ctx, e: PatError) -> ferrous_vm::LuaError {
    ctx.error(e.message())
}

fn len(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = string_arg(ctx, 1)?;
    let n = ctx.vm.str_bytes(s).len();
    ctx.push(Value::Number(n as i64 as f64))?;
    Ok(1)
}

/// 2^63: numbers below it in magnitude convert to integers with `as`
/// exactly as [`ferrous_vm::num_to_integer`] converts them.
const INT_RANGE: f64 = 9_223_372_036_854_775_808.0;

/// `luaL_optinteger` with the common case inline: a number argument of
/// integer range (what [`ferrous_vm::num_to_integer`] truncates the same
/// way as `as`), or an absent one.
#[inline(always)]
fn opt_int(ctx: &mut Ctx, i: usize, default: i64) -> LuaResult<i64> {
    match ctx.arg(i) {
        Value::Number(n) if n.abs() < INT_RANGE => Ok(n as i64),
        Value::Nil => Ok(default),
        _ => ctx.opt_integer(i, default),
    }
}

/// `luaL_checkinteger` with the common case inline (see [`opt_int`]).
#[inline(always)]
fn int_arg(ctx: &mut Ctx, i: usize) -> LuaResult<i64> {
    match ctx.arg(i) {
        Value::Number(n) if n.abs() < INT_RANGE => Ok(n as i64),
        _ => ctx.check_integer(i),
    }
}

fn sub(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = string_arg(ctx, 1)?;
    let i = int_arg(ctx, 2)?;
    let j = opt_int(ctx, 3, -1)?;
    let bytes = ctx.vm.str_bytes(s);
    let l = bytes.len();
    let start = posrelat(i, l).max(1);
    let end = posrelat(j, l).min(l as i64);
    let r = if start > end {
        ctx.vm.intern(b"")?
    } else if start == 1 && end == l as i64 {
        s
    } else {
        let (a, b) = ((start - 1) as usize, end as usize);
        if b - a <= 32 {
            // Copied out of the string looked up above.
            let mut buf = [0u8; 32];
            buf[..b - a].copy_from_slice(&bytes[a..b]);
            ctx.vm.intern(&buf[..b - a])?
        } else {
            intern_sub(ctx.vm, s, a, b)?
        }
    };
    ctx.push(Value::String(r))?;
    Ok(1)
}

/// The substring `[a, b)` of `s`, interned.
#[inline]
fn intern_sub(vm: &mut Vm, s: StrRef, a: usize, b: usize) -> LuaResult<StrRef> {
    let n = b - a;
    if n <= 64 {
        let mut buf = [0u8; 64];
        buf[..n].copy_from_slice(&vm.str_bytes(s)[a..b]);
        vm.intern(&buf[..n])
    } else {
        // Fallible and charged: a substring can be as large as its string.
        let mut buf = result_buf(vm, n)?;
        put(vm, &mut buf, &vm.str_bytes(s)[a..b]).map_err(|e| oom(vm, e))?;
        vm.heap.intern_buf(buf).map_err(|_| vm.memory_error())
    }
}

/// The substring `[a, b)` of `s` as a string value.
fn sub_value(vm: &mut Vm, s: StrRef, a: usize, b: usize) -> LuaResult<Value> {
    Ok(Value::String(intern_sub(vm, s, a, b)?))
}

/// Pushes `s` transformed byte-wise by `f` into a buffer of the same
/// length (on the stack for short strings).
fn push_transformed(ctx: &mut Ctx, s: StrRef, f: impl Fn(&[u8], &mut [u8])) -> LuaResult<()> {
    let n = ctx.vm.str_bytes(s).len();
    let r = if n <= 128 {
        let mut buf = [0u8; 128];
        f(ctx.vm.str_bytes(s), &mut buf[..n]);
        ctx.vm.intern(&buf[..n])?
    } else {
        // Fallible and charged, like every large result.
        let mut buf = result_buf(ctx.vm, n)?;
        buf.fill(&ctx.vm.heap, 0, n).map_err(|e| oom(ctx.vm, e))?;
        f(ctx.vm.str_bytes(s), buf.as_mut_slice());
        ctx.vm
            .heap
            .intern_buf(buf)
            .map_err(|_| ctx.vm.memory_error())?
    };
    ctx.push(Value::String(r))
}

fn reverse(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = ctx.check_string(1)?;
    push_transformed(ctx, s, |src, dst| {
        for (d, c) in dst.iter_mut().zip(src.iter().rev()) {
            *d = *c;
        }
    })?;
    Ok(1)
}

fn lower(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = string_arg(ctx, 1)?;
    push_transformed(ctx, s, |src, dst| {
        for (d, c) in dst.iter_mut().zip(src) {
            *d = c.to_ascii_lowercase();
        }
    })?;
    Ok(1)
}

fn upper(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = string_arg(ctx, 1)?;
    push_transformed(ctx, s, |src, dst| {
        for (d, c) in dst.iter_mut().zip(src) {
            *d = c.to_ascii_uppercase();
        }
    })?;
    Ok(1)
}

fn rep(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = ctx.check_string(1)?;
    let n = ctx.check_integer(2)? as i32;
    let l = ctx.vm.str_bytes(s).len();
    if n <= 0 || l == 0 {
        let v = ctx.vm.str_value(b"")?;
        ctx.push(v)?;
        return Ok(1);
    }
    let total = l.saturating_mul(n as usize);
    check_size(ctx, total)?;
    if total <= 128 {
        // A short result is built on the stack and interned from there
        // (no buffer to allocate and give back), charged as below.
        let mut buf = [0u8; 128];
        buf[..l].copy_from_slice(ctx.vm.str_bytes(s));
        let mut len = l;
        while len < total {
            let n = len.min(total - len);
            ctx.vm.charge(1)?;
            buf.copy_within(0..n, len);
            len += n;
        }
        ctx.push_str(&buf[..total])?;
        return Ok(1);
    }
    // Reserved once, fallibly, then filled by doubling what is there.
    let mut b = result_buf(ctx.vm, total)?;
    put(ctx.vm, &mut b, ctx.vm.str_bytes(s)).map_err(|e| oom(ctx.vm, e))?;
    while b.len() < total {
        let n = b.len().min(total - b.len());
        ctx.vm.charge(1 + (n >> 16) as i64)?;
        b.extend_from_within(&ctx.vm.heap, 0..n)
            .map_err(|e| oom(ctx.vm, e))?;
    }
    push_buf(ctx, b)?;
    Ok(1)
}

fn byte(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = string_arg(ctx, 1)?;
    let posi = opt_int(ctx, 2, 1)?;
    let pose = match ctx.arg(3) {
        Value::Nil => None,
        _ => Some(opt_int(ctx, 3, 0)?),
    };
    let bytes = ctx.vm.str_bytes(s);
    let l = bytes.len();
    let posi = posrelat(posi, l);
    let pose = match pose {
        // One byte (the common call): no range to walk.
        None => {
            let Some(&c) = (posi as usize).checked_sub(1).and_then(|i| bytes.get(i)) else {
                return Ok(0);
            };
            ctx.push(Value::Number(c as f64))?;
            return Ok(1);
        }
        Some(e) => posrelat(e, l).min(l as i64),
    };
    let posi = posi.max(1);
    if posi > pose {
        return Ok(0);
    }
    let n = (pose - posi + 1) as usize;
    if n + ctx.nargs() > MAX_CSTACK {
        return Err(ctx.error("stack overflow (string slice too long)"));
    }
    let (a, b) = ((posi - 1) as usize, pose as usize);
    if n <= 16 {
        // A few bytes (a binary decoder's word): the string looked up once.
        let mut buf = [0u8; 16];
        buf[..n].copy_from_slice(&ctx.vm.str_bytes(s)[a..b]);
        for &c in &buf[..n] {
            ctx.push(Value::Number(c as f64))?;
        }
        return Ok(n);
    }
    for i in a..b {
        let c = ctx.vm.str_bytes(s)[i];
        ctx.push(Value::Number(c as f64))?;
    }
    Ok(n)
}

fn char(ctx: &mut Ctx) -> LuaResult<usize> {
    let n = ctx.nargs();
    if n <= 32 {
        // The common call: a few numbers that are bytes, in a buffer on
        // the stack; anything else takes the checked loop below.
        let mut buf = [0u8; 32];
        let mut ok = true;
        for (i, slot) in buf[..n].iter_mut().enumerate() {
            match ctx.arg(i + 1) {
                Value::Number(x) if (0.0..256.0).contains(&x) => *slot = x as u8,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            let r = ctx.vm.intern(&buf[..n])?;
            ctx.push(Value::String(r))?;
            return Ok(1);
        }
    }
    let mut b: SmallVec<[u8; 32]> = SmallVec::with_capacity(n);
    for i in 1..=n {
        let c = ctx.check_integer(i)? as i32;
        if c as u8 as i32 != c {
            return Err(ctx.arg_error(i, "invalid value"));
        }
        b.push(c as u8);
    }
    ctx.push_str(&b)?;
    Ok(1)
}

fn dump(ctx: &mut Ctx) -> LuaResult<usize> {
    let f = ctx.check_type(1, Type::Function)?;
    match crate::dump::dump_function(ctx.vm, f) {
        Some(Ok(bytes)) => {
            ctx.push_str(&bytes)?;
            Ok(1)
        }
        Some(Err(e)) => Err(ctx.error(format!("unable to dump given function: {e}"))),
        None => Err(ctx.error("unable to dump given function")),
    }
}

// ------------------------------------------------------------ matching

/// Pushes the values of a match `[s, e)` of subject `src`: its captures,
/// or the whole match when `whole` and there are none.
fn push_captures(
    ctx: &mut Ctx,
    ms: &MatchState,
    src: StrRef,
    s: usize,
    e: usize,
    whole: bool,
) -> LuaResult<usize> {
    let n = ms.num_values(whole);
    for i in 0..n {
        match ms.get_capture(i, s, e) {
            Ok(Cap::Str(a, b)) => {
                let r = intern_sub(ctx.vm, src, a, b)?;
                ctx.push(Value::String(r))?;
            }
            Ok(Cap::Pos(p)) => ctx.push(Value::Number(p as f64))?,
            Err(err) => return Err(pat_error(ctx, err)),
        }
    }
    Ok(n)
}

fn cap_value(vm: &mut Vm, src: StrRef, c: Cap) -> LuaResult<Value> {
    match c {
        Cap::Str(a, b) => sub_value(vm, src, a, b),
        Cap::Pos(p) => Ok(Value::Number(p as f64)),
    }
}

/// A string argument that is a string already, or `check_string`'s
/// conversion and errors.
#[inline(always)]
fn string_arg(ctx: &mut Ctx, i: usize) -> LuaResult<StrRef> {
    match ctx.arg(i) {
        Value::String(s) => Ok(s),
        _ => ctx.check_string(i),
    }
}

/// Continues a search that paused (see [`search`]): charges the VM's
/// instruction budget for each pause, so that time limits and kills
/// reach a match that backtracks for long. The pattern body is
/// `pat_ref[pa..pb]`.
#[cold]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn search_paused(
    vm: &mut Vm,
    searcher: &mut Searcher<'_>,
    ms: &mut MatchState,
    src_ref: StrRef,
    pat_ref: StrRef,
    (pa, pb): (usize, usize),
    init: usize,
    anchor: bool,
) -> LuaResult<Result<Option<(usize, usize)>, PatError>> {
    loop {
        vm.charge(MATCH_CHARGE)?;
        let r = {
            let src = vm.str_bytes(src_ref);
            let pat = vm.str_bytes(pat_ref).get(pa..pb).unwrap_or(&[]);
            searcher.find(ms, Subject::new(src, pat), init, anchor)
        };
        if r != Err(PatError::Paused) {
            return Ok(r);
        }
    }
}

/// Runs a search to its end (see [`search_paused`] for what a pause
/// costs). The pattern body is `pat_ref[pa..pb]`.
#[inline]
#[allow(clippy::too_many_arguments)]
fn search(
    vm: &mut Vm,
    searcher: &mut Searcher<'_>,
    ms: &mut MatchState,
    src_ref: StrRef,
    pat_ref: StrRef,
    range: (usize, usize),
    init: usize,
    anchor: bool,
) -> LuaResult<Result<Option<(usize, usize)>, PatError>> {
    let r = {
        let src = vm.str_bytes(src_ref);
        let pat = vm.str_bytes(pat_ref).get(range.0..range.1).unwrap_or(&[]);
        searcher.find(ms, Subject::new(src, pat), init, anchor)
    };
    if r == Err(PatError::Paused) {
        return search_paused(vm, searcher, ms, src_ref, pat_ref, range, init, anchor);
    }
    Ok(r)
}

/// `string.find` and `string.match` (5.1's str_find_aux).
fn find_aux(ctx: &mut Ctx, find: bool) -> LuaResult<usize> {
    let s = string_arg(ctx, 1)?;
    let p = string_arg(ctx, 2)?;
    let init = opt_int(ctx, 3, 1)?;
    let plain = find && ctx.arg(4).is_truthy();
    // Each string's bytes are looked up once; the pattern's facts come
    // from the cache (one scan of a pattern used before: none).
    let mut ms = pattern::take_state();
    let mut paused = None;
    let (r, captures, init) = {
        let src = ctx.vm.str_bytes(s);
        let pat_full = ctx.vm.str_bytes(p);
        let l1 = src.len();
        let init = (posrelat(init, l1) - 1).clamp(0, l1 as i64) as usize;
        let searched = if plain {
            None
        } else {
            // The search runs where the cache keeps the pattern's analysis.
            PatInfo::with(pat_full, p.hash(), |info| {
                if find && info.plain {
                    return None;
                }
                let pat = pat_full.get(info.anchor as usize..info.cut).unwrap_or(&[]);
                let mut searcher = info.searcher();
                let r = searcher.find(&mut ms, Subject::new(src, pat), init, info.anchor);
                if r == Err(PatError::Paused) {
                    paused = Some(searcher.state());
                }
                Some(r)
            })
        };
        match searched {
            Some(r) => (r, true, init),
            None => {
                // Plain text (5.1's lmemfind, with the pattern's full
                // length: a NUL in it is searched for too).
                let r = pattern::find_bytes(&src[init..], pat_full)
                    .map(|at| (init + at, init + at + pat_full.len()));
                (Ok(r), false, init)
            }
        }
    };
    let r = match paused {
        None => r,
        Some(st) => {
            let info = PatInfo::cached(ctx.vm.str_bytes(p), p.hash());
            let mut searcher = info.resume_searcher(st);
            let range = (info.anchor as usize, info.cut);
            search_paused(
                ctx.vm,
                &mut searcher,
                &mut ms,
                s,
                p,
                range,
                init,
                info.anchor,
            )?
        }
    };
    let n = match r {
        Err(e) => return Err(pat_error(ctx, e)),
        Ok(None) => {
            ctx.push(Value::Nil)?;
            1
        }
        Ok(Some((start, end))) => {
            if find {
                ctx.push(Value::Number((start + 1) as i64 as f64))?;
                ctx.push(Value::Number(end as i64 as f64))?;
                if captures && ms.level > 0 {
                    2 + push_captures(ctx, &ms, s, start, end, false)?
                } else {
                    2
                }
            } else {
                push_captures(ctx, &ms, s, start, end, true)?
            }
        }
    };
    pattern::give_state(ms);
    Ok(n)
}

fn find(ctx: &mut Ctx) -> LuaResult<usize> {
    find_aux(ctx, true)
}

fn match_(ctx: &mut Ctx) -> LuaResult<usize> {
    find_aux(ctx, false)
}

fn gmatch(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = ctx.check_string(1)?;
    let p = ctx.check_string(2)?;
    let f = ctx.vm.native_closure(
        Native::Fn(gmatch_aux),
        vec![Value::String(s), Value::String(p), Value::Number(0.0)],
    )?;
    ctx.push(f)?;
    Ok(1)
}

fn gmatch_aux(ctx: &mut Ctx) -> LuaResult<usize> {
    let (Value::String(s), Value::String(p), Value::Number(pos)) =
        (ctx.upvalue(0), ctx.upvalue(1), ctx.upvalue(2))
    else {
        return Ok(0);
    };
    let pos = pos as usize;
    let mut ms = pattern::take_state();
    // gmatch has no anchor: a leading `^` is an ordinary character.
    let mut paused = None;
    let r = {
        let src = ctx.vm.str_bytes(s);
        let pat = ctx.vm.str_bytes(p);
        PatInfo::with(pat, p.hash(), |info| {
            let whole;
            let info = if info.anchor {
                whole = PatInfo::unanchored(&pat[..info.cut]);
                &whole
            } else {
                info
            };
            let mut searcher = info.searcher();
            let r = searcher.find(&mut ms, Subject::new(src, &pat[..info.cut]), pos, false);
            if r == Err(PatError::Paused) {
                paused = Some(searcher.state());
            }
            r
        })
    };
    let r = match paused {
        None => r,
        Some(st) => {
            let info = {
                let pat = ctx.vm.str_bytes(p);
                let info = PatInfo::cached(pat, p.hash());
                if info.anchor {
                    PatInfo::unanchored(&pat[..info.cut])
                } else {
                    info
                }
            };
            let mut searcher = info.resume_searcher(st);
            search_paused(
                ctx.vm,
                &mut searcher,
                &mut ms,
                s,
                p,
                (0, info.cut),
                pos,
                false,
            )?
        }
    };
    let n = match r {
        Err(e) => return Err(pat_error(ctx, e)),
        Ok(None) => 0,
        Ok(Some((start, end))) => {
            let next = if end == start { end + 1 } else { end };
            ctx.set_upvalue(2, Value::Number(next as f64));
            push_captures(ctx, &ms, s, start, end, true)?
        }
    };
    pattern::give_state(ms);
    Ok(n)
}

/// The replacement argument of gsub.
enum Repl {
    Str(StrRef),
    Table(Value),
    Func(Value),
}

fn gsub(ctx: &mut Ctx) -> LuaResult<usize> {
    let src_ref = str_arg(ctx, 1)?;
    let pat_ref = str_arg(ctx, 2)?;
    let srcl = ctx.vm.str_bytes(src_ref).len();
    let tr = ctx.arg(3);
    let max_s = if ctx.arg(4).is_nil() {
        (srcl as i64 + 1) as i32
    } else {
        ctx.check_integer(4)? as i32
    };
    let repl = match tr {
        Value::Number(_) | Value::String(_) => Repl::Str(str_arg(ctx, 3)?),
        Value::Table(_) => Repl::Table(tr),
        Value::Function(_) => Repl::Func(tr),
        _ => return Err(ctx.arg_error(3, "string/function/table expected")),
    };
    // A copy of the analysis: the replacement may call Lua, which may
    // search with other patterns.
    let info = PatInfo::cached(ctx.vm.str_bytes(pat_ref), pat_ref.hash());
    let (anchor, range) = (info.anchor, (info.anchor as usize, info.cut));
    let mut searcher = info.searcher();
    let mut ms = pattern::take_state();
    // The result grows in a buffer charged to the limit, fallibly.
    let mut out = ctx.vm.heap.buf_from(take_buf());
    let mut pos = 0usize;
    let mut n: i32 = 0;
    while n < max_s {
        let found = match search(
            ctx.vm,
            &mut searcher,
            &mut ms,
            src_ref,
            pat_ref,
            range,
            pos,
            anchor,
        )? {
            Ok(Some((q, e))) => {
                let src = ctx.vm.str_bytes(src_ref);
                let r = out
                    .reserve(&ctx.vm.heap, srcl.saturating_sub(out.len()).min(srcl) + 16)
                    .and_then(|()| put(ctx.vm, &mut out, &src[pos..q]));
                Some(r.map(|()| (q, e)))
            }
            Ok(None) => None,
            Err(e) => return Err(pat_error(ctx, e)),
        };
        let Some(found) = found else { break };
        let (q, e) = found.map_err(|err| oom(ctx.vm, err))?;
        n += 1;
        // Each match is work the budget sees (a long subject with many
        // cheap matches must not outlast a time limit).
        ctx.vm.charge(1)?;
        match &repl {
            Repl::Str(r) => {
                let r = *r;
                match add_s(ctx.vm, &mut out, &ms, src_ref, r, q, e) {
                    Ok(()) => {}
                    Err(AddErr::Pat(err)) => return Err(pat_error(ctx, err)),
                    Err(AddErr::Mem(err)) => return Err(oom(ctx.vm, err)),
                }
            }
            Repl::Table(t) => {
                let key = match ms.get_capture(0, q, e) {
                    Ok(c) => cap_value(ctx.vm, src_ref, c)?,
                    Err(err) => return Err(pat_error(ctx, err)),
                };
                let v = match *t {
                    // Without a metatable the lookup is raw: no Lua runs.
                    Value::Table(tr) if ctx.vm.metatable_of(*t).is_none() => {
                        ctx.vm.raw_get(tr, key)
                    }
                    _ => {
                        // The key must stay reachable while __index runs.
                        let base = ctx.vm.stack_top();
                        ctx.push(key)?;
                        let v = ctx.vm.index(*t, key)?;
                        ctx.vm.set_stack_top(base)?;
                        v
                    }
                };
                add_value(ctx, &mut out, v, src_ref, q, e)?;
            }
            Repl::Func(f) => {
                let base = ctx.vm.stack_top();
                ctx.push(*f)?;
                push_captures(ctx, &ms, src_ref, q, e, true)?;
                ctx.vm.call_slot(base, 1)?;
                let v = ctx.vm.stack_get(base);
                ctx.vm.set_stack_top(base + 1)?;
                let r = add_value(ctx, &mut out, v, src_ref, q, e);
                ctx.vm.set_stack_top(base)?;
                r?;
            }
        }
        check_size(ctx, out.len())?;
        let src = ctx.vm.str_bytes(src_ref);
        if e > q {
            pos = e;
        } else if q < src.len() {
            put(ctx.vm, &mut out, &src[q..q + 1]).map_err(|err| oom(ctx.vm, err))?;
            pos = q + 1;
        } else {
            pos = q;
            break;
        }
        if anchor {
            break;
        }
    }
    pattern::give_state(ms);
    let result = if n == 0 {
        give_buf(out.into_vec());
        Value::String(src_ref)
    } else {
        let src = ctx.vm.str_bytes(src_ref);
        put(ctx.vm, &mut out, &src[pos.min(src.len())..]).map_err(|err| oom(ctx.vm, err))?;
        check_size(ctx, out.len())?;
        if out.len() > 1 << 16 {
            // A long result keeps the buffer's bytes (no copy).
            let s = ctx
                .vm
                .heap
                .intern_buf(out)
                .map_err(|_| ctx.vm.memory_error())?;
            Value::String(s)
        } else {
            let v = ctx.vm.str_value(out.as_slice())?;
            give_buf(out.into_vec());
            v
        }
    };
    ctx.push(result)?;
    ctx.push(Value::Number(n as f64))?;
    Ok(2)
}

/// Why [`add_s`] failed.
enum AddErr {
    Pat(PatError),
    Mem(HeapError),
}

impl From<PatError> for AddErr {
    fn from(e: PatError) -> AddErr {
        AddErr::Pat(e)
    }
}

impl From<HeapError> for AddErr {
    fn from(e: HeapError) -> AddErr {
        AddErr::Mem(e)
    }
}

/// Appends a string replacement with its `%0`-`%9` and `%%` escapes
/// (5.1's add_s). A `%` ending the replacement adds the C string's NUL.
fn add_s(
    vm: &Vm,
    out: &mut Buf,
    ms: &MatchState,
    src_ref: StrRef,
    r: StrRef,
    s: usize,
    e: usize,
) -> Result<(), AddErr> {
    let news = vm.str_bytes(r);
    let src = vm.str_bytes(src_ref);
    let mut i = 0;
    while i < news.len() {
        let run = pattern::memchr(b'%', &news[i..]).unwrap_or(news.len() - i);
        put(vm, out, &news[i..i + run])?;
        i += run;
        if i >= news.len() {
            break;
        }
        i += 1;
        let c = news.get(i).copied().unwrap_or(0);
        if !c.is_ascii_digit() {
            put(vm, out, &[c])?;
        } else if c == b'0' {
            put(vm, out, &src[s..e])?;
        } else {
            match ms.get_capture((c - b'1') as usize, s, e)? {
                Cap::Str(a, b) => put(vm, out, &src[a..b])?,
                Cap::Pos(p) => put(vm, out, &fmt_number(p as f64))?,
            }
        }
        i += 1;
    }
    Ok(())
}

/// Appends the value a table or function replacement produced: false or
/// nil keeps the match, strings and numbers replace it.
fn add_value(
    ctx: &mut Ctx,
    out: &mut Buf,
    v: Value,
    src_ref: StrRef,
    s: usize,
    e: usize,
) -> LuaResult<()> {
    let r = match v {
        Value::Nil | Value::Boolean(false) => put(ctx.vm, out, &ctx.vm.str_bytes(src_ref)[s..e]),
        Value::String(r) => put(ctx.vm, out, ctx.vm.str_bytes(r)),
        Value::Number(x) => put(ctx.vm, out, &fmt_number(x)),
        other => {
            let msg = format!("invalid replacement value (a {})", other.type_name());
            return Err(ctx.error(msg));
        }
    };
    r.map_err(|e| oom(ctx.vm, e))
}
