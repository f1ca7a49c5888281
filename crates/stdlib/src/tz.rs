//! Calendar arithmetic and time zones for `os.date` and `os.time`, in
//! pure Rust.
//!
//! * [`civil_from_days`] / [`days_from_civil`]: the proleptic Gregorian
//!   calendar on 64-bit day numbers (year 0 exists, as in C's `struct tm`).
//! * [`gmtime`], [`localtime`], [`mktime`]: C's functions with glibc's
//!   results. The local zone is found as glibc finds it: the `TZ`
//!   environment variable (empty: UTC; `:NAME` or `NAME`: a TZif file,
//!   absolute or under `/usr/share/zoneinfo` (or `$TZDIR`); otherwise a
//!   POSIX TZ string such as `EST5EDT,M3.2.0,M11.1.0`), or `/etc/localtime`
//!   when `TZ` is unset. A zone that cannot be read is UTC (named after
//!   the `TZ` text, as glibc names it). Leap-second ("right/") zones are
//!   read without their leap-second table.

use std::cell::RefCell;
use std::ffi::OsString;
use std::rc::Rc;

/// C's `struct tm`, with `tm_gmtoff` and `tm_zone`. `year` counts from
/// 1900, `mon` from 0, `yday` from 0; `wday` 0 is Sunday.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tm {
    /// Seconds, 0-60 (60: a leap second).
    pub sec: i32,
    /// Minutes, 0-59.
    pub min: i32,
    /// Hours, 0-23.
    pub hour: i32,
    /// Day of the month, 1-31.
    pub mday: i32,
    /// Month, 0 (January) to 11.
    pub mon: i32,
    /// Years since 1900.
    pub year: i32,
    /// Day of the week, 0 (Sunday) to 6.
    pub wday: i32,
    /// Day of the year, 0-365.
    pub yday: i32,
    /// Daylight saving time: positive if in effect, 0 if not, negative if
    /// unknown (as `mktime` takes it).
    pub isdst: i32,
    /// Offset from UTC in seconds, east positive.
    pub gmtoff: i64,
    /// The zone abbreviation (`%Z`), e.g. "UTC" or "CET".
    pub zone: String,
}

/// Days from 1970-01-01 to `y-m-d` (`m` 1..=12, `d` 1..=31).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The date `(year, month 1..=12, day 1..=31)` of a day number.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// True for Gregorian leap years.
pub fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Broken-down time of `t + off` seconds, labelled with `isdst` and
/// `zone`; `None` when the year does not fit C's `int tm_year`.
fn breakdown(t: i64, off: i64, isdst: bool, zone: &str) -> Option<Tm> {
    let s = t.checked_add(off)?;
    let days = s.div_euclid(86_400);
    let secs = s.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let year = i32::try_from(y - 1900).ok()?;
    let yday = days - days_from_civil(y, 1, 1);
    Some(Tm {
        sec: (secs % 60) as i32,
        min: ((secs / 60) % 60) as i32,
        hour: (secs / 3600) as i32,
        mday: d as i32,
        mon: (m - 1) as i32,
        year,
        wday: (days + 4).rem_euclid(7) as i32,
        yday: yday as i32,
        isdst: isdst as i32,
        gmtoff: off,
        zone: zone.to_string(),
    })
}

/// C's `gmtime` (zone "GMT").
pub fn gmtime(t: i64) -> Option<Tm> {
    breakdown(t, 0, false, "GMT")
}

/// C's `localtime` in the current zone.
pub fn localtime(t: i64) -> Option<Tm> {
    let z = current_zone();
    let (off, isdst, name) = z.info_at(t);
    breakdown(t, off, isdst, &name)
}

thread_local! {
    /// glibc keeps the UTC offset mktime found last and starts its next
    /// search from it (which decides some answers in DST gaps).
    static OFFSET_GUESS: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// Seconds since the epoch of year (from 1900), day of year and time of
/// day, all possibly out of range, read as UTC (glibc's ydhms_diff).
fn ydhms(year: i64, yday: i64, hour: i64, min: i64, sec: i64) -> i64 {
    (days_from_civil(year + 1900, 1, 1) + yday) * 86_400 + hour * 3600 + min * 60 + sec
}

/// glibc's `isdst_differ`.
fn isdst_differ(a: i32, b: i32) -> bool {
    (a == 0) != (b == 0) && a >= 0 && b >= 0
}

/// C's `mktime` with glibc's algorithm: fields may be out of range (they
/// count linearly), seconds are clamped to 0..=59 during the search and
/// added back after it, the search starts from the previous call's
/// offset and follows the zone's answers (a time in a DST gap ends up
/// shifted by the gap), and a requested DST flag that the zone does not
/// give is honoured by borrowing the offset of the nearest time that has
/// it (or one hour). `None` is mktime's `-1` error.
#[allow(clippy::too_many_arguments)]
pub fn mktime(
    year: i32,
    mon: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: i32,
    isdst: i32,
) -> Option<i64> {
    let z = current_zone();
    let convert = |t: i64| -> Option<Tm> {
        let (off, dst, name) = z.info_at(t);
        breakdown(t, off, dst, &name)
    };
    let year = year as i64 + (mon as i64).div_euclid(12);
    let m = (mon as i64).rem_euclid(12);
    let yday = days_from_civil(year + 1900, m + 1, 1) - days_from_civil(year + 1900, 1, 1)
        + mday as i64
        - 1;
    let (hour, min) = (hour as i64, min as i64);
    let sec_requested = sec as i64;
    let sec = sec_requested.clamp(0, 59);
    let req = ydhms(year, yday, hour, min, sec);
    let guess = OFFSET_GUESS.with(|g| g.get());
    let t0 = req.checked_add(guess)?;
    let tm_local = |tm: &Tm| {
        ydhms(
            tm.year as i64,
            tm.yday as i64,
            tm.hour as i64,
            tm.min as i64,
            tm.sec as i64,
        )
    };
    let (mut t, mut t1, mut t2) = (t0, t0, t0);
    let mut dst2 = false;
    let mut remaining = 6;
    let mut tm;
    let mut in_gap = false;
    loop {
        tm = convert(t)?;
        let gt = t.checked_add(req - tm_local(&tm))?;
        if gt == t {
            break;
        }
        // Oscillating across a spring-forward gap: stop at a time whose
        // DST flag differs from the one requested, or, with no flag
        // requested, at the DST side when the other one was standard.
        let stop = if isdst < 0 {
            !dst2 || tm.isdst != 0
        } else {
            (isdst != 0) != (tm.isdst != 0)
        };
        if t == t1 && t != t2 && stop {
            in_gap = true;
            break;
        }
        remaining -= 1;
        if remaining == 0 {
            return None;
        }
        t1 = t2;
        t2 = t;
        t = gt;
        dst2 = tm.isdst != 0;
    }
    if !in_gap && isdst_differ(isdst, tm.isdst) {
        const STRIDE: i64 = 601_200;
        const BOUND: i64 = 457_243_200 / 2 + STRIDE;
        let mut found = false;
        let mut delta = STRIDE;
        'probe: while delta < BOUND {
            for dir in [-1i64, 1] {
                let ot = t + delta * dir;
                if let Some(otm) = convert(ot) {
                    if !isdst_differ(isdst, otm.isdst) {
                        t = ot.checked_add(req - tm_local(&otm))?;
                        tm = convert(t)?;
                        found = true;
                        break 'probe;
                    }
                }
            }
            delta += STRIDE;
        }
        if !found {
            // Assume one hour of DST.
            let dst_difference = (isdst == 0) as i64 - (tm.isdst == 0) as i64;
            t = t.checked_add(3600 * dst_difference)?;
            tm = convert(t)?;
        }
    }
    OFFSET_GUESS.with(|g| g.set(t - t0 + guess));
    if sec_requested != tm.sec as i64 {
        t = t.checked_add(sec_requested - sec)?;
        convert(t)?;
    }
    Some(t)
}

/// Seconds since the epoch of a (possibly denormalised) broken-down time
/// read as UTC.
pub fn local_seconds(year: i32, mon: i32, mday: i32, hour: i32, min: i32, sec: i32) -> i64 {
    let y = year as i64 + 1900 + (mon as i64).div_euclid(12);
    let m = (mon as i64).rem_euclid(12) + 1;
    let days = days_from_civil(y, m, 1) + mday as i64 - 1;
    days * 86_400 + hour as i64 * 3600 + min as i64 * 60 + sec as i64
}

// ------------------------------------------------------------- zones

/// One local time type: offset east of UTC, DST flag, abbreviation.
#[derive(Clone, Debug)]
struct TType {
    off: i64,
    isdst: bool,
    abbr: String,
}

/// When a POSIX rule switches: a day of the year and a time of day.
#[derive(Clone, Copy, Debug)]
enum RuleDay {
    /// `Jn`: day 1..=365, February 29 never counted.
    Julian1(i64),
    /// `n`: day 0..=365, counting February 29.
    Julian0(i64),
    /// `Mm.w.d`: day `d` (0 = Sunday) of week `w` (5 = last) of month `m`.
    Month(i64, i64, i64),
}

#[derive(Clone, Copy, Debug)]
struct Rule {
    day: RuleDay,
    /// Seconds after local midnight.
    time: i64,
}

/// A POSIX TZ string: standard time, and optionally DST with its rules.
#[derive(Clone, Debug)]
struct Posix {
    std: TType,
    dst: Option<(TType, Rule, Rule)>,
}

/// A time zone: TZif transitions, then an optional POSIX rule for times
/// after the last transition.
#[derive(Clone, Debug)]
pub struct Zone {
    times: Vec<i64>,
    idx: Vec<u8>,
    types: Vec<TType>,
    posix: Option<Posix>,
}

impl Zone {
    fn utc(name: &str) -> Zone {
        Zone {
            times: Vec::new(),
            idx: Vec::new(),
            types: Vec::new(),
            posix: Some(Posix {
                std: TType {
                    off: 0,
                    isdst: false,
                    abbr: name.to_string(),
                },
                dst: None,
            }),
        }
    }

    /// Offset, DST flag and abbreviation in force at UTC time `t`.
    fn info_at(&self, t: i64) -> (i64, bool, String) {
        if !self.times.is_empty() {
            let after_last = self.times.last().is_some_and(|&last| t >= last);
            if !(after_last && self.posix.is_some()) {
                let tt = if t < self.times[0] {
                    self.types.first()
                } else {
                    let i = self.times.partition_point(|&x| x <= t) - 1;
                    self.idx.get(i).and_then(|&k| self.types.get(k as usize))
                };
                if let Some(tt) = tt {
                    return (tt.off, tt.isdst, tt.abbr.clone());
                }
            }
        } else if self.posix.is_none() {
            if let Some(tt) = self.types.first() {
                return (tt.off, tt.isdst, tt.abbr.clone());
            }
        }
        match &self.posix {
            Some(p) => p.info_at(t),
            None => (0, false, "UTC".to_string()),
        }
    }
}

impl Posix {
    fn info_at(&self, t: i64) -> (i64, bool, String) {
        let Some((dst, start, end)) = &self.dst else {
            return (self.std.off, false, self.std.abbr.clone());
        };
        // glibc takes the switches of the UTC year of `t`.
        let (y, _, _) = civil_from_days(t.div_euclid(86_400));
        // DST starts at `start` (given in standard time) and ends at `end`
        // (given in DST). Check the neighbouring years' switches too.
        let in_dst = |year: i64| -> Option<bool> {
            let s = rule_time(start, year) - self.std.off;
            let e = rule_time(end, year) - dst.off;
            Some(if s < e {
                t >= s && t < e
            } else {
                !(t >= e && t < s)
            })
        };
        let d = in_dst(y).unwrap_or(false);
        if d {
            (dst.off, true, dst.abbr.clone())
        } else {
            (self.std.off, false, self.std.abbr.clone())
        }
    }
}

/// Local seconds since the epoch at which a rule switches in `year`.
/// glibc counts the days of a year before 1970 from 1970-01-01 (its sum
/// of year lengths starts there), which moves those years' switches; the
/// calendar of the year itself (leap day, weekdays) is the real one.
fn rule_time(r: &Rule, year: i64) -> i64 {
    let jan1 = days_from_civil(year, 1, 1);
    let base = if year < 1970 { 0 } else { jan1 };
    let yday = match r.day {
        RuleDay::Julian1(n) => {
            let mut d = n - 1;
            if is_leap(year) && n >= 60 {
                d += 1;
            }
            d
        }
        RuleDay::Julian0(n) => n,
        RuleDay::Month(m, w, wd) => {
            let first = days_from_civil(year, m, 1);
            let first_wd = (first + 4).rem_euclid(7);
            let mut d = (wd - first_wd).rem_euclid(7);
            let mdays = days_in_month(year, m);
            for _ in 1..w {
                if d + 7 >= mdays {
                    break;
                }
                d += 7;
            }
            first - jan1 + d
        }
    };
    (base + yday) * 86_400 + r.time
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

// ------------------------------------------------------ POSIX strings

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn name(&mut self) -> Option<String> {
        if self.peek() == Some(b'<') {
            let start = self.i + 1;
            let end = start + self.s[start..].iter().position(|&c| c == b'>')?;
            self.i = end + 1;
            let n = &self.s[start..end];
            if n.len() < 3 {
                return None;
            }
            return Some(String::from_utf8_lossy(n).into_owned());
        }
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        if self.i - start < 3 {
            return None;
        }
        Some(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn num(&mut self) -> Option<i64> {
        let start = self.i;
        let mut v: i64 = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            v = v.checked_mul(10)?.checked_add((c - b'0') as i64)?;
            self.i += 1;
        }
        (self.i > start).then_some(v)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    fn hms(&mut self) -> Option<i64> {
        let mut sign = 1;
        match self.peek() {
            Some(b'+') => self.i += 1,
            Some(b'-') => {
                sign = -1;
                self.i += 1
            }
            _ => {}
        }
        let h = self.num()?;
        let mut secs = h * 3600;
        if self.peek() == Some(b':') {
            self.i += 1;
            secs += self.num()? * 60;
            if self.peek() == Some(b':') {
                self.i += 1;
                secs += self.num()?;
            }
        }
        Some(sign * secs)
    }

    fn rule(&mut self) -> Option<Rule> {
        let day = match self.peek()? {
            b'J' => {
                self.i += 1;
                RuleDay::Julian1(self.num()?)
            }
            b'M' => {
                self.i += 1;
                let m = self.num()?;
                if self.peek() != Some(b'.') {
                    return None;
                }
                self.i += 1;
                let w = self.num()?;
                if self.peek() != Some(b'.') {
                    return None;
                }
                self.i += 1;
                let d = self.num()?;
                if !(1..=12).contains(&m) || !(1..=5).contains(&w) || d > 6 {
                    return None;
                }
                RuleDay::Month(m, w, d)
            }
            _ => RuleDay::Julian0(self.num()?),
        };
        let time = if self.peek() == Some(b'/') {
            self.i += 1;
            self.hms()?
        } else {
            7200
        };
        Some(Rule { day, time })
    }
}

fn parse_posix(s: &[u8]) -> Option<Posix> {
    let mut c = Cursor { s, i: 0 };
    let std_name = c.name()?;
    let std_off = -c.hms()?;
    let std = TType {
        off: std_off,
        isdst: false,
        abbr: std_name,
    };
    if c.peek().is_none() {
        return Some(Posix { std, dst: None });
    }
    let dst_name = c.name()?;
    let dst_off = match c.peek() {
        Some(b',') | None => std_off + 3600,
        _ => -c.hms()?,
    };
    let dst = TType {
        off: dst_off,
        isdst: true,
        abbr: dst_name,
    };
    let (start, end) = if c.peek() == Some(b',') {
        c.i += 1;
        let a = c.rule()?;
        if c.peek() != Some(b',') {
            return None;
        }
        c.i += 1;
        let b = c.rule()?;
        (a, b)
    } else {
        // glibc's default: the United States' rules.
        (
            Rule {
                day: RuleDay::Month(3, 2, 0),
                time: 7200,
            },
            Rule {
                day: RuleDay::Month(11, 1, 0),
                time: 7200,
            },
        )
    };
    if c.peek().is_some() {
        return None;
    }
    Some(Posix {
        std,
        dst: Some((dst, start, end)),
    })
}

// ----------------------------------------------------------- TZif

fn be32(b: &[u8], i: usize) -> Option<i64> {
    let s = b.get(i..i + 4)?;
    Some(i32::from_be_bytes([s[0], s[1], s[2], s[3]]) as i64)
}

fn be64(b: &[u8], i: usize) -> Option<i64> {
    let s = b.get(i..i + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(i64::from_be_bytes(a))
}

/// Parses a TZif file (versions 1 to 4).
fn parse_tzif(b: &[u8]) -> Option<Zone> {
    if b.get(0..4)? != b"TZif" {
        return None;
    }
    let version = *b.get(4)?;
    let counts = |at: usize| -> Option<[usize; 6]> {
        let mut c = [0usize; 6];
        for (k, slot) in c.iter_mut().enumerate() {
            *slot = usize::try_from(be32(b, at + 20 + 4 * k)?).ok()?;
        }
        Some(c)
    };
    let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0)?;
    let v1_len = timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    let (base, tsize) = if version >= b'2' {
        (44 + v1_len, 8)
    } else {
        (0, 4)
    };
    let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(base)?;
    let mut p = base + 44;
    let mut times = Vec::with_capacity(timecnt);
    for k in 0..timecnt {
        times.push(if tsize == 8 {
            be64(b, p + 8 * k)?
        } else {
            be32(b, p + 4 * k)?
        });
    }
    p += timecnt * tsize;
    let idx = b.get(p..p + timecnt)?.to_vec();
    p += timecnt;
    let tt_at = p;
    p += typecnt * 6;
    let chars = b.get(p..p + charcnt)?;
    p += charcnt;
    let mut types = Vec::with_capacity(typecnt);
    for k in 0..typecnt {
        let at = tt_at + 6 * k;
        let off = be32(b, at)?;
        let isdst = *b.get(at + 4)? != 0;
        let ai = *b.get(at + 5)? as usize;
        let abbr_bytes = chars.get(ai..).unwrap_or(&[]);
        let end = abbr_bytes
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(abbr_bytes.len());
        types.push(TType {
            off,
            isdst,
            abbr: String::from_utf8_lossy(&abbr_bytes[..end]).into_owned(),
        });
    }
    if idx.iter().any(|&k| k as usize >= types.len()) || types.is_empty() {
        return None;
    }
    p += leap * (tsize + 4) + isstd + isut;
    let posix = if version >= b'2' {
        // The footer: "\n<POSIX TZ>\n".
        b.get(p..).and_then(|rest| {
            let rest = rest.strip_prefix(b"\n")?;
            let end = rest.iter().position(|&c| c == b'\n')?;
            if end == 0 {
                None
            } else {
                parse_posix(&rest[..end])
            }
        })
    } else {
        None
    };
    Some(Zone {
        times,
        idx,
        types,
        posix,
    })
}

fn load_file(path: &std::path::Path) -> Option<Zone> {
    let b = std::fs::read(path).ok()?;
    parse_tzif(&b)
}

/// The zone `TZ` names (or `/etc/localtime` when it is unset).
fn load_zone(tz: Option<&OsString>) -> Zone {
    let Some(tz) = tz else {
        return load_file(std::path::Path::new("/etc/localtime"))
            .unwrap_or_else(|| Zone::utc("UTC"));
    };
    let s = &crate::cfile::sys::os_bytes(tz)[..];
    if s.is_empty() {
        return Zone::utc("UTC");
    }
    let name = s.strip_prefix(b":").unwrap_or(s);
    let file = if name.first() == Some(&b'/') {
        Some(crate::bytes_to_path(name))
    } else if !name.split(|&c| c == b'/').any(|part| part == b"..") {
        let dir = std::env::var_os("TZDIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from("/usr/share/zoneinfo"));
        Some(dir.join(crate::bytes_to_path(name)))
    } else {
        None
    };
    if let Some(z) = file.as_deref().and_then(load_file) {
        return z;
    }
    if let Some(p) = parse_posix(s) {
        return Zone {
            times: Vec::new(),
            idx: Vec::new(),
            types: Vec::new(),
            posix: Some(p),
        };
    }
    // glibc falls back to UTC named after the leading letters of TZ.
    let letters: Vec<u8> = s
        .iter()
        .copied()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if letters.len() >= 3 {
        Zone::utc(&String::from_utf8_lossy(&letters))
    } else {
        Zone::utc("UTC")
    }
}

thread_local! {
    static ZONE: RefCell<Option<(Option<OsString>, Rc<Zone>)>> = const { RefCell::new(None) };
}

/// The current zone, reloaded when `TZ` changes (as `tzset` does).
pub fn current_zone() -> Rc<Zone> {
    let tz = std::env::var_os("TZ");
    ZONE.with(|z| {
        let mut z = z.borrow_mut();
        if let Some((cached_tz, zone)) = z.as_ref() {
            if *cached_tz == tz {
                return zone.clone();
            }
        }
        let zone = Rc::new(load_zone(tz.as_ref()));
        *z = Some((tz, zone.clone()));
        zone
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_roundtrip() {
        for d in [
            -1_000_000i64,
            -719_468,
            -1,
            0,
            1,
            11_016,
            2_932_896,
            1_000_000_000,
        ] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn gmtime_fields() {
        let tm = gmtime(1_000_000_000).unwrap_or_else(|| unreachable!());
        assert_eq!(
            (tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.wday, tm.yday),
            (101, 8, 9, 1, 46, 40, 0, 251)
        );
        assert!(gmtime(i64::MAX).is_none());
    }

    #[test]
    fn posix_rules() {
        let p = parse_posix(b"EST5EDT,M3.2.0,M11.1.0").unwrap_or_else(|| unreachable!());
        // 2000-07-01 00:00 UTC is in EDT; 2000-01-01 in EST.
        assert_eq!(p.info_at(962_409_600).0, -4 * 3600);
        assert_eq!(p.info_at(946_684_800).0, -5 * 3600);
        assert!(parse_posix(b"<+03>-3").is_some_and(|p| p.std.off == 3 * 3600));
    }

    #[test]
    fn mktime_normalises() {
        std::env::set_var("TZ", "UTC");
        // 2000-01-32 = Feb 1.
        assert_eq!(mktime(100, 0, 32, 0, 0, 0, -1), Some(949_363_200));
        // isdst requested in a zone without DST: one hour earlier.
        assert_eq!(mktime(100, 0, 32, 0, 0, 0, 1), Some(949_363_200 - 3600));
        assert_eq!(local_seconds(100, 0, 32, 0, 0, 0), 949_363_200);
    }
}
