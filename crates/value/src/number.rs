//! Lua 5.1's rules for converting between numbers and strings.
//!
//! PUC-Rio Lua 5.1 converts strings with the C library's `strtod` (glibc's,
//! on the platforms Redis ships for) and prints numbers with `"%.14g"`.
//! Both are reproduced here exactly, so `tonumber`, the lexer, arithmetic
//! on strings and `tostring` agree with `lua5.1` byte for byte:
//!
//! * [`str_to_number`]: `luaO_str2d` — decimal, hexadecimal (with binary
//!   exponents, as C99 `strtod` reads them), `inf`/`infinity`/`nan`,
//!   surrounding whitespace; everything else rejected.
//! * [`fmt_number`]: `%.14g`, with `-0`, `inf`, `-inf`, `nan` and `-nan`
//!   spelled as glibc spells them.
//! * [`format_float`]: the `%e`, `%f` and `%g` conversions with any
//!   precision, shared with `string.format` and the JSON encoder.

use std::fmt::Write as _;

/// `floor`, exact like C's, without a library call on x86-64's baseline
/// (which lacks the SSE4.1 rounding instruction, so `f64::floor` compiles
/// to a software routine). Lua's `%` and `math.floor` use it.
#[inline(always)]
pub fn floor(x: f64) -> f64 {
    // Below 2^52 in magnitude the truncation through i64 is exact.
    if x.abs() < 4_503_599_627_370_496.0 {
        if x == 0.0 {
            return x; // keeps -0
        }
        // SAFETY: |x| < 2^52, so x is finite and its integer part fits in
        // an i64 (a bare truncation, without the saturating cast's checks).
        let t = unsafe { x.to_int_unchecked::<i64>() } as f64;
        if t > x {
            t - 1.0
        } else {
            t
        }
    } else {
        // Large magnitudes are integers already; NaN and infinities too.
        x.floor()
    }
}

/// C's `isspace` in the "C" locale.
#[inline]
pub fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Converts a string to a number as Lua 5.1 does (`luaO_str2d`).
///
/// Like the C function, it sees the string only up to its first NUL byte.
/// Returns `None` when the string is not a numeral (after optional
/// surrounding whitespace).
pub fn str_to_number(s: &[u8]) -> Option<f64> {
    let s = match s.iter().position(|&b| b == 0) {
        Some(nul) => &s[..nul],
        None => s,
    };
    let (value, used) = strtod(s)?;
    if s[used..].iter().all(|&b| is_c_space(b)) {
        Some(value)
    } else {
        None
    }
}

/// glibc's `strtod`: parses the longest numeral prefix of `s` (after leading
/// whitespace) and returns its value and the number of bytes consumed, or
/// `None` when no conversion can be performed.
pub fn strtod(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let rest = &s[i..];
    let apply_sign = |v: f64| if negative { -v } else { v };

    if starts_with_ignore_case(rest, b"inf") {
        let mut used = i + 3;
        if starts_with_ignore_case(&rest[3..], b"inity") {
            used += 5;
        }
        return Some((apply_sign(f64::INFINITY), used));
    }
    if starts_with_ignore_case(rest, b"nan") {
        let mut used = i + 3;
        if rest.get(3) == Some(&b'(') {
            let inner = &rest[4..];
            let n = inner
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            if inner.get(n) == Some(&b')') {
                used += n + 2;
            }
        }
        return Some((apply_sign(f64::NAN), used));
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] == b'x' || rest[1] == b'X') {
        if let Some((v, n)) = parse_hex(&rest[2..]) {
            return Some((apply_sign(v), i + 2 + n));
        }
        // "0x" without hex digits: glibc converts the "0" alone.
        return Some((apply_sign(0.0), i + 1));
    }
    let (v, n) = parse_decimal(rest)?;
    Some((apply_sign(v), i + n))
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Parses `digits [. digits] [(e|E) [sign] digits]` with at least one digit in
/// the mantissa. Returns the correctly rounded value and the length used.
fn parse_decimal(s: &[u8]) -> Option<(f64, usize)> {
    let int_digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut end = int_digits;
    let mut frac_digits = 0;
    if s.get(end) == Some(&b'.') {
        frac_digits = s[end + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if int_digits + frac_digits > 0 {
            end += 1 + frac_digits;
        }
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    // Fast path: a short run of digits is exact as an integer.
    if frac_digits == 0
        && end == int_digits
        && int_digits <= 15
        && !matches!(s.get(end), Some(b'e' | b'E'))
    {
        let mut v: u64 = 0;
        for &d in &s[..int_digits] {
            v = v * 10 + (d - b'0') as u64;
        }
        return Some((v as f64, end));
    }
    if let Some(b'e' | b'E') = s.get(end) {
        let mut j = end + 1;
        if let Some(b'+' | b'-') = s.get(j) {
            j += 1;
        }
        let exp_digits = s[j..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp_digits > 0 {
            end = j + exp_digits;
        }
    }
    // The slice is ASCII and in a syntax Rust's parser accepts ("1.", ".5",
    // "1.e5" included); Rust's conversion is correctly rounded, as glibc's is.
    let text = std::str::from_utf8(&s[..end]).ok()?;
    let v = text.parse::<f64>().ok()?;
    Some((v, end))
}

/// Parses the part of a C99 hexadecimal floating constant after `0x`:
/// `hexdigits [. hexdigits] [(p|P) [sign] digits]`, correctly rounded.
fn parse_hex(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    let mut mant: u64 = 0;
    let mut sticky = false;
    let mut exp2: i64 = 0;
    let mut any_digit = false;
    while let Some(d) = s.get(i).and_then(|b| (*b as char).to_digit(16)) {
        any_digit = true;
        if mant >> 60 == 0 {
            mant = (mant << 4) | d as u64;
        } else {
            sticky |= d != 0;
            exp2 += 4;
        }
        i += 1;
    }
    if s.get(i) == Some(&b'.') {
        let mut j = i + 1;
        let mut frac_any = false;
        while let Some(d) = s.get(j).and_then(|b| (*b as char).to_digit(16)) {
            frac_any = true;
            if mant >> 60 == 0 {
                mant = (mant << 4) | d as u64;
                exp2 -= 4;
            } else {
                sticky |= d != 0;
            }
            j += 1;
        }
        if any_digit || frac_any {
            any_digit = true;
            i = j;
        }
    }
    if !any_digit {
        return None;
    }
    if let Some(b'p' | b'P') = s.get(i) {
        let mut j = i + 1;
        let mut eneg = false;
        if let Some(b'+' | b'-') = s.get(j) {
            eneg = s[j] == b'-';
            j += 1;
        }
        let n = s[j..].iter().take_while(|b| b.is_ascii_digit()).count();
        if n > 0 {
            let mut e: i64 = 0;
            for &d in &s[j..j + n] {
                e = (e * 10 + (d - b'0') as i64).min(1 << 40);
            }
            exp2 += if eneg { -e } else { e };
            i = j + n;
        }
    }
    Some((compose_binary(mant, sticky, exp2), i))
}

/// Rounds `mant * 2^exp2` (plus a sticky fraction below `mant`) to the
/// nearest double, ties to even, with subnormals and overflow to infinity.
fn compose_binary(mant: u64, sticky: bool, exp2: i64) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let lz = mant.leading_zeros() as i64;
    let m = mant << lz;
    // Value = m / 2^63 * 2^e.
    let e = exp2 - lz + 63;
    if e > 1023 {
        return f64::INFINITY;
    }
    // Number of low bits of `m` that do not fit in the result.
    let drop: i64 = if e >= -1022 { 11 } else { 11 + (-1022 - e) };
    if drop > 64 {
        return 0.0;
    }
    let full = m as u128;
    let kept = (full >> drop) as u64;
    let half = 1u128 << (drop - 1);
    let rem = full & ((1u128 << drop) - 1);
    // Above half, or exactly half with lower bits set, rounds up; a tie
    // goes to the even neighbour.
    let round_up = rem > half || (rem == half && (sticky || kept & 1 == 1));
    let mut kept = kept + round_up as u64;
    let bits = if e >= -1022 {
        let mut biased = (e + 1023) as u64;
        if kept == 1 << 53 {
            kept >>= 1;
            biased += 1;
            if biased >= 2047 {
                return f64::INFINITY;
            }
        }
        (biased << 52) | (kept & ((1 << 52) - 1))
    } else {
        // Subnormal: a carry into bit 52 correctly yields the smallest normal.
        kept
    };
    f64::from_bits(bits)
}

/// A number formatted without allocation; dereferences to its bytes.
#[derive(Clone, Copy)]
pub struct NumBuf {
    buf: [u8; 32],
    len: u8,
}

impl NumBuf {
    /// The formatted number.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
    /// The formatted number as text (always ASCII).
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written.
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl std::ops::Deref for NumBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl std::fmt::Debug for NumBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for NumBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Formats a number as Lua 5.1's `tostring` does (`"%.14g"`).
pub fn fmt_number(n: f64) -> NumBuf {
    let mut out = NumBuf {
        buf: [0; 32],
        len: 0,
    };
    // Fast path: integers below 10^14 print as plain digits.
    if n == n.trunc() && n.abs() < 1e14 {
        let mut v = n as i64;
        let mut tmp = [0u8; 20];
        let mut k = tmp.len();
        let neg = n.is_sign_negative();
        if v < 0 {
            v = -v;
        }
        loop {
            k -= 1;
            tmp[k] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        let mut len = 0;
        if neg {
            out.buf[0] = b'-';
            len = 1;
        }
        let digits = &tmp[k..];
        out.buf[len..len + digits.len()].copy_from_slice(digits);
        out.len = (len + digits.len()) as u8;
        return out;
    }
    let mut v = Vec::with_capacity(32);
    format_float(&mut v, n, b'g', 14, false);
    let len = v.len().min(32);
    out.buf[..len].copy_from_slice(&v[..len]);
    out.len = len as u8;
    out
}

/// Appends `x` formatted by a C `printf` floating conversion: `conv` is one
/// of `e E f F g G`, `precision` as given after the dot (C's default is 6),
/// `alt` is the `#` flag. Sign, `inf` and `nan` are written as glibc does;
/// width, padding and the `+`/space flags are the caller's business.
pub fn format_float(out: &mut Vec<u8>, x: f64, conv: u8, precision: usize, alt: bool) {
    let upper = conv.is_ascii_uppercase();
    if x.is_sign_negative() {
        out.push(b'-');
    }
    if !x.is_finite() {
        let word: &[u8] = match (x.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        out.extend_from_slice(word);
        return;
    }
    let a = x.abs();
    let mut s = String::new();
    match conv.to_ascii_lowercase() {
        b'f' => {
            let _ = write!(s, "{:.*}", precision, a);
            if alt && precision == 0 {
                s.push('.');
            }
        }
        b'e' => write_exp(&mut s, a, precision, alt, upper),
        _ => {
            let p = if precision == 0 { 1 } else { precision };
            // The exponent %e would show after rounding to p digits.
            let mut probe = String::new();
            let _ = write!(probe, "{:.*e}", p - 1, a);
            let exp: i32 = probe
                .rsplit('e')
                .next()
                .and_then(|e| e.parse().ok())
                .unwrap_or(0);
            if (exp as i64) < p as i64 && exp >= -4 {
                let _ = write!(s, "{:.*}", (p as i64 - 1 - exp as i64) as usize, a);
                if alt {
                    if !s.contains('.') {
                        s.push('.');
                    }
                } else {
                    strip_trailing_zeros(&mut s);
                }
            } else {
                write_exp(&mut s, a, p - 1, alt, upper);
                if !alt {
                    // Strip zeros from the mantissa only.
                    if let Some(epos) = s.find(['e', 'E']) {
                        let (mut m, e) = (s[..epos].to_string(), s[epos..].to_string());
                        strip_trailing_zeros(&mut m);
                        s = m + &e;
                    }
                }
            }
        }
    }
    out.extend_from_slice(s.as_bytes());
}

/// `%e`: mantissa with `precision` digits after the point, exponent with a
/// sign and at least two digits.
fn write_exp(s: &mut String, a: f64, precision: usize, alt: bool, upper: bool) {
    let mut t = String::new();
    let _ = write!(t, "{:.*e}", precision, a);
    let (mant, exp) = t.split_once('e').unwrap_or((&t, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    s.push_str(mant);
    if alt && precision == 0 {
        s.push('.');
    }
    s.push(if upper { 'E' } else { 'e' });
    s.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(s, "{:02}", exp.unsigned_abs());
}

fn strip_trailing_zeros(s: &mut String) {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<f64> {
        str_to_number(s.as_bytes())
    }

    #[test]
    fn strings_to_numbers() {
        assert_eq!(n("10"), Some(10.0));
        assert_eq!(n("  10  "), Some(10.0));
        assert_eq!(n("0x10"), Some(16.0));
        assert_eq!(n(" 0x10 "), Some(16.0));
        assert_eq!(n("-0x10"), Some(-16.0));
        assert_eq!(n("0x1p4"), Some(16.0));
        assert_eq!(n("0x.8"), Some(0.5));
        assert_eq!(n("1e"), None);
        assert_eq!(n("0x"), None);
        assert_eq!(n("10\0x"), Some(10.0));
        assert_eq!(n(".5"), Some(0.5));
        assert_eq!(n("5."), Some(5.0));
        assert_eq!(n("1.e2"), Some(100.0));
        assert_eq!(n("inf"), Some(f64::INFINITY));
        assert_eq!(n("-infinity"), Some(f64::NEG_INFINITY));
        assert!(n("nan").is_some_and(|v| v.is_nan()));
        assert_eq!(n(""), None);
        assert_eq!(n("."), None);
        assert_eq!(n("1 2"), None);
        assert_eq!(n("- 1"), None);
        assert_eq!(n("1e+"), None);
        assert_eq!(n("0x1P-1074"), Some(f64::from_bits(1)));
        assert_eq!(n("0x1p1024"), Some(f64::INFINITY));
        assert_eq!(n("0xffffffffffffffffff"), Some(4722366482869645213696.0));
    }

    #[test]
    fn hex_rounding_ties_to_even() {
        // 2^53 + 1 is a tie between 2^53 and 2^53 + 2: rounds to even.
        assert_eq!(n("0x20000000000001"), Some(9007199254740992.0));
        assert_eq!(n("0x20000000000003"), Some(9007199254740996.0));
        assert_eq!(n("0x200000000000011"), Some(144115188075855904.0));
    }

    #[test]
    fn numbers_to_strings() {
        let f = |x: f64| fmt_number(x).as_str().to_string();
        assert_eq!(f(0.0), "0");
        assert_eq!(f(-0.0), "-0");
        assert_eq!(f(1.0 / 0.0), "inf");
        assert_eq!(f(-1.0 / 0.0), "-inf");
        assert_eq!(f(-f64::NAN), "-nan");
        assert_eq!(f(f64::NAN), "nan");
        assert_eq!(f(2f64.powi(53)), "9.007199254741e+15");
        assert_eq!(f(1e14), "1e+14");
        assert_eq!(f(1e15), "1e+15");
        assert_eq!(f(123456789012345.0), "1.2345678901234e+14");
        assert_eq!(f(0.1), "0.1");
        assert_eq!(f(1.0 / 3.0), "0.33333333333333");
        assert_eq!(f(1e-5), "1e-05");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(-2.5), "-2.5");
        assert_eq!(f(99999999999999.0), "99999999999999");
        assert_eq!(f(5e-324), "4.9406564584125e-324");
        assert_eq!(f(1e300), "1e+300");
    }

    #[test]
    fn floor_matches_libm() {
        let cases = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            1.5,
            -1.5,
            2.0 / 3.0,
            -7.25,
            1e15 + 0.5,
            -1e15 - 0.5,
            4503599627370495.5,
            -4503599627370495.5,
            4503599627370496.0,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
        ];
        for x in cases {
            let (a, b) = (floor(x), x.floor());
            assert_eq!(a.to_bits(), b.to_bits(), "{x}");
        }
        assert!(floor(f64::NAN).is_nan());
    }

    #[test]
    #[allow(clippy::approx_constant)] // 3.14159 is a printf operand, not pi
    fn printf_conversions() {
        let fmt = |x: f64, c: u8, p: usize, alt: bool| {
            let mut v = Vec::new();
            format_float(&mut v, x, c, p, alt);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(fmt(3.14159, b'f', 2, false), "3.14");
        assert_eq!(fmt(2.5, b'f', 0, false), "2");
        assert_eq!(fmt(2.5, b'f', 0, true), "2.");
        assert_eq!(fmt(12345.678, b'e', 3, false), "1.235e+04");
        assert_eq!(fmt(12345.678, b'E', 3, false), "1.235E+04");
        assert_eq!(fmt(0.0001, b'g', 6, false), "0.0001");
        assert_eq!(fmt(100000.0, b'g', 6, false), "100000");
        assert_eq!(fmt(1000000.0, b'g', 6, false), "1e+06");
        assert_eq!(fmt(1.5, b'g', 6, true), "1.50000");
        assert_eq!(fmt(0.0, b'g', 0, false), "0");
        assert_eq!(fmt(f64::INFINITY, b'G', 6, false), "INF");
    }
}
