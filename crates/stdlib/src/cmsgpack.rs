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
    let mut out = OutBuf::new(ctx.vm);
    for i in 1..=nargs {
        let v = ctx.arg(i);
        // On the C stack: the arguments, the pieces packed so far, the copy.
        encode(ctx, &mut out, v, 0, nargs + i)?;
    }
    out.finish(ctx)?;
    Ok(1)
}

/// Packs `v` at nesting `level`; `slots` is the C function's stack use
/// with `v` on top.
fn encode(ctx: &mut Ctx, out: &mut OutBuf, v: Value, level: usize, slots: usize) -> LuaResult<()> {
    match v {
        Value::String(s) => {
            let len = ctx.vm.str_bytes(s).len();
            out.reserve(ctx.vm, len.saturating_add(5))?;
            // lua-cmsgpack writes lengths as uint32 (past that, truncated).
            let hdr = Piece::write(|w| rmp::encode::write_str_len(w, len as u32).is_ok());
            out.extend(ctx.vm, hdr.bytes())?;
            out.extend_str(ctx.vm, s)
        }
        Value::Boolean(b) => {
            let p = Piece::write(|w| rmp::encode::write_bool(w, b).is_ok());
            out.extend(ctx.vm, p.bytes())
        }
        Value::Number(n) => out.extend(ctx.vm, number_piece(n).bytes()),
        Value::Table(t) if level < MAX_NESTING => encode_table(ctx, out, t, level, slots),
        _ => {
            let p = Piece::write(|w| rmp::encode::write_nil(w).is_ok());
            out.extend(ctx.vm, p.bytes())
        }
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
            let hdr = Piece::write(|w| rmp::encode::write_array_len(w, count as u32).is_ok());
            out.extend(ctx.vm, hdr.bytes())?;
            for j in 1..=count {
                if j & 255 == 0 {
                    // Big tables are work the budget sees.
                    ctx.vm.charge(1)?;
                }
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
            let hdr = Piece::write(|w| rmp::encode::write_map_len(w, count as u32).is_ok());
            out.extend(ctx.vm, hdr.bytes())?;
            let mut pos = 0;
            while let Some((next, k, v)) = ctx.vm.heap.table(t).and_then(|tab| tab.entry_at(pos)) {
                if next & 255 == 0 {
                    ctx.vm.charge(1)?;
                }
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

/// One MessagePack header or scalar (at most 9 bytes: a marker and a
/// 64-bit payload), written by `rmp`'s encoding primitives. `rmp` picks the
/// same forms lua-cmsgpack does: the smallest of positive/negative fixint,
/// uint8..64 and int8..64; fixstr, str8, str16, str32; fixarray/fixmap,
/// 16-bit, 32-bit. What is Redis's own (which numbers are integers, when a
/// float32 is enough, arrays versus maps, nesting) stays here.
struct Piece {
    buf: [u8; 9],
    len: usize,
}

impl Piece {
    /// Runs one `rmp::encode` call on a 9-byte buffer. Every call made
    /// here fits, so a failure (which would be a short write) leaves the
    /// piece empty rather than panicking.
    fn write(f: impl FnOnce(&mut &mut [u8]) -> bool) -> Piece {
        let mut buf = [0u8; 9];
        let mut w: &mut [u8] = &mut buf;
        let ok = f(&mut w);
        let len = if ok { 9 - w.len() } else { 0 };
        Piece { buf, len }
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// A number: an integer when it equals its int64 conversion, else a
/// float32 when that round-trips, else a float64.
fn number_piece(n: f64) -> Piece {
    let i = c_f64_to_i64(n);
    if !n.is_infinite() && i as f64 == n {
        Piece::write(|w| rmp::encode::write_sint(w, i).is_ok())
    } else {
        let f = n as f32;
        if f as f64 == n {
            Piece::write(|w| rmp::encode::write_f32(w, f).is_ok())
        } else {
            Piece::write(|w| rmp::encode::write_f64(w, n).is_ok())
        }
    }
}

/// Appends the MessagePack encoding of a Lua number to `out`, as
/// `cmsgpack.pack` writes it (an integer in the smallest form that holds
/// it, else a float32 when exact, else a float64).
pub fn put_number(out: &mut Vec<u8>, n: f64) {
    out.extend_from_slice(number_piece(n).bytes());
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
#[derive(Debug, Clone)]
pub enum Stop {
    /// The input ends inside a value ("Missing bytes in input.").
    Eof,
    /// A type byte lua-cmsgpack does not know ("Bad data format in input.").
    BadFormat,
    /// `luaL_checkstack` failed: "stack overflow (WHAT)".
    Overflow(&'static str),
    /// An error raised while building values ("table index is nil").
    Lua(LuaError),
    /// Pass 1 stops every `SCAN_ITEMS_PER_PAUSE` items so the caller can
    /// charge the budget; decoding resumes where it paused.
    Pause,
}

/// lua-cmsgpack's `mp_unpack_full`: decodes up to `limit` values from
/// byte `offset`; unless everything was requested (`limit` and `offset`
/// both 0), the offset after the last value (-1 at the end) comes first.
/// `limit` and `offset` are `lua_Integer`s, printed in messages with `%d`
/// (so their low 32 bits show), like the input length.
///
/// The input is walked twice: once in place, only to find how far the
/// decoding goes (so `unpack_one` in a loop over a big buffer does not
/// copy the rest of the buffer at every step), then over a copy of that
/// part, building the values.
fn unpack_full(ctx: &mut Ctx, limit: i64, offset: i64, slots: usize) -> LuaResult<usize> {
    let s = ctx.check_string(1)?;
    let len = ctx.vm.str_bytes(s).len();
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
    let offset = offset as usize;

    // Pass 1: how far does decoding read? It pauses every
    // SCAN_ITEMS_PER_PAUSE items to charge the budget (the bytes are
    // borrowed from the VM, which the charge needs), so a time limit or
    // a kill reaches a scan of a huge input.
    let mut st = Resume {
        pos: offset,
        hi: offset,
        slots,
        frames: Vec::new(),
        count: 0,
    };
    let end = loop {
        let stop = {
            let sink = Scan {
                items: 0,
                every: SCAN_ITEMS_PER_PAUSE,
            };
            let mut scan = Decoder::resume(ctx.vm.str_bytes(s), &mut st, sink);
            let stop = scan.values(limit, |_| ());
            scan.suspend(&mut st);
            stop
        };
        match stop {
            Some(Stop::Pause) => ctx.vm.charge(SCAN_CHARGE)?,
            Some(Stop::Eof) => break len,
            _ => break st.hi,
        }
    };

    // Pass 2: the values, from a copy of the bytes pass 1 read (charged
    // to the limit, reserved fallibly).
    let mut part = ctx.vm.heap.buf();
    let heap = &ctx.vm.heap;
    if part
        .extend(heap, &ctx.vm.str_bytes(s)[offset..end])
        .is_err()
    {
        return Err(ctx.vm.memory_error());
    }
    let mut values = Vec::new();
    let mut dec = Decoder {
        data: part.as_slice(),
        pos: 0,
        hi: 0,
        slots,
        frames: Vec::new(),
        count: 0,
        sink: Build {
            vm: &mut *ctx.vm,
            items: 0,
        },
    };
    let stop = dec.values(limit, |v| values.push(v));
    let (pos, slots) = (offset + dec.pos, dec.slots);
    if let Some(stop) = stop {
        return Err(match stop {
            Stop::Eof => ctx.error("Missing bytes in input."),
            Stop::BadFormat | Stop::Pause => ctx.error("Bad data format in input."),
            Stop::Overflow(what) => stack_overflow(ctx, what),
            Stop::Lua(e) => e,
        });
    }
    let mut n = values.len();
    if !decode_all {
        if slots + 1 > LUAI_MAXCSTACK {
            return Err(stack_overflow(ctx, "in function mp_unpack_full"));
        }
        let next = if pos == len { -1.0 } else { pos as i32 as f64 };
        ctx.push(Value::Number(next))?;
        n += 1;
    }
    for v in values {
        ctx.push(v)?;
    }
    Ok(n)
}

/// What a decoded item becomes: the VM's values, or nothing (pass 1).
trait Sink {
    type V: Copy;
    fn scalar(&mut self, v: Value) -> Self::V;
    fn string(&mut self, s: &[u8]) -> Result<Self::V, Stop>;
    fn table(&mut self) -> Result<Self::V, Stop>;
    fn set(&mut self, t: Self::V, k: Self::V, v: Self::V) -> Result<(), Stop>;
    /// Called for every item decoded (the budget's hook).
    fn tick(&mut self) -> Result<(), Stop> {
        Ok(())
    }
}

/// Pass 1: decodes without building anything.
struct Scan {
    /// Items decoded since the decoder was (re)started.
    items: u32,
    /// Items between two pauses.
    every: u32,
}

/// Items pass 1 decodes between two pauses, and what each pause charges
/// (the rate pass 2 charges at).
const SCAN_ITEMS_PER_PAUSE: u32 = 64 * ITEMS_PER_CHARGE;
const SCAN_CHARGE: i64 = 64;

/// Pass 1's state across a pause.
struct Resume {
    pos: usize,
    hi: usize,
    slots: usize,
    frames: Vec<Frame<()>>,
    count: i64,
}

impl Sink for Scan {
    type V = ();
    /// Pauses (before an item is read, so the decoder's state is whole)
    /// every SCAN_ITEMS_PER_PAUSE items.
    fn tick(&mut self) -> Result<(), Stop> {
        self.items += 1;
        if self.items > self.every {
            return Err(Stop::Pause);
        }
        Ok(())
    }
    fn scalar(&mut self, _: Value) {}
    fn string(&mut self, _: &[u8]) -> Result<(), Stop> {
        Ok(())
    }
    fn table(&mut self) -> Result<(), Stop> {
        Ok(())
    }
    fn set(&mut self, _: (), _: (), _: ()) -> Result<(), Stop> {
        Ok(())
    }
}

/// Pass 2: builds Lua values.
struct Build<'v> {
    vm: &'v mut Vm,
    /// Items decoded, for the budget.
    items: u32,
}

/// Items decoded per unit of the instruction budget (as `pack` charges
/// per table elements).
const ITEMS_PER_CHARGE: u32 = 256;

impl Sink for Build<'_> {
    type V = Value;
    fn scalar(&mut self, v: Value) -> Value {
        v
    }
    fn string(&mut self, s: &[u8]) -> Result<Value, Stop> {
        self.vm.str_value(s).map_err(Stop::Lua)
    }
    fn table(&mut self) -> Result<Value, Stop> {
        self.vm.new_table(0, 0).map(Value::Table).map_err(Stop::Lua)
    }
    /// Big inputs are work the budget sees: a time limit or a kill
    /// reaches a long decoding.
    fn tick(&mut self) -> Result<(), Stop> {
        self.items = self.items.wrapping_add(1);
        if self.items % ITEMS_PER_CHARGE == 0 {
            self.vm.charge(1).map_err(Stop::Lua)?;
        }
        Ok(())
    }
    /// `lua_settable` on a fresh table: raw, with Lua's errors for nil and
    /// NaN keys ("table index is nil", raised without a position).
    fn set(&mut self, t: Value, k: Value, v: Value) -> Result<(), Stop> {
        match t {
            Value::Table(t) => self.vm.raw_set(t, k, v).map_err(Stop::Lua),
            _ => Ok(()),
        }
    }
}

/// A container being filled while decoding.
enum Frame<V> {
    Array { t: V, left: u32, index: f64 },
    Map { t: V, left: u32, key: Option<V> },
}

/// What one type byte introduced.
enum Item<V> {
    Value(V),
    Array(u32),
    Map(u32),
}

/// The decoding state: input, position, the furthest byte read, the C
/// function's stack use, the containers being filled and the top-level
/// values done.
struct Decoder<'a, S: Sink> {
    data: &'a [u8],
    pos: usize,
    hi: usize,
    slots: usize,
    frames: Vec<Frame<S::V>>,
    count: i64,
    sink: S,
}

impl<'a> Decoder<'a, Scan> {
    /// Pass 1 going on from `st`.
    fn resume(data: &'a [u8], st: &mut Resume, sink: Scan) -> Self {
        Decoder {
            data,
            pos: st.pos,
            hi: st.hi,
            slots: st.slots,
            frames: std::mem::take(&mut st.frames),
            count: st.count,
            sink,
        }
    }

    /// Pass 1's state, kept for [`Decoder::resume`].
    fn suspend(self, st: &mut Resume) {
        st.pos = self.pos;
        st.hi = self.hi;
        st.slots = self.slots;
        st.frames = self.frames;
        st.count = self.count;
    }
}

impl<S: Sink> Decoder<'_, S> {
    fn need(&mut self, n: usize) -> Result<(), Stop> {
        if self.data.len() - self.pos < n {
            Err(Stop::Eof)
        } else {
            self.hi = self.hi.max(self.pos + n);
            Ok(())
        }
    }

    /// `n` big-endian bytes after the type byte (checked by `need`).
    fn be(&self, n: usize) -> u64 {
        let mut v = 0u64;
        for &b in &self.data[self.pos + 1..self.pos + 1 + n] {
            v = (v << 8) | b as u64;
        }
        v
    }

    /// The type byte and `n` bytes of payload: the payload, consumed.
    fn fixed(&mut self, n: usize) -> Result<u64, Stop> {
        self.need(n + 1)?;
        let v = self.be(n);
        self.pos += n + 1;
        Ok(v)
    }

    fn num(&mut self, x: f64) -> Result<Item<S::V>, Stop> {
        Ok(Item::Value(self.sink.scalar(Value::Number(x))))
    }

    /// A string of `l` bytes after a header of `hdr` bytes.
    fn string(&mut self, hdr: usize, l: usize) -> Result<Item<S::V>, Stop> {
        let left = self.data.len() - self.pos;
        if left < hdr || left - hdr < l {
            return Err(Stop::Eof);
        }
        let start = self.pos + hdr;
        self.hi = self.hi.max(start + l);
        let v = self.sink.string(&self.data[start..start + l])?;
        self.pos = start + l;
        Ok(Item::Value(v))
    }

    /// Reads one type byte and whatever follows it in the same item.
    fn item(&mut self) -> Result<Item<S::V>, Stop> {
        self.need(1)?;
        if self.slots + 1 > LUAI_MAXCSTACK {
            return Err(Stop::Overflow(TOO_MANY_VALUES));
        }
        let b = self.data[self.pos];
        match b {
            0xcc => {
                let v = self.fixed(1)?;
                self.num(v as f64)
            }
            0xd0 => {
                let v = self.fixed(1)?;
                self.num(v as u8 as i8 as f64)
            }
            0xcd => {
                let v = self.fixed(2)?;
                self.num(v as f64)
            }
            0xd1 => {
                let v = self.fixed(2)?;
                self.num(v as u16 as i16 as f64)
            }
            0xce => {
                let v = self.fixed(4)?;
                self.num(v as f64)
            }
            0xd2 => {
                let v = self.fixed(4)?;
                self.num(v as u32 as i32 as f64)
            }
            // lua-cmsgpack assembles uint64 in a signed integer.
            0xcf | 0xd3 => {
                let v = self.fixed(8)?;
                self.num(v as i64 as f64)
            }
            0xca => {
                let v = self.fixed(4)?;
                self.num(f32::from_bits(v as u32) as f64)
            }
            0xcb => {
                let v = self.fixed(8)?;
                self.num(f64::from_bits(v))
            }
            0xc0 | 0xc2 | 0xc3 => {
                self.pos += 1;
                let v = match b {
                    0xc0 => Value::Nil,
                    _ => Value::Boolean(b == 0xc3),
                };
                Ok(Item::Value(self.sink.scalar(v)))
            }
            0xd9 => {
                self.need(2)?;
                let l = self.data[self.pos + 1] as usize;
                self.string(2, l)
            }
            0xda => {
                let l = self.fixed(2)?;
                self.string(0, l as usize)
            }
            0xdb => {
                let l = self.fixed(4)?;
                self.string(0, l as usize)
            }
            0xdc => Ok(Item::Array(self.fixed(2)? as u32)),
            0xdd => Ok(Item::Array(self.fixed(4)? as u32)),
            0xde => Ok(Item::Map(self.fixed(2)? as u32)),
            0xdf => Ok(Item::Map(self.fixed(4)? as u32)),
            _ if b & 0x80 == 0 => {
                self.pos += 1;
                self.num(b as f64)
            }
            _ if b & 0xe0 == 0xe0 => {
                self.pos += 1;
                self.num(b as i8 as f64)
            }
            _ if b & 0xe0 == 0xa0 => self.string(1, (b & 0x1f) as usize),
            _ if b & 0xf0 == 0x90 => {
                self.pos += 1;
                Ok(Item::Array((b & 0xf) as u32))
            }
            _ if b & 0xf0 == 0x80 => {
                self.pos += 1;
                Ok(Item::Map((b & 0xf) as u32))
            }
            _ => Err(Stop::BadFormat),
        }
    }

    /// Decodes up to `limit` top-level values, handing each to `out`;
    /// returns why it stopped early, if it did. After [`Stop::Pause`] a
    /// new call goes on inside the value that paused.
    fn values(&mut self, limit: i64, mut out: impl FnMut(S::V)) -> Option<Stop> {
        while !self.frames.is_empty() || (self.pos < self.data.len() && self.count < limit) {
            match self.value() {
                Ok(v) => out(v),
                Err(e) => return Some(e),
            }
            self.count += 1;
        }
        None
    }

    /// Decodes one complete value (containers included), iteratively;
    /// the containers being filled are kept in `self.frames` so that a
    /// pause (raised before an item is read) can be resumed.
    fn value(&mut self) -> Result<S::V, Stop> {
        loop {
            self.sink.tick()?;
            let item = self.item()?;
            // The value (or the new table) now sits on the C stack.
            self.slots += 1;
            let mut v = match item {
                Item::Value(v) => v,
                Item::Array(n) => {
                    let t = self.sink.table()?;
                    if self.slots + 1 > LUAI_MAXCSTACK {
                        return Err(Stop::Overflow("in function mp_decode_to_lua_array"));
                    }
                    if n > 0 {
                        self.frames.push(Frame::Array {
                            t,
                            left: n,
                            index: 1.0,
                        });
                        // The index pushed before each element.
                        self.slots += 1;
                        continue;
                    }
                    t
                }
                Item::Map(n) => {
                    let t = self.sink.table()?;
                    if n > 0 {
                        self.frames.push(Frame::Map {
                            t,
                            left: n,
                            key: None,
                        });
                        continue;
                    }
                    t
                }
            };
            // Store completed values into their containers.
            loop {
                let Some(top) = self.frames.last_mut() else {
                    return Ok(v);
                };
                match top {
                    Frame::Array { t, left, index } => {
                        let t = *t;
                        let k = self.sink.scalar(Value::Number(*index));
                        *index += 1.0;
                        *left -= 1;
                        let done = *left == 0;
                        self.sink.set(t, k, v)?;
                        self.slots -= 2;
                        if done {
                            self.frames.pop();
                            v = t;
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
                                self.sink.set(t, k, v)?;
                                self.slots -= 2;
                                if done {
                                    self.frames.pop();
                                    v = t;
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

/// Decodes `data` as `cmsgpack.unpack` would, without a VM: Ok with the
/// number of top-level values, or why it stopped. For fuzzing and tests.
pub fn scan(data: &[u8]) -> Result<usize, Stop> {
    scan_every(data, SCAN_ITEMS_PER_PAUSE).0
}

/// [`scan`] pausing every `every` items (and resuming at once), the way
/// `unpack` walks its input first; also the furthest byte read.
fn scan_every(data: &[u8], every: u32) -> (Result<usize, Stop>, usize) {
    let mut st = Resume {
        pos: 0,
        hi: 0,
        slots: 1,
        frames: Vec::new(),
        count: 0,
    };
    let mut n = 0;
    loop {
        let mut d = Decoder::resume(data, &mut st, Scan { items: 0, every });
        let stop = d.values(i64::from(i32::MAX), |_| n += 1);
        d.suspend(&mut st);
        match stop {
            Some(Stop::Pause) => {}
            Some(e) => return (Err(e), st.hi),
            None => return (Ok(n), st.hi),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pausing after any number of items changes nothing: the same
    /// values, the same error, the same furthest byte, for nested inputs,
    /// every truncation of them and byte edits.
    #[test]
    fn scan_resumes_anywhere() {
        let mut seeds: Vec<Vec<u8>> = vec![
            // [1, [2, {"a": [nil, true]}], {}, [], "xy"], then 7
            vec![
                0x95, 0x01, 0x92, 0x02, 0x81, 0xa1, b'a', 0x92, 0xc0, 0xc3, 0x80, 0x90, 0xa2, b'x',
                b'y', 0x07,
            ],
            // Deep arrays and maps.
            [vec![0x91; 40], [0x81, 0x01].repeat(20), vec![0xc0]].concat(),
            // array16 and map32 headers, float and int forms.
            vec![
                0xdc, 0x00, 0x03, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xd0, 0x80, 0xdf, 0, 0, 0, 1,
                0xcc, 0xff, 0xd9, 0x01, b'z',
            ],
            // A bad type byte inside a container.
            vec![0x93, 0x01, 0xc1, 0x02],
        ];
        let mut more = Vec::new();
        for s in &seeds {
            for cut in 0..s.len() {
                more.push(s[..cut].to_vec());
            }
            for i in 0..s.len() {
                for b in [0x00, 0x90, 0x91, 0x80, 0x81, 0xc0, 0xdd, 0xff] {
                    let mut m = s.clone();
                    m[i] = b;
                    more.push(m);
                }
            }
        }
        seeds.extend(more);
        for s in &seeds {
            let (want, want_hi) = scan_every(s, u32::MAX);
            let want = format!("{want:?}");
            for every in [1, 2, 3, 5, 8] {
                let (got, hi) = scan_every(s, every);
                assert_eq!(format!("{got:?}"), want, "{s:02x?} every {every}");
                assert_eq!(hi, want_hi, "{s:02x?} every {every}");
            }
        }
    }

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
