//! Lua 5.1's binary chunks: the format `luac5.1 -o` writes and
//! `lua_load` reads, byte for byte as PUC-Rio Lua 5.1 on x86-64 Linux
//! (little-endian, 4-byte `int` and `Instruction`, 8-byte `size_t` and
//! `lua_Number`).
//!
//! ```text
//! header    ESC "Lua" 0x51, format 0, endianness 1, sizeof int 4,
//!           sizeof size_t 8, sizeof Instruction 4, sizeof lua_Number 8,
//!           integral 0
//! function  source (string; none when it is the enclosing function's,
//!           or when stripped), linedefined int, lastlinedefined int,
//!           nups byte, numparams byte, is_vararg byte, maxstacksize byte,
//!           code: int count, then 32-bit instructions,
//!           constants: int count, then a type byte (0 nil, 1 boolean +
//!           a byte, 3 number: 8-byte double, 4 string) each,
//!           prototypes: int count, then a function each,
//!           lines: int count (0 when stripped), an int each,
//!           locals: int count, then name string, startpc int, endpc int,
//!           upvalue names: int count, a string each
//! string    size_t size (0: none), then size bytes whose last is NUL
//! ```
//!
//! An instruction is OP (6 bits), A (8), C (9), B (9) from the low bit
//! up, or OP, A and an 18-bit Bx (sBx in excess-131071). An RK operand
//! names constant `k` as `256 + k`. A `SETLIST` whose block number does not
//! fit in C has C = 0 and the block number as the next code word; the
//! compiler's prototypes keep the block number in the instruction and a
//! `JMP 0` in that word's place (see [`crate::bytecode::MAX_SETLIST_C`]),
//! and so does a loaded chunk: the same pcs, and the same bytes back.
//!
//! The compiler's operands are wider than 5.1's (registers, RK constants,
//! jumps): [`dump`] refuses a prototype that does not fit the format, with
//! a message that says what is beyond it. [`undump`] checks each function
//! with [`crate::verify`] as it is read (5.1 runs `luaG_checkcode` at the
//! same points), so a damaged or hostile chunk is refused with 5.1's
//! words: "unexpected end", "bad header", "bad code", "bad constant",
//! "bad integer", "code too deep".

use std::sync::Arc;

use crate::bytecode::{is_k, k_index, rk_const, Constant, Instr, LocVar, Proto};

/// The 12 header bytes of a Lua 5.1 binary chunk on this platform.
pub const HEADER: [u8; 12] = [0x1b, b'L', b'u', b'a', 0x51, 0, 1, 4, 8, 4, 8, 0];

/// Deepest nesting `undump` reads (5.1's `LUAI_MAXCCALLS`, counted from
/// the main function; "code too deep" beyond).
pub const MAX_UNDUMP_NESTING: usize = 200;

const MAXARG_A: u32 = 255;
const MAXARG_BC: u32 = 511;
const MAXARG_BX: u32 = (1 << 18) - 1;
const MAXARG_SBX: i64 = (MAXARG_BX >> 1) as i64;
/// Lua 5.1's `MAXSTACK`.
const MAXSTACK: u32 = 250;
/// 5.1's RK constant bit (`BITRK`) and largest RK constant index.
const BITRK: u32 = 256;
const MAXINDEXRK: u32 = 255;

/// Why a prototype cannot be written in 5.1's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpError {
    /// `linedefined` of the function that does not fit (0: main).
    pub line_defined: u32,
    /// What is beyond the format.
    pub what: String,
}

impl std::fmt::Display for DumpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line_defined == 0 {
            write!(f, "main function")?;
        } else {
            write!(f, "function at line {}", self.line_defined)?;
        }
        write!(f, " does not fit Lua 5.1's binary format: {}", self.what)
    }
}

impl std::error::Error for DumpError {}

/// Why a binary chunk cannot be read, in 5.1's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndumpError {
    /// The data ends early.
    UnexpectedEnd,
    /// The 12 header bytes are not this platform's.
    BadHeader,
    /// A function's code breaks an invariant (5.1's `luaG_checkcode`).
    BadCode,
    /// A constant has an unknown type.
    BadConstant,
    /// A count, line or pc is negative.
    BadInteger,
    /// Functions nested too deep.
    CodeTooDeep,
}

impl UndumpError {
    /// The reason as 5.1's `lundump.c` words it; the loader's message is
    /// `CHUNKNAME: REASON in precompiled chunk`.
    pub fn reason(self) -> &'static str {
        match self {
            UndumpError::UnexpectedEnd => "unexpected end",
            UndumpError::BadHeader => "bad header",
            UndumpError::BadCode => "bad code",
            UndumpError::BadConstant => "bad constant",
            UndumpError::BadInteger => "bad integer",
            UndumpError::CodeTooDeep => "code too deep",
        }
    }
}

impl std::fmt::Display for UndumpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

impl std::error::Error for UndumpError {}

// ---------------------------------------------------------------- dump

/// Writes `p` as `luac5.1` does (`strip`: as `luac5.1 -s`, without source
/// names, lines, locals and upvalue names). `string.dump` is `strip =
/// false`.
pub fn dump(p: &Proto, strip: bool) -> Result<Vec<u8>, DumpError> {
    let mut out = HEADER.to_vec();
    // Nesting is bounded by the parser, or by `undump` for loaded chunks,
    // so the recursion is too.
    dump_function(&mut out, p, None, strip)?;
    Ok(out)
}

fn put_int(out: &mut Vec<u8>, v: u32, p: &Proto, what: &str) -> Result<(), DumpError> {
    let Ok(v) = i32::try_from(v) else {
        return Err(too_big(p, format!("{what} {v}")));
    };
    out.extend_from_slice(&v.to_le_bytes());
    Ok(())
}

fn put_len(out: &mut Vec<u8>, n: usize, p: &Proto, what: &str) -> Result<(), DumpError> {
    put_int(out, u32::try_from(n).unwrap_or(u32::MAX), p, what)
}

fn put_string(out: &mut Vec<u8>, s: Option<&[u8]>) {
    match s {
        None => out.extend_from_slice(&0u64.to_le_bytes()),
        Some(s) => {
            out.extend_from_slice(&(s.len() as u64 + 1).to_le_bytes());
            out.extend_from_slice(s);
            out.push(0);
        }
    }
}

fn too_big(p: &Proto, what: String) -> DumpError {
    DumpError {
        line_defined: p.line_defined,
        what,
    }
}

fn dump_function(
    out: &mut Vec<u8>,
    p: &Proto,
    parent_source: Option<&[u8]>,
    strip: bool,
) -> Result<(), DumpError> {
    let source = if strip || parent_source == Some(&p.source[..]) {
        None
    } else {
        Some(&p.source[..])
    };
    put_string(out, source);
    put_int(out, p.line_defined, p, "line")?;
    put_int(out, p.last_line_defined, p, "line")?;
    let byte = |n: usize, max: usize, what: &str| {
        if n > max {
            Err(too_big(p, format!("{n} {what} (at most {max})")))
        } else {
            Ok(n as u8)
        }
    };
    out.push(byte(p.num_upvalues(), 255, "upvalues")?);
    out.push(byte(p.num_params as usize, 255, "parameters")?);
    out.push(p.is_vararg);
    out.push(byte(p.max_stack as usize, MAXSTACK as usize, "registers")?);
    let code = encode_code(p)?;
    put_len(out, code.len(), p, "instructions")?;
    for w in &code {
        out.extend_from_slice(&w.to_le_bytes());
    }
    put_len(out, p.constants.len(), p, "constants")?;
    for k in &p.constants {
        match k {
            Constant::Nil => out.push(0),
            Constant::Boolean(b) => {
                out.push(1);
                out.push(*b as u8);
            }
            Constant::Number(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Constant::String(s) => {
                out.push(4);
                put_string(out, Some(s));
            }
        }
    }
    put_len(out, p.protos.len(), p, "functions")?;
    for c in &p.protos {
        dump_function(out, c, Some(&p.source), strip)?;
    }
    // A prototype loaded without line information has no lines; one
    // loaded without upvalue names has empty ones (a name is never empty).
    let lines: &[u32] = if strip { &[] } else { &p.lines };
    put_len(out, lines.len(), p, "lines")?;
    // Raw ints, as 5.1 reads them back (a loaded negative line is kept).
    for &l in lines {
        out.extend_from_slice(&l.to_le_bytes());
    }
    let locvars: &[LocVar] = if strip { &[] } else { &p.locvars };
    put_len(out, locvars.len(), p, "locals")?;
    for v in locvars {
        put_string(out, Some(&v.name));
        put_int(out, v.start_pc, p, "pc")?;
        put_int(out, v.end_pc, p, "pc")?;
    }
    let names = &p.upvalue_names;
    let names: &[Box<[u8]>] = if strip || names.iter().all(|n| n.is_empty()) {
        &[]
    } else {
        names
    };
    put_len(out, names.len(), p, "upvalues")?;
    for n in names {
        put_string(out, Some(n));
    }
    Ok(())
}

fn abc(op: u32, a: u32, b: u32, c: u32) -> u32 {
    op | (a << 6) | (c << 14) | (b << 23)
}

fn abx(op: u32, a: u32, bx: u32) -> u32 {
    op | (a << 6) | (bx << 14)
}

/// The code of `p` in 5.1's encoding (a word per instruction, plus the
/// SETLIST block numbers that need one).
fn encode_code(p: &Proto) -> Result<Vec<u32>, DumpError> {
    let mut out = Vec::with_capacity(p.code.len());
    let mut pc = 0;
    while pc < p.code.len() {
        let i = p.code[pc];
        let fail = |what: String| too_big(p, format!("{what} at pc {}", pc + 1));
        let a_of = |a: u16| {
            if a as u32 > MAXARG_A {
                Err(fail(format!("register {a}")))
            } else {
                Ok(a as u32)
            }
        };
        let bc = |x: u16| {
            if x as u32 > MAXARG_BC {
                Err(fail(format!("operand {x}")))
            } else {
                Ok(x as u32)
            }
        };
        let rk = |x: u16| {
            if is_k(x) {
                let k = k_index(x) as u32;
                if k > MAXINDEXRK {
                    Err(fail(format!("constant operand {k}")))
                } else {
                    Ok(BITRK + k)
                }
            } else if x as u32 >= BITRK {
                Err(fail(format!("register {x}")))
            } else {
                Ok(x as u32)
            }
        };
        let bx = |x: u32| {
            if x > MAXARG_BX {
                Err(fail(format!("operand {x}")))
            } else {
                Ok(x)
            }
        };
        let sbx = |x: i32| {
            if (x as i64).abs() > MAXARG_SBX && x as i64 != MAXARG_SBX + 1 {
                Err(fail(format!("jump of {x}")))
            } else {
                Ok((x as i64 + MAXARG_SBX) as u32)
            }
        };
        use Instr::*;
        let w = match i {
            Move { a, b } => abc(0, a_of(a)?, bc(b)?, 0),
            LoadK { a, bx: k } => abx(1, a_of(a)?, bx(k)?),
            LoadBool { a, b, c } => abc(2, a_of(a)?, bc(b)?, bc(c)?),
            LoadNil { a, b } => abc(3, a_of(a)?, bc(b)?, 0),
            GetUpval { a, b } => abc(4, a_of(a)?, bc(b)?, 0),
            GetGlobal { a, bx: k } => abx(5, a_of(a)?, bx(k)?),
            GetTable { a, b, c } => abc(6, a_of(a)?, bc(b)?, rk(c)?),
            SetGlobal { a, bx: k } => abx(7, a_of(a)?, bx(k)?),
            SetUpval { a, b } => abc(8, a_of(a)?, bc(b)?, 0),
            SetTable { a, b, c } => abc(9, a_of(a)?, rk(b)?, rk(c)?),
            NewTable { a, b, c } => abc(10, a_of(a)?, bc(b)?, bc(c)?),
            SelfOp { a, b, c } => abc(11, a_of(a)?, bc(b)?, rk(c)?),
            Add { a, b, c } => abc(12, a_of(a)?, rk(b)?, rk(c)?),
            Sub { a, b, c } => abc(13, a_of(a)?, rk(b)?, rk(c)?),
            Mul { a, b, c } => abc(14, a_of(a)?, rk(b)?, rk(c)?),
            Div { a, b, c } => abc(15, a_of(a)?, rk(b)?, rk(c)?),
            Mod { a, b, c } => abc(16, a_of(a)?, rk(b)?, rk(c)?),
            Pow { a, b, c } => abc(17, a_of(a)?, rk(b)?, rk(c)?),
            Unm { a, b } => abc(18, a_of(a)?, bc(b)?, 0),
            Not { a, b } => abc(19, a_of(a)?, bc(b)?, 0),
            Len { a, b } => abc(20, a_of(a)?, bc(b)?, 0),
            Concat { a, b, c } => abc(21, a_of(a)?, bc(b)?, bc(c)?),
            Jmp { sbx: j } => abx(22, 0, sbx(j)?),
            Eq { a, b, c } => abc(23, a_of(a)?, rk(b)?, rk(c)?),
            Lt { a, b, c } => abc(24, a_of(a)?, rk(b)?, rk(c)?),
            Le { a, b, c } => abc(25, a_of(a)?, rk(b)?, rk(c)?),
            Test { a, c } => abc(26, a_of(a)?, 0, bc(c)?),
            TestSet { a, b, c } => abc(27, a_of(a)?, bc(b)?, bc(c)?),
            Call { a, b, c } => abc(28, a_of(a)?, bc(b)?, bc(c)?),
            TailCall { a, b, c } => abc(29, a_of(a)?, bc(b)?, bc(c)?),
            Return { a, b } => abc(30, a_of(a)?, bc(b)?, 0),
            ForLoop { a, sbx: j } => abx(31, a_of(a)?, sbx(j)?),
            ForPrep { a, sbx: j } => abx(32, a_of(a)?, sbx(j)?),
            TForLoop { a, c } => abc(33, a_of(a)?, 0, bc(c)?),
            SetList { a, b, c } => {
                let a = a_of(a)?;
                if c <= crate::bytecode::MAX_SETLIST_C {
                    abc(34, a, b as u32, c)
                } else if matches!(p.code.get(pc + 1), Some(Jmp { sbx: 0 })) {
                    // The block number takes the next word's place.
                    out.push(abc(34, a, b as u32, 0));
                    out.push(c);
                    pc += 2;
                    continue;
                } else {
                    return Err(fail(format!("SETLIST block {c}")));
                }
            }
            Close { a } => abc(35, a_of(a)?, 0, 0),
            Closure { a, bx: k } => abx(36, a_of(a)?, bx(k)?),
            VarArg { a, b } => abc(37, a_of(a)?, bc(b)?, 0),
        };
        out.push(w);
        pc += 1;
    }
    Ok(out)
}

// -------------------------------------------------------------- undump

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], UndumpError> {
        let end = self.pos.checked_add(n).ok_or(UndumpError::UnexpectedEnd)?;
        let s = self
            .b
            .get(self.pos..end)
            .ok_or(UndumpError::UnexpectedEnd)?;
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, UndumpError> {
        Ok(self.take(1)?[0])
    }

    fn word(&mut self) -> Result<u32, UndumpError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// 5.1's `LoadInt`: a non-negative `int`.
    fn int(&mut self) -> Result<u32, UndumpError> {
        let v = self.word()? as i32;
        if v < 0 {
            return Err(UndumpError::BadInteger);
        }
        Ok(v as u32)
    }

    /// A count of items of `size` bytes each that must fit in what is
    /// left (so a bogus count cannot make us allocate).
    fn count(&mut self, size: usize) -> Result<usize, UndumpError> {
        let n = self.int()? as usize;
        if n.saturating_mul(size) > self.b.len() - self.pos {
            return Err(UndumpError::UnexpectedEnd);
        }
        Ok(n)
    }

    /// A capacity for `n` items of at least `size` bytes each, no more
    /// than what is left could hold (a bogus count cannot make us
    /// allocate; reading then fails as 5.1's does, item by item).
    fn capacity(&self, n: usize, size: usize) -> usize {
        n.min((self.b.len() - self.pos) / size)
    }

    fn number(&mut self) -> Result<f64, UndumpError> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(f64::from_le_bytes(w))
    }

    /// 5.1's `LoadString`: `None` for size 0, else the bytes but the last.
    fn string(&mut self) -> Result<Option<&'a [u8]>, UndumpError> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        let size = u64::from_le_bytes(w);
        if size == 0 {
            return Ok(None);
        }
        let size = usize::try_from(size).map_err(|_| UndumpError::UnexpectedEnd)?;
        let s = self.take(size)?;
        Ok(Some(&s[..size - 1]))
    }
}

/// Reads a binary chunk (header included) into the prototype of its main
/// function. Bytes after the function are ignored, as 5.1 ignores them.
pub fn undump(bytes: &[u8]) -> Result<Proto, UndumpError> {
    let mut r = Reader { b: bytes, pos: 0 };
    if r.take(HEADER.len())? != HEADER {
        return Err(UndumpError::BadHeader);
    }
    // A stripped main function's source is 5.1's "=?".
    let unnamed: Arc<[u8]> = Arc::from(&b"=?"[..]);
    read_function(&mut r, &unnamed, 1)
}

fn read_function(
    r: &mut Reader<'_>,
    parent: &Arc<[u8]>,
    depth: usize,
) -> Result<Proto, UndumpError> {
    if depth > MAX_UNDUMP_NESTING {
        return Err(UndumpError::CodeTooDeep);
    }
    let source: Arc<[u8]> = match r.string()? {
        None => parent.clone(),
        Some(s) if s == &parent[..] => parent.clone(),
        Some(s) => Arc::from(s),
    };
    let line_defined = r.int()?;
    let last_line_defined = r.int()?;
    let nups = r.byte()? as usize;
    let num_params = r.byte()? as u16;
    let is_vararg = r.byte()?;
    let max_stack = r.byte()? as u32;
    // The code is read raw and decoded with the checks once the whole
    // function is read, as 5.1 checks it.
    let n = r.count(4)?;
    let mut words = Vec::with_capacity(n);
    for _ in 0..n {
        words.push(r.word()?);
    }
    let n = r.int()? as usize;
    let mut constants = Vec::with_capacity(r.capacity(n, 2));
    for _ in 0..n {
        constants.push(match r.byte()? {
            0 => Constant::Nil,
            1 => Constant::Boolean(r.byte()? != 0),
            3 => Constant::Number(r.number()?),
            4 => match r.string()? {
                Some(s) => Constant::String(s.into()),
                // 5.1 would store a null string here and crash later.
                None => return Err(UndumpError::BadConstant),
            },
            _ => return Err(UndumpError::BadConstant),
        });
    }
    let n = r.int()? as usize;
    let mut protos = Vec::with_capacity(r.capacity(n, 48));
    for _ in 0..n {
        protos.push(Arc::new(read_function(r, &source, depth + 1)?));
    }
    // Lines are raw ints (5.1 reads them as a block, unchecked; a
    // negative one reads as a huge line here).
    let n = r.count(4)?;
    let mut lines = Vec::with_capacity(n);
    for _ in 0..n {
        lines.push(r.word()?);
    }
    let n = r.int()? as usize;
    let mut locvars = Vec::with_capacity(r.capacity(n, 16));
    for _ in 0..n {
        let name = r.string()?.unwrap_or_default().into();
        let start_pc = r.int()?;
        let end_pc = r.int()?;
        locvars.push(LocVar {
            name,
            start_pc,
            end_pc,
        });
    }
    let n = r.int()? as usize;
    let mut upvalue_names: Vec<Box<[u8]>> = Vec::with_capacity(r.capacity(n, 8).max(nups));
    for _ in 0..n {
        upvalue_names.push(r.string()?.unwrap_or_default().into());
    }
    if n > nups {
        return Err(UndumpError::BadCode);
    }
    // Without (all) names, the upvalues are still there: unnamed.
    upvalue_names.resize(nups, Box::default());
    let code = decode_code(&words, max_stack).ok_or(UndumpError::BadCode)?;
    let p = Proto {
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
    };
    // 5.1 checks each function as soon as it is read (luaG_checkcode);
    // the nested ones were checked already.
    if p.max_stack > MAXSTACK || crate::verify::verify_function(&p).is_err() {
        return Err(UndumpError::BadCode);
    }
    Ok(p)
}

/// Decodes 5.1 code words; `None` for an unknown opcode, an A operand
/// that is not a register (5.1 checks A of every instruction against
/// `maxstacksize`, flags and unused ones included), a non-zero unused
/// operand (5.1's `OpArgN`) or a SETLIST block word at the end.
fn decode_code(words: &[u32], max_stack: u32) -> Option<Vec<Instr>> {
    let mut code = Vec::with_capacity(words.len());
    let mut pc = 0;
    while pc < words.len() {
        let w = words[pc];
        let op = w & 0x3f;
        let a = ((w >> 6) & 0xff) as u16;
        let c = ((w >> 14) & 0x1ff) as u16;
        let b = ((w >> 23) & 0x1ff) as u16;
        let bx = w >> 14;
        let sbx = bx as i32 - MAXARG_SBX as i32;
        if a as u32 >= max_stack {
            return None;
        }
        let rk = |x: u16| {
            if x as u32 & BITRK != 0 {
                rk_const(x & 0xff)
            } else {
                x
            }
        };
        // Operands 5.1 requires to be zero (OpArgN).
        let no_c = c == 0;
        let no_bc = b == 0 && c == 0;
        use Instr::*;
        let i = match op {
            0 if no_c => Move { a, b },
            1 => LoadK { a, bx },
            2 => LoadBool { a, b, c },
            3 if no_c => LoadNil { a, b },
            4 if no_c => GetUpval { a, b },
            5 => GetGlobal { a, bx },
            6 => GetTable { a, b, c: rk(c) },
            7 => SetGlobal { a, bx },
            8 if no_c => SetUpval { a, b },
            9 => SetTable {
                a,
                b: rk(b),
                c: rk(c),
            },
            10 => NewTable { a, b, c },
            11 => SelfOp { a, b, c: rk(c) },
            12 => Add {
                a,
                b: rk(b),
                c: rk(c),
            },
            13 => Sub {
                a,
                b: rk(b),
                c: rk(c),
            },
            14 => Mul {
                a,
                b: rk(b),
                c: rk(c),
            },
            15 => Div {
                a,
                b: rk(b),
                c: rk(c),
            },
            16 => Mod {
                a,
                b: rk(b),
                c: rk(c),
            },
            17 => Pow {
                a,
                b: rk(b),
                c: rk(c),
            },
            18 if no_c => Unm { a, b },
            19 if no_c => Not { a, b },
            20 if no_c => Len { a, b },
            21 => Concat { a, b, c },
            22 => Jmp { sbx },
            23 => Eq {
                a,
                b: rk(b),
                c: rk(c),
            },
            24 => Lt {
                a,
                b: rk(b),
                c: rk(c),
            },
            25 => Le {
                a,
                b: rk(b),
                c: rk(c),
            },
            26 => Test { a, c },
            27 => TestSet { a, b, c },
            28 => Call { a, b, c },
            29 => TailCall { a, b, c },
            30 if no_c => Return { a, b },
            31 => ForLoop { a, sbx },
            32 => ForPrep { a, sbx },
            33 if b == 0 => TForLoop { a, c },
            34 => {
                let b = u8::try_from(b).ok()?;
                if c == 0 {
                    // The block number is the next word, which the VM
                    // must not run: a JMP to the next instruction holds
                    // its place.
                    let block = *words.get(pc + 1)?;
                    code.push(SetList { a, b, c: block });
                    code.push(Jmp { sbx: 0 });
                    pc += 2;
                    continue;
                }
                SetList { a, b, c: c as u32 }
            }
            35 if no_bc => Close { a },
            36 => Closure { a, bx },
            37 if no_c => VarArg { a, b },
            _ => return None,
        };
        code.push(i);
        pc += 1;
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(src: &str) -> Proto {
        crate::compile_source(src.as_bytes(), b"=t").expect("compiles")
    }

    #[test]
    fn round_trip() {
        let p = compile(
            "local a = {1, 2, 'x', true} local function f(...) return select('#', ...), a end \
             for i = 1, 3 do a[i] = i * 2 ^ 0.5 end return f, nil == a",
        );
        let bytes = dump(&p, false).expect("fits");
        assert_eq!(undump(&bytes).expect("reads back"), p);
        let stripped = undump(&dump(&p, true).expect("fits")).expect("reads back");
        assert_eq!(stripped.code, p.code);
        assert_eq!(&stripped.source[..], b"=?");
        assert!(stripped.lines.is_empty() && stripped.locvars.is_empty());
        // 5.1 writes a stripped main function's name back as "=?".
        let again = dump(&stripped, false).expect("fits");
        assert_eq!(undump(&again).expect("reads back"), stripped);
    }

    #[test]
    fn truncations_and_corruptions_are_errors() {
        let p = compile("local t = {} function t.f(x) return x and t or -x end return t");
        let bytes = dump(&p, false).expect("fits");
        for n in 0..bytes.len() {
            let e = undump(&bytes[..n]).expect_err("truncated");
            let want = if n < HEADER.len() {
                UndumpError::UnexpectedEnd
            } else {
                e
            };
            assert_eq!(e, want);
        }
        for i in 0..bytes.len() {
            for x in [0x01, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= x;
                let _ = undump(&bad);
            }
        }
        let mut bad = bytes.clone();
        bad[5] = 1;
        assert_eq!(undump(&bad), Err(UndumpError::BadHeader));
    }

    #[test]
    fn beyond_the_format() {
        let mut src = String::from("print(");
        for i in 0..300 {
            src.push_str(&format!("x{i},"));
        }
        src.push_str("0)");
        let p = compile(&src);
        let e = dump(&p, false).expect_err("too many registers");
        assert!(
            e.to_string()
                .contains("does not fit Lua 5.1's binary format"),
            "{e}"
        );
    }
}
