//! The constant table of the function being compiled (`addk` and friends).
//!
//! Constants are deduplicated by Lua equality, exactly as luac's `fs->h`
//! table does it: two numbers are the same constant when they compare
//! equal, so `0` and `-0` share one entry (whichever came first keeps its
//! sign: `print(0*-1)` prints `-0` only when no `0` constant was made
//! before). Strings are equal when their bytes are; `nil`, `true` and
//! `false` have one entry each.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::bytecode::Constant;

/// A small fast hasher (FxHash's mixing step) for the compiler's own maps:
/// keys are program text and numbers, never attacker-chosen in a way that
/// matters (compilation is linear in the input whatever the collisions).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        // The tail as a little-endian word, zero-padded (a byte loop: a
        // copy of variable length would be a call to memcpy).
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let w = rest
                .iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b));
            self.add(w);
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// Ends with a full avalanche (murmur3's fmix64): numbers such as
    /// 0.5, 1.5, 2.5 differ only in their high bits, which the mixing step
    /// alone would leave out of the table index.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The constants of one function, in creation order. Kept between
/// functions (see `func::Scratch`): [`ConstTable::clear`] empties it and
/// keeps its room.
#[derive(Default)]
pub(crate) struct ConstTable {
    pub(crate) list: Vec<Constant>,
    /// String constants by their bytes (shared with the tree).
    strings: FxMap<std::sync::Arc<[u8]>, u32>,
    /// By the bits of the number, -0 normalised to 0 (NaN never gets here:
    /// folding never produces it and no literal denotes it).
    numbers: FxMap<u64, u32>,
    nil: Option<u32>,
    booleans: [Option<u32>; 2],
}

impl ConstTable {
    /// Forgets every constant, keeping the room of the list and maps.
    pub(crate) fn clear(&mut self) {
        self.list.clear();
        self.strings.clear();
        self.numbers.clear();
        self.nil = None;
        self.booleans = [None; 2];
    }

    /// Number of constants so far (luac's `fs->nk`).
    pub(crate) fn len(&self) -> u32 {
        self.list.len() as u32
    }

    fn push(&mut self, c: Constant) -> u32 {
        let i = self.list.len() as u32;
        self.list.push(c);
        i
    }

    /// `luaK_stringK` (the constant shares the tree's bytes).
    pub(crate) fn string(&mut self, s: &std::sync::Arc<[u8]>) -> u32 {
        if let Some(&i) = self.strings.get(&s[..]) {
            return i;
        }
        let i = self.push(Constant::String(s.clone()));
        self.strings.insert(s.clone(), i);
        i
    }

    /// `luaK_numberK`.
    pub(crate) fn number(&mut self, n: f64) -> u32 {
        if n.is_nan() {
            return self.push(Constant::Number(n));
        }
        let bits = if n == 0.0 { 0 } else { n.to_bits() };
        if let Some(&i) = self.numbers.get(&bits) {
            return i;
        }
        let i = self.push(Constant::Number(n));
        self.numbers.insert(bits, i);
        i
    }

    /// `boolK`.
    pub(crate) fn boolean(&mut self, b: bool) -> u32 {
        if let Some(i) = self.booleans[b as usize] {
            return i;
        }
        let i = self.push(Constant::Boolean(b));
        self.booleans[b as usize] = Some(i);
        i
    }

    /// `nilK`.
    pub(crate) fn nil(&mut self) -> u32 {
        if let Some(i) = self.nil {
            return i;
        }
        let i = self.push(Constant::Nil);
        self.nil = Some(i);
        i
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
        let zero: std::sync::Arc<[u8]> = b"0"[..].into();
        let zero2: std::sync::Arc<[u8]> = b"0"[..].into();
        assert_eq!(k.string(&zero), 1);
        assert_eq!(k.nil(), 2);
        assert_eq!(k.boolean(false), 3);
        assert_eq!(k.boolean(true), 4);
        assert_eq!(k.nil(), 2);
        assert_eq!(k.string(&zero2), 1);
        assert_eq!(k.number(f64::NAN), 5);
        assert_eq!(k.number(f64::NAN), 6);
        assert_eq!(k.len(), 7);
    }
}
