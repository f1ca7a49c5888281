//! Redis's `cmsgpack` (lua-cmsgpack 0.4.0): MessagePack `pack`, `unpack`,
//! `unpack_one` and `unpack_limit`, byte-compatible with Redis 7.0.
//!
//! Packing: integers (numbers equal to their int64 conversion) take the
//! smallest of positive/negative fixint, uint8..64, int8..64; other numbers
//! are float32 when the conversion round-trips, else float64; strings use
//! fixstr/str8/str16/str32; a table whose keys are exactly 1..n is an array
//! (the empty table included), any other table a map in `next` order;
//! tables nested 16 deep become nil; anything else is nil. Several
//! arguments are packed one after the other.
//!
//! Unpacking is iterative (no Rust recursion however deep the input nests)
//! and counts Lua stack slots as the C code uses them, so the "stack
//! overflow (...)" errors Redis raises for deep or numerous values come at
//! the same input, with the same words. Truncated input gives "Missing
//! bytes in input.", unknown type bytes "Bad data format in input.".

use ferrous_vm::{Ctx, LuaError, LuaResult, NativeFn, TableRef, Value, Vm};

use crate::cjson::common::{c_f64_to_i32, c_f64_to_i64, stack_overflow, OutBuf, LUAI_MAXCSTACK};

/// Registration order of lua_cmsgpack.c's `cmds`.
const FUNCS: &[(&str, NativeFn)] = &[
    ("pack", pack),
    ("unpack", unpack),
    ("unpack_one", unpack_one),
    ("unpack_limit", unpack_limit),
];

/// Tables nested deeper than this are packed as nil.
const MAX_NESTING: usize = 16;

const TOO_MANY_VALUES: &str =
    "too many return values at once; use unpack_one or unpack_limit instead.";

/// Opens `cmsgpack` (a global, as lua-cmsgpack registers it for Lua 5.1).
pub fn open(vm: &mut Vm) -> LuaResult<()> {
    let t = vm.new_table(0, 0)?;
    crate::register_funcs(vm, t, FUNCS)?;
    let fields: [(&[u8], &[u8]); 4] = [
        (b"_NAME", b"cmsgpack"),
        (b"_VERSION", b"lua-cmsgpack 0.4.0"),
        (b"_COPYRIGHT", b"Copyright (C) 2012, Salvatore Sanfilippo"),
        (b"_DESCRIPTION", b"MessagePack C implementation for Lua"),
    ];
    for (k, v) in fields {
        let v = vm.str_value(v)?;
        vm.raw_set_str(t, k, v)?;
    }
    vm.set_global(b"cmsgpack", Value::Table(t))
}

// ------------------------------------------------------------------ pack

fn pack(ctx: &mut Ctx) -> LuaResult<usize> {
    let nargs = ctx.nargs();
    if nargs == 0 {
        return Err(ctx.arg_error(0, "MessagePack pack needs input."));
    }
    if nargs + nargs > LUAI_MAXCSTACK {
        return Err(ctx.arg_error(0, "Too many arguments for MessagePack pack."));
    }
    let mut out = OutBuf::new();
    let mut r = Ok(());
    for i in 1..=nargs {
        let v = ctx.arg(i);
        // On the C stack: the arguments, the pieces packed so far, the copy.
        r = encode(ctx, &mut out, v, 0, nargs + i);
        if r.is_err() {
            break;
        }
    }
    let r = r.and_then(|()| ctx.push_str(&out.buf));
    out.release(ctx.vm);
    r?;
    Ok(1)
}

/// Packs `v` at nesting `level`; `slots` is the C function's stack use
/// with `v` on top.
fn encode(ctx: &mut Ctx, out: &mut OutBuf, v: Value, level: usize, slots: usize) -> LuaResult<()> {
    match v {
        Value::String(s) => {
            let len = ctx.vm.str_bytes(s).len();
            out.reserve(ctx.vm, len + 5)?;
            put_str_header(&mut out.buf, len);
            out.buf.extend_from_slice(ctx.vm.str_bytes(s));
            Ok(())
        }
        Value::Boolean(b) => out.push(ctx.vm, if b { 0xc3 } else { 0xc2 }),
        Value::Number(n) => {
            let mut tmp = Vec::with_capacity(9);
            put_number(&mut tmp, n);
            out.extend(ctx.vm, &tmp)
        }
        Value::Table(t) if level < MAX_NESTING => encode_table(ctx, out, t, level, slots),
        _ => out.push(ctx.vm, 0xc0),
    }
}

fn encode_table(
    ctx: &mut Ctx,
    out: &mut OutBuf,
    t: TableRef,
    level: usize,
    slots: usize,
) -> LuaResult<()> {
    if slots + 2 > LUAI_MAXCSTACK {
        return Err(stack_overflow(ctx, "in function table_is_an_array"));
    }
    match array_count(ctx.vm, t) {
        Some(count) => {
            if slots + 1 > LUAI_MAXCSTACK {
                return Err(stack_overflow(
                    ctx,
                    "in function mp_encode_lua_table_as_array",
                ));
            }
            let mut hdr = Vec::with_capacity(5);
            put_container_header(&mut hdr, count, 0x90, 0xdc);
            out.extend(ctx.vm, &hdr)?;
            for j in 1..=count {
                let v = ctx
                    .vm
                    .heap
                    .table(t)
                    .map_or(Value::Nil, |tab| tab.get_int(j as i64));
                encode(ctx, out, v, level + 1, slots + 1)?;
            }
            Ok(())
        }
        None => {
            if slots + 3 > LUAI_MAXCSTACK {
                return Err(stack_overflow(
                    ctx,
                    "in function mp_encode_lua_table_as_map",
                ));
            }
            let mut count = 0usize;
            let mut pos = 0;
            while let Some((next, _, _)) = ctx.vm.heap.table(t).and_then(|tab| tab.entry_at(pos)) {
                count += 1;
                pos = next;
            }
            let mut hdr = Vec::with_capacity(5);
            put_container_header(&mut hdr, count, 0x80, 0xde);
            out.extend(ctx.vm, &hdr)?;
            let mut pos = 0;
            while let Some((next, k, v)) = ctx.vm.heap.table(t).and_then(|tab| tab.entry_at(pos)) {
                encode(ctx, out, k, level + 1, slots + 3)?;
                encode(ctx, out, v, level + 1, slots + 2)?;
                pos = next;
            }
            Ok(())
        }
    }
}

/// lua-cmsgpack's `table_is_an_array`: every key a positive number equal
/// to its `int` conversion, and the largest equal to the count. Returns
/// the count for arrays.
fn array_count(vm: &Vm, t: TableRef) -> Option<usize> {
    let tab = vm.heap.table(t)?;
    let mut count: i64 = 0;
    let mut max: i32 = 0;
    let mut pos = 0;
    while let Some((next, k, _)) = tab.entry_at(pos) {
        pos = next;
        match k {
            Value::Number(n) if n > 0.0 && !n.is_infinite() && c_f64_to_i32(n) as f64 == n => {
                if n > max as f64 {
                    max = n as i32;
                }
                count += 1;
            }
            _ => return None,
        }
    }
    (max as i64 == count).then_some(count as usize)
}

fn put_str_header(out: &mut Vec<u8>, len: usize) {
    if len < 32 {
        out.push(0xa0 | len as u8);
    } else if len <= 0xff {
        out.push(0xd9);
        out.push(len as u8);
    } else if len <= 0xffff {
        out.push(0xda);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
}

/// Array (fix 0x90, 16-bit 0xdc, 32-bit 0xdd) or map (0x80, 0xde, 0xdf).
fn put_container_header(out: &mut Vec<u8>, n: usize, fix: u8, wide16: u8) {
    if n <= 15 {
        out.push(fix | n as u8);
    } else if n <= 0xffff {
        out.push(wide16);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(wide16 + 1);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

/// A number: an integer when it equals its int64 conversion, else a
/// float32 when that round-trips, else a float64.
pub fn put_number(out: &mut Vec<u8>, n: f64) {
    let i = c_f64_to_i64(n);
    if !n.is_infinite() && i as f64 == n {
        put_int(out, i);
    } else {
        let f = n as f32;
        if f as f64 == n {
            out.push(0xca);
            out.extend_from_slice(&f.to_be_bytes());
        } else {
            out.push(0xcb);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

fn put_int(out: &mut Vec<u8>, n: i64) {
    if n >= 0 {
        if n <= 127 {
            out.push(n as u8);
        } else if n <= 0xff {
            out.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= 0xffff {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as i8 as u8);
    } else if n >= -128 {
        out.extend_from_slice(&[0xd0, n as i8 as u8]);
    } else if n >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -2147483648 {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

// ---------------------------------------------------------------- unpack

fn unpack(ctx: &mut Ctx) -> LuaResult<usize> {
    let slots = ctx.nargs();
    unpack_full(ctx, 0, 0, slots)
}

fn unpack_one(ctx: &mut Ctx) -> LuaResult<usize> {
    let offset = ctx.opt_integer(2, 0)?;
    unpack_full(ctx, 1, offset, 1)
}

fn unpack_limit(ctx: &mut Ctx) -> LuaResult<usize> {
    let limit = ctx.check_integer(2)?;
    let offset = ctx.opt_integer(3, 0)?;
    unpack_full(ctx, limit, offset, 1)
}

/// Why decoding stopped short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// The input ends inside a value.
    Eof,
    /// A type byte MessagePack (as lua-cmsgpack knows it) does not have.
    BadFormat,
}

/// lua-cmsgpack's `mp_unpack_full`: decodes up to `limit` values from
/// byte `offset`; unless everything was requested (`limit` and `offset`
/// both 0), the offset after the last value (-1 at the end) comes first.
/// `limit` and `offset` are `lua_Integer`s, printed in messages with `%d`
/// (so their low 32 bits show), like the input length.
fn unpack_full(ctx: &mut Ctx, limit: i64, offset: i64, slots: usize) -> LuaResult<usize> {
    let s = ctx.check_string(1)?;
    let data = ctx.vm.str_bytes(s).to_vec();
    let len = data.len();
    let decode_all = limit == 0 && offset == 0;
    if offset < 0 || limit < 0 {
        return Err(ctx.error(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        )));
    }
    if offset as u64 > len as u64 {
        return Err(ctx.error(format!(
            "Start offset {} greater than input length {}.",
            offset as i32, len as i32
        )));
    }
    let limit = if decode_all {
        i64::from(i32::MAX)
    } else {
        limit
    };
    let mut dec = Decoder {
        data: &data,
        pos: offset as usize,
        slots,
    };
    let mut values = Vec::new();
    let mut cnt = 0;
    while dec.pos < len && cnt < limit {
        match dec.value(ctx)? {
            Ok(v) => values.push(v),
            Err(Malformed::Eof) => return Err(ctx.error("Missing bytes in input.")),
            Err(Malformed::BadFormat) => return Err(ctx.error("Bad data format in input.")),
        }
        cnt += 1;
    }
    let mut n = values.len();
    if !decode_all {
        if dec.slots + 1 > LUAI_MAXCSTACK {
            return Err(stack_overflow(ctx, "in function mp_unpack_full"));
        }
        let next = if dec.pos == len {
            -1.0
        } else {
            dec.pos as i32 as f64
        };
        ctx.push(Value::Number(next))?;
        n += 1;
    }
    for v in values {
        ctx.push(v)?;
    }
    Ok(n)
}

/// A container being filled while decoding.
enum Frame {
    Array {
        t: TableRef,
        left: u32,
        index: f64,
    },
    Map {
        t: TableRef,
        left: u32,
        key: Option<Value>,
    },
}

/// The decoding state: input, position, and the C function's stack use.
pub struct Decoder<'a> {
    pub data: &'a [u8],
    pub pos: usize,
    pub slots: usize,
}

impl Decoder<'_> {
    fn left(&self) -> usize {
        self.data.len() - self.pos
    }

    fn need(&self, n: usize) -> Result<(), Malformed> {
        if self.left() < n {
            Err(Malformed::Eof)
        } else {
            Ok(())
        }
    }

    fn be(&self, at: usize, n: usize) -> u64 {
        let mut v = 0u64;
        for &b in &self.data[self.pos + at..self.pos + at + n] {
            v = (v << 8) | b as u64;
        }
        v
    }

    /// Reads one type byte and whatever follows it in the same item. A
    /// scalar comes back as a value, a container as its table and count.
    fn item(&mut self, ctx: &mut Ctx) -> LuaResult<Result<Item, Malformed>> {
        if let Err(e) = self.need(1) {
            return Ok(Err(e));
        }
        if self.slots + 1 > LUAI_MAXCSTACK {
            return Err(stack_overflow(ctx, TOO_MANY_VALUES));
        }
        let b = self.data[self.pos];
        let fixed = |me: &mut Self, n: usize| -> Result<u64, Malformed> {
            me.need(n + 1)?;
            let v = me.be(1, n);
            me.pos += n + 1;
            Ok(v)
        };
        let num = |v: f64| Ok(Ok(Item::Value(Value::Number(v))));
        let r = match b {
            0xcc => match fixed(self, 1) {
                Ok(v) => num(v as f64),
                Err(e) => Ok(Err(e)),
            },
            0xd0 => match fixed(self, 1) {
                Ok(v) => num(v as u8 as i8 as f64),
                Err(e) => Ok(Err(e)),
            },
            0xcd => match fixed(self, 2) {
                Ok(v) => num(v as f64),
                Err(e) => Ok(Err(e)),
            },
            0xd1 => match fixed(self, 2) {
                Ok(v) => num(v as u16 as i16 as f64),
                Err(e) => Ok(Err(e)),
            },
            0xce => match fixed(self, 4) {
                Ok(v) => num(v as f64),
                Err(e) => Ok(Err(e)),
            },
            0xd2 => match fixed(self, 4) {
                Ok(v) => num(v as u32 as i32 as f64),
                Err(e) => Ok(Err(e)),
            },
            // lua-cmsgpack assembles uint64 in a signed integer.
            0xcf | 0xd3 => match fixed(self, 8) {
                Ok(v) => num(v as i64 as f64),
                Err(e) => Ok(Err(e)),
            },
            0xca => match fixed(self, 4) {
                Ok(v) => num(f32::from_bits(v as u32) as f64),
                Err(e) => Ok(Err(e)),
            },
            0xcb => match fixed(self, 8) {
                Ok(v) => num(f64::from_bits(v)),
                Err(e) => Ok(Err(e)),
            },
            0xc0 => {
                self.pos += 1;
                Ok(Ok(Item::Value(Value::Nil)))
            }
            0xc3 | 0xc2 => {
                self.pos += 1;
                Ok(Ok(Item::Value(Value::Boolean(b == 0xc3))))
            }
            0xd9 => match self.need(2) {
                Ok(()) => {
                    let l = self.data[self.pos + 1] as usize;
                    self.string(ctx, 2, l)
                }
                Err(e) => Ok(Err(e)),
            },
            0xda | 0xdb => {
                let n = if b == 0xda { 2 } else { 4 };
                match fixed(self, n) {
                    Ok(l) => self.string(ctx, 0, l as usize),
                    Err(e) => Ok(Err(e)),
                }
            }
            0xdc | 0xdd | 0xde | 0xdf => {
                let n = if b == 0xdc || b == 0xde { 2 } else { 4 };
                match fixed(self, n) {
                    Ok(l) if b <= 0xdd => Ok(Ok(Item::Array(l as u32))),
                    Ok(l) => Ok(Ok(Item::Map(l as u32))),
                    Err(e) => Ok(Err(e)),
                }
            }
            _ if b & 0x80 == 0 => {
                self.pos += 1;
                num(b as f64)
            }
            _ if b & 0xe0 == 0xe0 => {
                self.pos += 1;
                num(b as i8 as f64)
            }
            _ if b & 0xe0 == 0xa0 => self.string(ctx, 1, (b & 0x1f) as usize),
            _ if b & 0xf0 == 0x90 => {
                self.pos += 1;
                Ok(Ok(Item::Array((b & 0xf) as u32)))
            }
            _ if b & 0xf0 == 0x80 => {
                self.pos += 1;
                Ok(Ok(Item::Map((b & 0xf) as u32)))
            }
            _ => Ok(Err(Malformed::BadFormat)),
        };
        r
    }

    /// A string of `l` bytes after a header of `hdr` bytes at `pos`.
    fn string(
        &mut self,
        ctx: &mut Ctx,
        hdr: usize,
        l: usize,
    ) -> LuaResult<Result<Item, Malformed>> {
        if self.left() < hdr || self.left() - hdr < l {
            return Ok(Err(Malformed::Eof));
        }
        let start = self.pos + hdr;
        let v = ctx.vm.str_value(&self.data[start..start + l])?;
        self.pos = start + l;
        Ok(Ok(Item::Value(v)))
    }

    /// Decodes one complete value (containers included), iteratively.
    pub fn value(&mut self, ctx: &mut Ctx) -> LuaResult<Result<Value, Malformed>> {
        let mut frames: Vec<Frame> = Vec::new();
        loop {
            let item = match self.item(ctx)? {
                Ok(i) => i,
                Err(e) => return Ok(Err(e)),
            };
            // The value (or the new table) now sits on the C stack.
            self.slots += 1;
            let mut v = match item {
                Item::Value(v) => v,
                Item::Array(n) => {
                    let t = ctx.vm.new_table(0, 0)?;
                    if self.slots + 1 > LUAI_MAXCSTACK {
                        return Err(stack_overflow(ctx, "in function mp_decode_to_lua_array"));
                    }
                    if n > 0 {
                        frames.push(Frame::Array {
                            t,
                            left: n,
                            index: 1.0,
                        });
                        // The index pushed before each element.
                        self.slots += 1;
                        continue;
                    }
                    Value::Table(t)
                }
                Item::Map(n) => {
                    let t = ctx.vm.new_table(0, 0)?;
                    if n > 0 {
                        frames.push(Frame::Map {
                            t,
                            left: n,
                            key: None,
                        });
                        continue;
                    }
                    Value::Table(t)
                }
            };
            // Store completed values into their containers.
            loop {
                let Some(top) = frames.last_mut() else {
                    return Ok(Ok(v));
                };
                match top {
                    Frame::Array { t, left, index } => {
                        let t = *t;
                        ctx.vm.raw_set(t, Value::Number(*index), v)?;
                        self.slots -= 2;
                        *index += 1.0;
                        *left -= 1;
                        if *left == 0 {
                            frames.pop();
                            v = Value::Table(t);
                            continue;
                        }
                        self.slots += 1;
                        break;
                    }
                    Frame::Map { t, left, key } => {
                        let t = *t;
                        match key.take() {
                            None => {
                                *key = Some(v);
                                break;
                            }
                            Some(k) => {
                                *left -= 1;
                                let done = *left == 0;
                                set_field(ctx, t, k, v)?;
                                self.slots -= 2;
                                if done {
                                    frames.pop();
                                    v = Value::Table(t);
                                    continue;
                                }
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `lua_settable` on a fresh table: raw, with Lua's errors for nil and NaN
/// keys ("table index is nil", raised without a position).
fn set_field(ctx: &mut Ctx, t: TableRef, k: Value, v: Value) -> Result<(), LuaError> {
    ctx.vm.raw_set(t, k, v)
}

/// What one type byte introduced.
enum Item {
    Value(Value),
    Array(u32),
    Map(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packed(n: f64) -> Vec<u8> {
        let mut v = Vec::new();
        put_number(&mut v, n);
        v
    }

    #[test]
    fn number_widths() {
        assert_eq!(packed(0.0), [0x00]);
        assert_eq!(packed(-0.0), [0x00]);
        assert_eq!(packed(127.0), [0x7f]);
        assert_eq!(packed(128.0), [0xcc, 0x80]);
        assert_eq!(packed(-32.0), [0xe0]);
        assert_eq!(packed(-33.0), [0xd0, 0xdf]);
        assert_eq!(packed(0.5), [0xca, 0x3f, 0, 0, 0]);
        assert_eq!(packed(f64::INFINITY), [0xca, 0x7f, 0x80, 0, 0]);
        assert_eq!(packed(9223372036854775808.0), [0xca, 0x5f, 0, 0, 0]);
        assert_eq!(
            packed(-9223372036854775808.0),
            [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(packed(0.1)[0], 0xcb);
    }
}
