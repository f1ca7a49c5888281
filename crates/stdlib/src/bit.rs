//! LuaBitOp 1.0.2's `bit` library, as Redis embeds it.
//!
//! Every operation works on 32-bit integers. An argument becomes one the
//! way LuaBitOp does it on a double-precision Lua: the number (strings are
//! coerced) has 2^52+2^51 added to it, which rounds it to an integer with
//! the FPU's round-half-to-even and leaves the integer's low 32 bits in the
//! low word of the double. So `tobit(2.5) == 2`, `tobit(2^32+5) == 5`, and
//! numbers too large for the trick give whatever their low mantissa bits
//! are, exactly as LuaBitOp gives them. Results are signed 32-bit values.
//!
//! `tohex(x, n)` prints `n` hex digits (8 by default, at most 8), upper case
//! when `n` is negative. The width -2^31 once crashed Redis (its negation
//! overflows); here it behaves like -(2^31-1), which is what Redis 7.0.15
//! answers (`"0000FFFF"` for 65535).

use ferrous_vm::{Ctx, LuaResult, NativeFn, Value, Vm};

/// luaL_register order of LuaBitOp's `bit_funcs`.
const FUNCS: &[(&str, NativeFn)] = &[
    ("tobit", tobit),
    ("bnot", bnot),
    ("band", band),
    ("bor", bor),
    ("bxor", bxor),
    ("lshift", lshift),
    ("rshift", rshift),
    ("arshift", arshift),
    ("rol", rol),
    ("ror", ror),
    ("bswap", bswap),
    ("tohex", tohex),
];

/// Opens `bit` (a global and `package.loaded.bit`, like `luaL_register`).
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    crate::register_lib(vm, "bit", FUNCS)?;
    Ok(())
}

/// 2^52 + 2^51: adding it moves a number's integer part into the low word.
const MAGIC: f64 = 6755399441055744.0;

/// The 32 bits LuaBitOp derives from a number.
pub fn normalize(n: f64) -> u32 {
    (n + MAGIC).to_bits() as u32
}

/// LuaBitOp's `barg`: `lua_tonumber` plus the normalisation; the type
/// error is raised only when the result is 0 and the argument is not a
/// number (Lua 5.1 build of LuaBitOp).
fn barg(ctx: &mut Ctx, i: usize) -> LuaResult<u32> {
    let v = ctx.arg(i);
    let n = ctx.vm.to_number(v);
    let b = normalize(n.unwrap_or(0.0));
    if b == 0 && n.is_none() {
        return Err(ctx.type_error(i, "number"));
    }
    Ok(b)
}

fn ret(ctx: &mut Ctx, b: u32) -> LuaResult<usize> {
    ctx.push(Value::Number(b as i32 as f64))?;
    Ok(1)
}

fn tobit(ctx: &mut Ctx) -> LuaResult<usize> {
    let b = barg(ctx, 1)?;
    ret(ctx, b)
}

fn bnot(ctx: &mut Ctx) -> LuaResult<usize> {
    let b = barg(ctx, 1)?;
    ret(ctx, !b)
}

/// band/bor/bxor: the first argument, then the others from the last one
/// down to the second (the order in which LuaBitOp checks them).
fn fold(ctx: &mut Ctx, op: fn(u32, u32) -> u32) -> LuaResult<usize> {
    let mut b = barg(ctx, 1)?;
    let mut i = ctx.nargs();
    while i > 1 {
        let x = barg(ctx, i)?;
        b = op(b, x);
        i -= 1;
    }
    ret(ctx, b)
}

fn band(ctx: &mut Ctx) -> LuaResult<usize> {
    fold(ctx, |a, b| a & b)
}

fn bor(ctx: &mut Ctx) -> LuaResult<usize> {
    fold(ctx, |a, b| a | b)
}

fn bxor(ctx: &mut Ctx) -> LuaResult<usize> {
    fold(ctx, |a, b| a ^ b)
}

/// The value and the shift count (taken modulo 32).
fn shift_args(ctx: &mut Ctx) -> LuaResult<(u32, u32)> {
    let b = barg(ctx, 1)?;
    let n = barg(ctx, 2)? & 31;
    Ok((b, n))
}

fn lshift(ctx: &mut Ctx) -> LuaResult<usize> {
    let (b, n) = shift_args(ctx)?;
    ret(ctx, b << n)
}

fn rshift(ctx: &mut Ctx) -> LuaResult<usize> {
    let (b, n) = shift_args(ctx)?;
    ret(ctx, b >> n)
}

fn arshift(ctx: &mut Ctx) -> LuaResult<usize> {
    let (b, n) = shift_args(ctx)?;
    ret(ctx, ((b as i32) >> n) as u32)
}

fn rol(ctx: &mut Ctx) -> LuaResult<usize> {
    let (b, n) = shift_args(ctx)?;
    ret(ctx, b.rotate_left(n))
}

fn ror(ctx: &mut Ctx) -> LuaResult<usize> {
    let (b, n) = shift_args(ctx)?;
    ret(ctx, b.rotate_right(n))
}

fn bswap(ctx: &mut Ctx) -> LuaResult<usize> {
    let b = barg(ctx, 1)?;
    ret(ctx, b.swap_bytes())
}

fn tohex(ctx: &mut Ctx) -> LuaResult<usize> {
    let b = barg(ctx, 1)?;
    let n = if ctx.nargs() < 2 {
        8
    } else {
        barg(ctx, 2)? as i32
    };
    let s = hex_digits(b, n);
    ctx.push_str(&s)?;
    Ok(1)
}

/// The text of `tohex(b, n)`.
pub fn hex_digits(mut b: u32, n: i32) -> Vec<u8> {
    let (width, digits): (usize, &[u8; 16]) = if n < 0 {
        // -(-2^31) does not exist: use the widest negative width instead.
        let w = if n == i32::MIN { i32::MAX } else { -n };
        (w.min(8) as usize, b"0123456789ABCDEF")
    } else {
        (n.min(8) as usize, b"0123456789abcdef")
    };
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = digits[(b & 15) as usize];
        b >>= 4;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_matches_luabitop() {
        assert_eq!(normalize(5.0), 5);
        assert_eq!(normalize(-1.0), u32::MAX);
        assert_eq!(normalize(2.5), 2);
        assert_eq!(normalize(3.5), 4);
        assert_eq!(normalize(-1.5), (-2i32) as u32);
        assert_eq!(normalize(4294967301.0), 5);
        assert_eq!(normalize(2147483648.0) as i32, i32::MIN);
        assert_eq!(normalize(f64::NAN), 0);
        assert_eq!(normalize(f64::INFINITY), 0);
    }

    #[test]
    fn hex_widths() {
        assert_eq!(hex_digits(255, 8), b"000000ff");
        assert_eq!(hex_digits(255, -2), b"FF");
        assert_eq!(hex_digits(255, 0), b"");
        assert_eq!(hex_digits(u32::MAX, 100), b"ffffffff");
        assert_eq!(hex_digits(65535, i32::MIN), b"0000FFFF");
        assert_eq!(hex_digits(65535, i32::MAX), b"0000ffff");
    }
}
