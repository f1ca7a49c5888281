//! The os library: `clock`, `date`, `difftime`, `execute`, `exit`,
//! `getenv`, `remove`, `rename`, `setlocale`, `time`, `tmpname`, with Lua
//! 5.1's results and messages on Linux with glibc.
//!
//! Dates and times are computed in pure Rust ([`crate::tz`]): `os.date`
//! reproduces glibc's `strftime` in the C locale for every conversion
//! (each `%x` is formatted on its own, as Lua 5.1 does), `os.time` with a
//! table normalises its fields like glibc's `mktime`. The local zone comes
//! from `TZ` or `/etc/localtime` (see [`crate::tz`]).
//!
//! `os.clock` is the CPU time of the running thread (from
//! `/proc/thread-self/schedstat`, else `/proc/self/stat`), `os.execute`
//! runs `/bin/sh -c` and returns the raw wait status as `system()` does,
//! `os.exit` flushes standard output and open files first (C's `exit`
//! flushes every stdio stream). Only the "C" locale (also spelled "POSIX")
//! and "C.UTF-8" exist for `os.setlocale`, which affect nothing else.

use std::sync::Mutex;

use ferrous_vm::{Ctx, LuaResult, NativeFn, Value, Vm};

use crate::tz::{self, Tm};

/// Registration order of loslib.c (it decides `pairs(os)` order).
const FUNCS: &[(&str, NativeFn)] = &[
    ("clock", clock),
    ("date", date),
    ("difftime", difftime),
    ("execute", execute),
    ("exit", exit),
    ("getenv", getenv),
    ("remove", remove),
    ("rename", rename),
    ("setlocale", setlocale),
    ("time", time),
    ("tmpname", tmpname),
];

/// Opens the `os` library.
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    crate::cfile::sys::start_clock();
    crate::register_lib(vm, "os", FUNCS)?;
    Ok(())
}

/// The bytes of a C string argument: up to the first NUL.
fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => &b[..n],
        None => b,
    }
}

/// `(time_t)luaL_checknumber(L, i)`: the number truncated to 64 bits
/// (out-of-range values give the minimum, as on x86-64).
fn check_time(ctx: &mut Ctx, i: usize) -> LuaResult<i64> {
    Ok(ferrous_vm::num_to_integer(ctx.check_number(i)?))
}

/// The current time in whole seconds.
fn now() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs_f64().ceil() as i64),
    }
}

// -------------------------------------------------------------- clock

fn clock(ctx: &mut Ctx) -> LuaResult<usize> {
    ctx.push(Value::Number(crate::cfile::sys::cpu_seconds()))?;
    Ok(1)
}

// --------------------------------------------------------------- date

const WDAY: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn wday_name(tm: &Tm) -> &'static str {
    WDAY.get(tm.wday as usize).copied().unwrap_or("?")
}

fn month_name(tm: &Tm) -> &'static str {
    MONTH.get(tm.mon as usize).copied().unwrap_or("?")
}

fn abbr(s: &str) -> &str {
    s.get(..3).unwrap_or(s)
}

/// The full year (`tm_year + 1900`, in C int arithmetic).
fn full_year(tm: &Tm) -> i64 {
    tm.year.wrapping_add(1900) as i64
}

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, i64) {
    let year = tm.year as i64 + 1900;
    // Days since the Monday that starts week 1 (the week with January 4).
    let since_week1 = |yday: i64, wday: i64| -> i64 {
        let iso_wday = (wday + 6).rem_euclid(7); // Monday = 0
        let jan4_wday = (iso_wday - (yday - 3)).rem_euclid(7);
        yday - (3 - jan4_wday)
    };
    let yday = tm.yday as i64;
    let wday = tm.wday as i64;
    let d = since_week1(yday, wday);
    if d < 0 {
        let prev_len = if tz::is_leap(year - 1) { 366 } else { 365 };
        let d = since_week1(yday + prev_len, wday);
        return (year - 1, d / 7 + 1);
    }
    let len = if tz::is_leap(year) { 366 } else { 365 };
    let dn = since_week1(yday - len, wday);
    if dn >= 0 {
        return (year + 1, dn / 7 + 1);
    }
    (year, d / 7 + 1)
}

fn push_num(out: &mut Vec<u8>, v: i64, width: usize, pad: u8) {
    let s = v.unsigned_abs().to_string();
    if v < 0 {
        out.push(b'-');
    }
    for _ in s.len()..width {
        out.push(pad);
    }
    out.extend_from_slice(s.as_bytes());
}

/// `strftime` of the two-character format `%c` in the C locale, as glibc
/// writes it.
fn strftime1(out: &mut Vec<u8>, c: u8, tm: &Tm) {
    let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 } as i64;
    match c {
        b'a' => out.extend_from_slice(abbr(wday_name(tm)).as_bytes()),
        b'A' => out.extend_from_slice(wday_name(tm).as_bytes()),
        b'b' | b'h' => out.extend_from_slice(abbr(month_name(tm)).as_bytes()),
        b'B' => out.extend_from_slice(month_name(tm).as_bytes()),
        b'c' => {
            for (k, conv) in b"a b e H:M:S Y".iter().enumerate() {
                if k % 2 == 0 {
                    strftime1(out, *conv, tm);
                } else {
                    out.push(*conv);
                }
            }
        }
        b'C' => push_num(out, full_year(tm).div_euclid(100), 1, b'0'),
        b'd' => push_num(out, tm.mday as i64, 2, b'0'),
        b'D' | b'x' => {
            strftime1(out, b'm', tm);
            out.push(b'/');
            strftime1(out, b'd', tm);
            out.push(b'/');
            strftime1(out, b'y', tm);
        }
        b'e' => push_num(out, tm.mday as i64, 2, b' '),
        b'F' => {
            strftime1(out, b'Y', tm);
            out.push(b'-');
            strftime1(out, b'm', tm);
            out.push(b'-');
            strftime1(out, b'd', tm);
        }
        b'g' => push_num(out, iso_week(tm).0.rem_euclid(100), 2, b'0'),
        b'G' => push_num(out, iso_week(tm).0, 1, b'0'),
        b'H' => push_num(out, tm.hour as i64, 2, b'0'),
        b'I' => push_num(out, hour12, 2, b'0'),
        b'j' => push_num(out, tm.yday as i64 + 1, 3, b'0'),
        b'k' => push_num(out, tm.hour as i64, 2, b' '),
        b'l' => push_num(out, hour12, 2, b' '),
        b'm' => push_num(out, tm.mon as i64 + 1, 2, b'0'),
        b'M' => push_num(out, tm.min as i64, 2, b'0'),
        b'n' => out.push(b'\n'),
        b'p' => out.extend_from_slice(if tm.hour < 12 { b"AM" } else { b"PM" }),
        b'P' => out.extend_from_slice(if tm.hour < 12 { b"am" } else { b"pm" }),
        b'r' => {
            strftime1(out, b'I', tm);
            out.push(b':');
            strftime1(out, b'M', tm);
            out.push(b':');
            strftime1(out, b'S', tm);
            out.push(b' ');
            strftime1(out, b'p', tm);
        }
        b'R' => {
            strftime1(out, b'H', tm);
            out.push(b':');
            strftime1(out, b'M', tm);
        }
        b's' => {
            let t = tz::mktime(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.isdst);
            push_num(out, t.unwrap_or(-1), 1, b'0');
        }
        b'S' => push_num(out, tm.sec as i64, 2, b'0'),
        b't' => out.push(b'\t'),
        b'T' | b'X' => {
            strftime1(out, b'H', tm);
            out.push(b':');
            strftime1(out, b'M', tm);
            out.push(b':');
            strftime1(out, b'S', tm);
        }
        b'u' => push_num(out, (tm.wday as i64 + 6).rem_euclid(7) + 1, 1, b'0'),
        b'U' => push_num(out, (tm.yday as i64 + 7 - tm.wday as i64) / 7, 2, b'0'),
        b'V' => push_num(out, iso_week(tm).1, 2, b'0'),
        b'w' => push_num(out, tm.wday as i64, 1, b'0'),
        b'W' => push_num(
            out,
            (tm.yday as i64 + 7 - (tm.wday as i64 + 6).rem_euclid(7)) / 7,
            2,
            b'0',
        ),
        b'y' => push_num(out, full_year(tm).rem_euclid(100), 2, b'0'),
        b'Y' => push_num(out, full_year(tm), 1, b'0'),
        b'z' => {
            let off = tm.gmtoff;
            out.push(if off < 0 { b'-' } else { b'+' });
            let a = off.unsigned_abs();
            push_num(out, (a / 3600) as i64, 2, b'0');
            push_num(out, ((a / 60) % 60) as i64, 2, b'0');
        }
        b'Z' => out.extend_from_slice(tm.zone.as_bytes()),
        b'%' => out.push(b'%'),
        b'3'..=b'9' => {
            // A field width with nothing after it: glibc writes the
            // format text itself, padded to that width.
            for _ in 2..(c - b'0') {
                out.push(b' ');
            }
            out.push(b'%');
            out.push(c);
        }
        _ => {
            out.push(b'%');
            out.push(c);
        }
    }
}

fn set_int(vm: &mut Vm, t: ferrous_vm::TableRef, k: &[u8], v: i64) -> LuaResult<()> {
    vm.raw_set_str(t, k, Value::Number(v as f64))
}

fn date(ctx: &mut Ctx) -> LuaResult<usize> {
    let fmt = match ctx.opt_string(1)? {
        Some(s) => ctx.vm.str_bytes(s).to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if ctx.arg(2).is_nil() {
        now()
    } else {
        check_time(ctx, 2)?
    };
    let mut s = c_str(&fmt);
    let tm = if s.first() == Some(&b'!') {
        s = &s[1..];
        tz::gmtime(t)
    } else {
        tz::localtime(t)
    };
    let Some(tm) = tm else {
        ctx.push(Value::Nil)?;
        return Ok(1);
    };
    if s == b"*t" {
        let tab = ctx.vm.new_table(0, 9)?;
        set_int(ctx.vm, tab, b"sec", tm.sec as i64)?;
        set_int(ctx.vm, tab, b"min", tm.min as i64)?;
        set_int(ctx.vm, tab, b"hour", tm.hour as i64)?;
        set_int(ctx.vm, tab, b"day", tm.mday as i64)?;
        set_int(ctx.vm, tab, b"month", tm.mon as i64 + 1)?;
        set_int(ctx.vm, tab, b"year", full_year(&tm))?;
        set_int(ctx.vm, tab, b"wday", tm.wday as i64 + 1)?;
        set_int(ctx.vm, tab, b"yday", tm.yday as i64 + 1)?;
        ctx.vm
            .raw_set_str(tab, b"isdst", Value::Boolean(tm.isdst != 0))?;
        ctx.push(Value::Table(tab))?;
        return Ok(1);
    }
    let mut out = Vec::with_capacity(s.len() + 16);
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'%' || i + 1 >= s.len() {
            out.push(s[i]);
            i += 1;
        } else {
            strftime1(&mut out, s[i + 1], &tm);
            i += 2;
        }
    }
    ctx.push_str(&out)?;
    Ok(1)
}

// --------------------------------------------------------------- time

/// `getfield`: an integer field of the date table (through `__index`),
/// or the default; a missing field without default is an error.
fn get_field(ctx: &mut Ctx, t: Value, key: &str, d: i32) -> LuaResult<i32> {
    let k = ctx.vm.str_value(key.as_bytes())?;
    let v = ctx.vm.index(t, k)?;
    match ctx.vm.to_number(v) {
        Some(n) => Ok(ferrous_vm::num_to_integer(n) as i32),
        None if d < 0 => Err(ctx.error(format!("field '{key}' missing in date table"))),
        None => Ok(d),
    }
}

fn time(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = if ctx.arg(1).is_nil() {
        Some(now())
    } else {
        let t = ctx.check_table(1)?;
        let tv = Value::Table(t);
        let sec = get_field(ctx, tv, "sec", 0)?;
        let min = get_field(ctx, tv, "min", 0)?;
        let hour = get_field(ctx, tv, "hour", 12)?;
        let day = get_field(ctx, tv, "day", -1)?;
        let month = get_field(ctx, tv, "month", -1)?.wrapping_sub(1);
        let year = get_field(ctx, tv, "year", -1)?.wrapping_sub(1900);
        let k = ctx.vm.str_value(b"isdst")?;
        let d = ctx.vm.index(tv, k)?;
        let isdst = if d.is_nil() { -1 } else { d.is_truthy() as i32 };
        tz::mktime(year, month, day, hour, min, sec, isdst)
    };
    match t {
        Some(t) if t != -1 => ctx.push(Value::Number(t as f64))?,
        _ => ctx.push(Value::Nil)?,
    }
    Ok(1)
}

fn difftime(ctx: &mut Ctx) -> LuaResult<usize> {
    // gcc evaluates difftime's arguments right to left.
    let t0 = if ctx.arg(2).is_nil() {
        0
    } else {
        check_time(ctx, 2)?
    };
    let t1 = check_time(ctx, 1)?;
    ctx.push(Value::Number((t1 as i128 - t0 as i128) as f64))?;
    Ok(1)
}

// ------------------------------------------------------------ process

fn execute(ctx: &mut Ctx) -> LuaResult<usize> {
    let Some(cmd) = ctx.opt_string(1)? else {
        // system(NULL): is a shell available?
        let ok = crate::cfile::sys::shell_available();
        ctx.push(Value::Number(ok as i32 as f64))?;
        return Ok(1);
    };
    let cmd = c_str(ctx.vm.str_bytes(cmd)).to_vec();
    let status = run_shell(&cmd);
    ctx.push(Value::Number(status as f64))?;
    Ok(1)
}

/// `system(cmd)`: the raw wait status of `/bin/sh -c cmd` (exit code
/// times 256, or the signal number), 127*256 if the shell cannot run,
/// -1 if no process could be created.
pub fn run_shell(cmd: &[u8]) -> i32 {
    use crate::cfile::sys;
    let r = sys::shell(cmd).and_then(|mut c| c.status());
    match r {
        Ok(st) => sys::wait_status(st),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => sys::no_shell_status(),
        Err(_) => -1,
    }
}

fn exit(ctx: &mut Ctx) -> LuaResult<usize> {
    let code = if ctx.arg(1).is_nil() {
        0
    } else {
        ctx.check_integer(1)? as i32
    };
    crate::io::flush_all_files(ctx.vm);
    let _ = crate::output::flush_stdout();
    std::process::exit(code)
}

/// C's `getenv`: the value after `NAME=` in the environment.
fn getenv(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = ctx.check_bytes(1)?;
    match crate::cfile::sys::getenv(c_str(&name)) {
        Some(v) => ctx.push_str(&v)?,
        None => ctx.push(Value::Nil)?,
    }
    Ok(1)
}

// -------------------------------------------------------------- files

/// `os_pushresult`: true, or nil, "NAME: strerror", errno.
pub fn push_result(ctx: &mut Ctx, r: std::io::Result<()>, name: &[u8]) -> LuaResult<usize> {
    match r {
        Ok(()) => {
            ctx.push(Value::Boolean(true))?;
            Ok(1)
        }
        Err(e) => push_error(ctx, &e, Some(name)),
    }
}

/// nil, "NAME: strerror" (or just the text), errno.
pub fn push_error(ctx: &mut Ctx, e: &std::io::Error, name: Option<&[u8]>) -> LuaResult<usize> {
    let mut msg = Vec::new();
    if let Some(n) = name {
        msg.extend_from_slice(c_str(n));
        msg.extend_from_slice(b": ");
    }
    msg.extend_from_slice(crate::cfile::sys::error_text(e).as_bytes());
    ctx.push(Value::Nil)?;
    ctx.push_str(&msg)?;
    ctx.push(Value::Number(
        crate::cfile::sys::errno(e).unwrap_or(0) as f64
    ))?;
    Ok(3)
}

fn remove(ctx: &mut Ctx) -> LuaResult<usize> {
    let name = ctx.check_bytes(1)?;
    let path = crate::bytes_to_path(c_str(&name));
    let r = crate::cfile::sys::remove(&path);
    push_result(ctx, r, &name)
}

fn rename(ctx: &mut Ctx) -> LuaResult<usize> {
    let from = ctx.check_bytes(1)?;
    let to = ctx.check_bytes(2)?;
    let r = std::fs::rename(
        crate::bytes_to_path(c_str(&from)),
        crate::bytes_to_path(c_str(&to)),
    );
    push_result(ctx, r, &from)
}

/// Creates a new empty file `/tmp/lua_XXXXXX` (as mkstemp does; on
/// Windows in the temporary directory) and returns its name.
pub fn make_temp_file() -> Option<(Vec<u8>, std::fs::File)> {
    let prefix = crate::cfile::sys::temp_prefix()?;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = nanos ^ ((std::process::id() as u64) << 32);
    for _ in 0..1000 {
        let c = COUNTER.fetch_add(1, Ordering::Relaxed);
        x = x
            .wrapping_add(c.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_mul(0x2545_F491_4F6C_DD1D);
        x ^= x >> 29;
        let mut name = prefix.clone();
        let mut y = x;
        for _ in 0..6 {
            name.push(CHARS[(y % CHARS.len() as u64) as usize]);
            y /= CHARS.len() as u64;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true).write(true).create_new(true);
        crate::cfile::sys::private_mode(&mut opts);
        match opts.open(crate::bytes_to_path(&name)) {
            Ok(f) => return Some((name, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => return None,
        }
    }
    None
}

fn tmpname(ctx: &mut Ctx) -> LuaResult<usize> {
    match make_temp_file() {
        Some((name, _file)) => {
            ctx.push_str(&name)?;
            Ok(1)
        }
        None => Err(ctx.error("unable to generate a unique filename")),
    }
}

// ------------------------------------------------------------- locale

/// glibc's locale categories, in the order of its composite names.
const CATEGORY_NAMES: [&str; 12] = [
    "LC_CTYPE",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_COLLATE",
    "LC_MONETARY",
    "LC_MESSAGES",
    "LC_PAPER",
    "LC_NAME",
    "LC_ADDRESS",
    "LC_TELEPHONE",
    "LC_MEASUREMENT",
    "LC_IDENTIFICATION",
];

/// The process's locale, one name per category.
static LOCALE: Mutex<Option<Vec<Vec<u8>>>> = Mutex::new(None);

/// The name a locale gets when it is one we have, `None` otherwise.
fn known_locale(name: &[u8]) -> Option<Vec<u8>> {
    if name == b"C" || name == b"POSIX" {
        return Some(b"C".to_vec());
    }
    let codeset = name.strip_prefix(b"C.")?;
    let norm: Vec<u8> = codeset
        .iter()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (norm == b"utf8").then(|| name.to_vec())
}

/// The locale the environment asks for category `cat` (`setlocale(c, "")`).
fn env_locale(cat: &str) -> Vec<u8> {
    for var in ["LC_ALL", cat, "LANG"] {
        if let Some(v) = std::env::var_os(var) {
            if !v.is_empty() {
                return crate::cfile::sys::os_bytes(&v);
            }
        }
    }
    b"C".to_vec()
}

fn locale_query(cats: &[Vec<u8>], which: Option<usize>) -> Vec<u8> {
    match which {
        Some(i) => cats[i].clone(),
        None => {
            if cats.iter().all(|c| *c == cats[0]) {
                cats[0].clone()
            } else {
                let mut out = Vec::new();
                for (i, c) in cats.iter().enumerate() {
                    if i > 0 {
                        out.push(b';');
                    }
                    out.extend_from_slice(CATEGORY_NAMES[i].as_bytes());
                    out.push(b'=');
                    out.extend_from_slice(c);
                }
                out
            }
        }
    }
}

fn setlocale(ctx: &mut Ctx) -> LuaResult<usize> {
    const OPTS: [&str; 6] = ["all", "collate", "ctype", "monetary", "numeric", "time"];
    // Index into CATEGORY_NAMES of each option (None: all).
    const CAT: [Option<usize>; 6] = [None, Some(3), Some(0), Some(4), Some(1), Some(2)];
    let l = ctx
        .opt_string(1)?
        .map(|s| c_str(ctx.vm.str_bytes(s)).to_vec());
    let opt = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.str_bytes(s).to_vec(),
        None => b"all".to_vec(),
    };
    let Some(op) = OPTS.iter().position(|o| o.as_bytes() == opt.as_slice()) else {
        let msg = format!("invalid option '{}'", String::from_utf8_lossy(&opt));
        return Err(ctx.arg_error(2, &msg));
    };
    let which = CAT[op];
    let mut guard = LOCALE.lock().unwrap_or_else(|e| e.into_inner());
    let cats = guard.get_or_insert_with(|| vec![b"C".to_vec(); 12]);
    let result = match l {
        None => Some(locale_query(cats, which)),
        Some(name) => {
            let targets: Vec<usize> = match which {
                Some(i) => vec![i],
                None => (0..12).collect(),
            };
            let mut new = cats.clone();
            let mut ok = true;
            for &i in &targets {
                let wanted = if name.is_empty() {
                    env_locale(CATEGORY_NAMES[i])
                } else {
                    name.clone()
                };
                match known_locale(&wanted) {
                    Some(n) => new[i] = n,
                    None => ok = false,
                }
            }
            if ok {
                *cats = new;
                Some(locale_query(cats, which))
            } else {
                None
            }
        }
    };
    drop(guard);
    match result {
        Some(s) => ctx.push_str(&s)?,
        None => ctx.push(Value::Nil)?,
    }
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_alone() {
        let mut vm = Vm::new();
        assert!(open(&mut vm).is_ok());
        let f = vm.load(
            b"return os.date('!%Y-%m-%d %H:%M:%S', 86399), os.difftime(5, 2)",
            b"=t",
        );
        let f = f.unwrap_or_else(|_| unreachable!("load failed"));
        let r = vm
            .call(f, &[])
            .unwrap_or_else(|_| unreachable!("call failed"));
        let Some(Value::String(s)) = r.first().copied() else {
            unreachable!("no string")
        };
        assert_eq!(vm.str_bytes(s), b"1970-01-01 23:59:59");
        assert_eq!(r.get(1), Some(&Value::Number(3.0)));
    }

    #[test]
    fn iso_weeks() {
        // 2021-01-03 is a Sunday of ISO week 53 of 2020; 2024-12-30 is in
        // week 1 of 2025.
        let tm = tz::gmtime(1_609_632_000).unwrap_or_else(|| unreachable!());
        assert_eq!(iso_week(&tm), (2020, 53));
        let tm = tz::gmtime(1_735_516_800).unwrap_or_else(|| unreachable!());
        assert_eq!(iso_week(&tm), (2025, 1));
    }
}
