//! Lua values to replies and replies to Lua values, with Redis 7.0's
//! rules (`luaReplyToRedisReply` and `redisProtocolToLuaType`).

use ferrous_value::number;
use ferrous_vm::{num_to_integer, LuaResult, StrRef, TableRef, Value, Vm};

use crate::reply::Reply;

/// Strings the bridge looks up often, interned once per VM and never
/// collected.
#[derive(Clone, Copy)]
pub(crate) struct Names {
    pub err: StrRef,
    pub ok: StrRef,
    pub double: StrRef,
    pub big_number: StrRef,
    pub verbatim_string: StrRef,
    pub format: StrRef,
    pub string: StrRef,
    pub map: StrRef,
    pub set: StrRef,
    pub source: StrRef,
    pub line: StrRef,
    pub ignore: StrRef,
    pub keys: StrRef,
    pub argv: StrRef,
}

impl Names {
    pub fn new(vm: &mut Vm) -> LuaResult<Names> {
        let mut f = |s: &[u8]| -> LuaResult<StrRef> {
            match vm.heap.intern_fixed(s) {
                Ok(r) => Ok(r),
                Err(_) => Err(vm.memory_error()),
            }
        };
        Ok(Names {
            err: f(b"err")?,
            ok: f(b"ok")?,
            double: f(b"double")?,
            big_number: f(b"big_number")?,
            verbatim_string: f(b"verbatim_string")?,
            format: f(b"format")?,
            string: f(b"string")?,
            map: f(b"map")?,
            set: f(b"set")?,
            source: f(b"source")?,
            line: f(b"line")?,
            ignore: f(b"ignore_error_stats_update")?,
            keys: f(b"KEYS")?,
            argv: f(b"ARGV")?,
        })
    }
}

/// Replaces CR and LF by spaces (error and status replies must stay on one
/// line; Redis maps them the same way).
pub(crate) fn one_line(mut s: Vec<u8>) -> Vec<u8> {
    for b in s.iter_mut() {
        if *b == b'\r' || *b == b'\n' {
            *b = b' ';
        }
    }
    s
}

/// Redis converts a reply nested deeper than the Lua C stack allows into
/// an error element. Lua's limit is 8000 slots, each array level takes one
/// and each map level two; the few slots used below the first level are
/// subtracted.
const STACK_SLOTS: usize = 8000 - 4;

/// Converts the value a script returned into a reply. `script_resp` is the
/// script's protocol (`redis.setresp`): with 2, booleans become `:1` and a
/// null; with 3 they stay booleans.
pub(crate) fn lua_to_reply(vm: &Vm, names: &Names, v: Value, script_resp: u8) -> Reply {
    // The reply copies what the script returned, and a table can name the
    // same big string many times: the copy may take as many bytes as the
    // state's memory limit allows its heap (issue 12: a 4 GB reply from a
    // few MB of Lua). Past that the reply is an error instead.
    let budget = vm.heap.memory_limit().unwrap_or(usize::MAX);
    REPLY_BUDGET.with(|b| b.set(budget));
    let r = to_reply(vm, names, v, script_resp, 2);
    let exhausted = REPLY_BUDGET.with(|b| b.replace(usize::MAX)) == 0;
    if exhausted {
        return Reply::Error(b"ERR script reply exceeds the memory limit".to_vec());
    }
    r
}

thread_local! {
    /// Bytes the reply being converted may still copy.
    static REPLY_BUDGET: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Spends `n` bytes of the reply budget; false (and the budget emptied)
/// when they are not there.
fn spend(n: usize) -> bool {
    REPLY_BUDGET.with(|b| match b.get().checked_sub(n) {
        Some(left) if b.get() != 0 => {
            b.set(left);
            true
        }
        _ => {
            b.set(0);
            false
        }
    })
}

/// Bytes one reply element costs besides its payload.
const ELEMENT_BYTES: usize = std::mem::size_of::<Reply>() + 16;

fn to_reply(vm: &Vm, n: &Names, v: Value, resp: u8, slots: usize) -> Reply {
    if slots + 4 > STACK_SLOTS {
        return Reply::Error(b"ERR reached lua stack limit".to_vec());
    }
    let payload = match v {
        Value::String(s) => vm.str_bytes(s).len(),
        _ => 0,
    };
    if !spend(payload.saturating_add(ELEMENT_BYTES)) {
        return Reply::Nil;
    }
    match v {
        Value::String(s) => Reply::Bulk(vm.str_bytes(s).to_vec()),
        Value::Boolean(b) => {
            if resp == 2 {
                if b {
                    Reply::Integer(1)
                } else {
                    Reply::Nil
                }
            } else {
                Reply::Boolean(b)
            }
        }
        Value::Number(x) => Reply::Integer(num_to_integer(x)),
        Value::Table(t) => table_to_reply(vm, n, t, resp, slots),
        _ => Reply::Nil,
    }
}

fn raw_str(vm: &Vm, t: TableRef, k: StrRef) -> Value {
    vm.heap.table(t).map_or(Value::Nil, |tab| tab.get_str(k))
}

fn table_to_reply(vm: &Vm, n: &Names, t: TableRef, resp: u8, slots: usize) -> Reply {
    // An error table: its err field must be a string (a number is not).
    if let Value::String(_) = raw_str(vm, t, n.err) {
        let info = ErrorInfo::extract(vm, n, Value::Table(t));
        let msg = info.msg.unwrap_or_default();
        return Reply::Error(one_line(msg));
    }
    if let Value::String(s) = raw_str(vm, t, n.ok) {
        return Reply::Status(one_line(vm.str_bytes(s).to_vec()));
    }
    if let Value::Number(d) = raw_str(vm, t, n.double) {
        return Reply::Double(d);
    }
    if let Value::String(s) = raw_str(vm, t, n.big_number) {
        return Reply::BigNumber(one_line(vm.str_bytes(s).to_vec()));
    }
    if let Value::Table(vt) = raw_str(vm, t, n.verbatim_string) {
        if let (Value::String(f), Value::String(s)) =
            (raw_str(vm, vt, n.format), raw_str(vm, vt, n.string))
        {
            // Redis copies exactly three format characters (its C string,
            // so a short one is padded by what follows: NUL bytes).
            let fb = vm.str_bytes(f);
            let mut format = [0u8; 3];
            for (i, b) in fb.iter().take(3).enumerate() {
                format[i] = *b;
            }
            return Reply::Verbatim {
                format,
                text: vm.str_bytes(s).to_vec(),
            };
        }
    }
    if let Value::Table(mt) = raw_str(vm, t, n.map) {
        let mut pairs = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((key, val))) = vm.heap.table_next(mt, &k) {
            if REPLY_BUDGET.with(|b| b.get()) == 0 {
                break;
            }
            let kr = to_reply(vm, n, key, resp, slots + 3);
            let vr = to_reply(vm, n, val, resp, slots + 2);
            pairs.push((kr, vr));
            k = key;
        }
        return Reply::Map(pairs);
    }
    if let Value::Table(st) = raw_str(vm, t, n.set) {
        let mut items = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((key, _))) = vm.heap.table_next(st, &k) {
            if REPLY_BUDGET.with(|b| b.get()) == 0 {
                break;
            }
            items.push(to_reply(vm, n, key, resp, slots + 3));
            k = key;
        }
        return Reply::Set(items);
    }
    let mut items = Vec::new();
    let Some(tab) = vm.heap.table(t) else {
        return Reply::Array(items);
    };
    let mut i: i64 = 1;
    loop {
        let v = tab.get_int(i);
        if v.is_nil() || REPLY_BUDGET.with(|b| b.get()) == 0 {
            break;
        }
        items.push(to_reply(vm, n, v, resp, slots + 1));
        i += 1;
    }
    Reply::Array(items)
}

/// What Redis reads out of an error value (`luaExtractErrorInformation`).
#[derive(Debug, Default)]
pub(crate) struct ErrorInfo {
    pub msg: Option<Vec<u8>>,
    pub source: Option<Vec<u8>>,
    pub line: Option<Vec<u8>>,
}

impl ErrorInfo {
    /// A string error becomes `ERR <text>`; a table gives its `err`,
    /// `source` and `line` fields (strings, or numbers as Lua prints them).
    pub fn extract(vm: &Vm, n: &Names, v: Value) -> ErrorInfo {
        // Redis reads these as C strings: they end at the first NUL.
        let as_text = |v: Value| -> Option<Vec<u8>> {
            match v {
                Value::String(s) => Some(c_str(vm.str_bytes(s)).to_vec()),
                Value::Number(x) => Some(number::fmt_number(x).as_bytes().to_vec()),
                _ => None,
            }
        };
        match v {
            Value::String(_) | Value::Number(_) => {
                let mut m = b"ERR ".to_vec();
                m.extend_from_slice(&as_text(v).unwrap_or_default());
                ErrorInfo {
                    msg: Some(m),
                    ..ErrorInfo::default()
                }
            }
            Value::Table(t) => ErrorInfo {
                msg: as_text(raw_str(vm, t, n.err)),
                source: as_text(raw_str(vm, t, n.source)),
                line: as_text(raw_str(vm, t, n.line)),
            },
            _ => ErrorInfo::default(),
        }
    }
}

/// The bytes C code sees through `const char *`: up to the first NUL.
pub(crate) fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

/// Deepest reply nesting converted into Lua.
const MAX_REPLY_DEPTH: usize = 1000;

/// Converts a command's reply into the value `redis.call` returns, as a
/// script with protocol `resp` sees it. Error replies become `{err=...}`
/// tables (the caller decides whether to raise them).
pub(crate) fn reply_to_lua(vm: &mut Vm, n: &Names, r: &Reply, resp: u8) -> LuaResult<Value> {
    reply_to_lua_at(vm, n, r, resp, 0)
}

fn reply_to_lua_at(vm: &mut Vm, n: &Names, r: &Reply, resp: u8, depth: usize) -> LuaResult<Value> {
    if depth > MAX_REPLY_DEPTH {
        return Err(vm.rt_error("reached lua stack limit"));
    }
    Ok(match r {
        Reply::Integer(i) => Value::Number(*i as f64),
        Reply::Bulk(b) => vm.str_value(b)?,
        Reply::Nil => {
            if resp >= 3 {
                Value::Nil
            } else {
                Value::Boolean(false)
            }
        }
        Reply::NilArray => {
            if resp >= 3 {
                Value::Nil
            } else {
                Value::Boolean(false)
            }
        }
        Reply::Status(s) => {
            let t = vm.new_table(0, 0)?;
            let v = vm.str_value(s)?;
            vm.raw_set(t, Value::String(n.ok), v)?;
            Value::Table(t)
        }
        Reply::Error(e) => {
            let mut raw = b"-".to_vec();
            raw.extend_from_slice(e);
            let t = error_table(vm, n, &raw)?;
            vm.raw_set(t, Value::String(n.ignore), Value::Boolean(true))?;
            Value::Table(t)
        }
        Reply::Array(items) | Reply::Push(items) => {
            let t = vm.new_table(0, 0)?;
            for (i, it) in items.iter().enumerate() {
                let v = reply_to_lua_at(vm, n, it, resp, depth + 1)?;
                vm.raw_set_int(t, i as i64 + 1, v)?;
            }
            Value::Table(t)
        }
        Reply::Set(items) => {
            let outer = vm.new_table(0, 0)?;
            let t = vm.new_table(0, 0)?;
            vm.raw_set(outer, Value::String(n.set), Value::Table(t))?;
            for it in items {
                let k = reply_to_lua_at(vm, n, it, resp, depth + 1)?;
                if !k.is_nil() {
                    vm.raw_set(t, k, Value::Boolean(true))?;
                }
            }
            Value::Table(outer)
        }
        Reply::Map(pairs) => {
            let outer = vm.new_table(0, 0)?;
            let t = vm.new_table(0, 0)?;
            vm.raw_set(outer, Value::String(n.map), Value::Table(t))?;
            for (k, v) in pairs {
                let kv = reply_to_lua_at(vm, n, k, resp, depth + 1)?;
                let vv = reply_to_lua_at(vm, n, v, resp, depth + 1)?;
                if !kv.is_nil() {
                    vm.raw_set(t, kv, vv)?;
                }
            }
            Value::Table(outer)
        }
        Reply::Double(d) => {
            let t = vm.new_table(0, 0)?;
            vm.raw_set(t, Value::String(n.double), Value::Number(*d))?;
            Value::Table(t)
        }
        Reply::Boolean(b) => Value::Boolean(*b),
        Reply::BigNumber(s) => {
            let t = vm.new_table(0, 0)?;
            let v = vm.str_value(s)?;
            vm.raw_set(t, Value::String(n.big_number), v)?;
            Value::Table(t)
        }
        Reply::Verbatim { format, text } => {
            let t = vm.new_table(0, 0)?;
            let inner = vm.new_table(0, 0)?;
            vm.raw_set(t, Value::String(n.verbatim_string), Value::Table(inner))?;
            let f = vm.str_value(format)?;
            vm.raw_set(inner, Value::String(n.format), f)?;
            let s = vm.str_value(text)?;
            vm.raw_set(inner, Value::String(n.string), s)?;
            Value::Table(t)
        }
    })
}

/// Redis's `luaPushErrorBuff`: `-CODE message` keeps its code, anything
/// else gets `ERR`; CR and LF are trimmed from both ends of the message.
/// Returns the text `CODE message`.
pub(crate) fn error_text(raw: &[u8]) -> Vec<u8> {
    let (code, msg): (&[u8], &[u8]) = if raw.first() == Some(&b'-') {
        match raw.iter().position(|&b| b == b' ') {
            Some(i) => (&raw[1..i], &raw[i + 1..]),
            None => (b"ERR", &raw[1..]),
        }
    } else {
        (b"ERR", raw)
    };
    let is_crlf = |b: &u8| *b == b'\r' || *b == b'\n';
    let start = msg.iter().position(|b| !is_crlf(b)).unwrap_or(msg.len());
    let end = msg
        .iter()
        .rposition(|b| !is_crlf(b))
        .map_or(start, |i| i + 1);
    let msg = &msg[start..end.max(start)];
    let mut out = Vec::with_capacity(code.len() + 1 + msg.len());
    out.extend_from_slice(code);
    out.push(b' ');
    out.extend_from_slice(msg);
    out
}

/// A new `{err = ...}` table for an error given as Redis formats it
/// (`-CODE message` or a bare message).
pub(crate) fn error_table(vm: &mut Vm, n: &Names, raw: &[u8]) -> LuaResult<TableRef> {
    let t = vm.new_table(0, 0)?;
    let v = vm.str_value(&error_text(raw))?;
    vm.raw_set(t, Value::String(n.err), v)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_like_redis() {
        assert_eq!(
            error_text(b"-WRONGTYPE Operation x"),
            b"WRONGTYPE Operation x"
        );
        assert_eq!(error_text(b"Unknown command"), b"ERR Unknown command");
        assert_eq!(error_text(b"-MYERROR"), b"ERR MYERROR");
        assert_eq!(error_text(b"-"), b"ERR ");
        assert_eq!(error_text(b"-ERR a\r\n:1\r\n"), b"ERR a\r\n:1");
    }
}
