//! Small pieces shared by Redis's script libraries (cjson, cmsgpack, bit,
//! struct): C's number conversions as x86-64 performs them, C-string views
//! of Lua strings, the Lua stack limit their C code runs into, and output
//! buffers charged to the VM's memory accounting.

use ferrous_vm::{Buf, Ctx, LuaError, LuaResult, StrRef, Value, Vm};

use crate::string::MAX_STRING;

/// Lua 5.1's LUAI_MAXCSTACK: the most stack slots one C function may use.
/// `lua_checkstack(L, n)` fails when the function's slots plus `n` would
/// exceed it; the C libraries report that with their own messages, and we
/// count slots the same way to fail at exactly the same point.
pub const LUAI_MAXCSTACK: usize = 8000;

/// The bytes a C function sees through `const char *`: up to the first NUL.
pub fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

/// 2^63.
const TWO63: f64 = 9_223_372_036_854_775_808.0;

/// `(int64_t)d` as x86-64 computes it (`cvttsd2si`): truncation toward zero,
/// and 0x8000000000000000 for NaN and values out of range.
pub fn c_f64_to_i64(d: f64) -> i64 {
    if d.is_nan() || !(-TWO63..TWO63).contains(&d) {
        i64::MIN
    } else {
        d as i64
    }
}

/// `(int)d` as x86-64 computes it: 0x80000000 for NaN and out of range.
pub fn c_f64_to_i32(d: f64) -> i32 {
    if d.is_nan() || !(-2147483648.0..2147483648.0).contains(&d) {
        i32::MIN
    } else {
        d as i32
    }
}

/// `(uint64_t)d` (or `size_t`) as gcc compiles it for x86-64: values below
/// 2^63 (and NaN) go through the signed conversion, larger ones are
/// converted after subtracting 2^63 and get the top bit flipped back.
pub fn c_f64_to_u64(d: f64) -> u64 {
    if d >= TWO63 {
        (c_f64_to_i64(d - TWO63) as u64) ^ (1u64 << 63)
    } else {
        c_f64_to_i64(d) as u64
    }
}

/// `luaL_argerror` with a message that may hold any bytes (the standard
/// helper takes UTF-8 text).
pub fn arg_error_bytes(ctx: &mut Ctx, i: usize, msg: &[u8]) -> LuaError {
    if let Ok(text) = std::str::from_utf8(msg) {
        return ctx.arg_error(i, text);
    }
    const MARK: &str = "\u{1}\u{2}ferrous-arg-message\u{2}\u{1}";
    let e = ctx.arg_error(i, MARK);
    let Value::String(s) = e.value else {
        return e;
    };
    let text = ctx.vm.str_bytes(s).to_vec();
    let mark = MARK.as_bytes();
    let Some(at) = text.windows(mark.len()).position(|w| w == mark) else {
        return e;
    };
    let mut out = text[..at].to_vec();
    out.extend_from_slice(msg);
    out.extend_from_slice(&text[at + mark.len()..]);
    match ctx.vm.str_value(&out) {
        Ok(v) => LuaError::runtime(v),
        Err(err) => err,
    }
}

/// `luaL_checkstack`'s failure: "stack overflow (MSG)" raised with
/// `luaL_error` (so with the caller's position).
pub fn stack_overflow(ctx: &mut Ctx, what: &str) -> LuaError {
    ctx.error(format!("stack overflow ({what})"))
}

/// An output buffer whose growth is charged to the VM's memory limit and
/// reserved fallibly (a [`Buf`]: `try_reserve`, counted while it lives,
/// given back however the encoder returns), so a limit or a failed
/// allocation stops a runaway encoder with "not enough memory" instead
/// of taking the process down. [`OutBuf::finish`] interns the result
/// without copying it.
pub struct OutBuf {
    /// The bytes written so far.
    pub buf: Buf,
}

impl OutBuf {
    /// An empty buffer charged to `vm`'s heap.
    pub fn new(vm: &Vm) -> OutBuf {
        OutBuf { buf: vm.heap.buf() }
    }

    /// Makes room for `extra` more bytes (at most a Lua string's size).
    #[inline]
    pub fn reserve(&mut self, vm: &mut Vm, extra: usize) -> LuaResult<()> {
        if self.buf.len().saturating_add(extra) > MAX_STRING
            || self.buf.reserve(&vm.heap, extra).is_err()
        {
            return Err(vm.memory_error());
        }
        Ok(())
    }

    #[inline]
    /// Appends one byte, charging the VM first ("not enough memory" past
    /// the limit).
    pub fn push(&mut self, vm: &mut Vm, b: u8) -> LuaResult<()> {
        self.extend(vm, &[b])
    }

    #[inline]
    /// Appends `b`, charging the VM first ("not enough memory" past the
    /// limit).
    pub fn extend(&mut self, vm: &mut Vm, b: &[u8]) -> LuaResult<()> {
        self.reserve(vm, b.len())?;
        match self.buf.extend(&vm.heap, b) {
            Ok(()) => Ok(()),
            Err(_) => Err(vm.memory_error()),
        }
    }

    /// Appends bytes of one of the VM's strings.
    pub fn extend_str(&mut self, vm: &mut Vm, s: StrRef) -> LuaResult<()> {
        let len = vm.str_bytes(s).len();
        self.reserve(vm, len)?;
        match self.buf.extend(&vm.heap, vm.str_bytes(s)) {
            Ok(()) => Ok(()),
            Err(_) => Err(vm.memory_error()),
        }
    }

    /// Pushes the bytes as one Lua string (interned without a copy).
    pub fn finish(self, ctx: &mut Ctx) -> LuaResult<()> {
        crate::string::push_buf(ctx, self.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_follow_x86() {
        assert_eq!(c_f64_to_i64(-1.5), -1);
        assert_eq!(c_f64_to_i64(f64::NAN), i64::MIN);
        assert_eq!(c_f64_to_i64(1e300), i64::MIN);
        assert_eq!(c_f64_to_i32(2147483648.0), i32::MIN);
        assert_eq!(c_f64_to_i32(1e10), i32::MIN);
        assert_eq!(c_f64_to_i32(-5.9), -5);
        assert_eq!(c_f64_to_u64(f64::NAN), 1u64 << 63);
        assert_eq!(c_f64_to_u64(18446744073709551616.0), 0);
        assert_eq!(c_f64_to_u64(f64::INFINITY), 0);
        assert_eq!(c_f64_to_u64(9223372036854777856.0), (1u64 << 63) + 2048);
        assert_eq!(c_f64_to_u64(-1.0), u64::MAX);
    }

    #[test]
    fn c_strings_stop_at_nul() {
        assert_eq!(c_str(b"ab\0cd"), b"ab");
        assert_eq!(c_str(b"abc"), b"abc");
    }
}
