//! `string.format`: Lua 5.1's format items rendered as C's `printf`
//! renders them (glibc), without calling C.
//!
//! Lua 5.1 reads each item as `%[flags][width][.precision]conv` with at
//! most five flag characters from `-+ #0` and two digits each for width
//! and precision, then hands it to `sprintf` with the argument cast as
//! follows: `%c` to `int`, `%d %i` to `long`, `%o %u %x %X` to `unsigned
//! long`, `%e %E %f %g %G` as `double`. `%q` quotes a string, `%s` takes
//! a string (kept whole, flags ignored, when it has 100 bytes or more and
//! no precision was given). Whatever `sprintf` wrote is then cut at its
//! first NUL (`strlen`), so `%c` of 0 adds nothing and `%s` of a short
//! string stops at an embedded zero.

use ferrous_value::number::format_float;
use ferrous_vm::{num_to_integer, Ctx, LuaResult};

const FLAGS: &[u8] = b"-+ #0";

/// A parsed format item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// `-`: left-justify within the width.
    pub minus: bool,
    /// `+`: always write a sign.
    pub plus: bool,
    /// ` `: a space where a positive number has no sign.
    pub space: bool,
    /// `#`: the alternate form (`0x` prefix, kept decimal point).
    pub hash: bool,
    /// `0`: pad with zeros instead of spaces.
    pub zero: bool,
    /// Minimum field width (at most two digits, as 5.1 allows).
    pub width: usize,
    /// The precision after `.`, if given (at most two digits).
    pub precision: Option<usize>,
}

/// Why an item could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecError {
    /// More than five flag characters: "invalid format (repeated flags)".
    RepeatedFlags,
    /// A width or precision of three digits or more: "invalid format
    /// (width or precision too long)".
    TooLong,
}

impl SpecError {
    /// The error message `string.format` raises, in 5.1's words.
    pub fn message(self) -> &'static str {
        match self {
            SpecError::RepeatedFlags => "invalid format (repeated flags)",
            SpecError::TooLong => "invalid format (width or precision too long)",
        }
    }
}

#[inline]
fn at(f: &[u8], i: usize) -> u8 {
    // The format is a C string for this scan: past the end reads NUL.
    f.get(i).copied().unwrap_or(0)
}

/// Lua 5.1's scanformat: parses the item starting at `f[i]` (just after
/// the `%`); returns the spec and the index of the conversion character.
pub fn scan(f: &[u8], i: usize) -> Result<(Spec, usize), SpecError> {
    let mut spec = Spec::default();
    let mut p = i;
    while at(f, p) != 0 && FLAGS.contains(&at(f, p)) {
        match f[p] {
            b'-' => spec.minus = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.hash = true,
            _ => spec.zero = true,
        }
        p += 1;
    }
    if p - i > FLAGS.len() {
        return Err(SpecError::RepeatedFlags);
    }
    let digit = |p: usize| at(f, p).is_ascii_digit();
    let mut width = 0;
    for _ in 0..2 {
        if digit(p) {
            width = width * 10 + (f[p] - b'0') as usize;
            p += 1;
        }
    }
    spec.width = width;
    if at(f, p) == b'.' {
        p += 1;
        let mut prec = 0;
        for _ in 0..2 {
            if digit(p) {
                prec = prec * 10 + (f[p] - b'0') as usize;
                p += 1;
            }
        }
        spec.precision = Some(prec);
    }
    if digit(p) {
        return Err(SpecError::TooLong);
    }
    Ok((spec, p))
}

/// Appends `body` (sign and prefix first, then digits) padded to the
/// width: spaces on the left or right, or zeros after the prefix.
fn pad(out: &mut Vec<u8>, spec: &Spec, prefix: &[u8], body: &[u8], zero_ok: bool) {
    let len = prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if spec.minus {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if spec.zero && zero_ok {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// Digits of `v` in `base` (lowercase or uppercase), into the end of `buf`;
/// returns the start index.
fn digits(buf: &mut [u8; 24], mut v: u64, base: u64, upper: bool) -> usize {
    if base == 10 {
        // The common case, with a constant divisor.
        return ferrous_value::number::u64_digits(buf, v);
    }
    let mut k = buf.len();
    let table: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let shift = if base == 16 { 4 } else { 3 };
    loop {
        k -= 1;
        buf[k] = table[(v & (base - 1)) as usize];
        v >>= shift;
        if v == 0 {
            return k;
        }
    }
}

/// An integer conversion (`d i o u x X`) of an already cast value.
pub fn fmt_int(out: &mut Vec<u8>, spec: &Spec, conv: u8, neg: bool, mag: u64) {
    let (base, upper) = match conv {
        b'o' => (8, false),
        b'x' => (16, false),
        b'X' => (16, true),
        _ => (10, false),
    };
    let mut buf = [0u8; 24];
    let start = digits(&mut buf, mag, base, upper);
    let mut body: &[u8] = &buf[start..];
    if spec.precision == Some(0) && mag == 0 {
        body = b"";
    }
    let mut prefix: [u8; 2] = [0; 2];
    let mut plen = 0;
    match conv {
        b'd' | b'i' => {
            let sign = if neg {
                Some(b'-')
            } else if spec.plus {
                Some(b'+')
            } else if spec.space {
                Some(b' ')
            } else {
                None
            };
            if let Some(s) = sign {
                prefix[0] = s;
                plen = 1;
            }
        }
        b'x' | b'X' if spec.hash && mag != 0 => {
            prefix = [b'0', conv];
            plen = 2;
        }
        _ => {}
    }
    // Precision: at least that many digits (octal '#': a leading zero).
    let mut min_digits = spec.precision.unwrap_or(0);
    if conv == b'o' && spec.hash && body.first() != Some(&b'0') {
        min_digits = min_digits.max(body.len() + 1);
    }
    let zeros = min_digits.saturating_sub(body.len());
    if zeros == 0 {
        pad(out, spec, &prefix[..plen], body, spec.precision.is_none());
    } else {
        let mut full = Vec::with_capacity(zeros + body.len());
        full.resize(zeros, b'0');
        full.extend_from_slice(body);
        pad(out, spec, &prefix[..plen], &full, spec.precision.is_none());
    }
}

/// A floating conversion (`e E f g G`), written straight into `out`.
pub fn fmt_float(out: &mut Vec<u8>, spec: &Spec, conv: u8, x: f64) {
    let start = out.len();
    if x.is_sign_negative() {
        out.push(b'-');
    } else if spec.plus {
        out.push(b'+');
    } else if spec.space {
        out.push(b' ');
    }
    let body = out.len();
    let upper = conv.is_ascii_uppercase();
    if !x.is_finite() {
        let word: &[u8] = match (x.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        out.extend_from_slice(word);
    } else {
        // The digits as printf writes them (one implementation with
        // tostring's `%.14g`, checked against glibc in ferrous-value).
        format_float(out, x.abs(), conv, spec.precision.unwrap_or(6), spec.hash);
    }
    let len = out.len() - start;
    if spec.width > len {
        let fill = spec.width - len;
        if spec.minus {
            out.resize(out.len() + fill, b' ');
        } else if spec.zero && x.is_finite() {
            insert_fill(out, body, fill, b'0');
        } else {
            insert_fill(out, start, fill, b' ');
        }
    }
}

/// Inserts `fill` copies of `c` at `at`.
fn insert_fill(out: &mut Vec<u8>, at: usize, fill: usize, c: u8) {
    let old = out.len();
    out.resize(old + fill, c);
    out.copy_within(at..old, at + fill);
    out[at..at + fill].fill(c);
}

/// `%c`: the byte of `(int)x`, padded; nothing at all for a NUL (the C
/// buffer ends there), padding before it kept.
pub fn fmt_char(out: &mut Vec<u8>, spec: &Spec, x: f64) {
    let c = c_int(x) as u8;
    let start = out.len();
    pad(out, spec, b"", &[c], false);
    if let Some(z) = out[start..].iter().position(|&b| b == 0) {
        out.truncate(start + z);
    }
}

/// `%s` on a string of fewer than 100 bytes or with a precision: the C
/// string (up to its first NUL), cut to the precision, padded.
pub fn fmt_str(out: &mut Vec<u8>, spec: &Spec, s: &[u8]) {
    let mut s = match s.iter().position(|&b| b == 0) {
        Some(z) => &s[..z],
        None => s,
    };
    if let Some(p) = spec.precision {
        s = &s[..s.len().min(p)];
    }
    pad(out, spec, b"", s, false);
}

/// `%q`: a quoted string that Lua reads back.
pub fn add_quoted(out: &mut Vec<u8>, s: &[u8]) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    for &c in s {
        match c {
            b'"' | b'\\' | b'\n' => {
                out.push(b'\\');
                out.push(c);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\000"),
            _ => out.push(c),
        }
    }
    out.push(b'"');
}

/// C's `(int)x` on x86-64: truncation, the "integer indefinite" value
/// for NaN and out-of-range values.
fn c_int(x: f64) -> i32 {
    if x.is_nan() || x >= 2147483648.0 || x <= -2147483649.0 {
        i32::MIN
    } else {
        x as i32
    }
}

/// C's `(unsigned long)x` as gcc compiles it on x86-64.
pub fn c_ulong(x: f64) -> u64 {
    const TWO63: f64 = 9223372036854775808.0;
    if x >= TWO63 {
        (num_to_integer(x - TWO63) as u64) ^ (1 << 63)
    } else {
        num_to_integer(x) as u64
    }
}

/// `string.format`.
/// Makes room for an item of up to `need` bytes, fallibly and within
/// the string size and memory limits ("not enough memory" otherwise).
fn reserve_item(ctx: &mut Ctx, out: &mut Vec<u8>, need: usize) -> LuaResult<()> {
    let total = out.len().saturating_add(need);
    crate::string::check_size(ctx, total)?;
    if out.try_reserve(need).is_err() {
        return Err(ctx.vm.memory_error());
    }
    Ok(())
}

/// `string.format(fmt, ...)`: Lua 5.1's `str_format` on glibc's `printf`
/// conversions (`%d %i %u %c %o %x %X %e %E %f %g %G %q %s %%`); the
/// result is built in one buffer charged to the memory limit; argument
/// errors read as 5.1's ("bad argument #2 to 'format' (number expected,
/// got nil)").
pub fn format(ctx: &mut Ctx) -> LuaResult<usize> {
    let fmt_ref = ctx.check_string(1)?;
    let top = ctx.nargs();
    let mut arg = 1;
    let mut out = crate::string::take_buf();
    let mut i = 0;
    loop {
        // Copy the literal run up to the next '%', then look at the item.
        let item = {
            let f = ctx.vm.str_bytes(fmt_ref);
            if i >= f.len() {
                break;
            }
            if out.capacity() < f.len() {
                out.reserve(f.len() + 16);
            }
            let run = crate::pattern::memchr(b'%', &f[i..]).unwrap_or(f.len() - i);
            out.extend_from_slice(&f[i..i + run]);
            i += run + 1;
            if i > f.len() {
                break;
            }
            if at(f, i) == b'%' {
                out.push(b'%');
                i += 1;
                continue;
            }
            i
        };
        arg += 1;
        if arg > top {
            return Err(ctx.arg_error(arg, "no value"));
        }
        let parsed = {
            let f = ctx.vm.str_bytes(fmt_ref);
            scan(f, item).map(|(spec, p)| (spec, p, at(f, p), f[item..p].contains(&b'.')))
        };
        let (spec, p, conv, has_dot) = match parsed {
            Ok(v) => v,
            Err(e) => return Err(ctx.error(e.message())),
        };
        i = p + 1;
        match conv {
            b'c' => {
                let x = ctx.check_number(arg)?;
                fmt_char(&mut out, &spec, x);
            }
            b'd' | b'i' => {
                let v = num_to_integer(ctx.check_number(arg)?);
                fmt_int(&mut out, &spec, conv, v < 0, v.unsigned_abs());
            }
            b'o' | b'u' | b'x' | b'X' => {
                let v = c_ulong(ctx.check_number(arg)?);
                fmt_int(&mut out, &spec, conv, false, v);
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                let x = ctx.check_number(arg)?;
                fmt_float(&mut out, &spec, conv, x);
            }
            b'q' => {
                let s = ctx.check_string(arg)?;
                // Reserved fallibly: a quoted NUL takes 4 bytes.
                let need = ctx
                    .vm
                    .str_bytes(s)
                    .len()
                    .saturating_mul(4)
                    .saturating_add(2);
                reserve_item(ctx, &mut out, need)?;
                add_quoted(&mut out, ctx.vm.str_bytes(s));
            }
            b's' => {
                let s = ctx.check_string(arg)?;
                let need = ctx.vm.str_bytes(s).len().saturating_add(spec.width);
                reserve_item(ctx, &mut out, need)?;
                let b = ctx.vm.str_bytes(s);
                if !has_dot && b.len() >= 100 {
                    out.extend_from_slice(b);
                } else {
                    fmt_str(&mut out, &spec, b);
                }
            }
            other => {
                // 5.1 prints the option with %c, which a NUL ends.
                let mut msg = b"invalid option '%".to_vec();
                if other != 0 {
                    msg.push(other);
                }
                msg.extend_from_slice(b"' to 'format'");
                return Err(ctx.error(msg));
            }
        }
        crate::string::check_size(ctx, out.len())?;
    }
    let v = ctx.vm.str_value(&out)?;
    crate::string::give_buf(out);
    ctx.push(v)?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(item: &str, v: f64) -> String {
        let b = item.as_bytes();
        let (spec, p) = scan(b, 1).unwrap();
        let conv = b[p];
        let mut out = Vec::new();
        match conv {
            b'd' | b'i' => {
                let v = num_to_integer(v);
                fmt_int(&mut out, &spec, conv, v < 0, v.unsigned_abs())
            }
            b'o' | b'u' | b'x' | b'X' => fmt_int(&mut out, &spec, conv, false, c_ulong(v)),
            b'c' => fmt_char(&mut out, &spec, v),
            _ => fmt_float(&mut out, &spec, conv, v),
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn integers() {
        assert_eq!(f("%d", 3.7), "3");
        assert_eq!(f("%d", -3.7), "-3");
        assert_eq!(f("%5d", 42.0), "   42");
        assert_eq!(f("%-5d|", 42.0), "42   ");
        assert_eq!(f("%05d", -42.0), "-0042");
        assert_eq!(f("%+d", 5.0), "+5");
        assert_eq!(f("% d", 5.0), " 5");
        assert_eq!(f("%.3d", 7.0), "007");
        assert_eq!(f("%08.3d", 7.0), "     007");
        assert_eq!(f("%.0d", 0.0), "");
        assert_eq!(f("%#x", 255.0), "0xff");
        assert_eq!(f("%#X", 255.0), "0XFF");
        assert_eq!(f("%#x", 0.0), "0");
        assert_eq!(f("%#o", 8.0), "010");
        assert_eq!(f("%#.0o", 0.0), "0");
        assert_eq!(f("%#08x", 255.0), "0x0000ff");
        assert_eq!(f("%u", -1.0), "18446744073709551615");
        assert_eq!(f("%x", -1.0), "ffffffffffffffff");
        assert_eq!(f("%d", 2f64.powi(63)), "-9223372036854775808");
        assert_eq!(f("%u", 2f64.powi(64)), "0");
        assert_eq!(f("%u", f64::NAN), "9223372036854775808");
        assert_eq!(f("%x", f64::INFINITY), "0");
    }

    #[test]
    fn floats_and_chars() {
        assert_eq!(f("%05.1f", 3.25159), "003.3");
        assert_eq!(f("%-8.3e|", 1234.5), "1.234e+03");
        assert_eq!(f("%+g", 2.0), "+2");
        assert_eq!(f("% g", 3.0), " 3");
        assert_eq!(f("%010.3f", -3.5), "-00003.500");
        assert_eq!(f("%010f", f64::INFINITY), "       inf");
        assert_eq!(f("%c", 65.0), "A");
        assert_eq!(f("%5c", 0.0), "    ");
        assert_eq!(f("%-5c", 0.0), "");
        assert_eq!(f("%c", 321.0), "A");
    }

    #[test]
    fn scanning() {
        assert_eq!(scan(b"%------d", 1), Err(SpecError::RepeatedFlags));
        assert!(scan(b"%-----d", 1).is_ok());
        assert_eq!(scan(b"%100d", 1), Err(SpecError::TooLong));
        assert_eq!(scan(b"%.100d", 1), Err(SpecError::TooLong));
        let (s, p) = scan(b"%-+5.2f", 1).unwrap();
        assert_eq!(p, 6);
        assert!(s.minus && s.plus);
        assert_eq!((s.width, s.precision), (5, Some(2)));
    }

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        add_quoted(&mut out, b"a\0\r\n\"\\\x01");
        assert_eq!(out, b"\"a\\000\\r\\\n\\\"\\\\\x01\"");
    }
}
