//! Full userdata: the arena object, the side store of payloads, and the
//! views [`Heap::userdata`](crate::Heap::userdata) and
//! [`Heap::userdata_mut`](crate::Heap::userdata_mut) hand out.
//!
//! A userdata object holds no pointer, so it is 4-byte aligned: 28 bytes,
//! a 32-byte arena slot (a boxed payload inline would make it 8-aligned
//! and its slot 48 bytes). Its payload lives in [`Payloads`], a list of
//! boxed payloads reused through a free list, and the object keeps its
//! index there; a `()` payload (`newproxy`'s) takes no entry at all.

use std::any::Any;

use ferrous_value::TableRef;

/// A full userdata as stored in its arena: metatable, environment,
/// payload size (what Lua counts), creation number and payload index.
pub struct UdObj {
    pub(crate) metatable: Option<TableRef>,
    pub(crate) env: Option<TableRef>,
    pub(crate) size: u32,
    /// Creation number (wrapping), for finalizer order.
    pub(crate) seq: u32,
    /// 0 for a `()` payload, else 1 + the payload's index in [`Payloads`].
    pub(crate) payload: u32,
}

const _: () = assert!(std::mem::size_of::<UdObj>() == 28);
const _: () = assert!(std::mem::align_of::<UdObj>() == 4);

/// Bytes of one entry of [`Payloads`] (charged to a userdata that has one).
pub(crate) const PAYLOAD_ENTRY: usize = std::mem::size_of::<Option<Box<dyn Any>>>();

impl UdObj {
    /// Bytes charged for this userdata besides its slot: its payload entry
    /// and the payload size it was created with.
    #[inline]
    pub(crate) fn owned_bytes(&self) -> usize {
        self.size as usize + if self.payload != 0 { PAYLOAD_ENTRY } else { 0 }
    }
}

/// The payloads of the live userdata that have one (all but `()`).
/// Freed entries are kept for reuse, like arena slots.
#[derive(Default)]
pub(crate) struct Payloads {
    items: Vec<Option<Box<dyn Any>>>,
    free: Vec<u32>,
}

impl Payloads {
    /// Stores `p`, returning the index to keep in [`UdObj::payload`]
    /// (0 for a `()` payload, which is not stored).
    pub fn put(&mut self, p: Box<dyn Any>) -> u32 {
        if p.is::<()>() {
            return 0;
        }
        match self.free.pop() {
            Some(i) => {
                if let Some(slot) = self.items.get_mut(i as usize) {
                    *slot = Some(p);
                }
                i + 1
            }
            None => {
                self.items.push(Some(p));
                self.items.len() as u32
            }
        }
    }

    /// Drops the payload at `idx` (as kept in [`UdObj::payload`]).
    pub fn remove(&mut self, idx: u32) {
        if let Some(slot) = idx
            .checked_sub(1)
            .and_then(|i| self.items.get_mut(i as usize))
        {
            if slot.take().is_some() {
                self.free.push(idx - 1);
            }
        }
    }

    #[inline]
    fn get(&self, idx: u32) -> &dyn Any {
        match idx.checked_sub(1).and_then(|i| self.items.get(i as usize)) {
            Some(Some(b)) => &**b,
            _ => &(),
        }
    }

    #[inline]
    fn get_mut(&mut self, idx: u32) -> &mut dyn Any {
        match idx
            .checked_sub(1)
            .and_then(|i| self.items.get_mut(i as usize))
        {
            Some(Some(b)) => &mut **b,
            // A `()` needs no storage: leaking a box of it allocates
            // nothing.
            _ => Box::leak(Box::new(())),
        }
    }
}

/// The accessors both userdata views have: what the object itself holds.
macro_rules! header_accessors {
    () => {
        /// The payload size given at creation (what Lua counts).
        #[inline]
        pub fn size(&self) -> usize {
            self.obj.size as usize
        }
        /// The metatable, if any.
        #[inline]
        pub fn metatable(&self) -> Option<TableRef> {
            self.obj.metatable
        }
        /// The environment table (`getfenv` of a userdata), if any.
        #[inline]
        pub fn env(&self) -> Option<TableRef> {
            self.obj.env
        }
    };
}

/// A full userdata, read through [`Heap::userdata`](crate::Heap::userdata).
#[derive(Clone, Copy)]
pub struct Userdata<'a> {
    obj: &'a UdObj,
    payload: &'a dyn Any,
}

impl<'a> Userdata<'a> {
    #[inline]
    pub(crate) fn new(obj: &'a UdObj, payloads: &'a Payloads) -> Userdata<'a> {
        Userdata {
            obj,
            payload: payloads.get(obj.payload),
        }
    }
    /// The payload, to downcast to the embedder's type.
    #[inline]
    pub fn payload(&self) -> &'a dyn Any {
        self.payload
    }
    header_accessors!();
}

/// Mutable access to a userdata's payload, through
/// [`Heap::userdata_mut`](crate::Heap::userdata_mut) (its metatable and
/// environment change through the heap's setters).
pub struct UserdataMut<'a> {
    obj: &'a UdObj,
    payload: &'a mut dyn Any,
}

impl<'a> UserdataMut<'a> {
    #[inline]
    pub(crate) fn new(obj: &'a UdObj, payloads: &'a mut Payloads) -> UserdataMut<'a> {
        UserdataMut {
            obj,
            payload: payloads.get_mut(obj.payload),
        }
    }
    /// The payload, mutable.
    #[inline]
    pub fn payload_mut(self) -> &'a mut dyn Any {
        self.payload
    }
    header_accessors!();
}
