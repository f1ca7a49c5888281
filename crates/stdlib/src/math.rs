//! The math library, with Lua 5.1's functions, registration order and
//! argument checks. The elementary functions are Rust's `f64` methods,
//! which call the platform's libm as C does.
//!
//! # Random numbers
//!
//! `math.random` and `math.randomseed` draw from a pluggable generator
//! ([`Rng`]). [`open`] installs [`GlibcRand`], a bit-exact copy of glibc's
//! `rand()`/`srand()` (what `lua5.1` uses on Linux; default seed 1), so
//! that seeded sequences match `lua5.1`'s. An embedder that needs another
//! generator (the Redis bridge installs Redis's platform-independent
//! 48-bit LCG) opens the library with [`open_with_rng`]:
//!
//! ```ignore
//! ferrous_stdlib::math::open_with_rng(&mut vm, Box::new(MyRng::new()))?;
//! ```
//!
//! The generator lives in a userdata shared (as upvalue) by `random` and
//! `randomseed`, so its state persists for the life of the Lua state.
//! Whatever the generator, `math.random` scales its draws as Lua 5.1 does
//! (`floor(r*u)+1`, `floor(r*(u-l+1))+l`) and checks its arguments with
//! Lua 5.1's messages.

use ferrous_vm::{Ctx, LuaResult, Native, NativeFn, UdRef, Value, Vm};

/// A source of random numbers for `math.random`.
pub trait Rng {
    /// The next draw in `[0, 1)`. Lua 5.1 computes it as
    /// `(rand() % RAND_MAX) / RAND_MAX`.
    fn next_f64(&mut self) -> f64;
    /// Reseeds the generator (`math.randomseed(n)`; `n` is converted as
    /// `luaL_checkint` does: truncated, then cut to a C int).
    fn seed(&mut self, seed: i32);
}

/// glibc's `rand()`: the TYPE_3 additive feedback generator (31 words of
/// state, separation 3), seeded from one word by the 16807 linear
/// congruential generator and warmed up by 310 discarded outputs.
#[derive(Clone, Debug)]
pub struct GlibcRand {
    state: [u32; 31],
    front: usize,
    rear: usize,
}

/// C's RAND_MAX with glibc.
pub const RAND_MAX: u32 = 2_147_483_647;

impl Default for GlibcRand {
    fn default() -> Self {
        GlibcRand::new(1)
    }
}

impl GlibcRand {
    /// A generator as `srand(seed)` leaves it.
    pub fn new(seed: u32) -> GlibcRand {
        let mut g = GlibcRand {
            state: [0; 31],
            front: 3,
            rear: 0,
        };
        g.srand(seed);
        g
    }

    /// `srand(seed)`.
    pub fn srand(&mut self, seed: u32) {
        let seed = if seed == 0 { 1 } else { seed };
        self.state[0] = seed;
        let mut word = seed as i32;
        for i in 1..31 {
            // 16807 * word % (2^31 - 1) without overflow (Schrage's method),
            // with C's truncating division on signed words.
            let hi = word / 127_773;
            let lo = word % 127_773;
            word = 16_807i32
                .wrapping_mul(lo)
                .wrapping_sub(2_836i32.wrapping_mul(hi));
            if word < 0 {
                word = word.wrapping_add(2_147_483_647);
            }
            self.state[i] = word as u32;
        }
        self.front = 3;
        self.rear = 0;
        for _ in 0..310 {
            self.rand();
        }
    }

    /// `rand()`: a value in `0..=RAND_MAX`.
    pub fn rand(&mut self) -> u32 {
        // front and rear always stay below 31.
        let v = self.state[self.front].wrapping_add(self.state[self.rear]);
        self.state[self.front] = v;
        self.front = if self.front == 30 { 0 } else { self.front + 1 };
        self.rear = if self.rear == 30 { 0 } else { self.rear + 1 };
        v >> 1
    }
}

impl Rng for GlibcRand {
    fn next_f64(&mut self) -> f64 {
        (self.rand() % RAND_MAX) as f64 / RAND_MAX as f64
    }

    fn seed(&mut self, seed: i32) {
        self.srand(seed as u32);
    }
}

/// Redis's platform-independent generator for scripts: a 48-bit linear
/// congruential generator with lrand48's constants (state starts at
/// `0x1234ABCD330E`; `x = x * 0x5DEECE66D + 0xB mod 2^48`, output
/// `x >> 17`), reseeded like `srand48`. Draws are scaled like Lua's:
/// `(output % 2147483647) / 2147483647`. Install it with
/// [`open_with_rng`]; keep the same Lua state for the server's life so the
/// sequence persists across scripts, as Redis's does.
#[derive(Clone, Debug)]
pub struct RedisRand {
    x: u64,
}

impl Default for RedisRand {
    fn default() -> Self {
        RedisRand {
            x: 0x1234_ABCD_330E,
        }
    }
}

impl RedisRand {
    /// The generator as a fresh server has it.
    pub fn new() -> RedisRand {
        RedisRand::default()
    }

    /// `redisLrand48()`: the next 31-bit output.
    pub fn lrand48(&mut self) -> u32 {
        self.x = self.x.wrapping_mul(0x5_DEEC_E66D).wrapping_add(0xB) & ((1u64 << 48) - 1);
        (self.x >> 17) as u32
    }
}

impl Rng for RedisRand {
    fn next_f64(&mut self) -> f64 {
        (self.lrand48() % RAND_MAX) as f64 / RAND_MAX as f64
    }

    fn seed(&mut self, seed: i32) {
        let n = seed as u32 as u64;
        self.x = ((n >> 16) << 32) | ((n & 0xffff) << 16) | 0x330E;
    }
}

/// The userdata payload holding the generator.
struct RngBox(Box<dyn Rng>);

/// Registration order of lmathlib.c (it decides `pairs(math)` order).
const FUNCS: &[(&str, NativeFn)] = &[
    ("abs", abs),
    ("acos", acos),
    ("asin", asin),
    ("atan2", atan2),
    ("atan", atan),
    ("ceil", ceil),
    ("cosh", cosh),
    ("cos", cos),
    ("deg", deg),
    ("exp", exp),
    ("floor", floor),
    ("fmod", fmod),
    ("frexp", frexp),
    ("ldexp", ldexp),
    ("log10", log10),
    ("log", log),
    ("max", max),
    ("min", min),
    ("modf", modf),
    ("pow", pow),
    ("rad", rad),
    ("random", random),
    ("randomseed", randomseed),
    ("sinh", sinh),
    ("sin", sin),
    ("sqrt", sqrt),
    ("tanh", tanh),
    ("tan", tan),
];

/// Opens the `math` library with glibc's generator.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    open_with_rng(vm, Box::new(GlibcRand::default()))
}

/// Opens the `math` library with `rng` behind `math.random` and
/// `math.randomseed`.
pub fn open_with_rng(vm: &mut Vm, rng: Box<dyn Rng>) -> LuaResult<()> {
    let t = crate::register_lib(vm, "math", FUNCS)?;
    // random and randomseed share the generator as their upvalue.
    let u = vm.new_userdata(Box::new(RngBox(rng)), 0)?;
    let f = vm.native_closure(Native::Fn(random), vec![Value::Userdata(u)])?;
    vm.raw_set_str(t, b"random", f)?;
    let f = vm.native_closure(Native::Fn(randomseed), vec![Value::Userdata(u)])?;
    vm.raw_set_str(t, b"randomseed", f)?;
    vm.raw_set_str(t, b"pi", Value::Number(std::f64::consts::PI))?;
    vm.raw_set_str(t, b"huge", Value::Number(f64::INFINITY))?;
    // LUA_COMPAT_MOD: math.mod is math.fmod.
    let fmod = vm.raw_get_str(t, b"fmod")?;
    vm.raw_set_str(t, b"mod", fmod)?;
    Ok(())
}

fn with_rng<R>(ctx: &mut Ctx, f: impl FnOnce(&mut dyn Rng) -> R) -> Option<R> {
    let Value::Userdata(u) = ctx.upvalue(0) else {
        return None;
    };
    let u: UdRef = u;
    let ud = ctx.vm.heap.userdata_mut(u)?;
    let b = ud.payload_mut().downcast_mut::<RngBox>()?;
    Some(f(b.0.as_mut()))
}

fn push_num(ctx: &mut Ctx, x: f64) -> LuaResult<usize> {
    ctx.push(Value::Number(x))?;
    Ok(1)
}

/// `luaL_checkint`.
fn check_int(ctx: &mut Ctx, i: usize) -> LuaResult<i32> {
    Ok(ctx.check_integer(i)? as i32)
}

// Binary functions check argument 2 first: gcc evaluates the C calls'
// arguments right to left, and the messages show it.

macro_rules! unary {
    ($($name:ident => $f:expr;)*) => {$(
        fn $name(ctx: &mut Ctx) -> LuaResult<usize> {
            let x = ctx.check_number(1)?;
            let f: fn(f64) -> f64 = $f;
            push_num(ctx, f(x))
        }
    )*};
}

unary! {
    abs => f64::abs;
    acos => f64::acos;
    asin => f64::asin;
    atan => f64::atan;
    ceil => f64::ceil;
    cosh => f64::cosh;
    cos => f64::cos;
    exp => f64::exp;
    floor => ferrous_value::number::floor;
    log10 => f64::log10;
    log => f64::ln;
    sinh => f64::sinh;
    sin => f64::sin;
    sqrt => f64::sqrt;
    tanh => f64::tanh;
    tan => f64::tan;
    deg => |x| x / (std::f64::consts::PI / 180.0);
    rad => |x| x * (std::f64::consts::PI / 180.0);
}

fn atan2(ctx: &mut Ctx) -> LuaResult<usize> {
    let x = ctx.check_number(2)?;
    let y = ctx.check_number(1)?;
    push_num(ctx, y.atan2(x))
}

fn fmod(ctx: &mut Ctx) -> LuaResult<usize> {
    let b = ctx.check_number(2)?;
    let a = ctx.check_number(1)?;
    // Rust's `%` on floats is C's fmod.
    push_num(ctx, a % b)
}

fn pow(ctx: &mut Ctx) -> LuaResult<usize> {
    let b = ctx.check_number(2)?;
    let a = ctx.check_number(1)?;
    push_num(ctx, a.powf(b))
}

fn modf(ctx: &mut Ctx) -> LuaResult<usize> {
    let x = ctx.check_number(1)?;
    let (ip, fp) = c_modf(x);
    ctx.push(Value::Number(ip))?;
    ctx.push(Value::Number(fp))?;
    Ok(2)
}

/// C's `modf`: integral and fractional parts, both with the sign of `x`.
pub fn c_modf(x: f64) -> (f64, f64) {
    if x.is_infinite() {
        return (x, 0.0f64.copysign(x));
    }
    let ip = x.trunc();
    (ip, (x - ip).copysign(x))
}

fn frexp(ctx: &mut Ctx) -> LuaResult<usize> {
    let x = ctx.check_number(1)?;
    let (m, e) = c_frexp(x);
    ctx.push(Value::Number(m))?;
    ctx.push(Value::Number(e as f64))?;
    Ok(2)
}

/// C's `frexp`: `x = m * 2^e` with `0.5 <= |m| < 1` (zero, infinities
/// and NaN come back unchanged with `e = 0`).
pub fn c_frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: normalise first.
        let (m, e) = c_frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let e = exp - 1022;
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, e)
}

fn ldexp(ctx: &mut Ctx) -> LuaResult<usize> {
    let e = check_int(ctx, 2)?;
    let x = ctx.check_number(1)?;
    push_num(ctx, c_ldexp(x, e))
}

/// C's `ldexp`: `x * 2^e`, rounded once (to nearest even), with overflow
/// to infinity and gradual underflow.
pub fn c_ldexp(x: f64, e: i32) -> f64 {
    if x == 0.0 || !x.is_finite() || e == 0 {
        return x;
    }
    let (m, fe) = c_frexp(x); // x = m * 2^fe, 0.5 <= |m| < 1
    let neg = m < 0.0;
    // 53-bit integer mantissa: x = mant * 2^(fe - 53).
    let mant = (m.abs() * 2f64.powi(53)) as u64;
    let exp = fe as i64 + e as i64; // result = 0.mant * 2^exp
    let sign = if neg { -1.0 } else { 1.0 };
    if exp > 1024 {
        return sign * f64::INFINITY;
    }
    if exp >= -1021 {
        // Normal: exponent field exp + 1022, mantissa without its top bit.
        let bits = ((exp + 1022) as u64) << 52 | (mant & ((1u64 << 52) - 1));
        return sign * f64::from_bits(bits);
    }
    // Subnormal: the value is mant * 2^(exp - 53); the subnormal unit is
    // 2^-1074, so shift right by (-1074 - (exp - 53)) with rounding.
    let shift = -1074 - (exp - 53);
    if shift > 54 {
        return sign * 0.0;
    }
    let shift = shift as u32;
    let q = mant >> shift;
    let rem = mant & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    let q = if rem > half || (rem == half && q & 1 == 1) {
        q + 1
    } else {
        q
    };
    // q may carry into the smallest normal exponent: from_bits handles it.
    sign * f64::from_bits(q)
}

fn min(ctx: &mut Ctx) -> LuaResult<usize> {
    let n = ctx.nargs();
    let mut m = ctx.check_number(1)?;
    for i in 2..=n {
        let d = ctx.check_number(i)?;
        if d < m {
            m = d;
        }
    }
    push_num(ctx, m)
}

fn max(ctx: &mut Ctx) -> LuaResult<usize> {
    let n = ctx.nargs();
    let mut m = ctx.check_number(1)?;
    for i in 2..=n {
        let d = ctx.check_number(i)?;
        if d > m {
            m = d;
        }
    }
    push_num(ctx, m)
}

fn random(ctx: &mut Ctx) -> LuaResult<usize> {
    // The draw happens before the arguments are checked, as in Lua 5.1.
    let r = with_rng(ctx, |g| g.next_f64()).unwrap_or(0.0);
    match ctx.nargs() {
        0 => push_num(ctx, r),
        1 => {
            let u = check_int(ctx, 1)?;
            if u < 1 {
                return Err(ctx.arg_error(1, "interval is empty"));
            }
            push_num(ctx, ferrous_value::number::floor(r * u as f64) + 1.0)
        }
        2 => {
            let l = check_int(ctx, 1)?;
            let u = check_int(ctx, 2)?;
            if l > u {
                return Err(ctx.arg_error(2, "interval is empty"));
            }
            // u-l+1 is computed in a C int.
            let width = u.wrapping_sub(l).wrapping_add(1);
            push_num(
                ctx,
                ferrous_value::number::floor(r * width as f64) + l as f64,
            )
        }
        _ => Err(ctx.error("wrong number of arguments")),
    }
}

fn randomseed(ctx: &mut Ctx) -> LuaResult<usize> {
    let s = check_int(ctx, 1)?;
    with_rng(ctx, |g| g.seed(s));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_rand_default_seed() {
        // glibc: srand(1); rand() x3.
        let mut g = GlibcRand::new(1);
        assert_eq!(g.rand(), 1804289383);
        assert_eq!(g.rand(), 846930886);
        assert_eq!(g.rand(), 1681692777);
    }

    #[test]
    fn glibc_rand_seed_zero_is_one() {
        let mut a = GlibcRand::new(0);
        let mut b = GlibcRand::new(1);
        for _ in 0..10 {
            assert_eq!(a.rand(), b.rand());
        }
    }

    fn run(vm: &mut Vm, src: &str) -> Vec<Value> {
        let f = vm.load(src.as_bytes(), b"=test");
        let f = f.unwrap_or_else(|_| unreachable!("load failed"));
        vm.call(f, &[])
            .unwrap_or_else(|_| unreachable!("call failed"))
    }

    #[test]
    fn redis_generator_through_the_hook() {
        // Values from /work/shared/redis-scripting.md (taken from
        // redis-server 7.0.15).
        let mut vm = Vm::new();
        assert!(open_with_rng(&mut vm, Box::new(RedisRand::new())).is_ok());
        let r = run(&mut vm, "return math.random(1000)");
        assert_eq!(r, vec![Value::Number(397.0)]);
        let r = run(
            &mut vm,
            "math.randomseed(1) return math.random(1000), math.random(1000)",
        );
        assert_eq!(r, vec![Value::Number(42.0), Value::Number(455.0)]);
    }

    #[test]
    fn glibc_generator_matches_lua51() {
        // lua5.1 -e 'print(math.random(100))' prints 85 (default seed 1).
        let mut vm = Vm::new();
        assert!(open(&mut vm).is_ok());
        let r = run(&mut vm, "return math.random(100)");
        assert_eq!(r, vec![Value::Number(85.0)]);
    }

    #[test]
    fn frexp_ldexp_roundtrip() {
        for &x in &[1.0, -3.5, 1e-310, 5e-324, 1.7976931348623157e308, 0.1] {
            let (m, e) = c_frexp(x);
            assert!((0.5..1.0).contains(&m.abs()), "{x}");
            assert_eq!(c_ldexp(m, e), x);
        }
        assert_eq!(c_ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(c_ldexp(1.0, -1074), 5e-324);
        assert_eq!(c_ldexp(1.0, -1075), 0.0);
        assert_eq!(c_ldexp(1.5, -1074), 1e-323); // ties to even: 1.5 -> 2
        assert_eq!(c_ldexp(3.0, -1075), 1e-323);
    }

    #[test]
    fn modf_signs() {
        assert_eq!(c_modf(-3.0).1.to_bits(), (-0.0f64).to_bits());
        assert_eq!(c_modf(f64::INFINITY), (f64::INFINITY, 0.0));
        assert_eq!(c_modf(-2.5), (-2.0, -0.5));
    }
}
