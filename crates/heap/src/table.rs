//! Lua 5.1 tables: an array part and a hash part of chained nodes with the
//! same layout rules as PUC-Rio Lua 5.1, so that `next` (and everything
//! built on it: `pairs`, cjson's key order) visits keys in lua5.1's order
//! and `#` finds the same border.
//!
//! The rules reproduced here, stated as facts about Lua 5.1's behaviour:
//!
//! * The array part holds keys `1..=n` for the `n` chosen by the last
//!   rehash (or the creation hint); it is not grown on append.
//! * The hash part has a power-of-two number of nodes (or none). A key's
//!   *main position* is its hash reduced to the node count: strings by their
//!   Lua hash masked, booleans by their value masked, numbers by the sum of
//!   the two 32-bit halves of the double modulo `(size-1)|1` (with 0 and -0
//!   at node 0), everything else by a handle hash modulo `(size-1)|1`.
//! * A new key goes to its main position if that node's value is nil.
//!   Otherwise a free node is taken by moving a cursor downward from the top
//!   of the node array until it meets a node whose *key* is nil; if the node
//!   in the main position is not in its own main position it moves to the
//!   free node and the new key takes its place, else the new key goes to the
//!   free node, chained after the main position.
//! * When no free node is left, the table is rehashed: integer keys are
//!   counted by power-of-two slices, the array size becomes the largest
//!   power of two `n` with more than `n/2` of `1..=n` in use, and the hash
//!   part is sized (rounded up to a power of two) for the remaining keys.
//!   Entries are re-inserted: vanishing array slots in increasing order,
//!   then the old nodes from the last to the first.
//! * Assigning `nil` removes nothing: the node keeps its key with a nil
//!   value, so `next` stays valid while fields are assigned during a
//!   traversal. Assigning to an absent key inserts it even when the value
//!   is nil. When the collector traverses a table, nodes with a nil value
//!   and a collectable key become *dead*: no lookup matches them any more,
//!   but `next` still accepts their key.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use ferrous_value::{handle_bits, StrRef, TableRef, Value};

use crate::mem::Mem;
use crate::HeapError;

/// Largest power of two the array part and node part may have (Lua 5.1's
/// `MAXBITS`).
pub(crate) const MAXBITS: usize = 26;
const MAXASIZE: usize = 1 << MAXBITS;
/// Lua 5.1's `MAX_INT` (`INT_MAX - 2`), used by the border search.
const MAX_INT: u64 = i32::MAX as u64 - 2;

/// The array-part index of number key `n` in an array of `len` slots:
/// `Some(n - 1)` when `n` is an integer in `1..=len`.
#[inline(always)]
pub fn array_index(n: f64, len: usize) -> Option<usize> {
    // One truncating conversion that cannot fail, then the round trip
    // (integral?) and one unsigned range test (k - 1 < len): NaN, infinities
    // and anything beyond i64 convert to i64::MIN, which fails the round
    // trip unless n is -2^63, and then the range test. The range test is
    // the one the caller's slice index needs, so the compiler drops that.
    let k = truncate_to_i64(n);
    if k as f64 == n {
        let i = k.wrapping_sub(1) as u64;
        if i < len as u64 {
            return Some(i as usize);
        }
    }
    None
}

/// `n` truncated toward zero, or i64::MIN when it is NaN or out of range
/// (the x86-64 instruction's own answer, where Rust's `as` would add
/// fix-ups to saturate).
#[inline(always)]
fn truncate_to_i64(n: f64) -> i64 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86-64, so both intrinsics are available;
        // they read only their argument (`unsafe` only for older compilers,
        // which mark them so).
        #[allow(unused_unsafe)]
        unsafe {
            std::arch::x86_64::_mm_cvttsd_si64(std::arch::x86_64::_mm_set_sd(n))
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        if n >= -9.223_372_036_854_775_808e18 && n < 9.223_372_036_854_775_808e18 {
            n as i64
        } else {
            i64::MIN
        }
    }
}

/// The value of an absent key, for the reference-returning getters.
static NIL: Value = Value::Nil;

/// A reference to a nil value (what the getters return for absent keys).
#[inline]
pub fn nil_ref() -> &'static Value {
    &NIL
}

/// Link value meaning "end of chain" (node indexes are below 2^26).
pub(crate) const NO_NEXT: u32 = (1 << 27) - 1;
const TAG_MASK: u32 = 0xf;
const DEAD_BIT: u32 = 0x10;
const NEXT_SHIFT: u32 = 5;

const T_NIL: u32 = 0;
const T_BOOL: u32 = 1;
const T_NUM: u32 = 2;
const T_STR: u32 = 3;
const T_TABLE: u32 = 4;
const T_FN: u32 = 5;
const T_UD: u32 = 6;
const T_LIGHT: u32 = 7;
const T_THREAD: u32 = 8;

/// A node's key packed in 16 bytes together with the chain link and the
/// dead flag: `meta` holds the type tag (4 bits), the dead bit and the
/// 27-bit link; `hash` the Lua hash of a string key; `bits` the payload
/// (the double's bits, the handle's bits, the boolean).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    meta: u32,
    hash: u32,
    bits: u64,
}

#[inline(always)]
fn kbits<K: slotmap::Key>(k: K) -> u64 {
    k.data().as_ffi()
}

#[inline(always)]
fn kfrom<K: slotmap::Key>(bits: u64) -> K {
    slotmap::KeyData::from_ffi(bits).into()
}

impl Key {
    const NIL: Key = Key {
        meta: NO_NEXT << NEXT_SHIFT,
        hash: 0,
        bits: 0,
    };

    #[inline(always)]
    fn tag(&self) -> u32 {
        self.meta & TAG_MASK
    }
    #[inline(always)]
    pub(crate) fn is_nil(&self) -> bool {
        self.tag() == T_NIL
    }
    #[inline(always)]
    pub(crate) fn is_dead(&self) -> bool {
        self.meta & DEAD_BIT != 0
    }
    /// Marks the key dead if it is collectable (Lua 5.1's `removeentry`).
    #[inline(always)]
    pub(crate) fn kill(&mut self) {
        if matches!(self.tag(), T_STR | T_TABLE | T_FN | T_UD | T_THREAD) {
            self.meta |= DEAD_BIT;
        }
    }
    #[inline(always)]
    fn next(&self) -> u32 {
        self.meta >> NEXT_SHIFT
    }
    #[inline(always)]
    fn set_next(&mut self, n: u32) {
        self.meta = (self.meta & (TAG_MASK | DEAD_BIT)) | (n << NEXT_SHIFT);
    }
    /// Replaces the key (live, link kept).
    #[inline(always)]
    fn set_key(&mut self, k: &Key) {
        self.meta = (self.meta & !(TAG_MASK | DEAD_BIT)) | k.tag();
        self.hash = k.hash;
        self.bits = k.bits;
    }

    #[inline]
    pub(crate) fn from_value(v: &Value) -> Key {
        let (tag, hash, bits) = match *v {
            Value::Nil => (T_NIL, 0, 0),
            Value::Boolean(b) => (T_BOOL, 0, b as u64),
            Value::Number(n) => (T_NUM, 0, n.to_bits()),
            Value::String(s) => (T_STR, s.hash(), kbits(s.key())),
            Value::Table(t) => (T_TABLE, 0, kbits(t)),
            Value::Function(f) => (T_FN, 0, kbits(f)),
            Value::Userdata(u) => (T_UD, 0, kbits(u)),
            Value::LightUserdata(p) => (T_LIGHT, 0, p as u64),
            Value::Thread(t) => (T_THREAD, 0, kbits(t)),
        };
        Key {
            meta: tag | (NO_NEXT << NEXT_SHIFT),
            hash,
            bits,
        }
    }

    /// The key as a value (dead keys included).
    #[inline]
    pub(crate) fn value(&self) -> Value {
        match self.tag() {
            T_BOOL => Value::Boolean(self.bits != 0),
            T_NUM => Value::Number(f64::from_bits(self.bits)),
            T_STR => Value::String(StrRef::new(kfrom(self.bits), self.hash)),
            T_TABLE => Value::Table(kfrom(self.bits)),
            T_FN => Value::Function(kfrom(self.bits)),
            T_UD => Value::Userdata(kfrom(self.bits)),
            T_LIGHT => Value::LightUserdata(self.bits as usize),
            T_THREAD => Value::Thread(kfrom(self.bits)),
            _ => Value::Nil,
        }
    }

    /// Raw equality with a packed key (numbers by value: 0 == -0).
    #[inline(always)]
    fn same(&self, k: &Key) -> bool {
        let t = self.tag();
        if t != k.tag() {
            return false;
        }
        if t == T_NUM {
            f64::from_bits(self.bits) == f64::from_bits(k.bits)
        } else {
            self.bits == k.bits
        }
    }

    /// Main position in a node array of `len` (a power of two, > 0).
    #[inline(always)]
    fn main_position(&self, len: usize) -> usize {
        match self.tag() {
            T_STR => self.hash as usize & (len - 1),
            T_NUM => hash_num(f64::from_bits(self.bits), len),
            T_BOOL => self.bits as usize & (len - 1),
            T_LIGHT => hash_mod(self.bits as u32, len),
            T_TABLE | T_FN | T_UD | T_THREAD => {
                hash_mod(handle_bits(kfrom::<TableRef>(self.bits)), len)
            }
            _ => 0,
        }
    }
}

/// One node of the hash part: 32 bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    pub val: Value,
    pub key: Key,
}

const EMPTY_NODE: Node = Node {
    val: Value::Nil,
    key: Key::NIL,
};

/// Bytes of one array slot and one node, for accounting.
pub(crate) const VALUE_BYTES: usize = std::mem::size_of::<Value>();
pub(crate) const NODE_BYTES: usize = std::mem::size_of::<Node>();

/// A Lua table. Read it through the methods here; write it through the
/// heap ([`Heap::table_set`](crate::Heap::table_set) and friends), which
/// keeps the accounting and the write barrier right.
pub struct Table {
    pub(crate) array: Box<[Value]>,
    pub(crate) nodes: Box<[Node]>,
    pub(crate) metatable: Option<TableRef>,
    /// Free-node cursor: every node at or above it has been handed out.
    pub(crate) lastfree: u32,
    /// Bit `i` set: this table, used as a metatable, has no field for the
    /// fast metamethod `i` (see [`Tm`](crate::Tm)). Cleared on every write.
    pub(crate) flags: Cell<u8>,
    /// Writes must take the general path: [`READONLY`] (Redis 7 marks its
    /// script globals and library tables so: every raw write and
    /// `setmetatable` fails with [`HeapError::ReadOnly`]) or [`IN_CHAIN`].
    /// Normal Lua never sets the first; the test is one well-predicted
    /// branch at the start of each write path.
    pub(crate) guard: Cell<u8>,
    /// Bumped (wrapping) by every resize: lets the collector notice that
    /// entries moved under a traversal in progress.
    pub(crate) resizes: u8,
}

/// The metamethods Lua 5.1 caches absence of (`__index`, `__newindex`,
/// `__gc`, `__mode`, `__eq`) are the first five of [`Tm`](crate::Tm).
pub(crate) const FAST_TMS: usize = 5;

/// A bit of [`Table::flags`] above the absence bits: this table's
/// `__index` field holds the table itself (cleared, as they are, by every
/// write).
pub(crate) const INDEX_IS_SELF: u8 = 1 << 7;

/// A bit of [`Table::guard`]: the table is readonly.
pub(crate) const READONLY: u8 = 1;

/// A bit of [`Table::guard`]: a lookup through `__index` tables
/// ([`Heap::index_chain_str`](crate::Heap::index_chain_str)) went
/// through this table, as a metatable or as an `__index` table, so the
/// heap's chain cache may hold a result that depends on its contents.
/// The next write, change of metatable or clearing of weak entries moves
/// the chain epoch on and clears the bit ([`Table::write_guard`]). Being
/// in `guard`, it sends writes off the fast paths at no cost to them:
/// they test the byte for the readonly bit anyway.
pub(crate) const IN_CHAIN: u8 = 2;

/// The chain epoch: entries of every heap's chain cache are valid only
/// while it is unchanged. It moves on when a table a cached lookup went
/// through is written, gets another metatable or loses weak entries.
/// Process-wide (a table cannot reach its heap): a write in one VM
/// also invalidates other VMs' entries, which costs them a lookup, never
/// a wrong result. 64 bits, so that it never wraps back to an old value.
static CHAIN_EPOCH: AtomicU64 = AtomicU64::new(1);

/// The current chain epoch (see [`CHAIN_EPOCH`]).
#[inline(always)]
pub(crate) fn chain_epoch() -> u64 {
    CHAIN_EPOCH.load(Ordering::Relaxed)
}

/// Invalidates every chain cache entry.
#[cold]
pub(crate) fn chain_changed() {
    CHAIN_EPOCH.fetch_add(1, Ordering::Relaxed);
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("array", &self.array.len())
            .field("nodes", &self.nodes.len())
            .field("metatable", &self.metatable)
            .finish()
    }
}

/// `ceil(log2(x))` for `x >= 1`.
#[inline]
fn ceil_log2(x: usize) -> usize {
    if x <= 1 {
        0
    } else {
        (usize::BITS - (x - 1).leading_zeros()) as usize
    }
}

/// The integer `n` stands for if it is an integer in C `int` range
/// (Lua 5.1's `arrayindex` conversion).
#[inline(always)]
fn int_key(n: f64) -> Option<i64> {
    let k = n as i32;
    if k as f64 == n && !(k == i32::MAX && n > i32::MAX as f64) {
        Some(k as i64)
    } else {
        None
    }
}

#[inline(always)]
fn hash_mod(h: u32, len: usize) -> usize {
    (h % (((len - 1) | 1) as u32)) as usize
}

#[inline(always)]
fn hash_num(n: f64, len: usize) -> usize {
    if n == 0.0 {
        return 0;
    }
    let b = n.to_bits();
    hash_mod((b as u32).wrapping_add((b >> 32) as u32), len)
}

/// Node count for a hash part meant to hold `n` keys.
pub(crate) fn node_count_for(n: usize) -> Result<usize, HeapError> {
    if n == 0 {
        return Ok(0);
    }
    let l = ceil_log2(n);
    if l > MAXBITS {
        return Err(HeapError::TableOverflow);
    }
    Ok(1 << l)
}

fn try_vec<T: Clone>(n: usize, fill: T) -> Result<Box<[T]>, HeapError> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| HeapError::OutOfMemory)?;
    v.resize(n, fill);
    Ok(v.into_boxed_slice())
}

impl Table {
    /// Bytes owned by the two parts for the given sizes.
    #[inline]
    pub(crate) fn parts_bytes(narray: usize, nnodes: usize) -> usize {
        narray
            .saturating_mul(VALUE_BYTES)
            .saturating_add(nnodes.saturating_mul(NODE_BYTES))
    }

    /// Bytes owned by the two parts now.
    #[inline]
    pub(crate) fn buf_bytes(&self) -> usize {
        Self::parts_bytes(self.array.len(), self.nodes.len())
    }

    /// A table sized like Lua 5.1's `luaH_new(narray, nhash)`: an array
    /// part of exactly `narray` slots and `nhash` rounded up to a power of
    /// two nodes.
    pub(crate) fn with_sizes(narray: usize, nhash: usize) -> Result<Table, HeapError> {
        let nn = node_count_for(nhash)?;
        Ok(Table {
            array: try_vec(narray, Value::Nil)?,
            nodes: try_vec(nn, EMPTY_NODE)?,
            metatable: None,
            lastfree: nn as u32,
            flags: Cell::new(0),
            guard: Cell::new(0),
            resizes: 0,
        })
    }

    /// Size of the array part.
    #[inline]
    pub fn array_len(&self) -> usize {
        self.array.len()
    }

    /// Number of nodes of the hash part (0 or a power of two).
    #[inline]
    pub fn node_len(&self) -> usize {
        self.nodes.len()
    }

    /// The array part (slot `i` holds key `i + 1`).
    #[inline]
    pub fn array(&self) -> &[Value] {
        &self.array
    }

    /// The metatable.
    #[inline]
    pub fn metatable(&self) -> Option<TableRef> {
        self.metatable
    }

    /// Records a write: the metamethod caches in `flags` are dropped.
    /// Every write path calls it, but for `set_int`'s array slot, which
    /// clears `flags` itself while it holds the slot's borrow.
    #[inline(always)]
    pub(crate) fn touch(&self) {
        self.flags.set(0);
    }

    /// Whether a write may go ahead: an error for a readonly table; for a
    /// table in a cached `__index` chain, the chain epoch moves on (every
    /// chain cache entry is dropped) and the table leaves the chain.
    #[inline(always)]
    pub(crate) fn write_guard(&self) -> Result<(), HeapError> {
        let g = self.guard.get();
        if g != 0 {
            return self.guard_slow(g);
        }
        Ok(())
    }

    #[cold]
    fn guard_slow(&self, g: u8) -> Result<(), HeapError> {
        if g & READONLY != 0 {
            return Err(HeapError::ReadOnly);
        }
        self.leave_chain();
        Ok(())
    }

    /// Enters this table in the `__index` chains the cache depends on.
    #[inline(always)]
    pub(crate) fn enter_chain(&self) {
        self.guard.set(self.guard.get() | IN_CHAIN);
    }

    /// If the table is in a cached `__index` chain, drops every chain
    /// cache entry (it is about to change) and takes it out.
    #[inline]
    pub(crate) fn leave_chain(&self) {
        let g = self.guard.get();
        if g & IN_CHAIN != 0 {
            chain_changed();
            self.guard.set(g & !IN_CHAIN);
        }
    }

    /// The metamethod-absence cache (bit `i` set: no field for fast
    /// metamethod `i`). The VM normally uses
    /// [`Heap::metamethod`](crate::Heap::metamethod) instead.
    #[inline]
    pub fn tm_flags(&self) -> u8 {
        self.flags.get()
    }

    /// Records that this table has no field for fast metamethod `tm`.
    #[inline]
    pub fn set_tm_absent(&self, tm: usize) {
        if tm < FAST_TMS {
            self.flags.set(self.flags.get() | (1 << tm));
        }
    }

    /// Whether the table is readonly (see [`Table::set_readonly`]).
    #[inline]
    pub fn is_readonly(&self) -> bool {
        self.guard.get() & READONLY != 0
    }

    /// Makes the table readonly or writable again. A readonly table
    /// refuses every write (raw or not, `setmetatable` included) with
    /// [`HeapError::ReadOnly`]; reads are unaffected. This is Redis 7's
    /// `lua_enablereadonlytable`, used by embedders to protect sandbox
    /// tables; plain Lua never sees it.
    #[inline]
    pub fn set_readonly(&self, on: bool) {
        let g = self.guard.get();
        self.guard
            .set(if on { g | READONLY } else { g & !READONLY });
    }

    // ---------------------------------------------------------------- reads

    /// Raw get (`rawget`): the value for `key`, `Nil` when absent.
    #[inline]
    pub fn get(&self, key: &Value) -> Value {
        *self.get_ref(key)
    }

    /// [`Table::get`] as a reference to the stored value (to a shared nil
    /// when the key is absent). The interpreter copies straight from the
    /// table into a register this way: a returned `Value` is spilled to a
    /// stack temporary in overlapping pieces whose reload stalls store
    /// forwarding.
    #[inline]
    pub fn get_ref(&self, key: &Value) -> &Value {
        match *key {
            Value::String(s) => self.get_str_ref(s),
            Value::Number(n) => self.get_num_ref(n),
            Value::Nil => &NIL,
            _ => self.get_generic_ref(key),
        }
    }

    /// Raw get by string key: compares handles only.
    #[inline]
    pub fn get_str(&self, s: StrRef) -> Value {
        *self.get_str_ref(s)
    }

    /// [`Table::get_str`] as a reference (see [`Table::get_ref`]).
    #[inline(always)]
    pub fn get_str_ref(&self, s: StrRef) -> &Value {
        let len = self.nodes.len();
        if len == 0 {
            return &NIL;
        }
        let want = kbits(s.key());
        let mut i = s.hash() as usize & (len - 1);
        loop {
            let n = &self.nodes[i];
            // Tag string and not dead, same handle.
            if n.key.bits == want && n.key.meta & (TAG_MASK | DEAD_BIT) == T_STR {
                return &n.val;
            }
            let next = n.key.next();
            if next == NO_NEXT {
                return &NIL;
            }
            i = next as usize;
        }
    }

    /// The value slot of string key `s`, if the key is present (not
    /// dead). Writing through it is a raw overwrite: the caller owes the
    /// barrier (see [`crate::Heap::table_set_str_fast`]).
    #[inline(always)]
    pub(crate) fn get_str_mut(&mut self, s: StrRef) -> Option<&mut Value> {
        let len = self.nodes.len();
        if len == 0 {
            return None;
        }
        let want = kbits(s.key());
        let mut i = s.hash() as usize & (len - 1);
        loop {
            let n = &self.nodes[i];
            if n.key.bits == want && n.key.meta & (TAG_MASK | DEAD_BIT) == T_STR {
                return Some(&mut self.nodes[i].val);
            }
            let next = n.key.next();
            if next == NO_NEXT {
                return None;
            }
            i = next as usize;
        }
    }

    /// Raw get by integer key (array part first).
    #[inline]
    pub fn get_int(&self, k: i64) -> Value {
        let i = (k as u64).wrapping_sub(1);
        if i < self.array.len() as u64 {
            return self.array[i as usize];
        }
        *self.get_num_hash(k as f64)
    }

    /// Raw get by number key.
    #[inline]
    pub fn get_num(&self, n: f64) -> Value {
        *self.get_num_ref(n)
    }

    #[inline]
    fn get_num_ref(&self, n: f64) -> &Value {
        if let Some(i) = array_index(n, self.array.len()) {
            return &self.array[i];
        }
        self.get_num_hash(n)
    }

    #[inline]
    fn get_num_hash(&self, n: f64) -> &Value {
        let len = self.nodes.len();
        if len == 0 {
            return &NIL;
        }
        let mut i = hash_num(n, len);
        loop {
            let node = &self.nodes[i];
            if node.key.meta & (TAG_MASK | DEAD_BIT) == T_NUM && f64::from_bits(node.key.bits) == n
            {
                return &node.val;
            }
            let next = node.key.next();
            if next == NO_NEXT {
                return &NIL;
            }
            i = next as usize;
        }
    }

    fn get_generic_ref(&self, key: &Value) -> &Value {
        match self.find_node(&Key::from_value(key)) {
            Some(i) => &self.nodes[i].val,
            None => &NIL,
        }
    }

    /// Index of the live node holding `key` (not for nil keys).
    #[inline]
    fn find_node(&self, key: &Key) -> Option<usize> {
        let len = self.nodes.len();
        if len == 0 {
            return None;
        }
        let mut i = key.main_position(len);
        loop {
            let n = &self.nodes[i];
            if n.key.same(key) && !n.key.is_dead() {
                return Some(i);
            }
            let next = n.key.next();
            if next == NO_NEXT {
                return None;
            }
            i = next as usize;
        }
    }

    /// Index of the node holding `key`, dead keys included (for `next`).
    fn find_node_for_next(&self, key: &Key) -> Option<usize> {
        let len = self.nodes.len();
        if len == 0 {
            return None;
        }
        let mut i = key.main_position(len);
        for _ in 0..len {
            let n = &self.nodes[i];
            if n.key.same(key) {
                return Some(i);
            }
            let next = n.key.next();
            if next == NO_NEXT {
                return None;
            }
            i = next as usize;
        }
        None
    }

    /// The border `#t` returns, found exactly as Lua 5.1's `luaH_getn`:
    /// a binary search in the array part if its last slot is nil, else an
    /// unbounded search through the hash part.
    pub fn border(&self) -> usize {
        let mut j = self.array.len();
        if j > 0 && self.array[j - 1].is_nil() {
            let mut i = 0;
            while j - i > 1 {
                let m = (i + j) / 2;
                if self.array[m - 1].is_nil() {
                    j = m;
                } else {
                    i = m;
                }
            }
            return i;
        }
        if self.nodes.is_empty() {
            return j;
        }
        self.unbound_search(j as u64) as usize
    }

    fn unbound_search(&self, j0: u64) -> u64 {
        let mut i = j0;
        let mut j = j0 + 1;
        while !self.get_int(j as i64).is_nil() {
            i = j;
            j *= 2;
            if j > MAX_INT {
                // Pathological keys: fall back to a linear search.
                let mut i = 1;
                while !self.get_int(i).is_nil() {
                    i += 1;
                }
                return (i - 1) as u64;
            }
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if self.get_int(m as i64).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    /// Lua's `next`: the entry after `key` (`Nil` starts the traversal),
    /// `Ok(None)` at the end, an error if `key` is not in the table.
    pub fn next(&self, key: &Value) -> Result<Option<(Value, Value)>, HeapError> {
        Ok(self
            .next_pos(key)?
            .map(|pos| (self.entry_key(pos), *self.entry_value(pos))))
    }

    /// [`Table::next`] as the position of the entry found (array slots
    /// first, then nodes), for callers that copy the entry straight out
    /// with [`Table::entry_key`] and [`Table::entry_value`].
    pub fn next_pos(&self, key: &Value) -> Result<Option<usize>, HeapError> {
        let asize = self.array.len();
        let start = match *key {
            Value::Nil => 0,
            Value::Number(n) if matches!(int_key(n), Some(k) if k >= 1 && k as usize <= asize) => {
                n as usize
            }
            _ => match self.find_node_for_next(&Key::from_value(key)) {
                Some(i) => asize + i + 1,
                None => return Err(HeapError::InvalidNextKey),
            },
        };
        if start < asize {
            for (i, v) in self.array[start..].iter().enumerate() {
                if !v.is_nil() {
                    return Ok(Some(start + i));
                }
            }
        }
        let from = start.saturating_sub(asize);
        if let Some(rest) = self.nodes.get(from..) {
            for (i, n) in rest.iter().enumerate() {
                if !n.val.is_nil() {
                    return Ok(Some(asize + from + i));
                }
            }
        }
        Ok(None)
    }

    /// True when position `pos` (see [`Table::next_pos`]) is in the array
    /// part, whose key is the number `pos + 1`.
    #[inline]
    pub fn pos_in_array(&self, pos: usize) -> bool {
        pos < self.array.len()
    }

    /// The key at position `pos` (see [`Table::next_pos`]); nil past the end.
    pub fn entry_key(&self, pos: usize) -> Value {
        let asize = self.array.len();
        if pos < asize {
            return Value::Number((pos + 1) as i64 as f64);
        }
        self.nodes
            .get(pos - asize)
            .map_or(Value::Nil, |n| n.key.value())
    }

    /// The value at position `pos` (see [`Table::next_pos`]); nil past the
    /// end.
    #[inline]
    pub fn entry_value(&self, pos: usize) -> &Value {
        let asize = self.array.len();
        if pos < asize {
            return &self.array[pos];
        }
        self.nodes.get(pos - asize).map_or(&NIL, |n| &n.val)
    }

    /// Raw get by integer key, as a reference (see [`Table::get_ref`]).
    #[inline]
    pub fn get_int_ref(&self, k: i64) -> &Value {
        let i = (k as u64).wrapping_sub(1);
        if i < self.array.len() as u64 {
            return &self.array[i as usize];
        }
        self.get_num_hash(k as f64)
    }

    /// Position-based iteration for the VM's own traversals: the entry at
    /// or after position `pos` (array slots first, then nodes), with the
    /// position to continue from. Positions are stable while no key is
    /// added.
    pub fn entry_at(&self, mut pos: usize) -> Option<(usize, Value, Value)> {
        let asize = self.array.len();
        while pos < asize {
            let v = self.array[pos];
            if !v.is_nil() {
                return Some((pos + 1, Value::Number((pos + 1) as i64 as f64), v));
            }
            pos += 1;
        }
        while let Some(n) = self.nodes.get(pos - asize) {
            if !n.val.is_nil() {
                return Some((pos + 1, n.key.value(), n.val));
            }
            pos += 1;
        }
        None
    }

    // --------------------------------------------------------------- writes

    /// The value slot for an existing `key` (array slot or live node).
    #[inline(always)]
    pub(crate) fn slot_mut(&mut self, key: &Value) -> Option<&mut Value> {
        match *key {
            Value::Number(n) => {
                let k = n as i64;
                if k as f64 == n {
                    let i = (k as u64).wrapping_sub(1);
                    if i < self.array.len() as u64 {
                        return self.array.get_mut(i as usize);
                    }
                }
                let i = self.find_node(&Key::from_value(key))?;
                Some(&mut self.nodes[i].val)
            }
            Value::String(s) => self.get_str_mut(s),
            Value::Nil => None,
            _ => {
                let i = self.find_node(&Key::from_value(key))?;
                Some(&mut self.nodes[i].val)
            }
        }
    }

    /// Raw set (`rawset`). Bytes the table grows by are checked against
    /// and counted in `mem`.
    #[inline]
    pub(crate) fn set(&mut self, key: Value, val: Value, mem: &mut Mem) -> Result<(), HeapError> {
        self.write_guard()?;
        self.set_writable(key, val, mem)
    }

    /// [`Table::set`] once the readonly flag has been checked.
    #[inline]
    fn set_writable(&mut self, key: Value, val: Value, mem: &mut Mem) -> Result<(), HeapError> {
        self.touch();
        if let Some(slot) = self.slot_mut(&key) {
            *slot = val;
            return Ok(());
        }
        self.insert_absent(key, val, mem)
    }

    /// Inserts `key`, which [`Table::slot_mut`] found absent, into a
    /// writable table (the key errors of a raw set apply).
    #[inline]
    pub(crate) fn insert_absent(
        &mut self,
        key: Value,
        val: Value,
        mem: &mut Mem,
    ) -> Result<(), HeapError> {
        self.touch();
        match key {
            Value::Nil => Err(HeapError::IndexIsNil),
            Value::Number(n) if n.is_nan() => Err(HeapError::IndexIsNaN),
            _ => self.insert_new(key, val, mem),
        }
    }

    /// Raw set by integer key.
    #[inline]
    pub(crate) fn set_int(&mut self, k: i64, val: Value, mem: &mut Mem) -> Result<(), HeapError> {
        self.write_guard()?;
        let i = (k as u64).wrapping_sub(1) as usize;
        if let Some(slot) = self.array.get_mut(i) {
            self.flags.set(0);
            *slot = val;
            return Ok(());
        }
        self.set_writable(Value::Number(k as f64), val, mem)
    }

    /// Inserts a key known to be absent, rehashing when no node is free.
    #[cold]
    fn insert_new(&mut self, key: Value, val: Value, mem: &mut Mem) -> Result<(), HeapError> {
        if self.new_key(key, val) {
            return Ok(());
        }
        self.rehash(&key, mem)?;
        if let Some(slot) = self.slot_mut(&key) {
            *slot = val;
            return Ok(());
        }
        if self.new_key(key, val) {
            Ok(())
        } else {
            // The rehash always leaves room; this is unreachable.
            Err(HeapError::TableOverflow)
        }
    }

    /// Takes the next free node below the cursor.
    fn free_pos(&mut self) -> Option<usize> {
        while self.lastfree > 0 {
            self.lastfree -= 1;
            let i = self.lastfree as usize;
            if self.nodes.get(i).is_some_and(|n| n.key.is_nil()) {
                return Some(i);
            }
        }
        None
    }

    /// Places an absent key by the main-position rules; false if a rehash
    /// is needed first.
    fn new_key(&mut self, key: Value, val: Value) -> bool {
        let len = self.nodes.len();
        if len == 0 {
            return false;
        }
        let k = Key::from_value(&key);
        let mut mp = k.main_position(len);
        if !self.nodes[mp].val.is_nil() {
            let Some(f) = self.free_pos() else {
                return false;
            };
            let other = self.nodes[mp].key.main_position(len);
            if other != mp {
                // The colliding node is out of its main position: move it
                // to the free node and relink its predecessor.
                let mut prev = other;
                let mut guard = 0;
                while self.nodes[prev].key.next() != mp as u32 {
                    prev = self.nodes[prev].key.next() as usize;
                    guard += 1;
                    if prev >= len || guard > len {
                        return false;
                    }
                }
                self.nodes[prev].key.set_next(f as u32);
                self.nodes[f] = self.nodes[mp];
                self.nodes[mp].key.set_next(NO_NEXT);
                self.nodes[mp].val = Value::Nil;
            } else {
                // The colliding node is in its main position: chain the new
                // key through the free node.
                let mp_next = self.nodes[mp].key.next();
                self.nodes[f].key.set_next(mp_next);
                self.nodes[mp].key.set_next(f as u32);
                mp = f;
            }
        }
        let n = &mut self.nodes[mp];
        n.key.set_key(&k);
        n.val = val;
        true
    }

    /// Integer keys in the array part, counted per power-of-two slice.
    fn num_use_array(&self, nums: &mut [usize; MAXBITS + 1]) -> usize {
        let size = self.array.len();
        let mut ause = 0;
        let mut i = 1usize;
        let mut ttlg = 1usize;
        for slot in nums.iter_mut() {
            let mut lim = ttlg;
            if lim > size {
                lim = size;
                if i > lim {
                    break;
                }
            }
            let mut lc = 0;
            while i <= lim {
                if !self.array[i - 1].is_nil() {
                    lc += 1;
                }
                i += 1;
            }
            *slot += lc;
            ause += lc;
            ttlg *= 2;
        }
        ause
    }

    fn num_use_hash(&self, nums: &mut [usize; MAXBITS + 1], nasize: &mut usize) -> usize {
        let mut total = 0;
        let mut ause = 0;
        for n in self.nodes.iter().rev() {
            if !n.val.is_nil() {
                if count_int(&n.key.value(), nums) {
                    ause += 1;
                }
                total += 1;
            }
        }
        *nasize += ause;
        total
    }

    fn rehash(&mut self, extra: &Value, mem: &mut Mem) -> Result<(), HeapError> {
        let mut nums = [0usize; MAXBITS + 1];
        let mut nasize = self.num_use_array(&mut nums);
        let mut total = nasize;
        total += self.num_use_hash(&mut nums, &mut nasize);
        if count_int(extra, &mut nums) {
            nasize += 1;
        }
        total += 1;
        let na = compute_sizes(&nums, &mut nasize);
        self.resize(nasize, total - na, mem)
    }

    /// Resizes both parts (Lua 5.1's `luaH_resize`) and re-inserts.
    pub(crate) fn resize(
        &mut self,
        nasize: usize,
        nhsize: usize,
        mem: &mut Mem,
    ) -> Result<(), HeapError> {
        if nasize > MAXASIZE {
            return Err(HeapError::TableOverflow);
        }
        let nn = node_count_for(nhsize)?;
        let old_bytes = self.buf_bytes();
        let new_bytes = Self::parts_bytes(nasize, nn);
        mem.check_resize(old_bytes, new_bytes)?;
        let new_nodes = try_vec(nn, EMPTY_NODE)?;
        let old_asize = self.array.len();
        let mut vanishing: Vec<Value> = Vec::new();
        if nasize != old_asize {
            // Resize in place: growing reallocates (glibc moves large
            // blocks with mremap, without copying or touching new pages
            // twice), as Lua 5.1's luaM_reallocvector does.
            let mut arr = std::mem::take(&mut self.array).into_vec();
            if nasize > old_asize {
                if arr.try_reserve_exact(nasize - old_asize).is_err() {
                    self.array = arr.into_boxed_slice();
                    return Err(HeapError::OutOfMemory);
                }
                arr.resize(nasize, Value::Nil);
            } else {
                vanishing.extend_from_slice(&arr[nasize..]);
                arr.truncate(nasize);
            }
            self.array = arr.into_boxed_slice();
        }
        let old_nodes = std::mem::replace(&mut self.nodes, new_nodes);
        self.lastfree = nn as u32;
        self.resizes = self.resizes.wrapping_add(1);
        mem.resized(old_bytes, new_bytes);
        for (j, v) in vanishing.into_iter().enumerate() {
            if !v.is_nil() {
                let key = Value::Number((nasize + j + 1) as f64);
                self.reinsert(key, v);
            }
        }
        for n in old_nodes.iter().rev() {
            if !n.val.is_nil() {
                self.reinsert(n.key.value(), n.val);
            }
        }
        Ok(())
    }

    fn reinsert(&mut self, key: Value, val: Value) {
        if let Some(slot) = self.slot_mut(&key) {
            *slot = val;
        } else {
            let placed = self.new_key(key, val);
            debug_assert!(placed, "rehash left no room");
        }
    }
}

/// Counts `key` in its power-of-two slice if it is a candidate array index.
fn count_int(key: &Value, nums: &mut [usize; MAXBITS + 1]) -> bool {
    if let Value::Number(n) = *key {
        if let Some(k) = int_key(n) {
            if k >= 1 && k as usize <= MAXASIZE {
                nums[ceil_log2(k as usize)] += 1;
                return true;
            }
        }
    }
    false
}

/// Chooses the array size: the largest power of two `n` such that more
/// than `n/2` of the integer keys `1..=n` are present. Returns how many
/// keys go to the array part; `narray` becomes the size.
fn compute_sizes(nums: &[usize; MAXBITS + 1], narray: &mut usize) -> usize {
    let mut a = 0;
    let mut na = 0;
    let mut n = 0;
    let mut twotoi = 1usize;
    let mut i = 0;
    while twotoi / 2 < *narray {
        let Some(&c) = nums.get(i) else { break };
        if c > 0 {
            a += c;
            if a > twotoi / 2 {
                n = twotoi;
                na = a;
            }
        }
        i += 1;
        twotoi *= 2;
    }
    *narray = n;
    na
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(ceil_log2(1), 0);
        assert_eq!(ceil_log2(2), 1);
        assert_eq!(ceil_log2(3), 2);
        assert_eq!(ceil_log2(4), 2);
        assert_eq!(ceil_log2(5), 3);
        assert_eq!(node_count_for(0), Ok(0));
        assert_eq!(node_count_for(3), Ok(4));
        assert_eq!(NODE_BYTES, 32);
    }

    #[test]
    fn int_keys() {
        assert_eq!(int_key(1.0), Some(1));
        assert_eq!(int_key(-0.0), Some(0));
        assert_eq!(int_key(1.5), None);
        assert_eq!(int_key(2147483647.0), Some(2147483647));
        assert_eq!(int_key(2147483648.0), None);
        assert_eq!(int_key(f64::NAN), None);
    }
}
