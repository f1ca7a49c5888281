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
        let neg = n.is_sign_negative();
        if v < 0 {
            v = -v;
        }
        let k = u64_digits(&mut tmp, v as u64);
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
    let mut len = 0;
    if n.is_sign_negative() {
        out.buf[0] = b'-';
        len = 1;
    }
    if !n.is_finite() {
        let word: &[u8] = if n.is_nan() { b"nan" } else { b"inf" };
        out.buf[len..len + 3].copy_from_slice(word);
        out.len = (len + 3) as u8;
        return out;
    }
    let mut tmp = Vec::new();
    let written = write_g(&mut out.buf[len..], n.abs(), 14, false, false);
    let written = match written {
        Some(w) => w,
        None => {
            // Never needed: %.14g of a finite double takes at most 21 bytes.
            format_float(&mut tmp, n.abs(), b'g', 14, false);
            let w = tmp.len().min(out.buf.len() - len);
            out.buf[len..len + w].copy_from_slice(&tmp[..w]);
            w
        }
    };
    out.len = (len + written) as u8;
    out
}

/// 10^0 to 10^17 (exact as doubles).
const POW10: [f64; 18] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17,
];

/// A fixed-size byte buffer that `write!` fills (no allocation).
struct StackWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl std::fmt::Write for StackWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let b = s.as_bytes();
        let end = self.len.checked_add(b.len()).ok_or(std::fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(b);
        self.len = end;
        Ok(())
    }
}

/// The significant digits of `a` (finite, not negative) rounded to `p`
/// digits (1 <= `p` <= 110) as `%e` rounds them (exactly, ties to even,
/// as glibc does), into `digits` without the point; returns how many were
/// written (at most `p`; fewer when the rest are zeros) and the decimal
/// exponent.
///
/// Exact digits need big-number arithmetic whenever `a` has a short
/// decimal form, so for `p` <= 15 (`%.14g` is every number-to-string
/// conversion) the shortest digits that read back as `a` are taken first,
/// and then:
/// - When there are at most `p` of them, they are the answer: `a` lies
///   within half an ulp (< 1.2e-16 relative) of that decimal, which sits on
///   the p-digit grid, and half a step of that grid is at least 5e-15
///   relative, so rounding `a` to p digits lands on it.
/// - When there are more, they are rounded to `p` digits (half up), which
///   gives what rounding `a` itself gives unless they end exactly on a
///   midpoint of the p-digit grid: then the exact digits decide. Proof:
///   the shortest digits D are, among the shortest decimals that read
///   back as `a`, the closest to `a`; if rounding D and `a` differed, a
///   grid midpoint M (p+1 digits) would lie between them, inside the
///   interval of decimals that read back as `a`. With p+1 < len(D), M is
///   shorter than D; with p+1 = len(D), M is as short and closer to `a`;
///   either contradicts what D is, unless M is D itself.
/// - Subnormals' ulps are far coarser; they take the exact path.
fn g_digits(digits: &mut [u8; 128], a: f64, p: usize) -> Option<(usize, i64)> {
    let mut ebuf = [0u8; 128];
    let mut w = StackWriter {
        buf: &mut ebuf,
        len: 0,
    };
    if p <= 15 && (a == 0.0 || a >= f64::MIN_POSITIVE) {
        write!(w, "{a:e}").ok()?;
        let (nd, exp) = split_exp(w.buf.get(..w.len)?, digits)?;
        if nd <= p {
            return Some((nd, exp));
        }
        // Round the nd > p shortest digits to p.
        let next = digits[p];
        if next == b'5' && nd == p + 1 {
            // On a midpoint: the exact digits below.
        } else {
            let mut exp = exp;
            if next >= b'5' {
                let mut i = p;
                loop {
                    if i == 0 {
                        // 99...9 carried into a new leading 1.
                        digits[0] = b'1';
                        digits[1..p].fill(b'0');
                        exp += 1;
                        break;
                    }
                    i -= 1;
                    if digits[i] == b'9' {
                        digits[i] = b'0';
                    } else {
                        digits[i] += 1;
                        break;
                    }
                }
            }
            let mut n = p;
            while n > 1 && digits[n - 1] == b'0' {
                n -= 1;
            }
            return Some((n, exp));
        }
        w.len = 0;
    }
    write!(w, "{:.*e}", p - 1, a).ok()?;
    split_exp(w.buf.get(..w.len)?, digits)
}

/// Splits Rust's `{:e}` text (`d.ddde-5`) into its digits, written to
/// `digits`, and the exponent.
fn split_exp(text: &[u8], digits: &mut [u8; 128]) -> Option<(usize, i64)> {
    let epos = text.iter().position(|&c| c == b'e')?;
    let mut nd = 0;
    for &c in &text[..epos] {
        if c != b'.' {
            *digits.get_mut(nd)? = c;
            nd += 1;
        }
    }
    let (neg, e) = match &text[epos + 1..] {
        [b'-', rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    let mut exp: i64 = 0;
    for &c in e {
        exp = exp * 10 + (c.wrapping_sub(b'0')) as i64;
    }
    Some((nd, if neg { -exp } else { exp }))
}

/// C's `%.{p}g` of `a` (finite, not negative) into `dst`: the value
/// rounded to `p` significant digits (`p` >= 1) as `%e` would round it,
/// shown as `%e` when that exponent is below -4 or at least `p` and as
/// `%f` otherwise, trailing zeros (and a bare point) removed unless
/// `alt`. Returns the length, or `None` if `dst` is too small.
fn write_g(dst: &mut [u8], a: f64, p: usize, alt: bool, upper: bool) -> Option<usize> {
    // (Larger precisions take format_float's general path.)
    if p > 110 {
        return None;
    }
    let mut digits = [b'0'; 128];
    let (nd, exp) = g_digits(&mut digits, a, p)?;
    // The digits, padded with zeros to p (for `%#g`).
    let digits = &digits[..nd.max(p).min(digits.len())];
    let mut o = StackWriter { buf: dst, len: 0 };
    let put = |o: &mut StackWriter, b: &[u8]| -> Option<()> {
        let end = o.len.checked_add(b.len())?;
        o.buf.get_mut(o.len..end)?.copy_from_slice(b);
        o.len = end;
        Some(())
    };
    if exp < -4 || exp >= p as i64 {
        // d.ddd e±XX
        let mut frac = &digits[1..];
        // glibc's `%#g` when rounding carries a value below 10^p up to
        // 10^p: it keeps the fraction digits of the `%f` form it chose
        // before rounding (none), so 999.7 with `%#.3g` is `1.e+03`.
        // (Below 10^17 only: higher, no double is close enough to 10^p
        // to carry, and 10^p is exact up to 10^22.)
        if alt && exp == p as i64 && p <= 17 && a < POW10[p] {
            frac = &[];
        }
        if !alt {
            while let [rest @ .., b'0'] = frac {
                frac = rest;
            }
        }
        put(&mut o, &digits[..1])?;
        if !frac.is_empty() || alt {
            put(&mut o, b".")?;
            put(&mut o, frac)?;
        }
        put(&mut o, if upper { b"E" } else { b"e" })?;
        put(&mut o, if exp < 0 { b"-" } else { b"+" })?;
        let e = exp.unsigned_abs();
        if e < 10 {
            put(&mut o, b"0")?;
        }
        write!(o, "{e}").ok()?;
    } else {
        // Fixed: the point after digit exp (exp >= -4).
        let (int, frac): (&[u8], &[u8]) = if exp >= 0 {
            digits.split_at(exp as usize + 1)
        } else {
            (b"0", digits)
        };
        let zeros = if exp < 0 { (-exp - 1) as usize } else { 0 };
        let mut frac = frac;
        if !alt {
            while let [rest @ .., b'0'] = frac {
                frac = rest;
            }
        }
        put(&mut o, int)?;
        if !frac.is_empty() || alt {
            put(&mut o, b".")?;
            if !frac.is_empty() {
                for _ in 0..zeros {
                    put(&mut o, b"0")?;
                }
            }
            put(&mut o, frac)?;
        }
    }
    Some(o.len)
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
    match conv.to_ascii_lowercase() {
        b'f' => {
            if !write_fixed_small(out, a, precision) {
                let _ = write!(VecWriter(out), "{:.*}", precision, a);
            }
            if alt && precision == 0 {
                out.push(b'.');
            }
        }
        b'e' => write_exp(out, a, precision, alt, upper),
        _ => {
            let p = if precision == 0 { 1 } else { precision };
            let mut buf = [0u8; 400];
            if let Some(n) = write_g(&mut buf, a, p, alt, upper) {
                out.extend_from_slice(&buf[..n]);
                return;
            }
            // Precisions beyond write_g's (no Lua format reaches them).
            // The exponent %e would show after rounding to p digits.
            let mut probe = Vec::new();
            write_exp(&mut probe, a, p - 1, false, false);
            let exp: i64 = probe
                .iter()
                .position(|&c| c == b'e')
                .and_then(|e| std::str::from_utf8(&probe[e + 1..]).ok())
                .and_then(|e| e.parse().ok())
                .unwrap_or(0);
            let start = out.len();
            if exp < p as i64 && exp >= -4 {
                let _ = write!(VecWriter(out), "{:.*}", (p as i64 - 1 - exp) as usize, a);
                if alt {
                    if !out[start..].contains(&b'.') {
                        out.push(b'.');
                    }
                } else {
                    strip_trailing_zeros(out, start);
                }
            } else {
                write_exp(out, a, p - 1, alt, upper);
                if !alt {
                    // Strip zeros from the mantissa only.
                    if let Some(epos) = out[start..].iter().position(|&c| c == b'e' || c == b'E') {
                        let e = out.split_off(start + epos);
                        strip_trailing_zeros(out, start);
                        out.extend_from_slice(&e);
                    }
                }
            }
        }
    }
}

/// The decimal digits of `v`, written at the end of `buf` (at least 20
/// bytes: u64::MAX has 20 digits); returns where they start.
#[inline]
pub fn u64_digits<const N: usize>(buf: &mut [u8; N], mut v: u64) -> usize {
    const { assert!(N >= 20) };
    let mut k = buf.len();
    loop {
        k -= 1;
        buf[k] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return k;
        }
    }
}

/// Appends the decimal digits of `v`.
#[inline]
pub fn push_u64(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0u8; 20];
    let k = u64_digits(&mut buf, v);
    out.extend_from_slice(&buf[k..]);
}

/// 10^0 to 10^17 as integers.
const POW10_U64: [u64; 18] = {
    let mut t = [1u64; 18];
    let mut i = 1;
    while i < 18 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `%.{prec}f` of `a` (finite, not negative) by exact integer arithmetic,
/// when `prec` <= 17 and `a` < 2^52 with `a * 10^prec` below 2^64 (the
/// usual `%.2f`); returns false, having written nothing, otherwise.
///
/// `a` is `m * 2^e` with `m` < 2^53 and `e` < 0, so `a * 10^prec` is
/// `m * 10^prec / 2^-e`: the product fits in 110 bits, and the quotient
/// and remainder of the shift round it exactly, ties to even, as glibc
/// does in the default rounding mode.
fn write_fixed_small(out: &mut Vec<u8>, a: f64, prec: usize) -> bool {
    let Some(&scale) = POW10_U64.get(prec) else {
        return false;
    };
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    };
    if e >= 0 {
        return false;
    }
    let shift = (-e) as u32;
    let scaled = m as u128 * scale as u128;
    let q = if shift >= 128 {
        // scaled < 2^110 is below half of 2^shift: rounds to 0.
        0
    } else {
        let q = scaled >> shift;
        let r = scaled & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        q + (r > half || (r == half && q & 1 == 1)) as u128
    };
    let Ok(q) = u64::try_from(q) else {
        return false;
    };
    let (int, fraction) = (q / scale, q % scale);
    push_u64(out, int);
    let mut buf = [0u8; 20];
    if prec > 0 {
        let mut v = fraction;
        for slot in buf[20 - prec..].iter_mut().rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
        }
        out.push(b'.');
        out.extend_from_slice(&buf[20 - prec..]);
    }
    true
}

/// `fmt::Write` appending to a byte vector.
struct VecWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// `%e`: mantissa with `precision` digits after the point, exponent with a
/// sign and at least two digits.
fn write_exp(out: &mut Vec<u8>, a: f64, precision: usize, alt: bool, upper: bool) {
    // Rust's `{:e}` text (`1.50e-7`) on the stack when it fits, which it
    // does for every precision a Lua format allows (at most 99).
    let mut buf = [0u8; 160];
    let mut w = StackWriter {
        buf: &mut buf,
        len: 0,
    };
    let mut heap = Vec::new();
    let t: &[u8] = if write!(w, "{:.*e}", precision, a).is_ok() {
        &w.buf[..w.len]
    } else {
        let _ = write!(VecWriter(&mut heap), "{:.*e}", precision, a);
        &heap
    };
    let epos = t.iter().position(|&c| c == b'e').unwrap_or(t.len());
    let (mant, exp) = (&t[..epos], t.get(epos + 1..).unwrap_or(&[]));
    let (neg, digits) = match exp {
        [b'-', rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    out.extend_from_slice(mant);
    if alt && precision == 0 {
        out.push(b'.');
    }
    out.push(if upper { b'E' } else { b'e' });
    out.push(if neg { b'-' } else { b'+' });
    if digits.len() < 2 {
        out.push(b'0');
    }
    if digits.is_empty() {
        out.push(b'0');
    }
    out.extend_from_slice(digits);
}

/// Removes trailing zeros, then a bare point, from the number written at
/// `out[start..]` when it has a point.
fn strip_trailing_zeros(out: &mut Vec<u8>, start: usize) {
    if out[start..].contains(&b'.') {
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
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

    extern "C" {
        fn snprintf(buf: *mut u8, n: usize, fmt: *const u8, ...) -> i32;
    }

    /// glibc's own `snprintf(fmt, x)`: the oracle.
    fn c_format(fmt: &str, x: f64) -> String {
        let fmt = std::ffi::CString::new(fmt).unwrap();
        let mut buf = vec![0u8; 512];
        // SAFETY: a NUL-terminated format with one double conversion and a
        // buffer of the size passed.
        let n = unsafe { snprintf(buf.as_mut_ptr(), buf.len(), fmt.as_ptr().cast(), x) };
        buf.truncate(n as usize);
        String::from_utf8(buf).unwrap()
    }

    /// A xorshift generator for the randomized tests.
    fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    /// `format_float`'s text for `%[#].{p}{conv}` of `x` is glibc's.
    fn check_against_glibc(x: f64, conv: u8, p: usize, alt: bool) {
        let mut v = Vec::new();
        format_float(&mut v, x, conv, p, alt);
        let f = format!("%{}.{p}{}", if alt { "#" } else { "" }, conv as char);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            c_format(&f, x),
            "{f} of {x:e}"
        );
    }

    /// `%.{p}f` for p <= 17 by integer arithmetic (`write_fixed_small`),
    /// against glibc: random doubles over many magnitudes, exact ties
    /// (multiples of powers of one half), and their neighbours.
    #[test]
    fn small_fixed_conversions_match_glibc() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d ^ 0xff);
        for _ in 0..20_000 {
            let p = (next() % 18) as usize;
            let mag = 2f64.powi((next() % 120) as i32 - 70);
            let random = (next() >> 11) as f64 / (1u64 << 53) as f64 * mag;
            let tie = (next() % 100_000) as f64 / 2f64.powi((next() % 12) as i32 + 1);
            for x in [
                random,
                tie,
                f64::from_bits(tie.to_bits() + 1),
                f64::from_bits(tie.to_bits().saturating_sub(1)),
                f64::from_bits(next() & 0x000f_ffff_ffff_ffff),
            ] {
                for alt in [false, true] {
                    check_against_glibc(x, b'f', p, alt);
                }
            }
        }
    }

    /// `%.{p}g` for p <= 15 rounds the shortest digits when they are longer
    /// than p (see `g_digits`): checked against glibc on random doubles, on
    /// decimals of p+1 digits ending in 5 (midpoints of the p-digit grid,
    /// which the double nearest to them misses by a little either way) and
    /// on their neighbouring doubles, and on runs of nines that carry.
    #[test]
    fn g_rounding_of_long_shortest_digits_matches_glibc() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let p = (next() % 15 + 1) as usize;
            let mant = next() % 10u64.pow(p as u32);
            let e = (next() % 40) as i32 - 20;
            let mid: f64 = format!("{mant}5e{e}").parse().unwrap();
            let nines: f64 = format!("{}e{e}", "9".repeat(p + 1 + (next() % 3) as usize))
                .parse()
                .unwrap();
            let random = f64::from_bits(next() >> 2);
            for x in [
                mid,
                f64::from_bits(mid.to_bits() + 1),
                f64::from_bits(mid.to_bits() - 1),
                nines,
                random,
            ] {
                if !x.is_finite() {
                    continue;
                }
                check_against_glibc(x, b'g', p, false);
            }
        }
    }

    #[test]
    fn g_conversions_match_glibc() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let mut values: Vec<f64> = vec![
            0.0,
            -0.0,
            0.1,
            0.5,
            1.0 / 3.0,
            2.0 / 3.0,
            1e-5,
            1e-4,
            9.9999e-5,
            123456.0,
            1e14,
            1e15,
            1e16,
            1e21,
            1e22,
            1e23,
            9.999999999999995e22,
            0.30000000000000004,
            99999999999999.99,
            99999999999999.5,
            0.000099999999999999995,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            2.5,
            0.25,
            1.5e300,
            123.456,
            -7.0e-10,
        ];
        for _ in 0..4000 {
            values.push(f64::from_bits(next()));
            // Short decimals and ties, where rounding matters most.
            let d = (next() % 2_000_000) as f64 / 10f64.powi((next() % 12) as i32);
            values.push(d);
            values.push(d + 0.5);
            // Subnormals, and neighbours of powers of ten.
            values.push(f64::from_bits(next() & 0x000f_ffff_ffff_ffff));
            let k = (next() % 40) as i32 - 20;
            let step = (next() % 5) as i64 - 2;
            values.push(f64::from_bits(
                (10f64.powi(k).to_bits() as i64 + step) as u64,
            ));
        }
        for x in values.into_iter().filter(|x| x.is_finite()) {
            assert_eq!(
                fmt_number(x).as_str(),
                c_format("%.14g", x),
                "%.14g of {x:e}"
            );
            for p in [1usize, 3, 6, 14, 17, 20] {
                for alt in [false, true] {
                    for conv in [b'g', b'G', b'e', b'E', b'f'] {
                        check_against_glibc(x, conv, p, alt);
                    }
                }
            }
        }
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
