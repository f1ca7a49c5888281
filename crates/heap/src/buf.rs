//! Scratch byte buffers charged to a heap's memory limit.
//!
//! Natives build their results (`string.rep`, `gsub`, `table.concat`,
//! `..`, the text `load` reads from a function) in a byte buffer before
//! interning it. Those buffers can grow as large as a script asks, so
//! each growth is reserved fallibly (`try_reserve`: the process never
//! aborts on a failed allocation) and checked against the heap's limit
//! together with the heap's objects first. The bytes are counted as
//! *transient* while the buffer lives: a shared counter the buffer gives
//! back when it is dropped, whichever way the native returns (a result,
//! a Lua error, an interrupt). [`crate::Heap::intern_buf`] turns a buffer
//! into a string without copying it, so the limit sees its bytes once.

use std::cell::Cell;
use std::rc::Rc;

use crate::mem::Mem;
use crate::{Heap, HeapError, Types};

/// A growable byte buffer whose capacity is charged to a heap (see the
/// module doc). Made by [`crate::Heap::buf`].
pub struct Buf {
    bytes: Vec<u8>,
    /// Bytes counted in `pool` for this buffer (its capacity).
    charged: usize,
    pool: Rc<Cell<usize>>,
}

impl Buf {
    pub(crate) fn new(mem: &Mem) -> Buf {
        Buf::from_vec(mem, Vec::new())
    }

    /// Adopts `bytes` (emptied; its capacity is charged as it is).
    pub(crate) fn from_vec(mem: &Mem, mut bytes: Vec<u8>) -> Buf {
        bytes.clear();
        let mut b = Buf {
            bytes,
            charged: 0,
            pool: mem.transient.clone(),
        };
        b.recharge();
        b
    }

    /// The bytes written so far.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes written so far, to edit in place.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.bytes
    }

    /// Number of bytes written so far.
    #[inline]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// True when nothing has been written.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Empties the buffer (its capacity stays reserved).
    #[inline]
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    /// Shortens the buffer to `len` bytes.
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        self.bytes.truncate(len);
    }

    /// Makes room for `extra` more bytes: at least doubling the capacity
    /// when the limit allows, else exactly what is needed.
    #[inline]
    pub fn reserve<T: Types>(&mut self, heap: &Heap<T>, extra: usize) -> Result<(), HeapError> {
        self.reserve_in(&heap.gc.mem, extra)
    }

    #[inline]
    fn reserve_in(&mut self, mem: &Mem, extra: usize) -> Result<(), HeapError> {
        if self.bytes.capacity() - self.bytes.len() >= extra {
            return Ok(());
        }
        self.grow(mem, extra)
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, mem: &Mem, extra: usize) -> Result<(), HeapError> {
        let len = self.bytes.len();
        let need = len.checked_add(extra).ok_or(HeapError::OutOfMemory)?;
        let cap = self.bytes.capacity();
        // At most what the limit leaves (with everything else counted);
        // at least what is needed.
        let most = cap.saturating_add(mem.available());
        if need > most {
            return Err(HeapError::OutOfMemory);
        }
        // Double; when that cannot be allocated, grow by a half, a
        // quarter, an eighth, never by less (growing one append at a time
        // near the end would copy the buffer on every append), except up
        // to the limit's ceiling.
        let mut step = cap.max(64);
        loop {
            let target = need.max(cap.saturating_add(step)).min(most);
            if self.bytes.try_reserve_exact(target - len).is_ok() {
                self.recharge();
                return Ok(());
            }
            step /= 2;
            if target == most || step < cap / 8 || step == 0 {
                return Err(HeapError::OutOfMemory);
            }
        }
    }

    /// Brings the shared count in line with the capacity.
    fn recharge(&mut self) {
        let cap = self.bytes.capacity();
        let pool = self.pool.get();
        self.pool
            .set(pool.saturating_sub(self.charged).saturating_add(cap));
        self.charged = cap;
    }

    /// Appends `b`.
    #[inline]
    pub fn extend<T: Types>(&mut self, heap: &Heap<T>, b: &[u8]) -> Result<(), HeapError> {
        self.reserve_in(&heap.gc.mem, b.len())?;
        self.bytes.extend_from_slice(b);
        Ok(())
    }

    /// Appends one byte.
    #[inline]
    pub fn push<T: Types>(&mut self, heap: &Heap<T>, b: u8) -> Result<(), HeapError> {
        self.reserve_in(&heap.gc.mem, 1)?;
        self.bytes.push(b);
        Ok(())
    }

    /// Appends `n` copies of `b`.
    pub fn fill<T: Types>(&mut self, heap: &Heap<T>, b: u8, n: usize) -> Result<(), HeapError> {
        self.reserve_in(&heap.gc.mem, n)?;
        self.bytes.resize(self.bytes.len() + n, b);
        Ok(())
    }

    /// Appends bytes already in the buffer (`range` of it), for
    /// repetitions.
    pub fn extend_from_within<T: Types>(
        &mut self,
        heap: &Heap<T>,
        range: std::ops::Range<usize>,
    ) -> Result<(), HeapError> {
        if range.start > range.end || range.end > self.bytes.len() {
            return Ok(());
        }
        self.reserve_in(&heap.gc.mem, range.end - range.start)?;
        self.bytes.extend_from_within(range);
        Ok(())
    }

    /// The bytes, uncharged: the caller now owns their accounting (the
    /// drop of `self` gives the charge back).
    pub fn into_vec(mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}

/// Bytes counted in a heap's `used` (what `collectgarbage("count")` shows
/// and the collector paces on) for as long as this lives, for memory an
/// object of the embedder owns outside the heap's arenas: a loaded
/// function prototype, kept alive by its closures. Dropping it hands the
/// bytes back at the collector's next step. Made by
/// [`crate::Heap::charge_owned`].
pub struct OwnedCharge {
    charged: usize,
    pool: Rc<Cell<usize>>,
}

impl OwnedCharge {
    pub(crate) fn new(mem: &mut Mem, n: usize) -> Result<OwnedCharge, HeapError> {
        mem.alloc(n)?;
        Ok(OwnedCharge {
            charged: n,
            pool: mem.released.clone(),
        })
    }

    /// The bytes charged.
    pub fn bytes(&self) -> usize {
        self.charged
    }
}

impl Drop for OwnedCharge {
    fn drop(&mut self) {
        self.pool.set(self.pool.get().saturating_add(self.charged));
    }
}

/// Bytes charged to a heap's limit for as long as this lives, for memory
/// the heap does not own (a parse tree, compiler output). Made by
/// [`crate::Heap::reserve_transient`].
pub struct Reservation {
    charged: usize,
    pool: Rc<Cell<usize>>,
}

impl Reservation {
    pub(crate) fn new(mem: &Mem, n: usize) -> Result<Reservation, HeapError> {
        mem.check(n)?;
        mem.transient.set(mem.transient.get().saturating_add(n));
        Ok(Reservation {
            charged: n,
            pool: mem.transient.clone(),
        })
    }

    /// The bytes reserved.
    pub fn bytes(&self) -> usize {
        self.charged
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.pool.set(self.pool.get().saturating_sub(self.charged));
    }
}

impl Drop for Buf {
    fn drop(&mut self) {
        self.pool.set(self.pool.get().saturating_sub(self.charged));
    }
}

impl std::fmt::Debug for Buf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Buf")
            .field("len", &self.bytes.len())
            .field("charged", &self.charged)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestTypes;
    use crate::{Heap, HeapError};

    #[test]
    fn buffers_count_against_the_limit_while_they_live() {
        let mut heap: Heap<TestTypes> = Heap::new();
        let base = heap.bytes_in_use();
        heap.set_memory_limit(Some(base + (1 << 20)));
        let mut a = heap.buf_with_capacity(600 << 10).expect("fits");
        a.extend(&heap, &[b'x'; 1000]).expect("fits");
        // A second buffer and a new string see the first one's bytes.
        assert_eq!(
            heap.buf_with_capacity(600 << 10).map(|_| ()),
            Err(HeapError::OutOfMemory)
        );
        assert_eq!(
            heap.intern(&[b'y'; 500 << 10]).map(|_| ()),
            Err(HeapError::OutOfMemory)
        );
        // Dropping it gives the bytes back, whatever path dropped it.
        drop(a);
        let b = heap.buf_with_capacity(600 << 10).expect("fits again");
        drop(b);
        // A buffer turned into a string is counted once, as the string.
        let mut c = heap.buf();
        c.fill(&heap, b'z', 700 << 10).expect("fits");
        let s = heap.intern_buf(c).expect("interned without a copy");
        assert_eq!(heap.str_bytes(s).map(|b| b.len()), Some(700 << 10));
        assert!(heap.bytes_in_use() >= base + (700 << 10));
        assert_eq!(
            heap.buf_with_capacity(400 << 10).map(|_| ()),
            Err(HeapError::OutOfMemory)
        );
    }

    #[test]
    fn impossible_sizes_fail_without_aborting() {
        let heap: Heap<TestTypes> = Heap::new();
        let mut b = heap.buf();
        assert_eq!(b.reserve(&heap, usize::MAX), Err(HeapError::OutOfMemory));
        assert_eq!(
            b.reserve(&heap, isize::MAX as usize - 8),
            Err(HeapError::OutOfMemory)
        );
        assert!(b.is_empty());
        b.extend(&heap, b"ok").expect("small growth works");
        assert_eq!(b.as_slice(), b"ok");
    }
}
