//! `string.dump` and loading what it produced.
//!
//! A dumped function is its compiled [`Proto`] (code, constants, nested
//! prototypes and debug information) serialised in Ferrous's own format.
//! It starts with Lua's binary signature `"\27Lua"`, so loaders tell it
//! from source text as Lua 5.1 does (a chunk whose first byte is `\27` is
//! binary); what follows is not luac's format:
//!
//! ```text
//! header    "\27Lua" 0x51 0x00 "Ferrous" 0x01
//! function  source: 0 (same as the enclosing function) | 1 bytes
//!           line_defined u32, last_line_defined u32, num_params u16,
//!           is_vararg u8, max_stack u32
//!           code: u32 count, then per instruction: opcode u8, a u32, b u32, c u32
//!           lines: u32 count, u32 each
//!           constants: u32 count, then tag u8 (0 nil, 1 false, 2 true,
//!           3 number: f64 bits u64, 4 string: bytes)
//!           protos: u32 count, function each
//!           locvars: u32 count, then bytes, start_pc u32, end_pc u32
//!           upvalue names: u32 count, bytes each
//! bytes     u32 length, then the bytes
//! ```
//!
//! All integers are little-endian. Loading checks every field and then
//! hands the prototype to the VM's loader, which verifies every operand,
//! so a damaged or hostile chunk gives an error ("binary string: bad code
//! in precompiled chunk", as 5.1 words it), never undefined behaviour.
//! Nesting is limited to [`MAX_NESTING`] levels in both directions.

use std::sync::Arc;

use ferrous_compiler::bytecode::{Constant, Instr, LocVar, Proto};
use ferrous_vm::{ErrorKind, Function, LuaError, LuaResult, Value, Vm};

/// Lua 5.1's signature, version byte and (official) format byte, so that a
/// dumped chunk read as a C string is `"\x1bLuaQ"` as 5.1's is (Redis
/// names a refused binary chunk `[string "\x1bLuaQ"]`), then our own mark.
const HEADER: &[u8] = b"\x1bLua\x51\x00Ferrous\x01";

/// Deepest nesting of functions a chunk may have (the parser allows far
/// fewer: 200 syntax levels); the verifier's bound.
pub const MAX_NESTING: usize = ferrous_compiler::MAX_NESTING;

/// Serialises a Lua function; `None` for a native function.
pub fn dump_function(vm: &Vm, f: Value) -> Option<Vec<u8>> {
    let Value::Function(fr) = f else { return None };
    let proto = match vm.heap.functions().get(fr) {
        Some(Function::Lua(c)) => c.proto.info.clone(),
        _ => return None,
    };
    Some(dump_proto_bytes(&proto))
}

/// Serialises a prototype in `string.dump`'s format. The prototype need
/// not be one the compiler made: [`load_chunk`] verifies what it reads
/// (tests build invalid chunks with this).
pub fn dump_proto_bytes(proto: &Proto) -> Vec<u8> {
    let mut out = HEADER.to_vec();
    dump_proto(&mut out, proto, None, 0);
    out
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u32(out, b.len() as u32);
    out.extend_from_slice(b);
}

fn dump_proto(out: &mut Vec<u8>, p: &Proto, parent_source: Option<&[u8]>, depth: usize) {
    if parent_source == Some(&p.source[..]) {
        out.push(0);
    } else {
        out.push(1);
        put_bytes(out, &p.source);
    }
    put_u32(out, p.line_defined);
    put_u32(out, p.last_line_defined);
    out.extend_from_slice(&p.num_params.to_le_bytes());
    out.push(p.is_vararg);
    put_u32(out, p.max_stack);
    put_u32(out, p.code.len() as u32);
    for i in &p.code {
        let (op, a, b, c) = encode(*i);
        out.push(op);
        put_u32(out, a);
        put_u32(out, b);
        put_u32(out, c);
    }
    put_u32(out, p.lines.len() as u32);
    for &l in &p.lines {
        put_u32(out, l);
    }
    put_u32(out, p.constants.len() as u32);
    for k in &p.constants {
        match k {
            Constant::Nil => out.push(0),
            Constant::Boolean(false) => out.push(1),
            Constant::Boolean(true) => out.push(2),
            Constant::Number(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_bits().to_le_bytes());
            }
            Constant::String(s) => {
                out.push(4);
                put_bytes(out, s);
            }
        }
    }
    // Nesting is bounded by the parser; the check keeps this total.
    let protos: &[Arc<Proto>] = if depth < MAX_NESTING { &p.protos } else { &[] };
    put_u32(out, protos.len() as u32);
    for c in protos {
        dump_proto(out, c, Some(&p.source), depth + 1);
    }
    put_u32(out, p.locvars.len() as u32);
    for v in &p.locvars {
        put_bytes(out, &v.name);
        put_u32(out, v.start_pc);
        put_u32(out, v.end_pc);
    }
    put_u32(out, p.upvalue_names.len() as u32);
    for n in &p.upvalue_names {
        put_bytes(out, n);
    }
}

/// An instruction as (opcode, a, b, c); signed operands as their bits.
fn encode(i: Instr) -> (u8, u32, u32, u32) {
    use Instr::*;
    let w = |x: u16| x as u32;
    match i {
        Move { a, b } => (0, w(a), w(b), 0),
        LoadK { a, bx } => (1, w(a), bx, 0),
        LoadBool { a, b, c } => (2, w(a), w(b), w(c)),
        LoadNil { a, b } => (3, w(a), w(b), 0),
        GetUpval { a, b } => (4, w(a), w(b), 0),
        GetGlobal { a, bx } => (5, w(a), bx, 0),
        GetTable { a, b, c } => (6, w(a), w(b), w(c)),
        SetGlobal { a, bx } => (7, w(a), bx, 0),
        SetUpval { a, b } => (8, w(a), w(b), 0),
        SetTable { a, b, c } => (9, w(a), w(b), w(c)),
        NewTable { a, b, c } => (10, w(a), w(b), w(c)),
        SelfOp { a, b, c } => (11, w(a), w(b), w(c)),
        Add { a, b, c } => (12, w(a), w(b), w(c)),
        Sub { a, b, c } => (13, w(a), w(b), w(c)),
        Mul { a, b, c } => (14, w(a), w(b), w(c)),
        Div { a, b, c } => (15, w(a), w(b), w(c)),
        Mod { a, b, c } => (16, w(a), w(b), w(c)),
        Pow { a, b, c } => (17, w(a), w(b), w(c)),
        Unm { a, b } => (18, w(a), w(b), 0),
        Not { a, b } => (19, w(a), w(b), 0),
        Len { a, b } => (20, w(a), w(b), 0),
        Concat { a, b, c } => (21, w(a), w(b), w(c)),
        Jmp { sbx } => (22, 0, sbx as u32, 0),
        Eq { a, b, c } => (23, w(a), w(b), w(c)),
        Lt { a, b, c } => (24, w(a), w(b), w(c)),
        Le { a, b, c } => (25, w(a), w(b), w(c)),
        Test { a, c } => (26, w(a), 0, w(c)),
        TestSet { a, b, c } => (27, w(a), w(b), w(c)),
        Call { a, b, c } => (28, w(a), w(b), w(c)),
        TailCall { a, b, c } => (29, w(a), w(b), w(c)),
        Return { a, b } => (30, w(a), w(b), 0),
        ForLoop { a, sbx } => (31, w(a), sbx as u32, 0),
        ForPrep { a, sbx } => (32, w(a), sbx as u32, 0),
        TForLoop { a, c } => (33, w(a), 0, w(c)),
        SetList { a, b, c } => (34, w(a), b as u32, c),
        Close { a } => (35, w(a), 0, 0),
        Closure { a, bx } => (36, w(a), bx, 0),
        VarArg { a, b } => (37, w(a), w(b), 0),
    }
}

fn decode(op: u8, a: u32, b: u32, c: u32) -> Option<Instr> {
    use Instr::*;
    let a16 = u16::try_from(a).ok()?;
    let b16 = || u16::try_from(b).ok();
    let c16 = || u16::try_from(c).ok();
    let abc = |f: fn(u16, u16, u16) -> Instr| Some(f(a16, b16()?, c16()?));
    let ab = |f: fn(u16, u16) -> Instr| Some(f(a16, b16()?));
    Some(match op {
        0 => ab(|a, b| Move { a, b })?,
        1 => LoadK { a: a16, bx: b },
        2 => abc(|a, b, c| LoadBool { a, b, c })?,
        3 => ab(|a, b| LoadNil { a, b })?,
        4 => ab(|a, b| GetUpval { a, b })?,
        5 => GetGlobal { a: a16, bx: b },
        6 => abc(|a, b, c| GetTable { a, b, c })?,
        7 => SetGlobal { a: a16, bx: b },
        8 => ab(|a, b| SetUpval { a, b })?,
        9 => abc(|a, b, c| SetTable { a, b, c })?,
        10 => abc(|a, b, c| NewTable { a, b, c })?,
        11 => abc(|a, b, c| SelfOp { a, b, c })?,
        12 => abc(|a, b, c| Add { a, b, c })?,
        13 => abc(|a, b, c| Sub { a, b, c })?,
        14 => abc(|a, b, c| Mul { a, b, c })?,
        15 => abc(|a, b, c| Div { a, b, c })?,
        16 => abc(|a, b, c| Mod { a, b, c })?,
        17 => abc(|a, b, c| Pow { a, b, c })?,
        18 => ab(|a, b| Unm { a, b })?,
        19 => ab(|a, b| Not { a, b })?,
        20 => ab(|a, b| Len { a, b })?,
        21 => abc(|a, b, c| Concat { a, b, c })?,
        22 => Jmp { sbx: b as i32 },
        23 => abc(|a, b, c| Eq { a, b, c })?,
        24 => abc(|a, b, c| Lt { a, b, c })?,
        25 => abc(|a, b, c| Le { a, b, c })?,
        26 => Test { a: a16, c: c16()? },
        27 => abc(|a, b, c| TestSet { a, b, c })?,
        28 => abc(|a, b, c| Call { a, b, c })?,
        29 => abc(|a, b, c| TailCall { a, b, c })?,
        30 => ab(|a, b| Return { a, b })?,
        31 => ForLoop {
            a: a16,
            sbx: b as i32,
        },
        32 => ForPrep {
            a: a16,
            sbx: b as i32,
        },
        33 => TForLoop { a: a16, c: c16()? },
        34 => SetList {
            a: a16,
            b: u8::try_from(b).ok()?,
            c,
        },
        35 => Close { a: a16 },
        36 => Closure { a: a16, bx: b },
        37 => ab(|a, b| VarArg { a, b })?,
        _ => return None,
    })
}

/// Why a chunk could not be read (5.1's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndumpError {
    /// "bad header": not a Ferrous binary chunk of this version.
    BadHeader,
    /// "unexpected end": the chunk stops inside an item.
    Truncated,
    /// "bad code": an unknown opcode, operand or function shape.
    BadCode,
    /// "bad constant": a constant of unknown type.
    BadConstant,
    /// "too many nested functions": nesting past the loader's limit.
    TooDeep,
}

impl UndumpError {
    fn why(self) -> &'static str {
        match self {
            UndumpError::BadHeader => "bad header",
            UndumpError::Truncated => "unexpected end",
            UndumpError::BadCode => "bad code",
            UndumpError::BadConstant => "bad constant",
            UndumpError::TooDeep => "too many nested functions",
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], UndumpError> {
        let end = self.pos.checked_add(n).ok_or(UndumpError::Truncated)?;
        let s = self.b.get(self.pos..end).ok_or(UndumpError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, UndumpError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, UndumpError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, UndumpError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64, UndumpError> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(w))
    }
    /// A count of items of at least `min_size` bytes each: must fit in
    /// what is left (so a bogus count cannot make us allocate).
    fn count(&mut self, min_size: usize) -> Result<usize, UndumpError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size) > self.b.len() - self.pos {
            return Err(UndumpError::Truncated);
        }
        Ok(n)
    }
    fn bytes(&mut self) -> Result<&'a [u8], UndumpError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

/// Reads a dumped chunk back into a prototype.
pub fn undump(bytes: &[u8]) -> Result<Proto, UndumpError> {
    if bytes.len() < HEADER.len() {
        return Err(UndumpError::Truncated);
    }
    if !bytes.starts_with(HEADER) {
        return Err(UndumpError::BadHeader);
    }
    let mut r = Reader {
        b: bytes,
        pos: HEADER.len(),
    };
    // Like 5.1, bytes after the function are ignored.
    read_proto(&mut r, None, 0)
}

fn read_proto(
    r: &mut Reader<'_>,
    parent: Option<&Arc<[u8]>>,
    depth: usize,
) -> Result<Proto, UndumpError> {
    if depth > MAX_NESTING {
        return Err(UndumpError::TooDeep);
    }
    let source: Arc<[u8]> = match r.u8()? {
        0 => parent.cloned().ok_or(UndumpError::BadHeader)?,
        1 => Arc::from(r.bytes()?),
        _ => return Err(UndumpError::BadCode),
    };
    let line_defined = r.u32()?;
    let last_line_defined = r.u32()?;
    let num_params = r.u16()?;
    let is_vararg = r.u8()?;
    let max_stack = r.u32()?;
    let n = r.count(13)?;
    let mut code = Vec::with_capacity(n);
    for _ in 0..n {
        let op = r.u8()?;
        let (a, b, c) = (r.u32()?, r.u32()?, r.u32()?);
        code.push(decode(op, a, b, c).ok_or(UndumpError::BadCode)?);
    }
    let n = r.count(4)?;
    let mut lines = Vec::with_capacity(n);
    for _ in 0..n {
        lines.push(r.u32()?);
    }
    if lines.len() != code.len() {
        return Err(UndumpError::BadCode);
    }
    let n = r.count(1)?;
    let mut constants = Vec::with_capacity(n);
    for _ in 0..n {
        constants.push(match r.u8()? {
            0 => Constant::Nil,
            1 => Constant::Boolean(false),
            2 => Constant::Boolean(true),
            3 => Constant::Number(f64::from_bits(r.u64()?)),
            4 => Constant::String(r.bytes()?.into()),
            _ => return Err(UndumpError::BadConstant),
        });
    }
    let n = r.count(1)?;
    let mut protos = Vec::with_capacity(n);
    for _ in 0..n {
        protos.push(Arc::new(read_proto(r, Some(&source), depth + 1)?));
    }
    let n = r.count(12)?;
    let mut locvars = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.bytes()?.into();
        let start_pc = r.u32()?;
        let end_pc = r.u32()?;
        locvars.push(LocVar {
            name,
            start_pc,
            end_pc,
        });
    }
    let n = r.count(4)?;
    let mut upvalue_names = Vec::with_capacity(n);
    for _ in 0..n {
        upvalue_names.push(r.bytes()?.into());
    }
    Ok(Proto {
        source,
        line_defined,
        last_line_defined,
        num_params,
        is_vararg,
        max_stack,
        code,
        lines,
        constants,
        protos,
        locvars,
        upvalue_names,
    })
}

/// Loads a chunk as `luaL_loadbuffer` does: binary when it starts with
/// `\27`, source text otherwise. A broken binary chunk gives 5.1's
/// message ("binary string: bad header in precompiled chunk").
pub fn load_chunk(vm: &mut Vm, bytes: &[u8], chunkname: &[u8]) -> LuaResult<Value> {
    if bytes.first() != Some(&0x1b) {
        return vm.load(bytes, chunkname);
    }
    // A chunk that reads back but breaks the VM's invariants (an edited
    // dump) is "bad code", as 5.1's checker words it.
    let read = undump(bytes).and_then(|p| match ferrous_compiler::verify(&p) {
        Ok(()) => Ok(p),
        Err(_) => Err(UndumpError::BadCode),
    });
    match read {
        Ok(p) => {
            let env = vm.thread_globals();
            vm.load_proto(Arc::new(p), env)
        }
        Err(e) => {
            let name: &[u8] = match chunkname.first() {
                Some(b'@') | Some(b'=') => &chunkname[1..],
                Some(0x1b) => b"binary string",
                _ => chunkname,
            };
            let mut msg = name.to_vec();
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(e.why().as_bytes());
            msg.extend_from_slice(b" in precompiled chunk");
            let v = vm.str_value(&msg)?;
            let mut err = LuaError::runtime(v);
            err.kind = ErrorKind::Syntax;
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_damage() {
        let src =
            b"local a = {1, 2, 'x'} local function f(...) return select('#', ...), a end return f";
        let p = ferrous_compiler::compile_source(src, b"=t").expect("compiles");
        let mut out = HEADER.to_vec();
        dump_proto(&mut out, &p, None, 0);
        let back = undump(&out).expect("reads back");
        assert_eq!(back, p);
        // Every truncation and many corruptions are clean errors.
        for n in 0..out.len() {
            assert!(undump(&out[..n]).is_err());
        }
        for i in HEADER.len()..out.len() {
            let mut bad = out.clone();
            bad[i] ^= 0xff;
            let _ = undump(&bad);
        }
    }
}
