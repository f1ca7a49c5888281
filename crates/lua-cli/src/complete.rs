//! Tab completion for the REPL: global names, Lua keywords, and the
//! fields of tables reached through a dotted path (`string.fo<Tab>` ->
//! `string.format`, `t.a.b<Tab>`, `obj:me<Tab>` for methods).
//!
//! Completion reads the running state: [`candidates`] walks the tables
//! with raw reads (no metamethod runs, no Lua code runs, nothing is
//! allocated), following `__index` when it is a table, as a field lookup
//! on an object of a class would. The rustyline helper holds the VM only
//! while `readline` runs ([`LuaHelper::attach`] / [`LuaHelper::detach`]).

use std::cell::Cell;
use std::ptr::NonNull;

use ferrous_vm::{TableRef, Value, Vm};
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

/// Lua 5.1's reserved words, offered where a global name could go.
const KEYWORDS: [&str; 21] = [
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
    "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// `__index` tables followed at most (a cycle of them ends here).
const MAX_INDEX_CHAIN: usize = 16;

/// Table entries looked at per table at most, so Tab on a huge table
/// answers at once.
const MAX_ENTRIES: usize = 200_000;

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A name Lua accepts after `.` or as a global: an identifier that is not
/// a reserved word.
fn is_name(s: &[u8]) -> bool {
    match s.first() {
        Some(c) if !c.is_ascii_digit() => {
            s.iter().all(|&b| is_ident_byte(b)) && !KEYWORDS.iter().any(|k| k.as_bytes() == s)
        }
        _ => false,
    }
}

/// Calls `f` on every entry of `t` (at most [`MAX_ENTRIES`]); stops when
/// `f` returns true.
fn for_each_entry(vm: &Vm, t: TableRef, mut f: impl FnMut(Value, Value) -> bool) {
    let Some(tab) = vm.heap.table(t) else { return };
    let mut key = Value::Nil;
    for _ in 0..MAX_ENTRIES {
        match tab.next(&key) {
            Ok(Some((k, v))) => {
                if f(k, v) {
                    return;
                }
                key = k;
            }
            _ => return,
        }
    }
}

/// The raw value of field `name` of `t` (nil if absent).
fn raw_field(vm: &Vm, t: TableRef, name: &[u8]) -> Value {
    let mut found = Value::Nil;
    for_each_entry(vm, t, |k, v| match k {
        Value::String(s) if vm.str_bytes(s) == name => {
            found = v;
            true
        }
        _ => false,
    });
    found
}

/// `t` and the tables its `__index` chain reaches (tables only).
fn index_chain(vm: &Vm, t: TableRef) -> Vec<TableRef> {
    let mut chain = vec![t];
    let mut cur = t;
    while chain.len() < MAX_INDEX_CHAIN {
        let Some(mt) = vm.heap.table(cur).and_then(|tab| tab.metatable()) else {
            break;
        };
        match raw_field(vm, mt, b"__index") {
            Value::Table(next) if !chain.contains(&next) => {
                chain.push(next);
                cur = next;
            }
            _ => break,
        }
    }
    chain
}

/// Field `name` of `t` as Lua's `t.name` finds it without calling any
/// function: raw, then through `__index` tables.
fn field(vm: &Vm, t: TableRef, name: &[u8]) -> Value {
    for tab in index_chain(vm, t) {
        let v = raw_field(vm, tab, name);
        if v != Value::Nil {
            return v;
        }
    }
    Value::Nil
}

/// The completions of the word that ends at byte `pos` of `line`: the
/// byte offset where the replaced part starts, and the candidates
/// (sorted, without duplicates) that replace it.
///
/// The word is a dotted path `a.b.c` (the last separator may be `:`,
/// which offers only functions); every part before the last must name a
/// table. Without a path, globals and keywords are offered.
pub fn candidates(vm: &Vm, line: &str, pos: usize) -> (usize, Vec<String>) {
    let none = (pos, Vec::new());
    let Some(before) = line.get(..pos) else {
        return none;
    };
    let bytes = before.as_bytes();
    let mut start = bytes.len();
    while start > 0 && (is_ident_byte(bytes[start - 1]) || matches!(bytes[start - 1], b'.' | b':'))
    {
        start -= 1;
    }
    let word = &bytes[start..];
    let (path, sep, prefix) = match word.iter().rposition(|&b| b == b'.' || b == b':') {
        Some(i) => (&word[..i], Some(word[i]), &word[i + 1..]),
        None => (&word[..0], None, word),
    };
    if prefix.first().is_some_and(u8::is_ascii_digit) {
        return none;
    }
    let mut table = vm.globals();
    if sep.is_some() {
        for part in path.split(|&b| b == b'.') {
            if !is_name(part) {
                return none;
            }
            match field(vm, table, part) {
                Value::Table(t) => table = t,
                _ => return none,
            }
        }
    }
    let methods_only = sep == Some(b':');
    let mut out: Vec<String> = Vec::new();
    for tab in index_chain(vm, table) {
        for_each_entry(vm, tab, |k, v| {
            if let Value::String(s) = k {
                let name = vm.str_bytes(s);
                if name.starts_with(prefix)
                    && is_name(name)
                    && (!methods_only || matches!(v, Value::Function(_)))
                {
                    // An identifier is ASCII, hence UTF-8.
                    out.push(String::from_utf8_lossy(name).into_owned());
                }
            }
            false
        });
    }
    if sep.is_none() {
        out.extend(
            KEYWORDS
                .iter()
                .filter(|k| k.as_bytes().starts_with(prefix))
                .map(|k| k.to_string()),
        );
    }
    out.sort();
    out.dedup();
    (pos - prefix.len(), out)
}

/// The rustyline helper: completion from the attached VM; no hints,
/// highlighting or validation (lua.c decides whether a chunk is complete
/// after the line is read).
#[derive(Default)]
pub struct LuaHelper {
    vm: Cell<Option<NonNull<Vm>>>,
}

impl LuaHelper {
    /// Lets completion read `vm` until [`LuaHelper::detach`].
    pub fn attach(&mut self, vm: &Vm) {
        self.vm.set(Some(NonNull::from(vm)));
    }

    /// Forgets the VM: completion offers nothing.
    pub fn detach(&mut self) {
        self.vm.set(None);
    }
}

impl Completer for LuaHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let Some(vm) = self.vm.get() else {
            return Ok((pos, Vec::new()));
        };
        // SAFETY: `EditReader::read_line` attaches the VM it borrows for
        // the whole `readline` call and detaches it before that borrow
        // ends; nothing else touches the VM while the editor runs (one
        // thread), so the pointer is live and nobody writes through it
        // while this shared reference exists.
        let vm = unsafe { vm.as_ref() };
        Ok(candidates(vm, line, pos))
    }
}

impl Hinter for LuaHelper {
    type Hint = String;
}

impl Highlighter for LuaHelper {}

impl Validator for LuaHelper {}

impl Helper for LuaHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(src: &str) -> Vm {
        let mut vm = Vm::new();
        ferrous_stdlib::open_libs(&mut vm).expect("libs");
        let f = vm.load(src.as_bytes(), b"=test").expect("load");
        vm.pcall(f, &[], None).expect("run");
        vm
    }

    fn complete(vm: &Vm, line: &str) -> (usize, Vec<String>) {
        candidates(vm, line, line.len())
    }

    #[test]
    fn library_fields() {
        let vm = state("");
        assert_eq!(complete(&vm, "string.fo"), (7, vec!["format".to_string()]));
        assert_eq!(complete(&vm, "x = math.fl"), (9, vec!["floor".to_string()]));
        let (start, all) = complete(&vm, "table.");
        assert_eq!(start, 6);
        for f in ["concat", "insert", "remove", "sort"] {
            assert!(all.iter().any(|c| c == f), "{f} in {all:?}");
        }
    }

    #[test]
    fn globals_and_keywords() {
        let vm = state("counter = 1; countdown = function() end");
        assert_eq!(
            complete(&vm, "print(coun"),
            (6, vec!["countdown".to_string(), "counter".to_string()])
        );
        let (_, c) = complete(&vm, "fu");
        assert_eq!(c, vec!["function".to_string()]);
        let (_, c) = complete(&vm, "coll");
        assert_eq!(c, vec!["collectgarbage".to_string()]);
    }

    #[test]
    fn nested_tables_methods_and_index_chains() {
        let vm = state(
            "config = { net = { port = 1, ports = {}, host = 'h' }, [1] = 'x', ['not a name'] = 1 }
             local Class = { greet = function() end, name = 'c' }
             Class.__index = Class
             obj = setmetatable({ own = 1 }, Class)",
        );
        assert_eq!(
            complete(&vm, "config.net.po"),
            (11, vec!["port".to_string(), "ports".to_string()])
        );
        let (_, c) = complete(&vm, "config.");
        assert_eq!(c, vec!["net".to_string()]);
        let (_, c) = complete(&vm, "obj.");
        assert_eq!(
            c,
            vec![
                "__index".to_string(),
                "greet".to_string(),
                "name".to_string(),
                "own".to_string()
            ]
        );
        let (_, c) = complete(&vm, "obj:");
        assert_eq!(c, vec!["greet".to_string()]);
    }

    #[test]
    fn nothing_to_complete() {
        let vm = state("n = 5");
        assert!(complete(&vm, "n.").1.is_empty(), "not a table");
        assert!(complete(&vm, "nosuch.x").1.is_empty());
        assert!(complete(&vm, "x = 12").1.is_empty(), "a number");
        assert!(complete(&vm, "string..f").1.is_empty());
        // The cursor in the middle of a line: the word before it counts.
        let line = "string.fo + 1";
        assert_eq!(candidates(&vm, line, 9), (7, vec!["format".to_string()]));
        // Not at a character boundary: nothing, no panic.
        assert!(candidates(&vm, "é", 1).1.is_empty());
        assert!(candidates(&vm, "", 0).1.len() > 20, "every global");
    }
}
