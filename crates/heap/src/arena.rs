//! Object storage: slotmap arenas plus the per-slot GC metadata.
//!
//! Every kind of object lives in its own [`Objects`] arena (a slotmap). The
//! collector's metadata for a slot (the key's version and the slot's color
//! byte) lives apart from the objects, in a `Meta` indexed by slot index.
//! Keeping colors outside the objects is what lets the marker set the color
//! of any object while another object of the same arena is borrowed for
//! tracing, and it gives the sweeper a resumable cursor: it walks slot
//! indexes, rebuilding each live key from the recorded version.

use slotmap::{Key, KeyData, SlotMap};

/// Color bits, as in Lua 5.1: two whites (the current one flips at the end
/// of each mark phase), black, and gray meaning "neither white nor black".
pub(crate) const WHITE0: u8 = 1;
pub(crate) const WHITE1: u8 = 2;
pub(crate) const WHITES: u8 = WHITE0 | WHITE1;
pub(crate) const BLACK: u8 = 4;
/// Never collected (interned names the VM and heap rely on).
pub(crate) const FIXED: u8 = 8;
/// Userdata whose `__gc` has been dealt with (queued or found absent).
pub(crate) const FINALIZED: u8 = 16;
/// Userdata present in the finalizer candidate list.
pub(crate) const CANDIDATE: u8 = 32;

/// Splits a key into its slot index and version.
#[inline(always)]
pub(crate) fn split_key<K: Key>(k: K) -> (usize, u32) {
    let f = k.data().as_ffi();
    ((f & 0xffff_ffff) as usize, (f >> 32) as u32)
}

/// Rebuilds a key from a slot index and the version recorded for it.
#[inline]
pub(crate) fn make_key<K: Key>(idx: usize, version: u32) -> K {
    KeyData::from_ffi(((version as u64) << 32) | idx as u64).into()
}

/// Bytes one slot of a `SlotMap<_, V>` occupies (value or free link, plus
/// the 32-bit version), plus our 5 bytes of metadata.
pub(crate) const fn slot_bytes<V>() -> usize {
    let size = if std::mem::size_of::<V>() > 4 {
        std::mem::size_of::<V>()
    } else {
        4
    };
    let align = if std::mem::align_of::<V>() > 4 {
        std::mem::align_of::<V>()
    } else {
        4
    };
    (size + 4).div_ceil(align) * align + META_BYTES
}

/// Metadata bytes per slot: a u32 version and a u8 color.
pub(crate) const META_BYTES: usize = 5;

/// GC metadata of one arena, indexed by slot index.
#[derive(Default)]
pub(crate) struct Meta {
    /// Version of the live key at each index, 0 if the slot is free.
    pub versions: Vec<u32>,
    /// Color byte of each slot.
    pub colors: Vec<u8>,
}

impl Meta {
    /// Records a new object's slot. Inlined into the allocators: the
    /// common case (a slot index the metadata already covers, as every
    /// reused slot is) is two stores; growing the vectors is out of line.
    #[inline]
    pub fn insert(&mut self, idx: usize, version: u32, color: u8) {
        match (self.versions.get_mut(idx), self.colors.get_mut(idx)) {
            (Some(v), Some(c)) => {
                *v = version;
                *c = color;
            }
            _ => self.insert_grow(idx, version, color),
        }
    }

    #[cold]
    #[inline(never)]
    fn insert_grow(&mut self, idx: usize, version: u32, color: u8) {
        if idx >= self.versions.len() {
            self.versions.resize(idx + 1, 0);
        }
        if idx >= self.colors.len() {
            self.colors.resize(idx + 1, 0);
        }
        self.versions[idx] = version;
        self.colors[idx] = color;
    }

    pub fn remove(&mut self, idx: usize) {
        if let Some(v) = self.versions.get_mut(idx) {
            *v = 0;
        }
        if let Some(c) = self.colors.get_mut(idx) {
            *c = 0;
        }
    }

    /// The color of the object `k` names, `None` if the handle is stale.
    #[inline(always)]
    pub fn color<K: Key>(&self, k: K) -> Option<u8> {
        let (i, v) = split_key(k);
        match self.versions.get(i) {
            Some(&ver) if ver == v => self.colors.get(i).copied(),
            _ => None,
        }
    }

    /// Mutable color of the object `k` names, `None` if the handle is stale.
    #[inline(always)]
    pub fn color_mut<K: Key>(&mut self, k: K) -> Option<&mut u8> {
        let (i, v) = split_key(k);
        match self.versions.get(i) {
            Some(&ver) if ver == v => self.colors.get_mut(i),
            _ => None,
        }
    }
}

/// An arena of one kind of object. Reading is open to everyone; inserting
/// and removing go through the [`Heap`](crate::Heap) so that accounting and
/// GC metadata stay right.
pub struct Objects<K: Key, V> {
    pub(crate) map: SlotMap<K, V>,
}

impl<K: Key, V> Default for Objects<K, V> {
    fn default() -> Self {
        Objects {
            map: SlotMap::with_key(),
        }
    }
}

impl<K: Key, V> Objects<K, V> {
    /// The object `k` names, `None` if the handle is stale.
    #[inline(always)]
    pub fn get(&self, k: K) -> Option<&V> {
        self.map.get(k)
    }
    /// The object `k` names, without checking the handle.
    ///
    /// # Safety
    ///
    /// `k` names a live object of this arena (issued by it and not yet
    /// removed).
    #[inline(always)]
    pub unsafe fn get_unchecked(&self, k: K) -> &V {
        debug_assert!(self.map.contains_key(k));
        // SAFETY: the caller guarantees that `k` is live.
        unsafe { self.map.get_unchecked(k) }
    }
    /// Mutable access without checking the handle; the barrier duty of
    /// [`Objects::get_mut`].
    ///
    /// # Safety
    ///
    /// `k` names a live object of this arena (issued by it and not yet
    /// removed).
    #[inline(always)]
    pub unsafe fn get_unchecked_mut(&mut self, k: K) -> &mut V {
        debug_assert!(self.map.contains_key(k));
        // SAFETY: the caller guarantees that `k` is live.
        unsafe { self.map.get_unchecked_mut(k) }
    }
    /// Mutable access. For VM-defined objects, storing a reference into an
    /// object obliges the caller to call the matching barrier
    /// ([`Heap::barrier_fn`](crate::Heap::barrier_fn) and friends).
    #[inline(always)]
    pub fn get_mut(&mut self, k: K) -> Option<&mut V> {
        self.map.get_mut(k)
    }
    /// Mutable access to two distinct objects at once (`None` if a handle
    /// is stale or both name the same object). Same barrier duty as
    /// [`Objects::get_mut`].
    #[inline]
    pub fn get2_mut(&mut self, a: K, b: K) -> Option<[&mut V; 2]> {
        self.map.get_disjoint_mut([a, b])
    }
    /// True when `k` names a live object.
    #[inline]
    pub fn contains(&self, k: K) -> bool {
        self.map.contains_key(k)
    }
    /// Number of live objects.
    #[inline]
    pub fn len(&self) -> usize {
        self.map.len()
    }
    /// True when no object is live.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// Iterates over all live objects (in slot order).
    pub fn iter(&self) -> impl Iterator<Item = (K, &V)> {
        self.map.iter()
    }
    /// Number of slots the arena holds (live or free). Slotmaps never give
    /// memory back; freed slots are reused by later allocations.
    pub fn slots(&self) -> usize {
        self.map.capacity()
    }

    /// Inserts and registers the new slot in `meta`.
    pub(crate) fn insert(&mut self, meta: &mut Meta, v: V, color: u8) -> K {
        let k = self.map.insert(v);
        let (i, ver) = split_key(k);
        meta.insert(i, ver, color);
        k
    }

    pub(crate) fn remove(&mut self, meta: &mut Meta, k: K) -> Option<V> {
        let v = self.map.remove(k)?;
        meta.remove(split_key(k).0);
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrous_value::TableRef;

    #[test]
    fn key_layout_round_trips() {
        let mut sm: SlotMap<TableRef, u8> = SlotMap::with_key();
        let mut keys = Vec::new();
        for i in 0..10 {
            keys.push(sm.insert(i));
        }
        sm.remove(keys[3]);
        let k = sm.insert(99);
        for k in keys.iter().copied().chain([k]) {
            let (i, v) = split_key(k);
            let back: TableRef = make_key(i, v);
            assert_eq!(back, k);
        }
        assert_eq!(split_key(k).0, split_key(keys[3]).0, "freed slot reused");
        assert_ne!(split_key(k).1, split_key(keys[3]).1, "with a new version");
    }
}
