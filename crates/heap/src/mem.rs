//! Memory accounting: the byte count `collectgarbage("count")` reports,
//! the optional limit, and the collector's debt bookkeeping.

use std::cell::Cell;
use std::rc::Rc;

use crate::HeapError;

/// Byte counters of one heap.
#[derive(Debug, Clone)]
pub(crate) struct Mem {
    /// Bytes the heap owns now.
    pub used: usize,
    /// Allocations that would take `used` above this fail.
    pub limit: usize,
    /// A step is due when `used >= threshold` (Lua's `GCthreshold`).
    pub threshold: usize,
    /// Bytes believed live after the last mark phase (Lua's `estimate`).
    pub estimate: usize,
    /// Work owed by the mutator (Lua's `gcdept`).
    pub debt: isize,
    /// Capacity of the live [`crate::Buf`]s (scratch buffers natives
    /// build results in), shared with them so that dropping one gives its
    /// bytes back whatever path the native leaves by. Counted against
    /// the limit, not in `used` (they are not objects).
    pub transient: Rc<Cell<usize>>,
    /// Bytes of [`crate::OwnedCharge`]s dropped since the collector last
    /// settled them (they are in `used` until then): the charges live in
    /// objects the VM frees during a sweep, outside the heap's reach.
    pub released: Rc<Cell<usize>>,
}

impl Mem {
    pub fn new() -> Mem {
        Mem {
            used: 0,
            limit: usize::MAX,
            threshold: usize::MAX,
            estimate: 0,
            debt: 0,
            transient: Rc::new(Cell::new(0)),
            released: Rc::new(Cell::new(0)),
        }
    }

    /// The highest collection threshold allowed with `live` bytes live:
    /// half-way from `live` to the limit, so a cycle started there ends
    /// before the mutator reaches the limit (no cap without a limit).
    pub fn limit_cap(&self, live: usize) -> usize {
        if self.limit == usize::MAX {
            return usize::MAX;
        }
        let live = live.min(self.limit);
        live + (self.limit - live) / 2
    }

    /// Where an emergency collection starts: 7/8 of the limit.
    pub fn emergency_line(&self) -> usize {
        if self.limit == usize::MAX {
            usize::MAX
        } else {
            self.limit - self.limit / 8
        }
    }

    /// True when the heap (with its scratch buffers) is past
    /// [`Mem::emergency_line`].
    #[inline]
    pub fn near_limit(&self) -> bool {
        self.used.saturating_add(self.transient.get()) >= self.emergency_line()
    }

    /// Takes the bytes of dropped [`crate::OwnedCharge`]s out of `used`
    /// (and out of the live estimate: they were freed by a sweep).
    pub fn settle_released(&mut self) {
        let r = self.released.replace(0);
        if r > 0 {
            self.used = self.used.saturating_sub(r);
            self.estimate = self.estimate.saturating_sub(r);
        }
    }

    /// Bytes that can still be allocated under the limit.
    pub fn available(&self) -> usize {
        self.limit
            .saturating_sub(self.transient.get())
            .saturating_sub(self.used)
    }

    /// Fails if `n` more bytes would pass the limit.
    #[inline(always)]
    pub fn check(&self, n: usize) -> Result<(), HeapError> {
        match self.used.checked_add(n) {
            Some(t) if t <= self.limit.saturating_sub(self.transient.get()) => Ok(()),
            _ => Err(HeapError::OutOfMemory),
        }
    }

    /// Counts `n` new bytes, failing (and counting nothing) past the limit.
    #[inline(always)]
    pub fn alloc(&mut self, n: usize) -> Result<(), HeapError> {
        self.check(n)?;
        self.used += n;
        Ok(())
    }

    /// Counts `n` new bytes without checking the limit (bookkeeping of
    /// growth that already happened).
    #[inline(always)]
    pub fn add(&mut self, n: usize) {
        self.used = self.used.saturating_add(n);
    }

    #[inline(always)]
    pub fn free(&mut self, n: usize) {
        self.used = self.used.saturating_sub(n);
    }

    /// Checks a change of an object's size from `old` to `new` bytes.
    #[inline]
    pub fn check_resize(&self, old: usize, new: usize) -> Result<(), HeapError> {
        if new > old {
            self.check(new - old)
        } else {
            Ok(())
        }
    }

    /// Records a change of size already checked with `check_resize`.
    #[inline]
    pub fn resized(&mut self, old: usize, new: usize) {
        if new > old {
            self.add(new - old)
        } else {
            self.free(old - new)
        }
    }
}
