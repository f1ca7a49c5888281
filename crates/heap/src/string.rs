//! Interned byte strings.
//!
//! Every string is interned: the intern map (a hashbrown table of arena
//! slot indexes, 4 bytes each) is looked up by a full-content hash
//! computed here, so strings whose sampled
//! Lua 5.1 hash collide (long strings differing only in unsampled bytes)
//! stay cheap to intern. The Lua hash travels in the [`StrRef`] and places
//! the string in tables; equal strings share one handle, so string equality
//! and table lookup compare handles.
//!
//! Strings of up to 16 bytes are stored inline in the arena slot; longer
//! ones own a boxed byte slice.

use hashbrown::HashTable;

use ferrous_value::{lua_hash, StrKey, StrRef};

use crate::arena::{make_key, split_key, Meta, Objects, WHITES};
use crate::mem::Mem;
use crate::HeapError;

/// Gives a string found by interning the current white if it still has
/// the old one (dead but not swept yet).
#[inline(always)]
fn revive(meta: &mut Meta, s: StrRef, white: u8) {
    if let Some(c) = meta.color_mut(s.key()) {
        if *c & (white ^ WHITES) != 0 {
            *c = (*c & !WHITES) | white;
        }
    }
}

/// Longest string stored inline in its arena slot.
pub(crate) const INLINE: usize = 16;

/// One interned string: 24 bytes, so that its arena slot is 28. Strings
/// of up to 16 bytes live in `data`; longer ones live in the arena's side
/// list of boxed byte strings, `data` holding their index there (bytes 0
/// to 3) and their full-content hash (bytes 4 to 7). A short string's
/// full-content hash is not stored: it is recomputed from its bytes when
/// the intern map rehashes or the string is removed.
pub struct StrObj {
    /// Lua 5.1 hash.
    pub(crate) hash: u32,
    pub(crate) len: u32,
    pub(crate) data: [u8; INLINE],
}

const _: () = assert!(std::mem::size_of::<StrObj>() == 24);

/// Bytes a long string owns outside its slot: its bytes and its entry in
/// the side list.
const LONG_ENTRY: usize = std::mem::size_of::<Box<[u8]>>();

impl StrObj {
    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.len as usize
    }
    /// True for the empty string.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Lua 5.1 hash of the string.
    #[inline]
    pub fn lua_hash(&self) -> u32 {
        self.hash
    }
    #[inline(always)]
    fn long_index(&self) -> Option<usize> {
        if self.len as usize > INLINE {
            let mut i = [0u8; 4];
            i.copy_from_slice(&self.data[..4]);
            Some(u32::from_le_bytes(i) as usize)
        } else {
            None
        }
    }
    /// The full-content hash (stored for a long string, recomputed from
    /// the bytes of a short one).
    #[inline]
    fn full_hash(&self, seed: u64) -> u32 {
        if self.len as usize > INLINE {
            let mut h = [0u8; 4];
            h.copy_from_slice(&self.data[4..8]);
            u32::from_le_bytes(h)
        } else {
            short_content_hash(seed, self.len as usize, &self.data)
        }
    }
    /// Bytes owned outside the arena slot.
    #[inline]
    pub(crate) fn extra_bytes(&self) -> usize {
        if self.len as usize > INLINE {
            self.len as usize + LONG_ENTRY
        } else {
            0
        }
    }
}

/// The bytes of `o`, looking long strings up in `long`.
#[inline(always)]
fn bytes_of<'a>(o: &'a StrObj, long: &'a [Box<[u8]>]) -> &'a [u8] {
    match o.long_index() {
        None => o.data.get(..o.len as usize).unwrap_or(&[]),
        Some(i) => long.get(i).map_or(&[], |b| &b[..]),
    }
}

/// The live string at slot `idx` of the arena, with its key (`versions`
/// is the arena's [`Meta::versions`]).
#[inline(always)]
fn at<'a>(
    objs: &'a Objects<StrKey, StrObj>,
    versions: &[u32],
    idx: u32,
) -> Option<(StrKey, &'a StrObj)> {
    let ver = *versions.get(idx as usize)?;
    let k: StrKey = make_key(idx as usize, ver);
    objs.get(k).map(|o| (k, o))
}

/// The string arena and the intern map.
pub struct Strings {
    pub(crate) objs: Objects<StrKey, StrObj>,
    /// Slot indexes of the live strings (the arena's metadata gives the
    /// version that makes each a key): 4 bytes per bucket instead of 8.
    pub(crate) intern: HashTable<u32>,
    /// Bytes of the strings longer than [`INLINE`]; freed entries are
    /// empty and listed in `long_free`.
    long: Vec<Box<[u8]>>,
    long_free: Vec<u32>,
    /// Per-process random key of [`content_hash`]: which strings collide
    /// in the intern map cannot be known in advance (no hash flooding).
    seed: u64,
    /// Capacity (in entries) of the intern map as charged: see
    /// [`intern_bytes`].
    nominal_cap: usize,
    /// The most strings the map held since the last
    /// [`Strings::maybe_shrink`]: a map the program filled during the
    /// last cycle is not shrunk only to grow back in the next one.
    peak: usize,
    /// The last handle interned for each one-byte string (`string.sub(s,
    /// i, i)`, `s:byte` loops, `..` of single characters), checked
    /// against the arena before use: a collected string's handle is stale.
    single: Box<[Option<StrRef>; 256]>,
}

const K0: u64 = 0x9E37_79B9_7F4A_7C15;
const K1: u64 = 0xD6E8_FEB8_6659_FD93;

#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let r = (a as u128).wrapping_mul(b as u128);
    (r as u64) ^ ((r >> 64) as u64)
}

/// Full-content hash of `s` (a multiply-fold hash over 8-byte words; four
/// interleaved lanes from 64 bytes on).
#[inline]
pub(crate) fn content_hash(seed: u64, s: &[u8]) -> u32 {
    let word = |c: &[u8], i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&c[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let mut h = seed ^ (s.len() as u64).wrapping_mul(K0);
    let mut s = s;
    if s.len() >= 64 {
        // Long strings (`out = out .. c` in a loop interns every length):
        // four lanes over 32-byte blocks, so that four multiplications
        // are in flight at once instead of each waiting for the one
        // before, then chained into `h` ahead of the remaining words.
        let mut lanes = [h, h ^ K0, h ^ K1, h.rotate_left(32)];
        let mut blocks = s.chunks_exact(32);
        for b in &mut blocks {
            for (i, l) in lanes.iter_mut().enumerate() {
                *l = fold_mul(*l ^ word(b, 8 * i), K1);
            }
        }
        for l in lanes {
            h = fold_mul(h ^ l, K1);
        }
        s = blocks.remainder();
    }
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold_mul(h ^ u64::from_le_bytes(w), K1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // The tail as a zero-padded little-endian word, assembled in a
        // register: copying it into a stack buffer went through memcpy's
        // byte stores, and the 8-byte load after them stalled (store
        // forwarding) on every short string interned.
        let mut w = 0u64;
        for (i, &b) in rest.iter().enumerate() {
            w |= (b as u64) << (8 * i);
        }
        h = fold_mul(h ^ w, K1);
    }
    let h = fold_mul(h, K0);
    (h ^ (h >> 32)) as u32
}

/// [`content_hash`] of a string of `len <= INLINE` bytes stored in `data`
/// padded with zeros (as a short string's slot holds it): the same value,
/// from two word loads instead of a byte loop over the tail.
#[inline]
fn short_content_hash(seed: u64, len: usize, data: &[u8; INLINE]) -> u32 {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&data[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let mut h = seed ^ (len as u64).wrapping_mul(K0);
    if len > 0 {
        h = fold_mul(h ^ word(0), K1);
    }
    if len > 8 {
        h = fold_mul(h ^ word(8), K1);
    }
    let h = fold_mul(h, K0);
    (h ^ (h >> 32)) as u32
}

/// The 64-bit hash hashbrown sees for a stored 32-bit content hash.
#[inline(always)]
pub(crate) fn spread(full: u32) -> u64 {
    (full as u64).wrapping_mul(K0)
}

/// Estimate of the bytes a hashbrown table of `cap` capacity owns (buckets
/// of one key plus one control byte each, plus trailing control bytes).
///
/// The intern map is charged `intern_bytes(nominal_cap)`, not hashbrown's
/// `allocation_size`: when the real table grows depends on its tombstones,
/// hence on where the (randomly seeded) hashes put the keys, and the count
/// must be the same on every run (`collectgarbage("count")` and the GC's
/// pacing follow it). The nominal capacity is the one a table that never
/// had a removal would have: it grows as hashbrown grows (to the next
/// bucket count once full) and shrinks only when the map is
/// shrunk. The real table is at most one doubling larger (hashbrown
/// rehashes in place rather than grow while half its capacity is
/// tombstones).
pub(crate) fn intern_bytes(cap: usize) -> usize {
    if cap == 0 {
        return 0;
    }
    let buckets = if cap < 8 {
        (cap + 1).next_power_of_two()
    } else {
        (cap * 8 / 7).next_power_of_two()
    };
    buckets * (std::mem::size_of::<u32>() + 1) + 16
}

impl Strings {
    pub(crate) fn new() -> Strings {
        use std::hash::{BuildHasher, Hasher};
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Strings {
            objs: Objects::default(),
            intern: HashTable::new(),
            long: Vec::new(),
            long_free: Vec::new(),
            seed,
            nominal_cap: 0,
            peak: 0,
            single: Box::new([None; 256]),
        }
    }

    /// The bytes of `s`, `None` if the handle is stale.
    #[inline(always)]
    pub fn get(&self, s: StrRef) -> Option<&[u8]> {
        let o = self.objs.get(s.key())?;
        Some(bytes_of(o, &self.long))
    }

    /// The string object of `s`.
    #[inline]
    pub fn obj(&self, s: StrRef) -> Option<&StrObj> {
        self.objs.get(s.key())
    }

    /// Number of live strings.
    #[inline]
    pub fn len(&self) -> usize {
        self.objs.len()
    }

    /// True when no string is live.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.objs.is_empty()
    }

    /// The handle of `bytes` if it is interned (`meta` is the string
    /// arena's metadata).
    pub(crate) fn find(&self, meta: &Meta, bytes: &[u8]) -> Option<StrRef> {
        let full = content_hash(self.seed, bytes);
        self.find_hashed(meta, bytes, full)
    }

    #[inline]
    pub(crate) fn find_hashed(&self, meta: &Meta, bytes: &[u8], full: u32) -> Option<StrRef> {
        let objs = &self.objs;
        let long = &self.long;
        let versions = &meta.versions[..];
        let mut found = None;
        if bytes.len() <= INLINE {
            // A short string is stored zero-padded in its slot: compare the
            // padded query with the slot's 16 bytes (two words, no call).
            let mut padded = [0u8; INLINE];
            for (d, &b) in padded.iter_mut().zip(bytes) {
                *d = b;
            }
            let len = bytes.len() as u32;
            self.intern
                .find(spread(full), |&i| match at(objs, versions, i) {
                    Some((k, o)) if o.len == len && o.data == padded => {
                        found = Some(StrRef::new(k, o.hash));
                        true
                    }
                    _ => false,
                });
            return found;
        }
        self.intern
            .find(spread(full), |&i| match at(objs, versions, i) {
                Some((k, o)) if bytes_of(o, long) == bytes => {
                    found = Some(StrRef::new(k, o.hash));
                    true
                }
                _ => false,
            });
        found
    }

    /// The intern map's hash of the string at slot `idx`.
    fn rehash(&self, versions: &[u32], idx: u32) -> u64 {
        spread(at(&self.objs, versions, idx).map_or(0, |(_, o)| o.full_hash(self.seed)))
    }

    /// Bytes of one new string of `len` bytes (slot plus boxed bytes).
    pub(crate) fn obj_bytes(len: usize) -> usize {
        STR_SLOT + if len > INLINE { len + LONG_ENTRY } else { 0 }
    }

    /// Returns the handle of `bytes`, creating the string if it is new
    /// (a lookup in the intern map, then for a new string an insertion
    /// that probes for a free slot only).
    /// A found string the sweeper has not reached yet may be dead (it has
    /// the old white): it is revived. Bytes are checked against and counted
    /// in `mem`.
    #[inline]
    pub(crate) fn intern(
        &mut self,
        meta: &mut Meta,
        bytes: &[u8],
        white: u8,
        mem: &mut Mem,
    ) -> Result<StrRef, HeapError> {
        self.intern_src(meta, Src::Borrowed(bytes), white, mem)
    }

    /// [`Strings::intern`] of bytes the caller gives away: a new long
    /// string keeps them without a copy.
    pub(crate) fn intern_owned(
        &mut self,
        meta: &mut Meta,
        bytes: Vec<u8>,
        white: u8,
        mem: &mut Mem,
    ) -> Result<StrRef, HeapError> {
        self.intern_src(meta, Src::Owned(bytes), white, mem)
    }

    #[inline(always)]
    fn intern_src(
        &mut self,
        meta: &mut Meta,
        src: Src<'_>,
        white: u8,
        mem: &mut Mem,
    ) -> Result<StrRef, HeapError> {
        let bytes = src.bytes();
        if bytes.len() > u32::MAX as usize {
            return Err(HeapError::OutOfMemory);
        }
        if let [b] = *bytes {
            if let Some(s) = self.single[b as usize] {
                if self.objs.get(s.key()).is_some() {
                    // The handle is live, so it names this byte's string.
                    revive(meta, s, white);
                    return Ok(s);
                }
            }
            let s = self.intern_hashed(meta, src, white, mem)?;
            self.single[b as usize] = Some(s);
            return Ok(s);
        }
        self.intern_hashed(meta, src, white, mem)
    }

    #[inline(always)]
    fn intern_hashed(
        &mut self,
        meta: &mut Meta,
        src: Src<'_>,
        white: u8,
        mem: &mut Mem,
    ) -> Result<StrRef, HeapError> {
        let bytes = src.bytes();
        let full = content_hash(self.seed, bytes);
        // Most strings interned already exist (a key read again, a field
        // name, a reply seen before): a plain lookup finds them without
        // the entry API's preparation for an insert.
        if let Some(s) = self.find_hashed(meta, bytes, full) {
            revive(meta, s, white);
            return Ok(s);
        }
        let obj_bytes = Self::obj_bytes(bytes.len());
        let growth = self.intern_growth();
        if growth > 0 && mem.check(growth + obj_bytes).is_err() {
            // No room to grow the map, and the string is not there.
            return Err(HeapError::OutOfMemory);
        }
        // Not there (the lookup above missed): make the string and insert
        // its key without comparing again.
        let result = {
            let hash = lua_hash(bytes);
            let len = bytes.len();
            let mut data = [0u8; INLINE];
            // Long strings are copied fallibly (or not at all): a
            // failed allocation is an error, never an abort.
            let boxed: Option<Box<[u8]>> = if mem.check(obj_bytes).is_err() {
                None
            } else if len <= INLINE {
                data[..len].copy_from_slice(bytes);
                Some(Box::default())
            } else {
                match src {
                    Src::Owned(owned) => Some(owned.into_boxed_slice()),
                    Src::Borrowed(b) => {
                        let mut copy = Vec::new();
                        if copy.try_reserve_exact(b.len()).is_ok() {
                            copy.extend_from_slice(b);
                            Some(copy.into_boxed_slice())
                        } else {
                            None
                        }
                    }
                }
            };
            match boxed {
                None => Err(HeapError::OutOfMemory),
                Some(boxed) => {
                    if len > INLINE {
                        let i = match self.long_free.pop() {
                            Some(i) => {
                                if let Some(slot) = self.long.get_mut(i as usize) {
                                    *slot = boxed;
                                }
                                i
                            }
                            None => {
                                self.long.push(boxed);
                                (self.long.len() - 1) as u32
                            }
                        };
                        data[..4].copy_from_slice(&i.to_le_bytes());
                        data[4..8].copy_from_slice(&full.to_le_bytes());
                    }
                    let key = self.objs.insert(
                        meta,
                        StrObj {
                            hash,
                            len: len as u32,
                            data,
                        },
                        white,
                    );
                    let (idx, _) = split_key(key);
                    let mut intern = std::mem::take(&mut self.intern);
                    intern.insert_unique(spread(full), idx as u32, |&i| {
                        self.rehash(&meta.versions, i)
                    });
                    self.intern = intern;
                    mem.add(obj_bytes);
                    Ok(StrRef::new(key, hash))
                }
            }
        };
        self.peak = self.peak.max(self.intern.len());
        // The nominal map grows when an insertion fills it.
        if self.intern.len() > self.nominal_cap {
            let before = intern_bytes(self.nominal_cap);
            self.nominal_cap = nominal_capacity(self.intern.len().max(self.nominal_cap + 1));
            mem.resized(before, intern_bytes(self.nominal_cap));
        }
        result
    }

    /// Forgets how many strings the map held recently: the next
    /// [`Strings::maybe_shrink`] fits it to the strings alive then.
    pub(crate) fn forget_peak(&mut self) {
        self.peak = 0;
    }

    /// Bytes the intern map is charged.
    pub(crate) fn intern_charged(&self) -> usize {
        intern_bytes(self.nominal_cap)
    }

    /// Bytes the intern map would grow by on the next insertion.
    pub(crate) fn intern_growth(&self) -> usize {
        if self.intern.len() < self.nominal_cap {
            0
        } else {
            intern_bytes(nominal_capacity(self.intern.len() + 1))
        }
    }

    /// Removes a dead string; returns the bytes freed.
    pub(crate) fn remove(&mut self, meta: &mut Meta, k: StrKey) -> usize {
        let Some(o) = self.objs.get(k) else { return 0 };
        let full = o.full_hash(self.seed);
        let idx = split_key(k).0 as u32;
        if let Ok(e) = self.intern.find_entry(spread(full), |&x| x == idx) {
            e.remove();
        }
        match self.objs.remove(meta, k) {
            Some(o) => {
                if let Some(i) = o.long_index() {
                    if let Some(b) = self.long.get_mut(i) {
                        *b = Box::default();
                        self.long_free.push(i as u32);
                    }
                }
                STR_SLOT + o.extra_bytes()
            }
            None => 0,
        }
    }

    /// Shrinks the intern map when it is mostly empty; returns the change
    /// of owned bytes.
    pub(crate) fn maybe_shrink(&mut self, meta: &Meta) -> isize {
        let before = self.intern_charged();
        // Rehashing is proportional to the entries left: only shrink when
        // few are left, so that this stays a short step. The decision and
        // the charge follow the nominal size (see `intern_bytes`). A map
        // that held a quarter of its capacity since the last call is
        // left as it is (a program that makes and drops many strings per
        // cycle would otherwise regrow it through every doubling each
        // cycle); a full collection forgets that peak first.
        let len = self.intern.len();
        let recent = std::mem::replace(&mut self.peak, len).max(len);
        if recent <= 1 << 15 && before > intern_bytes(56) && intern_bytes(recent * 4) < before {
            let mut intern = std::mem::take(&mut self.intern);
            intern.shrink_to(intern.len(), |&i| self.rehash(&meta.versions, i));
            self.intern = intern;
            self.nominal_cap = if len == 0 { 0 } else { nominal_capacity(len) };
            let after = self.intern_charged();
            return after as isize - before as isize;
        }
        0
    }
}

/// The capacity hashbrown gives a table asked to hold `n` entries: that of
/// its bucket count (a power of two, at least 4; 7/8 of it from 8 on).
fn nominal_capacity(n: usize) -> usize {
    let buckets = if n < 4 {
        4
    } else if n < 8 {
        8
    } else {
        (n.saturating_mul(8) / 7).next_power_of_two()
    };
    if buckets < 8 {
        buckets - 1
    } else {
        buckets / 8 * 7
    }
}

/// Bytes of one string slot.
pub(crate) const STR_SLOT: usize = crate::arena::slot_bytes::<StrObj>();

/// Where the bytes of a string being interned come from.
enum Src<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Src<'_> {
    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        match self {
            Src::Borrowed(b) => b,
            Src::Owned(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_hash_is_the_content_hash() {
        let bytes: Vec<u8> = (1..=INLINE as u8).map(|b| b.wrapping_mul(37)).collect();
        for seed in [0u64, 1, 0xdead_beef_1234_5678] {
            for len in 0..=INLINE {
                let mut data = [0u8; INLINE];
                data[..len].copy_from_slice(&bytes[..len]);
                assert_eq!(
                    short_content_hash(seed, len, &data),
                    content_hash(seed, &bytes[..len]),
                    "len {len}"
                );
            }
        }
    }
}
