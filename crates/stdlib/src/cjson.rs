//! Redis's `cjson` (lua-cjson 2.1.0 as Redis 7.0 vendors it): `encode`,
//! `decode`, `new`, `null` and the configuration functions, byte for byte.
//!
//! Encoding: numbers with `%.14g` (see `encode_number_precision`), NaN and
//! infinities refused, written as `nan`/`inf` or as `null` depending on
//! `encode_invalid_numbers`; strings with `"` `\` `/` and the control
//! characters (and DEL) escaped, other bytes copied; a table is an array
//! when every key is a positive integer, subject to the sparse-array rules
//! of `encode_sparse_array(convert, ratio, safe)`, else an object in `next`
//! order with number keys quoted; empty tables are `{}`; `cjson.null`
//! (a NULL light userdata) and nil are `null`. Decoding follows lua-cjson's
//! tokenizer exactly, error messages and positions included ("Expected
//! value but found invalid token at character 1"), reads numbers with
//! `strtod` (so `decode_invalid_numbers` admits hex, `inf`, `nan`), turns
//! `\u` escapes (surrogate pairs too) into UTF-8 and `null` into
//! `cjson.null`, and like the C code stops at a NUL byte.
//!
//! Both directions use an explicit stack. They also count the Lua stack
//! slots the C code uses, because lua-cjson reports a full C stack with
//! its nesting errors: with the depth limits raised past ~4000, Redis
//! fails at a depth that depends on the mix of arrays and objects, and so
//! do we, at the same depth.

use ferrous_value::number::{fmt_number, format_float, strtod};
use ferrous_vm::{Ctx, LuaResult, Native, NativeFn, StrRef, TableRef, UdRef, Value, Vm};

/// Helpers shared with `cmsgpack`, `bit` and `struct` (kept under this
/// module so the crate root stays untouched by the Redis libraries).
#[path = "redis_common.rs"]
pub mod common;

use common::{arg_error_bytes, c_f64_to_i32, c_str, OutBuf, LUAI_MAXCSTACK};

/// Registration order of lua_cjson.c's `reg` array.
const FUNCS: &[(&str, NativeFn)] = &[
    ("encode", encode),
    ("decode", decode),
    ("encode_sparse_array", cfg_encode_sparse_array),
    ("encode_max_depth", cfg_encode_max_depth),
    ("decode_max_depth", cfg_decode_max_depth),
    ("encode_number_precision", cfg_encode_number_precision),
    ("encode_keep_buffer", cfg_encode_keep_buffer),
    ("encode_invalid_numbers", cfg_encode_invalid_numbers),
    ("decode_invalid_numbers", cfg_decode_invalid_numbers),
    ("new", new),
];

/// The settings of one `cjson` module table (shared by its functions).
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// 1: an excessively sparse array is encoded as an object; 0 (default):
    /// encoding fails with "excessively sparse array".
    pub encode_sparse_convert: i32,
    /// An array whose largest index exceeds this many times its number of
    /// items (and [`Config::encode_sparse_safe`]) is excessively sparse; 0
    /// turns the check off. Default 2.
    pub encode_sparse_ratio: i32,
    /// Arrays whose largest index is at most this are never sparse. Default
    /// 10.
    pub encode_sparse_safe: i32,
    /// Deepest table nesting `encode` accepts (default 1000).
    pub encode_max_depth: i32,
    /// Deepest array/object nesting `decode` accepts (default 1000).
    pub decode_max_depth: i32,
    /// Significant digits of encoded numbers, 1 to 14 (`%.14g` by default).
    pub encode_number_precision: i32,
    /// lua-cjson's buffer reuse switch (1 by default): accepted and
    /// reported by `encode_keep_buffer`, with no effect on the output.
    pub encode_keep_buffer: i32,
    /// 0 refuse, 1 write `nan`/`inf`, 2 write `null`.
    pub encode_invalid_numbers: i32,
    /// Kept and reported by `decode_invalid_numbers` (1 by default); the
    /// decoder reads what `strtod` reads (hex, `inf`, `nan`) whatever its
    /// value.
    pub decode_invalid_numbers: i32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            encode_sparse_convert: 0,
            encode_sparse_ratio: 2,
            encode_sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            encode_number_precision: 14,
            encode_keep_buffer: 1,
            encode_invalid_numbers: 0,
            decode_invalid_numbers: 1,
        }
    }
}

/// Opens `cjson` as a global (Redis builds lua-cjson with its global).
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    let t = new_module(vm)?;
    vm.set_global(b"cjson", Value::Table(t))
}

/// A complete module table with its own configuration (`cjson.new()`).
pub fn new_module(vm: &mut Vm) -> LuaResult<TableRef> {
    let t = vm.new_table(0, 0)?;
    let cfg = vm.new_userdata(Box::new(Config::default()), std::mem::size_of::<Config>())?;
    for (name, f) in FUNCS {
        let func = vm.native_closure(Native::Fn(*f), vec![Value::Userdata(cfg)])?;
        vm.raw_set_str(t, name.as_bytes(), func)?;
    }
    vm.raw_set_str(t, b"null", Value::LightUserdata(0))?;
    let name = vm.str_value(b"cjson")?;
    vm.raw_set_str(t, b"_NAME", name)?;
    let version = vm.str_value(b"2.1.0")?;
    vm.raw_set_str(t, b"_VERSION", version)?;
    Ok(t)
}

fn new(ctx: &mut Ctx) -> LuaResult<usize> {
    let t = new_module(ctx.vm)?;
    ctx.push(Value::Table(t))?;
    Ok(1)
}

fn config_ref(ctx: &Ctx) -> Option<UdRef> {
    match ctx.upvalue(0) {
        Value::Userdata(u) => Some(u),
        _ => None,
    }
}

fn config(ctx: &mut Ctx) -> LuaResult<Config> {
    let found = config_ref(ctx).and_then(|u| {
        ctx.vm
            .heap
            .userdata(u)
            .and_then(|ud| ud.payload().downcast_ref::<Config>().copied())
    });
    match found {
        Some(c) => Ok(c),
        None => Err(ctx.error("BUG: Unable to fetch CJSON configuration")),
    }
}

fn update_config(ctx: &mut Ctx, f: impl FnOnce(&mut Config)) {
    if let Some(u) = config_ref(ctx) {
        if let Some(c) = ctx
            .vm
            .heap
            .userdata_mut(u)
            .and_then(|ud| ud.payload_mut().downcast_mut::<Config>())
        {
            f(c);
        }
    }
}

// --------------------------------------------------------- configuration

/// `json_arg_init`: at most `args` arguments.
fn arg_init(ctx: &mut Ctx, args: usize) -> LuaResult<Config> {
    let cfg = config(ctx)?;
    if ctx.nargs() > args {
        return Err(ctx.arg_error(args + 1, "found too many arguments"));
    }
    Ok(cfg)
}

type Field = fn(&mut Config) -> &mut i32;

/// `json_integer_option`: sets the field from argument `idx` when it is
/// not nil (the range error always names argument #1, as the C code
/// does), then pushes the field's value.
fn integer_option(ctx: &mut Ctx, idx: usize, field: Field, min: i32, max: i32) -> LuaResult<()> {
    if !ctx.arg(idx).is_nil() {
        let value = ctx.check_integer(idx)? as i32;
        if !(min <= value && value <= max) {
            let msg = format!("expected integer between {min} and {max}");
            return Err(ctx.arg_error(1, &msg));
        }
        update_config(ctx, |c| *field(c) = value);
    }
    let mut cfg = config(ctx)?;
    let v = *field(&mut cfg);
    ctx.push(Value::Number(v as f64))
}

/// `json_enum_option` with `bool_true` 1: a boolean, or one of `options`
/// by name; pushes a boolean for off/on and the option's name otherwise.
fn enum_option(ctx: &mut Ctx, idx: usize, field: Field, options: &[&str]) -> LuaResult<()> {
    match ctx.arg(idx) {
        Value::Nil => {}
        Value::Boolean(b) => update_config(ctx, |c| *field(c) = b as i32),
        _ => {
            let s = ctx.check_string(idx)?;
            let name = c_str(ctx.vm.str_bytes(s)).to_vec();
            match options.iter().position(|o| o.as_bytes() == name.as_slice()) {
                Some(i) => update_config(ctx, |c| *field(c) = i as i32),
                None => {
                    let mut msg = b"invalid option '".to_vec();
                    msg.extend_from_slice(&name);
                    msg.push(b'\'');
                    return Err(arg_error_bytes(ctx, idx, &msg));
                }
            }
        }
    }
    let mut cfg = config(ctx)?;
    let v = *field(&mut cfg);
    if v == 0 || v == 1 {
        ctx.push(Value::Boolean(v == 1))
    } else {
        let name = options.get(v as usize).copied().unwrap_or("");
        ctx.push_str(name.as_bytes())
    }
}

const BOOL_OPTIONS: &[&str] = &["off", "on"];

fn cfg_encode_sparse_array(ctx: &mut Ctx) -> LuaResult<usize> {
    arg_init(ctx, 3)?;
    enum_option(ctx, 1, |c| &mut c.encode_sparse_convert, BOOL_OPTIONS)?;
    integer_option(ctx, 2, |c| &mut c.encode_sparse_ratio, 0, i32::MAX)?;
    integer_option(ctx, 3, |c| &mut c.encode_sparse_safe, 0, i32::MAX)?;
    Ok(3)
}

fn cfg_encode_max_depth(ctx: &mut Ctx) -> LuaResult<usize> {
    arg_init(ctx, 1)?;
    integer_option(ctx, 1, |c| &mut c.encode_max_depth, 1, i32::MAX)?;
    Ok(1)
}

fn cfg_decode_max_depth(ctx: &mut Ctx) -> LuaResult<usize> {
    arg_init(ctx, 1)?;
    integer_option(ctx, 1, |c| &mut c.decode_max_depth, 1, i32::MAX)?;
    Ok(1)
}

fn cfg_encode_number_precision(ctx: &mut Ctx) -> LuaResult<usize> {
    arg_init(ctx, 1)?;
    integer_option(ctx, 1, |c| &mut c.encode_number_precision, 1, 14)?;
    Ok(1)
}

fn cfg_encode_keep_buffer(ctx: &mut Ctx) -> LuaResult<usize> {
    arg_init(ctx, 1)?;
    enum_option(ctx, 1, |c| &mut c.encode_keep_buffer, BOOL_OPTIONS)?;
    Ok(1)
}

fn cfg_encode_invalid_numbers(ctx: &mut Ctx) -> LuaResult<usize> {
    arg_init(ctx, 1)?;
    enum_option(
        ctx,
        1,
        |c| &mut c.encode_invalid_numbers,
        &["off", "on", "null"],
    )?;
    Ok(1)
}

fn cfg_decode_invalid_numbers(ctx: &mut Ctx) -> LuaResult<usize> {
    arg_init(ctx, 1)?;
    enum_option(ctx, 1, |c| &mut c.decode_invalid_numbers, BOOL_OPTIONS)?;
    Ok(1)
}

// -------------------------------------------------------------- encoding

fn encode(ctx: &mut Ctx) -> LuaResult<usize> {
    let cfg = config(ctx)?;
    if ctx.nargs() != 1 {
        return Err(ctx.arg_error(1, "expected 1 argument"));
    }
    let v = ctx.arg(1);
    let mut out = OutBuf::new(ctx.vm);
    encode_value(ctx, &cfg, v, &mut out)?;
    out.finish(ctx)?;
    Ok(1)
}

/// The escape of each byte in a JSON string, or `None` to copy it.
fn escape(b: u8) -> Option<&'static [u8]> {
    const CONTROL: [&[u8]; 32] = [
        b"\\u0000", b"\\u0001", b"\\u0002", b"\\u0003", b"\\u0004", b"\\u0005", b"\\u0006",
        b"\\u0007", b"\\b", b"\\t", b"\\n", b"\\u000b", b"\\f", b"\\r", b"\\u000e", b"\\u000f",
        b"\\u0010", b"\\u0011", b"\\u0012", b"\\u0013", b"\\u0014", b"\\u0015", b"\\u0016",
        b"\\u0017", b"\\u0018", b"\\u0019", b"\\u001a", b"\\u001b", b"\\u001c", b"\\u001d",
        b"\\u001e", b"\\u001f",
    ];
    match b {
        0..=31 => Some(CONTROL[b as usize]),
        b'"' => Some(b"\\\""),
        b'\\' => Some(b"\\\\"),
        b'/' => Some(b"\\/"),
        127 => Some(b"\\u007f"),
        _ => None,
    }
}

fn append_string(vm: &mut Vm, out: &mut OutBuf, s: StrRef) -> LuaResult<()> {
    // The exact escaped length (lua-cjson reserves six bytes per byte).
    let len: usize = vm
        .str_bytes(s)
        .iter()
        .map(|&b| escape(b).map_or(1, <[u8]>::len))
        .sum();
    out.reserve(vm, len.saturating_add(2))?;
    // Room is reserved: these appends cannot fail.
    let heap = &vm.heap;
    let buf = &mut out.buf;
    let bytes = vm.str_bytes(s);
    let mut put = |b: &[u8]| buf.extend(heap, b);
    let r = (|| {
        put(b"\"")?;
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if let Some(e) = escape(b) {
                put(&bytes[start..i])?;
                put(e)?;
                start = i + 1;
            }
        }
        put(&bytes[start..])?;
        put(b"\"")
    })();
    r.map_err(|_| vm.memory_error())
}

fn append_number(ctx: &mut Ctx, cfg: &Config, out: &mut OutBuf, n: f64) -> LuaResult<()> {
    if !n.is_finite() {
        match cfg.encode_invalid_numbers {
            0 => return Err(ctx.error("Cannot serialise number: must not be NaN or Inf")),
            1 if n.is_nan() => return out.extend(ctx.vm, b"nan"),
            1 => {}
            _ => return out.extend(ctx.vm, b"null"),
        }
    }
    let precision = cfg.encode_number_precision.clamp(1, 14) as usize;
    if precision == 14 {
        // Lua's own "%.14g", with its fast path for integers.
        return out.extend(ctx.vm, &fmt_number(n));
    }
    let mut tmp = Vec::with_capacity(32);
    format_float(&mut tmp, n, b'g', precision, false);
    out.extend(ctx.vm, &tmp)
}

/// lua-cjson's `lua_array_length`: the largest key when every key is a
/// positive integer (kept in a C `int`, so keys past 2^31 turn it
/// negative and the table becomes an object), -1 for objects and for
/// excessively sparse arrays when `convert` is on; an error for those
/// when it is off.
fn array_length(ctx: &mut Ctx, cfg: &Config, t: TableRef) -> LuaResult<i32> {
    let mut max: i32 = 0;
    let mut items: i32 = 0;
    if let Some(tab) = ctx.vm.heap.table(t) {
        let mut pos = 0;
        while let Some((next, k, _)) = tab.entry_at(pos) {
            pos = next;
            match k {
                Value::Number(k) if k.floor() == k && k >= 1.0 => {
                    if k > max as f64 {
                        max = c_f64_to_i32(k);
                    }
                    items = items.wrapping_add(1);
                }
                _ => return Ok(-1),
            }
        }
    }
    if cfg.encode_sparse_ratio > 0
        && max > items.wrapping_mul(cfg.encode_sparse_ratio)
        && max > cfg.encode_sparse_safe
    {
        if cfg.encode_sparse_convert == 0 {
            return Err(ctx.error("Cannot serialise table: excessively sparse array"));
        }
        return Ok(-1);
    }
    Ok(max)
}

/// An open table while encoding.
enum EncFrame {
    Array {
        t: TableRef,
        len: i32,
        i: i32,
    },
    Object {
        t: TableRef,
        pos: usize,
        first: bool,
    },
}

fn encode_value(ctx: &mut Ctx, cfg: &Config, v: Value, out: &mut OutBuf) -> LuaResult<()> {
    let mut stack: Vec<EncFrame> = Vec::new();
    // The C stack holds the argument, one element per open array and a
    // key and a value per open object.
    let mut slots: usize = 1;
    let mut cur = v;
    let mut values: u32 = 0;
    loop {
        // A huge table is work the budget sees (time limits, kills).
        values = values.wrapping_add(1);
        if values & 255 == 0 {
            ctx.vm.charge(1)?;
        }
        match cur {
            Value::String(s) => append_string(ctx.vm, out, s)?,
            Value::Number(n) => append_number(ctx, cfg, out, n)?,
            Value::Boolean(true) => out.extend(ctx.vm, b"true")?,
            Value::Boolean(false) => out.extend(ctx.vm, b"false")?,
            Value::Nil | Value::LightUserdata(0) => out.extend(ctx.vm, b"null")?,
            Value::Table(t) => {
                let depth = stack.len() + 1;
                if depth > cfg.encode_max_depth as usize || slots + 3 > LUAI_MAXCSTACK {
                    return Err(ctx.error(format!("Cannot serialise, excessive nesting ({depth})")));
                }
                let len = array_length(ctx, cfg, t)?;
                if len > 0 {
                    out.push(ctx.vm, b'[')?;
                    stack.push(EncFrame::Array { t, len, i: 0 });
                    slots += 1;
                } else {
                    out.push(ctx.vm, b'{')?;
                    stack.push(EncFrame::Object {
                        t,
                        pos: 0,
                        first: true,
                    });
                    slots += 2;
                }
            }
            other => {
                return Err(ctx.error(format!(
                    "Cannot serialise {}: type not supported",
                    other.type_name()
                )))
            }
        }
        // The next value to write, closing finished tables on the way.
        loop {
            match stack.last_mut() {
                None => return Ok(()),
                Some(EncFrame::Array { t, len, i }) => {
                    if *i < *len {
                        if *i > 0 {
                            out.push(ctx.vm, b',')?;
                        }
                        *i += 1;
                        let idx = *i as i64;
                        cur = ctx
                            .vm
                            .heap
                            .table(*t)
                            .map_or(Value::Nil, |tab| tab.get_int(idx));
                        break;
                    }
                    stack.pop();
                    slots -= 1;
                    out.push(ctx.vm, b']')?;
                }
                Some(EncFrame::Object { t, pos, first }) => {
                    let entry = ctx.vm.heap.table(*t).and_then(|tab| tab.entry_at(*pos));
                    let Some((next, k, v)) = entry else {
                        stack.pop();
                        slots -= 2;
                        out.push(ctx.vm, b'}')?;
                        continue;
                    };
                    *pos = next;
                    let comma = !*first;
                    *first = false;
                    if comma {
                        out.push(ctx.vm, b',')?;
                    }
                    match k {
                        Value::Number(n) => {
                            out.push(ctx.vm, b'"')?;
                            append_number(ctx, cfg, out, n)?;
                            out.extend(ctx.vm, b"\":")?;
                        }
                        Value::String(s) => {
                            append_string(ctx.vm, out, s)?;
                            out.push(ctx.vm, b':')?;
                        }
                        other => {
                            return Err(ctx.error(format!(
                                "Cannot serialise {}: table key must be a number or string",
                                other.type_name()
                            )))
                        }
                    }
                    cur = v;
                    break;
                }
            }
        }
    }
}

// -------------------------------------------------------------- decoding

/// A token of lua-cjson's tokenizer.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str(StrRef),
    Num(f64),
    Bool(bool),
    Null,
    Colon,
    Comma,
    End,
    Error(&'static str),
}

impl Tok {
    /// How an unexpected token is described in error messages.
    fn describe(self) -> &'static str {
        match self {
            Tok::ObjBegin => "T_OBJ_BEGIN",
            Tok::ObjEnd => "T_OBJ_END",
            Tok::ArrBegin => "T_ARR_BEGIN",
            Tok::ArrEnd => "T_ARR_END",
            Tok::Str(_) => "T_STRING",
            Tok::Num(_) => "T_NUMBER",
            Tok::Bool(_) => "T_BOOLEAN",
            Tok::Null => "T_NULL",
            Tok::Colon => "T_COLON",
            Tok::Comma => "T_COMMA",
            Tok::End => "T_END",
            Tok::Error(msg) => msg,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Token {
    tok: Tok,
    /// Byte offset of the token (of the fault, for errors).
    index: usize,
}

/// The parser's state over the input (seen, like the C code sees it, up
/// to its first NUL byte).
struct Parser<'a> {
    data: &'a [u8],
    ptr: usize,
    cfg: Config,
    tmp: Vec<u8>,
    depth: usize,
    slots: usize,
}

/// The character translated by a backslash escape (0 for none, `u` for
/// a unicode escape).
fn escape_char(c: u8) -> u8 {
    match c {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 8,
        b't' => b'\t',
        b'n' => b'\n',
        b'f' => 12,
        b'r' => b'\r',
        b'u' => b'u',
        _ => 0,
    }
}

fn hex_value(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// Appends `cp` as UTF-8 (up to four bytes, as lua-cjson writes it).
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    if cp < 0x80 {
        out.push(cp as u8);
    } else if cp < 0x800 {
        out.push(0xc0 | (cp >> 6) as u8);
        out.push(0x80 | (cp & 0x3f) as u8);
    } else if cp < 0x10000 {
        out.push(0xe0 | (cp >> 12) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3f) as u8);
        out.push(0x80 | (cp & 0x3f) as u8);
    } else {
        out.push(0xf0 | (cp >> 18) as u8);
        out.push(0x80 | ((cp >> 12) & 0x3f) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3f) as u8);
        out.push(0x80 | (cp & 0x3f) as u8);
    }
}

impl Parser<'_> {
    /// The byte at `i`, 0 past the end (the C string's terminator).
    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    fn starts_with(&self, i: usize, word: &[u8]) -> bool {
        self.data.get(i..).is_some_and(|s| s.starts_with(word))
    }

    fn starts_with_ignore_case(&self, i: usize, word: &[u8]) -> bool {
        self.data
            .get(i..i + word.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    }

    /// lua-cjson's `json_is_invalid_number`: text that looks like a
    /// number but is not valid JSON (a plus sign, hex, leading zeros,
    /// inf, nan).
    fn is_invalid_number(&self) -> bool {
        let mut i = self.ptr;
        if self.at(i) == b'+' {
            return true;
        }
        if self.at(i) == b'-' {
            i += 1;
        }
        let c = self.at(i);
        if c == b'0' {
            let c2 = self.at(i + 1);
            return (c2 | 0x20) == b'x' || c2.is_ascii_digit();
        } else if c <= b'9' {
            return false;
        }
        self.starts_with_ignore_case(i, b"inf") || self.starts_with_ignore_case(i, b"nan")
    }

    fn error(&self, msg: &'static str) -> Token {
        Token {
            tok: Tok::Error(msg),
            index: self.ptr,
        }
    }

    fn number(&mut self) -> Token {
        match strtod(&self.data[self.ptr.min(self.data.len())..]) {
            Some((v, used)) if used > 0 => {
                let index = self.ptr;
                self.ptr += used;
                Token {
                    tok: Tok::Num(v),
                    index,
                }
            }
            _ => self.error("invalid number"),
        }
    }

    /// A `\uXXXX` escape (two of them for a surrogate pair) at `ptr`:
    /// appends the UTF-8 and returns the escape's length.
    fn unicode_escape(&mut self) -> Option<usize> {
        let hex4 = |p: &Self, at: usize| -> Option<u32> {
            let mut v = 0;
            for k in 0..4 {
                v = (v << 4) | hex_value(p.at(at + k))?;
            }
            Some(v)
        };
        let mut cp = hex4(self, self.ptr + 2)?;
        let mut len = 6;
        if cp & 0xf800 == 0xd800 {
            if cp & 0x400 != 0 {
                return None;
            }
            if self.at(self.ptr + 6) != b'\\' || self.at(self.ptr + 7) != b'u' {
                return None;
            }
            let low = hex4(self, self.ptr + 8)?;
            if low & 0xfc00 != 0xdc00 {
                return None;
            }
            cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
            len = 12;
        }
        push_utf8(&mut self.tmp, cp);
        Some(len)
    }

    fn string(&mut self, ctx: &mut Ctx) -> LuaResult<Token> {
        let index = self.ptr;
        self.ptr += 1;
        self.tmp.clear();
        loop {
            let c = self.at(self.ptr);
            if c == b'"' {
                break;
            }
            if c == 0 {
                return Ok(self.error("unexpected end of string"));
            }
            if c == b'\\' {
                match escape_char(self.at(self.ptr + 1)) {
                    b'u' => match self.unicode_escape() {
                        Some(len) => {
                            self.ptr += len;
                            continue;
                        }
                        None => return Ok(self.error("invalid unicode escape code")),
                    },
                    0 => return Ok(self.error("invalid escape code")),
                    e => {
                        self.tmp.push(e);
                        self.ptr += 2;
                        continue;
                    }
                }
            }
            // Copy a run of plain characters at once.
            let run = self.data[self.ptr..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')
                .unwrap_or(self.data.len() - self.ptr);
            self.tmp
                .extend_from_slice(&self.data[self.ptr..self.ptr + run]);
            self.ptr += run;
        }
        self.ptr += 1;
        let s = ctx.vm.intern(&self.tmp)?;
        Ok(Token {
            tok: Tok::Str(s),
            index,
        })
    }

    fn next_token(&mut self, ctx: &mut Ctx) -> LuaResult<Token> {
        while matches!(self.at(self.ptr), b' ' | b'\t' | b'\n' | b'\r') {
            self.ptr += 1;
        }
        let index = self.ptr;
        let single = |tok: Tok, p: &mut Self| {
            p.ptr += 1;
            Token { tok, index }
        };
        let c = self.at(self.ptr);
        Ok(match c {
            0 => Token {
                tok: Tok::End,
                index,
            },
            b'{' => single(Tok::ObjBegin, self),
            b'}' => single(Tok::ObjEnd, self),
            b'[' => single(Tok::ArrBegin, self),
            b']' => single(Tok::ArrEnd, self),
            b',' => single(Tok::Comma, self),
            b':' => single(Tok::Colon, self),
            b'"' => return self.string(ctx),
            b'-' | b'0'..=b'9' => {
                if self.cfg.decode_invalid_numbers == 0 && self.is_invalid_number() {
                    self.error("invalid number")
                } else {
                    self.number()
                }
            }
            b'f' | b'i' | b'I' | b'n' | b'N' | b't' | b'+' => {
                if self.starts_with(self.ptr, b"true") {
                    self.ptr += 4;
                    Token {
                        tok: Tok::Bool(true),
                        index,
                    }
                } else if self.starts_with(self.ptr, b"false") {
                    self.ptr += 5;
                    Token {
                        tok: Tok::Bool(false),
                        index,
                    }
                } else if self.starts_with(self.ptr, b"null") {
                    self.ptr += 4;
                    Token {
                        tok: Tok::Null,
                        index,
                    }
                } else if self.cfg.decode_invalid_numbers != 0 && self.is_invalid_number() {
                    self.number()
                } else {
                    self.error("invalid token")
                }
            }
            _ => self.error("invalid token"),
        })
    }

    fn throw(&self, ctx: &mut Ctx, expected: &str, t: Token) -> ferrous_vm::LuaError {
        ctx.error(format!(
            "Expected {expected} but found {} at character {}",
            t.tok.describe(),
            t.index + 1
        ))
    }

    /// `json_decode_descend`: one level deeper, within the depth limit
    /// and with `needed` C stack slots free.
    fn descend(&mut self, ctx: &mut Ctx, needed: usize) -> LuaResult<()> {
        self.depth += 1;
        if self.depth <= self.cfg.decode_max_depth as usize && self.slots + needed <= LUAI_MAXCSTACK
        {
            return Ok(());
        }
        Err(ctx.error(format!(
            "Found too many nested data structures ({}) at character {}",
            self.depth, self.ptr
        )))
    }

    /// Parses the value starting with `tok`, iteratively.
    fn value(&mut self, ctx: &mut Ctx, mut tok: Token) -> LuaResult<Value> {
        enum Frame {
            Array { t: TableRef, i: i64 },
            Object { t: TableRef, key: StrRef },
        }
        let mut frames: Vec<Frame> = Vec::new();
        let mut values: u32 = 0;
        loop {
            values = values.wrapping_add(1);
            if values & 255 == 0 {
                ctx.vm.charge(1)?;
            }
            let mut v = match tok.tok {
                Tok::Str(s) => Value::String(s),
                Tok::Num(n) => Value::Number(n),
                Tok::Bool(b) => Value::Boolean(b),
                Tok::Null => Value::LightUserdata(0),
                Tok::ObjBegin => {
                    self.descend(ctx, 3)?;
                    let t = ctx.vm.new_table(0, 0)?;
                    let first = self.next_token(ctx)?;
                    if first.tok == Tok::ObjEnd {
                        self.depth -= 1;
                        Value::Table(t)
                    } else {
                        let key = self.object_key(ctx, first)?;
                        frames.push(Frame::Object { t, key });
                        self.slots += 2;
                        tok = self.next_token(ctx)?;
                        continue;
                    }
                }
                Tok::ArrBegin => {
                    self.descend(ctx, 2)?;
                    let t = ctx.vm.new_table(0, 0)?;
                    let first = self.next_token(ctx)?;
                    if first.tok == Tok::ArrEnd {
                        self.depth -= 1;
                        Value::Table(t)
                    } else {
                        frames.push(Frame::Array { t, i: 1 });
                        self.slots += 1;
                        tok = first;
                        continue;
                    }
                }
                _ => return Err(self.throw(ctx, "value", tok)),
            };
            // Store the finished value; close tables that end here.
            loop {
                match frames.last_mut() {
                    None => return Ok(v),
                    Some(Frame::Array { t, i }) => {
                        let t = *t;
                        ctx.vm.raw_set_int(t, *i, v)?;
                        *i += 1;
                        let next = self.next_token(ctx)?;
                        match next.tok {
                            Tok::ArrEnd => {
                                frames.pop();
                                self.slots -= 1;
                                self.depth -= 1;
                                v = Value::Table(t);
                            }
                            Tok::Comma => {
                                tok = self.next_token(ctx)?;
                                break;
                            }
                            _ => return Err(self.throw(ctx, "comma or array end", next)),
                        }
                    }
                    Some(Frame::Object { t, key }) => {
                        let t = *t;
                        ctx.vm.raw_set(t, Value::String(*key), v)?;
                        let next = self.next_token(ctx)?;
                        match next.tok {
                            Tok::ObjEnd => {
                                frames.pop();
                                self.slots -= 2;
                                self.depth -= 1;
                                v = Value::Table(t);
                            }
                            Tok::Comma => {
                                let k = self.next_token(ctx)?;
                                let k = self.object_key(ctx, k)?;
                                if let Some(Frame::Object { key, .. }) = frames.last_mut() {
                                    *key = k;
                                }
                                tok = self.next_token(ctx)?;
                                break;
                            }
                            _ => return Err(self.throw(ctx, "comma or object end", next)),
                        }
                    }
                }
            }
        }
    }

    /// A key and its colon.
    fn object_key(&mut self, ctx: &mut Ctx, t: Token) -> LuaResult<StrRef> {
        let Tok::Str(key) = t.tok else {
            return Err(self.throw(ctx, "object key string", t));
        };
        let colon = self.next_token(ctx)?;
        if colon.tok != Tok::Colon {
            return Err(self.throw(ctx, "colon", colon));
        }
        Ok(key)
    }
}

fn decode(ctx: &mut Ctx) -> LuaResult<usize> {
    if ctx.nargs() != 1 {
        return Err(ctx.arg_error(1, "expected 1 argument"));
    }
    let cfg = config(ctx)?;
    let s = ctx.check_string(1)?;
    let full = ctx.vm.str_bytes(s).to_vec();
    if full.len() >= 2 && (full[0] == 0 || full[1] == 0) {
        return Err(ctx.error("JSON parser does not support UTF-16 or UTF-32"));
    }
    let mut p = Parser {
        data: c_str(&full),
        ptr: 0,
        cfg,
        tmp: Vec::new(),
        depth: 0,
        slots: 1,
    };
    let first = p.next_token(ctx)?;
    let v = p.value(ctx, first)?;
    let end = p.next_token(ctx)?;
    if end.tok != Tok::End {
        return Err(p.throw(ctx, "the end", end));
    }
    ctx.push(v)?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape(0), Some(&b"\\u0000"[..]));
        assert_eq!(escape(8), Some(&b"\\b"[..]));
        assert_eq!(escape(b'/'), Some(&b"\\/"[..]));
        assert_eq!(escape(127), Some(&b"\\u007f"[..]));
        assert_eq!(escape(128), None);
        assert_eq!(escape(b'a'), None);
    }

    #[test]
    fn utf8() {
        let mut v = Vec::new();
        push_utf8(&mut v, 0x1f600);
        assert_eq!(v, "😀".as_bytes());
        v.clear();
        push_utf8(&mut v, 0xe9);
        assert_eq!(v, "é".as_bytes());
    }
}
