//! [`UpvalList`]: the upvalue handles of a Lua closure in one pointer.
//!
//! A boxed slice is two words (pointer and length); with the prototype and
//! the environment beside it a closure object is four words, and with the
//! arena's version and padding its slot was 40 bytes. Keeping the length in
//! the allocation instead makes the closure three words (a 32-byte slot).

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use ferrous_value::UpvalRef;

// The handles follow a 4-byte length: they must not need more alignment.
const _: () = assert!(std::mem::align_of::<UpvalRef>() <= 4);
const _: () = assert!(std::mem::size_of::<UpvalRef>() == 8);

/// Offset of the first handle: the length is a `u32` before it.
const HEADER: usize = 4;

/// The upvalue handles of a Lua closure: a thin pointer to a `u32` length
/// followed by the handles, so a list of `n > 0` handles owns `4 + 8n`
/// bytes ([`UpvalList::heap_bytes`]) and the empty list owns nothing.
/// Dereferences to a slice of handles.
pub struct UpvalList {
    ptr: Option<NonNull<u32>>,
}

#[cold]
fn capacity_overflow() -> ! {
    panic!("capacity overflow")
}

/// Layout of a list of `n > 0` handles.
fn layout(n: usize) -> Layout {
    if n > u32::MAX as usize {
        capacity_overflow();
    }
    match Layout::array::<UpvalRef>(n).and_then(|a| Layout::new::<u32>().extend(a)) {
        Ok((l, off)) if off == HEADER => l,
        _ => capacity_overflow(),
    }
}

impl UpvalList {
    /// A list of `n` null handles (to overwrite before use).
    pub fn new(n: usize) -> UpvalList {
        if n == 0 {
            return UpvalList { ptr: None };
        }
        let l = layout(n);
        // SAFETY: `l` has a nonzero size (at least 4 + 8 bytes).
        let raw = unsafe { alloc(l) };
        let Some(p) = NonNull::new(raw.cast::<u32>()) else {
            handle_alloc_error(l)
        };
        // SAFETY: the allocation holds a u32 at offset 0 and `n` handles
        // from offset HEADER, both suitably aligned (align 4); every one
        // is initialized here before the list is used.
        unsafe {
            p.as_ptr().write(n as u32);
            let items = raw.add(HEADER).cast::<UpvalRef>();
            for i in 0..n {
                items.add(i).write(UpvalRef::default());
            }
        }
        UpvalList { ptr: Some(p) }
    }

    /// A list holding a copy of `s`.
    pub fn from_slice(s: &[UpvalRef]) -> UpvalList {
        let mut l = UpvalList::new(s.len());
        l.copy_from_slice(s);
        l
    }

    /// The list as a thin pointer that does not own it, for a reader that
    /// keeps the list alive by other means (the VM's call frames).
    #[inline(always)]
    pub fn as_ptr(&self) -> UpvalListPtr {
        UpvalListPtr(self.ptr)
    }

    /// Bytes the list owns outside its owner (what the heap charges).
    #[inline]
    pub fn heap_bytes(&self) -> usize {
        match self.len() {
            0 => 0,
            n => HEADER + n * std::mem::size_of::<UpvalRef>(),
        }
    }
}

/// A borrowed [`UpvalList`] as one word: null for the empty list, else
/// the list's allocation (its length followed by the handles). It does not
/// keep the list alive; reading through it is `unsafe` for that reason.
#[derive(Clone, Copy, Debug)]
pub struct UpvalListPtr(Option<NonNull<u32>>);

impl UpvalListPtr {
    /// The pointer of an empty list.
    pub const EMPTY: UpvalListPtr = UpvalListPtr(None);

    /// Handle `i` of the list, `None` past its end.
    ///
    /// # Safety
    ///
    /// The [`UpvalList`] this pointer came from must still be alive (not
    /// dropped; it is never resized, so its length and handles stay where
    /// they were).
    #[inline(always)]
    pub unsafe fn get(self, i: usize) -> Option<UpvalRef> {
        let p = self.0?;
        // SAFETY: the caller guarantees the list is alive; a non-empty list
        // points at its length followed by that many initialized handles
        // (see `UpvalList::new`), and `i` is checked against the length.
        unsafe {
            let n = p.as_ptr().read() as usize;
            if i >= n {
                return None;
            }
            let items = p.as_ptr().cast::<u8>().add(HEADER).cast::<UpvalRef>();
            Some(items.add(i).read())
        }
    }
}

impl UpvalListPtr {
    /// Handle `i` of the list, without checking `i` against its length.
    ///
    /// # Safety
    ///
    /// As for [`UpvalListPtr::get`], and `i` is below the list's length
    /// (so the list is not empty).
    #[inline(always)]
    pub unsafe fn get_unchecked(self, i: usize) -> UpvalRef {
        // SAFETY: the caller guarantees a live list longer than `i`: not
        // the empty list's null, and its `i`-th handle is initialised.
        unsafe {
            let p = self.0.unwrap_unchecked();
            debug_assert!(i < p.as_ptr().read() as usize);
            let items = p.as_ptr().cast::<u8>().add(HEADER).cast::<UpvalRef>();
            items.add(i).read()
        }
    }
}

impl Deref for UpvalList {
    type Target = [UpvalRef];
    #[inline(always)]
    fn deref(&self) -> &[UpvalRef] {
        match self.ptr {
            None => &[],
            // SAFETY: a non-empty list points at its length followed by
            // that many initialized handles (see `new`), owned by `self`.
            Some(p) => unsafe {
                let n = p.as_ptr().read() as usize;
                let items = p.as_ptr().cast::<u8>().add(HEADER).cast::<UpvalRef>();
                std::slice::from_raw_parts(items, n)
            },
        }
    }
}

impl DerefMut for UpvalList {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [UpvalRef] {
        match self.ptr {
            None => &mut [],
            // SAFETY: as in `deref`; `&mut self` makes the access unique.
            Some(p) => unsafe {
                let n = p.as_ptr().read() as usize;
                let items = p.as_ptr().cast::<u8>().add(HEADER).cast::<UpvalRef>();
                std::slice::from_raw_parts_mut(items, n)
            },
        }
    }
}

impl Drop for UpvalList {
    fn drop(&mut self) {
        if let Some(p) = self.ptr {
            // SAFETY: `p` was allocated in `new` with `layout(n)` for the
            // length stored at its start.
            unsafe {
                let n = p.as_ptr().read() as usize;
                dealloc(p.as_ptr().cast::<u8>(), layout(n));
            }
        }
    }
}

impl std::fmt::Debug for UpvalList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_hold_and_give_back_their_handles() {
        let e = UpvalList::new(0);
        assert!(e.is_empty());
        assert_eq!(e.heap_bytes(), 0);
        let mut sm: slotmap::SlotMap<UpvalRef, ()> = slotmap::SlotMap::with_key();
        let keys: Vec<UpvalRef> = (0..5).map(|_| sm.insert(())).collect();
        for n in 1..=5 {
            let mut l = UpvalList::from_slice(&keys[..n]);
            assert_eq!(&l[..], &keys[..n]);
            assert_eq!(l.heap_bytes(), 4 + 8 * n);
            l[0] = keys[4];
            assert_eq!(l[0], keys[4]);
            assert_eq!(
                UpvalList::new(n)
                    .iter()
                    .filter(|k| **k == UpvalRef::default())
                    .count(),
                n
            );
        }
        assert_eq!(std::mem::size_of::<UpvalList>(), 8);
    }
}
