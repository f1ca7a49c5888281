//! Roberto Ierusalimschy's `struct` library as Redis ships it: `pack`,
//! `unpack` and `size` over a format string.
//!
//! Format letters: `b`/`B` (char), `h`/`H` (short), `l`/`L` (long, 8
//! bytes), `T` (size_t), `i`/`I` with an optional size (default 4, at most
//! 32), `f`, `d`, `x` (a zero byte), `cN` (N chars; `c0` takes the whole
//! string, or in `unpack` the previous result as the count), `s` (a
//! zero-terminated string), and the controls `<` `>` (endianness, native
//! is little), `!N` (maximum alignment, a power of two, default 8) and
//! space. Lower-case integer letters are signed.
//!
//! The conversions behave as the C code compiled for x86-64 does
//! (out-of-range numbers included), the stack limit Redis's copy hits
//! ("too many results") is reproduced, and every size is checked, so the
//! inputs that overflowed Redis's copy (huge counts and sizes) get errors.

use ferrous_value::number::str_to_number;
use ferrous_vm::{Ctx, LuaError, LuaResult, NativeFn, Value, Vm};

use crate::string::{oom, push_buf, put};

use crate::cjson::common::{
    arg_error_bytes, c_f64_to_i64, c_f64_to_u64, c_str, stack_overflow, LUAI_MAXCSTACK,
};

const FUNCS: &[(&str, NativeFn)] = &[("pack", pack), ("unpack", unpack), ("size", size)];

/// Opens `struct` (a global and `package.loaded.struct`).
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    crate::register_lib(vm, "struct", FUNCS)?;
    Ok(())
}

/// Largest `iN`/`IN`.
const MAXINTSIZE: i32 = 32;
/// Default of `!`: the alignment of a double on x86-64.
const MAXALIGN: i32 = 8;

struct Header {
    little: bool,
    align: usize,
}

impl Header {
    fn new() -> Header {
        Header {
            little: true,
            align: 1,
        }
    }
}

/// The format being read (as a C string) and the read position.
struct Fmt<'a> {
    s: &'a [u8],
    i: usize,
}

impl Fmt<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.i).copied().unwrap_or(0)
    }
}

/// A failure found while the data string is borrowed, raised afterwards.
enum Fail {
    /// `luaL_error`.
    Error(String),
    /// `luaL_argerror`.
    Arg(usize, Vec<u8>),
    /// `luaL_checkstack`.
    Overflow(&'static str),
}

impl Fail {
    fn raise(self, ctx: &mut Ctx) -> LuaError {
        match self {
            Fail::Error(m) => ctx.error(m),
            Fail::Arg(i, m) => arg_error_bytes(ctx, i, &m),
            Fail::Overflow(what) => stack_overflow(ctx, what),
        }
    }
}

/// A count after a letter, or `df` when there is none.
fn getnum(f: &mut Fmt, df: i32) -> Result<i32, Fail> {
    if !f.peek().is_ascii_digit() {
        return Ok(df);
    }
    let mut a: i32 = 0;
    while f.peek().is_ascii_digit() {
        let d = (f.peek() - b'0') as i32;
        if a > i32::MAX / 10 || a * 10 > i32::MAX - d {
            return Err(Fail::Error("integral size overflow".into()));
        }
        a = a * 10 + d;
        f.i += 1;
    }
    Ok(a)
}

fn optsize(opt: u8, f: &mut Fmt) -> Result<usize, Fail> {
    Ok(match opt {
        b'B' | b'b' => 1,
        b'H' | b'h' => 2,
        b'L' | b'l' | b'T' | b'd' => 8,
        b'f' => 4,
        b'x' => 1,
        b'c' => getnum(f, 1)? as usize,
        b'i' | b'I' => {
            let sz = getnum(f, 4)?;
            if sz > MAXINTSIZE {
                return Err(Fail::Error(format!(
                    "integral size {sz} is larger than limit of {MAXINTSIZE}"
                )));
            }
            sz as usize
        }
        _ => 0,
    })
}

/// Padding needed to align an item of `size` bytes at offset `len`.
fn gettoalign(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align);
    (size.wrapping_sub(len & (size - 1))) & (size - 1)
}

fn controloptions(opt: u8, f: &mut Fmt, h: &mut Header) -> Result<(), Fail> {
    match opt {
        b' ' => Ok(()),
        b'>' => {
            h.little = false;
            Ok(())
        }
        b'<' => {
            h.little = true;
            Ok(())
        }
        b'!' => {
            let a = getnum(f, MAXALIGN)?;
            if a <= 0 || (a & (a - 1)) != 0 {
                return Err(Fail::Error(format!("alignment {a} is not a power of 2")));
            }
            h.align = a as usize;
            Ok(())
        }
        _ => {
            let mut msg = b"invalid format option '".to_vec();
            msg.push(opt);
            msg.push(b'\'');
            Err(Fail::Arg(1, msg))
        }
    }
}

fn is_integer_opt(opt: u8) -> bool {
    matches!(
        opt,
        b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I'
    )
}

/// `pack` pushes a nil mark above its arguments, so the first missing
/// argument reads as nil (and every later one is never reached).
fn pack_number(ctx: &mut Ctx, arg: usize) -> LuaResult<f64> {
    if arg > ctx.nargs() {
        return Err(ctx.arg_error(arg, "number expected, got nil"));
    }
    ctx.check_number(arg)
}

fn pack_string(ctx: &mut Ctx, arg: usize) -> LuaResult<Vec<u8>> {
    if arg > ctx.nargs() {
        return Err(ctx.arg_error(arg, "string expected, got nil"));
    }
    ctx.check_bytes(arg)
}

fn pack(ctx: &mut Ctx) -> LuaResult<usize> {
    let fmt_bytes = ctx.check_bytes(1)?;
    let mut f = Fmt {
        s: c_str(&fmt_bytes),
        i: 0,
    };
    let mut h = Header::new();
    let mut arg = 2;
    let mut total: usize = 0;
    // The result grows in a buffer charged to the limit, fallibly: a
    // format can repeat big string arguments many times.
    let mut out = ctx.vm.heap.buf();
    macro_rules! emit {
        ($b:expr) => {
            put(ctx.vm, &mut out, $b).map_err(|e| oom(ctx.vm, e))?
        };
    }
    while f.i < f.s.len() {
        let opt = f.s[f.i];
        f.i += 1;
        let mut size = optsize(opt, &mut f).map_err(|e| e.raise(ctx))?;
        let toalign = gettoalign(total, &h, opt, size);
        total = total.wrapping_add(toalign);
        let mut pad = toalign;
        while pad > 0 {
            let k = pad.min(64);
            emit!(&[0u8; 64][..k]);
            pad -= k;
        }
        match opt {
            _ if is_integer_opt(opt) => {
                let n = pack_number(ctx, arg)?;
                arg += 1;
                let mut value = if n < 0.0 {
                    c_f64_to_i64(n) as u64
                } else {
                    c_f64_to_u64(n)
                };
                let mut buf = [0u8; MAXINTSIZE as usize];
                let bytes = &mut buf[..size];
                if h.little {
                    for b in bytes.iter_mut() {
                        *b = value as u8;
                        value >>= 8;
                    }
                } else {
                    for b in bytes.iter_mut().rev() {
                        *b = value as u8;
                        value >>= 8;
                    }
                }
                emit!(bytes);
            }
            b'x' => emit!(&[0]),
            b'f' => {
                let n = pack_number(ctx, arg)? as f32;
                arg += 1;
                if h.little {
                    emit!(&n.to_le_bytes());
                } else {
                    emit!(&n.to_be_bytes());
                }
            }
            b'd' => {
                let n = pack_number(ctx, arg)?;
                arg += 1;
                if h.little {
                    emit!(&n.to_le_bytes());
                } else {
                    emit!(&n.to_be_bytes());
                }
            }
            b'c' | b's' => {
                let s = pack_string(ctx, arg)?;
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    // The C code reports the argument after the string.
                    return Err(ctx.arg_error(arg, "string too short"));
                }
                emit!(&s[..size]);
                if opt == b's' {
                    emit!(&[0]);
                    size += 1;
                }
            }
            _ => controloptions(opt, &mut f, &mut h).map_err(|e| e.raise(ctx))?,
        }
        total = total.wrapping_add(size);
    }
    push_buf(ctx, out)?;
    Ok(1)
}

/// The integer of `size` bytes at the start of `buff`. Sizes above 8
/// keep the last 8 bytes read, and the sign mask is shifted by
/// `size*8-1` modulo 64, as the C code does on x86-64.
fn getinteger(buff: &[u8], little: bool, signed: bool, size: usize) -> f64 {
    let mut l: u64 = 0;
    let bytes = &buff[..size.min(buff.len())];
    if little {
        for &b in bytes.iter().rev() {
            l = (l << 8) | b as u64;
        }
    } else {
        for &b in bytes {
            l = (l << 8) | b as u64;
        }
    }
    if !signed {
        return l as f64;
    }
    let shift = ((size as i32).wrapping_mul(8).wrapping_sub(1) & 63) as u32;
    let mask = u64::MAX << shift;
    if l & mask != 0 {
        l |= mask;
    }
    l as i64 as f64
}

/// One result of `unpack`, before strings are made (the data string is
/// read in place, so a loop over a big buffer costs what it reads).
enum Item {
    Num(f64),
    Bytes(usize, usize),
}

fn unpack(ctx: &mut Ctx) -> LuaResult<usize> {
    let fmt_bytes = ctx.check_bytes(1)?;
    let data_ref = ctx.check_string(2)?;
    let pos0 = ctx.opt_integer(3, 1)?.wrapping_sub(1);
    if pos0 < 0 {
        return Err(ctx.arg_error(3, "offset must be 1 or greater"));
    }
    let base_slots = ctx.nargs();
    let data = ctx.vm.str_bytes(data_ref);
    let r = unpack_items(c_str(&fmt_bytes), data, pos0 as usize, base_slots);
    let (items, pos) = r.map_err(|e| e.raise(ctx))?;
    let n = items.len();
    for item in items {
        let v = match item {
            Item::Num(x) => Value::Number(x),
            Item::Bytes(start, len) => {
                let bytes = ctx.vm.str_bytes(data_ref)[start..start + len].to_vec();
                ctx.vm.str_value(&bytes)?
            }
        };
        ctx.push(v)?;
    }
    ctx.push(Value::Number(pos.wrapping_add(1) as i64 as f64))?;
    Ok(n + 1)
}

fn unpack_items(
    fmt: &[u8],
    data: &[u8],
    mut pos: usize,
    base_slots: usize,
) -> Result<(Vec<Item>, usize), Fail> {
    let ld = data.len();
    let mut f = Fmt { s: fmt, i: 0 };
    let mut h = Header::new();
    let mut items: Vec<Item> = Vec::new();
    let too_short = || Fail::Arg(2, b"data string too short".to_vec());
    while f.i < f.s.len() {
        let opt = f.s[f.i];
        f.i += 1;
        let mut size = optsize(opt, &mut f)?;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if !(size <= ld && pos <= ld - size) {
            return Err(too_short());
        }
        if base_slots + items.len() + 2 > LUAI_MAXCSTACK {
            return Err(Fail::Overflow("too many results"));
        }
        match opt {
            _ if is_integer_opt(opt) => {
                let signed = opt.is_ascii_lowercase();
                items.push(Item::Num(getinteger(&data[pos..], h.little, signed, size)));
            }
            b'x' => {}
            b'f' => {
                let mut b = [0u8; 4];
                b.copy_from_slice(&data[pos..pos + 4]);
                let v = if h.little {
                    f32::from_le_bytes(b)
                } else {
                    f32::from_be_bytes(b)
                };
                items.push(Item::Num(v as f64));
            }
            b'd' => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[pos..pos + 8]);
                let v = if h.little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                };
                items.push(Item::Num(v));
            }
            b'c' => {
                if size == 0 {
                    // The previous result, if it is a number or a string
                    // convertible to one, is the count.
                    let prev = match items.last() {
                        Some(Item::Num(x)) => Some(*x),
                        Some(Item::Bytes(start, len)) => {
                            str_to_number(&data[*start..*start + *len])
                        }
                        None => None,
                    };
                    let Some(n) = prev else {
                        return Err(Fail::Error("format 'c0' needs a previous size".into()));
                    };
                    size = c_f64_to_u64(n) as usize;
                    items.pop();
                    if !(size <= ld && pos <= ld - size) {
                        return Err(too_short());
                    }
                }
                items.push(Item::Bytes(pos, size));
            }
            b's' => {
                let Some(e) = data[pos..].iter().position(|&c| c == 0) else {
                    return Err(Fail::Error("unfinished string in data".into()));
                };
                items.push(Item::Bytes(pos, e));
                size = e + 1;
            }
            _ => controloptions(opt, &mut f, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    Ok((items, pos))
}

fn size(ctx: &mut Ctx) -> LuaResult<usize> {
    let fmt_bytes = ctx.check_bytes(1)?;
    let mut f = Fmt {
        s: c_str(&fmt_bytes),
        i: 0,
    };
    let mut h = Header::new();
    let mut pos: usize = 0;
    while f.i < f.s.len() {
        let opt = f.s[f.i];
        f.i += 1;
        let size = optsize(opt, &mut f).map_err(|e| e.raise(ctx))?;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if opt == b's' {
            return Err(ctx.arg_error(1, "option 's' has no fixed size"));
        } else if opt == b'c' && size == 0 {
            return Err(ctx.arg_error(1, "option 'c0' has no fixed size"));
        }
        if !opt.is_ascii_alphanumeric() {
            controloptions(opt, &mut f, &mut h).map_err(|e| e.raise(ctx))?;
        }
        pos = pos.wrapping_add(size);
    }
    ctx.push(Value::Number(pos as i64 as f64))?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_reads_beyond_eight_bytes() {
        let mut b = vec![0u8; 9];
        b[0] = 0x80;
        assert_eq!(getinteger(&b, true, true, 9), -128.0);
        assert_eq!(getinteger(&[0xff; 9], true, true, 9), -1.0);
        assert_eq!(getinteger(&[0xff; 16], true, false, 16), u64::MAX as f64);
        assert_eq!(getinteger(&[], true, true, 0), 0.0);
        assert_eq!(getinteger(&[0xfe, 0xff, 0xff], true, true, 3), -2.0);
    }

    #[test]
    fn alignment() {
        let h = Header {
            little: true,
            align: 4,
        };
        assert_eq!(gettoalign(0, &h, b'i', 3), 2);
        assert_eq!(gettoalign(5, &h, b'i', 4), 3);
        assert_eq!(gettoalign(2, &h, b'd', 8), 2);
        assert_eq!(gettoalign(3, &h, b'c', 8), 0);
    }
}
