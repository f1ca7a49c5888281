//! The constant table of the function being compiled (`addk` and friends).
//!
//! Constants are deduplicated by Lua equality, exactly as luac's `fs->h`
//! table does it: two numbers are the same constant when they compare
//! equal, so `0` and `-0` share one entry (whichever came first keeps its
//! sign: `print(0*-1)` prints `-0` only when no `0` constant was made
//! before). Strings are equal when their bytes are; `nil`, `true` and
//! `false` have one entry each.

use std::collections::HashMap;

use crate::bytecode::Constant;

/// The dedup key of a constant: a Lua-equality class.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Nil,
    Bool(bool),
    /// The bits of the number, with -0 normalised to 0 (NaN never gets
    /// here: folding never produces it and no literal denotes it).
    Num(u64),
    Str(Box<[u8]>),
}

/// The constants of one function, in creation order.
#[derive(Default)]
pub(crate) struct ConstTable {
    pub(crate) list: Vec<Constant>,
    index: HashMap<Key, u32>,
}

impl ConstTable {
    /// Number of constants so far (luac's `fs->nk`).
    pub(crate) fn len(&self) -> u32 {
        self.list.len() as u32
    }

    fn add(&mut self, key: Option<Key>, value: Constant) -> u32 {
        if let Some(key) = &key {
            if let Some(&i) = self.index.get(key) {
                return i;
            }
        }
        let i = self.list.len() as u32;
        self.list.push(value);
        if let Some(key) = key {
            self.index.insert(key, i);
        }
        i
    }

    /// `luaK_stringK`.
    pub(crate) fn string(&mut self, s: &[u8]) -> u32 {
        if let Some(&i) = self.index.get(&Key::Str(s.into())) {
            return i;
        }
        self.add(Some(Key::Str(s.into())), Constant::String(s.into()))
    }

    /// `luaK_numberK`.
    pub(crate) fn number(&mut self, n: f64) -> u32 {
        let key = if n.is_nan() {
            None
        } else if n == 0.0 {
            Some(Key::Num(0))
        } else {
            Some(Key::Num(n.to_bits()))
        };
        self.add(key, Constant::Number(n))
    }

    /// `boolK`.
    pub(crate) fn boolean(&mut self, b: bool) -> u32 {
        self.add(Some(Key::Bool(b)), Constant::Boolean(b))
    }

    /// `nilK`.
    pub(crate) fn nil(&mut self) -> u32 {
        self.add(Some(Key::Nil), Constant::Nil)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_deduplicated_by_lua_equality() {
        let mut k = ConstTable::default();
        assert_eq!(k.number(-0.0), 0);
        assert_eq!(k.number(0.0), 0);
        assert_eq!(k.list[0], Constant::Number(-0.0));
        assert!(matches!(k.list[0], Constant::Number(x) if x.is_sign_negative()));
        assert_eq!(k.string(b"0"), 1);
        assert_eq!(k.nil(), 2);
        assert_eq!(k.boolean(false), 3);
        assert_eq!(k.boolean(true), 4);
        assert_eq!(k.nil(), 2);
        assert_eq!(k.string(b"0"), 1);
        assert_eq!(k.number(f64::NAN), 5);
        assert_eq!(k.number(f64::NAN), 6);
        assert_eq!(k.len(), 7);
    }
}
