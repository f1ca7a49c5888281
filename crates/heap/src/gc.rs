//! The incremental tri-color collector.
//!
//! Phases follow Lua 5.1: *pause* (next step marks the roots), *propagate*
//! (one gray object traversed per unit of work; big tables in chunks),
//! *atomic* (inside one step: re-trace the roots, weak tables and the
//! gray-again list, separate userdata to finalize, clear weak tables, flip
//! the current white), *sweep* (strings first, then the other arenas, a
//! bounded number of slots per unit), *finalize* (hand queued userdata to
//! the VM one per unit), back to pause.
//!
//! Colors use Lua 5.1's two-white scheme: objects created during a cycle
//! get the current white; at the end of the atomic phase the current white
//! flips, so whatever still carries the old white is garbage and the
//! sweeper frees it, turning survivors to the new white.

use std::collections::VecDeque;

use slotmap::{new_key_type, Key, SlotMap};

use ferrous_value::{FnRef, StrRef, TableRef, ThreadRef, UdRef, UpvalRef, Value};

use crate::arena::slot_bytes;
use crate::arena::{make_key, Meta, Objects, BLACK, CANDIDATE, FINALIZED, FIXED, WHITE0, WHITES};
use crate::mem::Mem;
use crate::table::{Table, NODE_BYTES, VALUE_BYTES};
use crate::{Heap, Tm, Types, UdObj, UpvalList, TABLE_SLOT, UD_SLOT};

/// Slots of a table traversed per unit of propagation work; bigger tables
/// are traversed in chunks and, once black, get a forward barrier.
pub(crate) const CHUNK: usize = 512;
/// Lua 5.1's `GCSTEPSIZE`, `GCSWEEPMAX`, `GCSWEEPCOST`, `GCFINALIZECOST`.
pub(crate) const STEP_SIZE: usize = 1024;
const SWEEP_MAX: usize = 40;
const SWEEP_COST: usize = 10;
const FINALIZE_COST: usize = 100;
/// Before the atomic phase, while at least this many tables wait in the
/// gray-again list, they are re-traversed incrementally (at most
/// `REMARK_ROUNDS` times per cycle).
const REMARK_MIN: usize = 64;
const REMARK_ROUNDS: u8 = 8;

new_key_type! {
    /// Key of a pinned value.
    pub struct PinKey;
}

/// A value pinned by Rust code: a root until [`Heap::unpin`] is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pin(pub(crate) PinKey);

/// Bytes one pin costs.
pub(crate) const PIN_BYTES: usize = 32;

/// Collector phase, as reported by [`Heap::gc_phase`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GcPhase {
    /// Between cycles; the next step marks the roots.
    Pause,
    /// Marking gray objects.
    Propagate,
    /// Freeing unmarked objects.
    Sweep,
    /// Handing userdata with `__gc` to the VM.
    Finalize,
}

/// An object waiting to be traversed. Tables carry the slot to resume at.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Gray {
    Table(TableRef, u32),
    Function(FnRef),
    Upvalue(UpvalRef),
    Thread(ThreadRef),
    Userdata(UdRef),
}

/// Colors of every arena plus the gray stack: everything marking touches.
pub(crate) struct Marks {
    pub strings: Meta,
    pub tables: Meta,
    pub functions: Meta,
    pub upvalues: Meta,
    pub userdata: Meta,
    pub threads: Meta,
    pub gray: Vec<Gray>,
    /// The current white bit.
    pub white: u8,
}

#[inline(always)]
fn is_white(c: Option<u8>) -> bool {
    matches!(c, Some(c) if c & WHITES != 0)
}

#[inline(always)]
fn gray_it(meta: &mut Meta, k: impl Key) -> bool {
    match meta.color_mut(k) {
        Some(c) if *c & WHITES != 0 => {
            *c &= !WHITES;
            true
        }
        _ => false,
    }
}

impl Marks {
    /// Whether `v` names a white (unmarked) object.
    #[inline(always)]
    pub fn is_white(&self, v: &Value) -> bool {
        match *v {
            Value::String(s) => is_white(self.strings.color(s.key())),
            Value::Table(t) => is_white(self.tables.color(t)),
            Value::Function(f) => is_white(self.functions.color(f)),
            Value::Userdata(u) => is_white(self.userdata.color(u)),
            Value::Thread(t) => is_white(self.threads.color(t)),
            _ => false,
        }
    }

    #[inline]
    pub fn mark_value(&mut self, v: &Value) {
        match *v {
            Value::String(s) => self.mark_str(s),
            Value::Table(t) => self.mark_table(t),
            Value::Function(f) => self.mark_fn(f),
            Value::Userdata(u) => self.mark_ud(u),
            Value::Thread(t) => self.mark_thread(t),
            _ => {}
        }
    }

    /// Marks every key and value of `t` (weak modes ignored: only used on
    /// black tables, which are never weak).
    pub fn mark_table_contents(&mut self, t: &Table) {
        for v in t.array.iter() {
            self.mark_value(v);
        }
        for n in t.nodes.iter() {
            if !n.val.is_nil() {
                self.mark_value(&n.key.value());
                self.mark_value(&n.val);
            }
        }
    }

    #[inline]
    pub fn mark_str(&mut self, s: StrRef) {
        if let Some(c) = self.strings.color_mut(s.key()) {
            if *c & WHITES != 0 {
                *c = (*c & !WHITES) | BLACK;
            }
        }
    }

    #[inline]
    pub fn mark_table(&mut self, t: TableRef) {
        if gray_it(&mut self.tables, t) {
            self.gray.push(Gray::Table(t, 0));
        }
    }

    #[inline]
    pub fn mark_fn(&mut self, f: FnRef) {
        if gray_it(&mut self.functions, f) {
            self.gray.push(Gray::Function(f));
        }
    }

    #[inline]
    pub fn mark_upval(&mut self, u: UpvalRef) {
        if gray_it(&mut self.upvalues, u) {
            self.gray.push(Gray::Upvalue(u));
        }
    }

    #[inline]
    pub fn mark_ud(&mut self, u: UdRef) {
        if gray_it(&mut self.userdata, u) {
            self.gray.push(Gray::Userdata(u));
        }
    }

    #[inline]
    pub fn mark_thread(&mut self, t: ThreadRef) {
        if gray_it(&mut self.threads, t) {
            self.gray.push(Gray::Thread(t));
        }
    }
}

/// Handed to [`Trace::trace`] and [`Roots::trace_roots`]: marks what an
/// object or root refers to (white objects turn gray and are queued).
pub struct Marker<'a> {
    pub(crate) marks: &'a mut Marks,
}

impl Marker<'_> {
    /// Marks the object a value names (no-op for non-collectable values
    /// and stale handles).
    #[inline]
    pub fn mark_value(&mut self, v: Value) {
        self.marks.mark_value(&v)
    }
    /// Marks every value of a slice (a stack, a constant table).
    #[inline]
    pub fn mark_values(&mut self, vs: &[Value]) {
        for v in vs {
            self.marks.mark_value(v)
        }
    }
    /// Marks a string.
    #[inline]
    pub fn mark_str(&mut self, s: StrRef) {
        self.marks.mark_str(s)
    }
    /// Marks a table (it is traced later).
    #[inline]
    pub fn mark_table(&mut self, t: TableRef) {
        self.marks.mark_table(t)
    }
    /// Marks a function (it is traced later).
    #[inline]
    pub fn mark_fn(&mut self, f: FnRef) {
        self.marks.mark_fn(f)
    }
    /// Marks an upvalue (it is traced later).
    #[inline]
    pub fn mark_upval(&mut self, u: UpvalRef) {
        self.marks.mark_upval(u)
    }
    /// Marks a userdata (its metatable and environment are traced later).
    #[inline]
    pub fn mark_ud(&mut self, u: UdRef) {
        self.marks.mark_ud(u)
    }
    /// Marks a thread (it is traced later).
    #[inline]
    pub fn mark_thread(&mut self, t: ThreadRef) {
        self.marks.mark_thread(t)
    }
}

/// Implemented by the VM-defined objects the heap stores generically
/// (functions, upvalues, threads).
pub trait Trace {
    /// Marks every heap object this object refers to.
    fn trace(&self, m: &mut Marker<'_>);
    /// Bytes the object owns outside its arena slot (boxed upvalue lists,
    /// stacks...). Read at allocation and at free; between the two, the VM
    /// reports every change with [`Heap::adjust_bytes`].
    fn extra_bytes(&self) -> usize {
        0
    }
    /// True for objects whose references change without barriers (thread
    /// stacks, open upvalues): they stay gray and are traced again in the
    /// atomic phase.
    fn retrace_in_atomic(&self) -> bool {
        false
    }
    /// Drops an object the sweep freed. A closure may hand its upvalue
    /// list to `lists` for reuse by the next closure of the same size
    /// instead of freeing it (the default just drops the object).
    fn free_into(self, lists: &mut UpvalLists)
    where
        Self: Sized,
    {
        let _ = lists;
    }
}

/// Upvalue lists of collected closures kept for reuse, by length (1 to
/// [`UpvalLists::MAX_LEN`]), at most [`UpvalLists::KEEP`] of each: making
/// a closure then takes one instead of allocating, and collecting one puts
/// it back instead of freeing. Their bytes are not charged to the heap
/// while they wait (like the free memory the allocator would keep in its
/// bins instead): at most about 650 KB (lists of 12 to 36 bytes in
/// 32- and 48-byte allocator chunks), with all four lengths full.
/// A list in here belonged to an unreachable closure; its contents are
/// stale and are overwritten before the list is used again.
#[derive(Default)]
pub struct UpvalLists {
    bins: [Vec<UpvalList>; UpvalLists::MAX_LEN],
}

impl UpvalLists {
    /// Longest list kept.
    pub const MAX_LEN: usize = 4;
    /// Lists kept per length.
    pub const KEEP: usize = 4096;

    /// A list of `n` elements (contents unspecified), if one is kept.
    #[inline]
    pub fn take(&mut self, n: usize) -> Option<UpvalList> {
        self.bins.get_mut(n.wrapping_sub(1))?.pop()
    }

    /// Keeps `list` for reuse if there is room for its length; drops it
    /// otherwise.
    #[inline]
    pub fn put(&mut self, list: UpvalList) {
        if let Some(bin) = self.bins.get_mut(list.len().wrapping_sub(1)) {
            if bin.len() < Self::KEEP {
                bin.push(list);
            }
        }
    }
}

/// The embedder's roots, traced when a cycle starts and again in the
/// atomic phase: the running thread's stack, the globals and registry
/// tables, the per-type metatables, open upvalues...
pub trait Roots {
    /// Marks every root with `m`.
    fn trace_roots(&self, m: &mut Marker<'_>);
}

impl<F: Fn(&mut Marker<'_>)> Roots for F {
    fn trace_roots(&self, m: &mut Marker<'_>) {
        self(m)
    }
}

/// No roots besides pinned values.
pub struct NoRoots;

impl Roots for NoRoots {
    fn trace_roots(&self, _: &mut Marker<'_>) {}
}

/// All collector state.
pub(crate) struct Gc {
    pub marks: Marks,
    pub mem: Mem,
    pub phase: GcPhase,
    pub grayagain: Vec<Gray>,
    pub weak: Vec<TableRef>,
    /// Sweep cursor: arena number and slot index.
    pub sweep_kind: u8,
    pub sweep_idx: usize,
    pub pause: u32,
    pub stepmul: u32,
    pub pins: SlotMap<PinKey, Value>,
    /// Userdata that got a metatable and are not finalized yet.
    pub candidates: Vec<UdRef>,
    /// Userdata to finalize, released to `ready` one per finalize step.
    pub pending: VecDeque<UdRef>,
    /// Userdata the VM should call `__gc` for now.
    pub ready: VecDeque<UdRef>,
    pub ud_seq: u32,
    pub remark_rounds: u8,
    pub remark_min: usize,
    /// Upvalue lists of swept closures, for reuse.
    pub upval_lists: UpvalLists,
}

impl Gc {
    pub fn new() -> Gc {
        Gc {
            marks: Marks {
                strings: Meta::default(),
                tables: Meta::default(),
                functions: Meta::default(),
                upvalues: Meta::default(),
                userdata: Meta::default(),
                threads: Meta::default(),
                gray: Vec::new(),
                white: WHITE0,
            },
            mem: Mem::new(),
            phase: GcPhase::Pause,
            grayagain: Vec::new(),
            weak: Vec::new(),
            sweep_kind: 0,
            sweep_idx: 0,
            pause: 200,
            stepmul: 200,
            pins: SlotMap::with_key(),
            candidates: Vec::new(),
            pending: VecDeque::new(),
            ready: VecDeque::new(),
            ud_seq: 0,
            remark_rounds: 0,
            remark_min: REMARK_MIN,
            upval_lists: UpvalLists::default(),
        }
    }

    #[inline(always)]
    pub fn white(&self) -> u8 {
        self.marks.white
    }

    /// Back barrier for tables: called when `t` is black and was written.
    #[cold]
    #[inline(never)]
    pub fn table_barrier(&mut self, t: TableRef, large: bool, k: &Value, v: &Value) {
        if !(self.marks.is_white(k) || self.marks.is_white(v)) {
            return;
        }
        let white = self.marks.white;
        if self.phase == GcPhase::Propagate {
            if large {
                // Forward: a big table is not traversed again; mark what
                // it gained instead.
                self.marks.mark_value(k);
                self.marks.mark_value(v);
            } else if let Some(c) = self.marks.tables.color_mut(t) {
                *c &= !BLACK;
                self.grayagain.push(Gray::Table(t, 0));
            }
        } else if let Some(c) = self.marks.tables.color_mut(t) {
            *c = (*c & !(BLACK | WHITES)) | white;
        }
    }

    /// Back barrier that always re-grays the table (metatable changes).
    pub fn table_barrier_back(&mut self, t: TableRef, v: &Value) {
        let Some(c) = self.marks.tables.color(t) else {
            return;
        };
        if c & BLACK == 0 || !self.marks.is_white(v) {
            return;
        }
        let white = self.marks.white;
        if let Some(c) = self.marks.tables.color_mut(t) {
            if self.phase == GcPhase::Propagate {
                *c &= !BLACK;
                self.grayagain.push(Gray::Table(t, 0));
            } else {
                *c = (*c & !(BLACK | WHITES)) | white;
            }
        }
    }

    /// Forward barrier (Lua 5.1's `luaC_barrierf`) for an object of the
    /// arena `sel` picks that gained a reference to `v`.
    pub fn forward_barrier<K: Key>(&mut self, sel: fn(&mut Marks) -> &mut Meta, k: K, v: &Value) {
        let Some(c) = sel(&mut self.marks).color(k) else {
            return;
        };
        if c & BLACK == 0 || !self.marks.is_white(v) {
            return;
        }
        if self.phase == GcPhase::Propagate {
            self.marks.mark_value(v);
        } else {
            let white = self.marks.white;
            if let Some(c) = sel(&mut self.marks).color_mut(k) {
                *c = (*c & !(BLACK | WHITES)) | white;
            }
        }
    }

    fn set_threshold(&mut self) {
        let t = (self.mem.estimate / 100).saturating_mul(self.pause as usize);
        self.mem.threshold = t.min(self.mem.limit_cap(self.mem.estimate));
    }
}

/// Work done by a step of the collector, in Lua 5.1's units (bytes
/// traversed; fixed costs for sweeping and finalizing).
type Work = usize;

/// Traverses a VM-defined object.
fn propagate_vm<K: Key, V: Trace>(
    objs: &Objects<K, V>,
    marks: &mut Marks,
    grayagain: &mut Vec<Gray>,
    sel: fn(&mut Marks) -> &mut Meta,
    k: K,
    gray: fn(K) -> Gray,
    slot: usize,
) -> Work {
    let Some(o) = objs.get(k) else { return 0 };
    let retrace = o.retrace_in_atomic();
    if let Some(c) = sel(marks).color_mut(k) {
        if retrace {
            *c &= !(BLACK | WHITES);
        } else {
            *c = (*c & !WHITES) | BLACK;
        }
    }
    o.trace(&mut Marker { marks });
    if retrace {
        grayagain.push(gray(k));
    }
    slot + o.extra_bytes()
}

/// Sweeps up to `*budget` slots of one arena from `*idx`; returns true
/// when the arena is done. `free` drops an object and returns its bytes.
fn sweep_arena<K: Key, V>(
    objs: &mut Objects<K, V>,
    meta: &mut Meta,
    idx: &mut usize,
    budget: &mut usize,
    white: u8,
    freed: &mut usize,
    mut free: impl FnMut(V) -> usize,
) -> bool {
    let other = white ^ WHITES;
    // The cursor and the budget are kept in locals while the loop runs
    // (written back at the end), not updated through the references at
    // every slot.
    let (mut i, mut left) = (*idx, *budget);
    let mut done = false;
    while left > 0 {
        let Some(&ver) = meta.versions.get(i) else {
            done = true;
            break;
        };
        i += 1;
        left -= 1;
        if ver == 0 {
            continue;
        }
        let c = meta.colors.get(i - 1).copied().unwrap_or(0);
        if c & other != 0 && c & FIXED == 0 {
            if let Some(v) = objs.remove(meta, make_key::<K>(i - 1, ver)) {
                *freed += free(v);
            }
        } else if let Some(cm) = meta.colors.get_mut(i - 1) {
            *cm = (c & !(WHITES | BLACK)) | white;
        }
    }
    *idx = i;
    *budget = left;
    done || i >= meta.versions.len()
}

impl<T: Types> Heap<T> {
    /// One unit of collector work (Lua 5.1's `singlestep`).
    pub(crate) fn single_step<R: crate::Roots + ?Sized>(&mut self, roots: &R) -> Work {
        match self.gc.phase {
            GcPhase::Pause => {
                self.mark_root(roots);
                0
            }
            GcPhase::Propagate => match self.gc.marks.gray.pop() {
                Some(g) => self.propagate(g),
                None if self.gc.grayagain.len() >= self.gc.remark_min
                    && self.gc.remark_rounds < REMARK_ROUNDS =>
                {
                    // Tables written behind the collector are traversed
                    // again incrementally, so that the atomic phase only
                    // sees those written since the last round.
                    self.gc.remark_rounds += 1;
                    let again = std::mem::take(&mut self.gc.grayagain);
                    for g in again {
                        match g {
                            Gray::Table(..) => self.gc.marks.gray.push(g),
                            other => self.gc.grayagain.push(other),
                        }
                    }
                    0
                }
                None => {
                    self.atomic(roots);
                    0
                }
            },
            GcPhase::Sweep => {
                let before = self.gc.mem.used;
                self.sweep_step();
                let freed = before.saturating_sub(self.gc.mem.used);
                self.gc.mem.estimate = self.gc.mem.estimate.saturating_sub(freed);
                SWEEP_MAX * SWEEP_COST
            }
            GcPhase::Finalize => match self.gc.pending.pop_front() {
                Some(u) => {
                    self.gc.ready.push_back(u);
                    if self.gc.mem.estimate > FINALIZE_COST {
                        self.gc.mem.estimate -= FINALIZE_COST;
                    }
                    FINALIZE_COST
                }
                None => {
                    self.gc.phase = GcPhase::Pause;
                    self.gc.mem.debt = 0;
                    0
                }
            },
        }
    }

    fn mark_root<R: crate::Roots + ?Sized>(&mut self, roots: &R) {
        self.gc.marks.gray.clear();
        self.gc.grayagain.clear();
        self.gc.weak.clear();
        self.gc.remark_rounds = 0;
        self.mark_roots_and_pins(roots);
        self.gc.phase = GcPhase::Propagate;
    }

    fn mark_roots_and_pins<R: crate::Roots + ?Sized>(&mut self, roots: &R) {
        let gc = &mut self.gc;
        roots.trace_roots(&mut Marker {
            marks: &mut gc.marks,
        });
        for v in gc.pins.values() {
            gc.marks.mark_value(v);
        }
    }

    fn propagate_all(&mut self) {
        while let Some(g) = self.gc.marks.gray.pop() {
            self.propagate(g);
        }
    }

    fn propagate(&mut self, g: Gray) -> Work {
        let gc = &mut self.gc;
        match g {
            Gray::Table(t, from) => self.traverse_table(t, from as usize),
            Gray::Function(f) => propagate_vm(
                &self.functions,
                &mut gc.marks,
                &mut gc.grayagain,
                |m| &mut m.functions,
                f,
                Gray::Function,
                slot_bytes::<T::Function>(),
            ),
            Gray::Upvalue(u) => propagate_vm(
                &self.upvalues,
                &mut gc.marks,
                &mut gc.grayagain,
                |m| &mut m.upvalues,
                u,
                Gray::Upvalue,
                slot_bytes::<T::Upvalue>(),
            ),
            Gray::Thread(t) => propagate_vm(
                &self.threads,
                &mut gc.marks,
                &mut gc.grayagain,
                |m| &mut m.threads,
                t,
                Gray::Thread,
                slot_bytes::<T::Thread>(),
            ),
            Gray::Userdata(u) => {
                let Some(o) = self.userdata.get(u) else {
                    return 0;
                };
                if let Some(c) = gc.marks.userdata.color_mut(u) {
                    *c = (*c & !WHITES) | BLACK;
                }
                if let Some(mt) = o.metatable {
                    gc.marks.mark_table(mt);
                }
                if let Some(env) = o.env {
                    gc.marks.mark_table(env);
                }
                UD_SLOT + o.owned_bytes()
            }
        }
    }

    /// Weak mode of `t` from its metatable's `__mode`: bit 0 weak keys,
    /// bit 1 weak values.
    pub(crate) fn weak_mode(&self, t: TableRef) -> u8 {
        let Some(mt) = self.tables.get(t).and_then(|t| t.metatable) else {
            return 0;
        };
        match self.metamethod(mt, Tm::Mode) {
            Value::String(s) => {
                let b = self.strings.get(s).unwrap_or(&[]);
                let b = match b.iter().position(|&c| c == 0) {
                    Some(z) => &b[..z],
                    None => b,
                };
                (b.contains(&b'k') as u8) | ((b.contains(&b'v') as u8) << 1)
            }
            _ => 0,
        }
    }

    fn traverse_table(&mut self, t: TableRef, from: usize) -> Work {
        // A table whose traversal began strong (it is black) stays strong
        // for the rest of it, whatever its metatable says now.
        let black = matches!(self.gc.marks.tables.color(t), Some(c) if c & BLACK != 0);
        let mode = if from > 0 && black {
            0
        } else {
            self.weak_mode(t)
        };
        let gc = &mut self.gc;
        let Some(tab) = self.tables.map.get_mut(t) else {
            return 0;
        };
        let marks = &mut gc.marks;
        let mut work = 0;
        if from == 0 {
            work += TABLE_SLOT;
            if let Some(mt) = tab.metatable {
                marks.mark_table(mt);
            }
            if let Some(c) = marks.tables.color_mut(t) {
                if mode != 0 {
                    *c &= !(BLACK | WHITES);
                } else {
                    *c = (*c & !WHITES) | BLACK;
                }
            }
            if mode != 0 {
                gc.weak.push(t);
            }
            if mode == 3 {
                return work;
            }
        }
        let weak_k = mode & 1 != 0;
        let weak_v = mode & 2 != 0;
        let asize = tab.array.len();
        let total = asize + tab.nodes.len();
        let end = total.min(from + CHUNK);
        if end < total {
            // The rest of the table goes under the children this chunk
            // marks, so that they are traversed first and the gray stack
            // stays short.
            marks.gray.push(Gray::Table(t, end as u32));
        }
        if from < asize {
            let a_end = end.min(asize);
            if !weak_v {
                // The tag test inline: arrays are mostly numbers, and a
                // call per slot to find that out cost more than the marking.
                for v in &tab.array[from..a_end] {
                    if v.is_collectable() {
                        marks.mark_value(v);
                    }
                }
            }
            work += (a_end - from) * VALUE_BYTES;
        }
        let n_from = from.max(asize) - asize;
        let n_end = end.max(asize) - asize;
        if n_from < n_end {
            if let Some(nodes) = tab.nodes.get_mut(n_from..n_end) {
                for n in nodes {
                    if n.val.is_nil() {
                        n.key.kill();
                    } else {
                        if !weak_k {
                            let k = n.key.value();
                            if k.is_collectable() {
                                marks.mark_value(&k);
                            }
                        }
                        if !weak_v && n.val.is_collectable() {
                            marks.mark_value(&n.val);
                        }
                    }
                }
            }
            work += (n_end - n_from) * NODE_BYTES;
        }
        work
    }

    fn atomic<R: crate::Roots + ?Sized>(&mut self, roots: &R) {
        // Stacks and pins change without barriers: trace them again.
        self.mark_roots_and_pins(roots);
        self.propagate_all();
        // Weak tables stayed gray: traverse their strong parts again.
        let weak = std::mem::take(&mut self.gc.weak);
        self.gc
            .marks
            .gray
            .extend(weak.into_iter().map(|t| Gray::Table(t, 0)));
        self.propagate_all();
        // Objects written behind the collector's back.
        let again = std::mem::take(&mut self.gc.grayagain);
        self.gc.marks.gray.extend(again);
        self.propagate_all();
        // Userdata to finalize, and everything they reach, survive.
        self.separate_udata();
        let gc = &mut self.gc;
        for u in gc.pending.iter().chain(gc.ready.iter()) {
            gc.marks.mark_ud(*u);
        }
        self.propagate_all();
        self.clear_weak();
        self.gc.marks.white ^= WHITES;
        self.gc.sweep_kind = 0;
        self.gc.sweep_idx = 0;
        self.gc.phase = GcPhase::Sweep;
        self.gc.mem.estimate = self.gc.mem.used;
    }

    /// Moves dead, unfinalized userdata whose metatable has `__gc` to the
    /// finalizer queue, newest first (Lua 5.1's order).
    fn separate_udata(&mut self) {
        let cands = std::mem::take(&mut self.gc.candidates);
        let mut keep = Vec::with_capacity(cands.len());
        // (age, userdata): the youngest are finalized first.
        let mut found: Vec<(u32, UdRef)> = Vec::new();
        for u in cands {
            let Some(c) = self.gc.marks.userdata.color(u) else {
                continue;
            };
            if c & FINALIZED != 0 {
                if let Some(c) = self.gc.marks.userdata.color_mut(u) {
                    *c &= !CANDIDATE;
                }
                continue;
            }
            if c & WHITES == 0 {
                keep.push(u);
                continue;
            }
            let has_gc = self
                .userdata
                .get(u)
                .and_then(|o| o.metatable)
                .is_some_and(|mt| !self.metamethod(mt, Tm::Gc).is_nil());
            if let Some(c) = self.gc.marks.userdata.color_mut(u) {
                *c = (*c | FINALIZED) & !CANDIDATE;
            }
            if has_gc {
                let seq = self.userdata.get(u).map_or(0, |o| o.seq);
                found.push((self.gc.ud_seq.wrapping_sub(seq), u));
            }
        }
        found.sort_by_key(|e| e.0);
        self.gc.pending.extend(found.into_iter().map(|(_, u)| u));
        self.gc.candidates = keep;
    }

    /// Removes entries with collected keys or values from weak tables.
    fn clear_weak(&mut self) {
        let weak = std::mem::take(&mut self.gc.weak);
        for t in weak {
            let mode = self.weak_mode(t);
            let gc = &mut self.gc;
            let Some(tab) = self.tables.map.get_mut(t) else {
                continue;
            };
            let marks = &mut gc.marks;
            let cleared = |marks: &mut Marks, v: &Value, is_key: bool| -> bool {
                match *v {
                    Value::String(s) => {
                        marks.mark_str(s);
                        false
                    }
                    Value::Table(x) => !matches!(marks.tables.color(x), Some(c) if c & WHITES == 0),
                    Value::Function(x) => {
                        !matches!(marks.functions.color(x), Some(c) if c & WHITES == 0)
                    }
                    Value::Thread(x) => {
                        !matches!(marks.threads.color(x), Some(c) if c & WHITES == 0)
                    }
                    Value::Userdata(x) => match marks.userdata.color(x) {
                        Some(c) => c & WHITES != 0 || (!is_key && c & FINALIZED != 0),
                        None => true,
                    },
                    _ => false,
                }
            };
            if mode & 2 != 0 {
                for v in tab.array.iter_mut() {
                    if cleared(marks, v, false) {
                        *v = Value::Nil;
                    }
                }
            }
            for n in tab.nodes.iter_mut() {
                if !n.val.is_nil()
                    && (cleared(marks, &n.key.value(), true) || cleared(marks, &n.val, false))
                {
                    n.val = Value::Nil;
                    n.key.kill();
                }
            }
            // Entries went away behind the metamethod caches' back.
            tab.touch();
            tab.leave_chain();
        }
    }

    fn sweep_step(&mut self) {
        let mut budget = SWEEP_MAX;
        let white = self.gc.white();
        let mut freed = 0usize;
        while budget > 0 {
            let gc = &mut self.gc;
            let idx = &mut gc.sweep_idx;
            let done = match gc.sweep_kind {
                0 => {
                    let strings = &mut self.strings;
                    let meta = &mut gc.marks.strings;
                    let other = white ^ WHITES;
                    let mut finished = false;
                    while budget > 0 {
                        let i = *idx;
                        let Some(&ver) = meta.versions.get(i) else {
                            finished = true;
                            break;
                        };
                        *idx += 1;
                        budget -= 1;
                        if ver == 0 {
                            continue;
                        }
                        let c = meta.colors.get(i).copied().unwrap_or(0);
                        if c & other != 0 && c & FIXED == 0 {
                            freed += strings.remove(meta, make_key(i, ver));
                        } else if let Some(cm) = meta.colors.get_mut(i) {
                            *cm = (c & !(WHITES | BLACK)) | white;
                        }
                    }
                    finished || *idx >= meta.versions.len()
                }
                1 => sweep_arena(
                    &mut self.tables,
                    &mut gc.marks.tables,
                    idx,
                    &mut budget,
                    white,
                    &mut freed,
                    |t: Table| TABLE_SLOT + t.buf_bytes(),
                ),
                2 => {
                    let lists = &mut gc.upval_lists;
                    sweep_arena(
                        &mut self.functions,
                        &mut gc.marks.functions,
                        idx,
                        &mut budget,
                        white,
                        &mut freed,
                        |f: T::Function| {
                            let n = slot_bytes::<T::Function>() + f.extra_bytes();
                            f.free_into(lists);
                            n
                        },
                    )
                }
                3 => sweep_arena(
                    &mut self.upvalues,
                    &mut gc.marks.upvalues,
                    idx,
                    &mut budget,
                    white,
                    &mut freed,
                    |u| slot_bytes::<T::Upvalue>() + u.extra_bytes(),
                ),
                4 => {
                    let payloads = &mut self.ud_payloads;
                    sweep_arena(
                        &mut self.userdata,
                        &mut gc.marks.userdata,
                        idx,
                        &mut budget,
                        white,
                        &mut freed,
                        |u: UdObj| {
                            payloads.remove(u.payload);
                            UD_SLOT + u.owned_bytes()
                        },
                    )
                }
                5 => sweep_arena(
                    &mut self.threads,
                    &mut gc.marks.threads,
                    idx,
                    &mut budget,
                    white,
                    &mut freed,
                    |t| slot_bytes::<T::Thread>() + t.extra_bytes(),
                ),
                _ => {
                    let delta = self.strings.maybe_shrink(&self.gc.marks.strings);
                    if delta < 0 {
                        self.gc.mem.free(delta.unsigned_abs());
                    } else {
                        self.gc.mem.add(delta as usize);
                    }
                    self.gc.phase = GcPhase::Finalize;
                    break;
                }
            };
            if done {
                gc.sweep_kind += 1;
                gc.sweep_idx = 0;
            }
        }
        self.gc.mem.free(freed);
    }

    /// Runs the collector until the current cycle reaches `until`.
    fn run_until<R: crate::Roots + ?Sized>(&mut self, roots: &R, until: GcPhase) {
        while self.gc.phase != until {
            self.single_step(roots);
        }
    }

    // ------------------------------------------------------------ public

    /// True when the allocation debt calls for a step (Lua's
    /// `luaC_checkGC` test). Cheap; call it at the VM's safe points.
    #[inline(always)]
    pub fn gc_due(&self) -> bool {
        self.gc.mem.used >= self.gc.mem.threshold
    }

    /// Steps the collector if it is due; returns true if a cycle ended.
    #[inline]
    pub fn check_gc<R: crate::Roots + ?Sized>(&mut self, roots: &R) -> bool {
        if self.gc_due() {
            self.step(roots)
        } else {
            false
        }
    }

    /// One incremental step (Lua 5.1's `luaC_step`): work proportional to
    /// `stepmul`, then the next threshold. Returns true if the cycle
    /// finished (reached the pause) during this step.
    pub fn step<R: crate::Roots + ?Sized>(&mut self, roots: &R) -> bool {
        // Near the memory limit the cycle is finished in this step, so
        // garbage is reclaimed before an allocation can fail on it.
        let mut lim: isize = if self.gc.stepmul == 0 || self.gc.mem.near_limit() {
            isize::MAX / 2
        } else {
            ((STEP_SIZE / 100) * self.gc.stepmul as usize) as isize
        };
        let mem = &mut self.gc.mem;
        mem.debt = mem
            .debt
            .saturating_add(mem.used as isize - mem.threshold.min(isize::MAX as usize) as isize);
        let mut finished = false;
        loop {
            lim -= self.single_step(roots) as isize;
            if self.gc.phase == GcPhase::Pause {
                finished = true;
                break;
            }
            if lim <= 0 {
                break;
            }
        }
        let mem = &mut self.gc.mem;
        mem.settle_released();
        if !finished {
            if mem.debt < STEP_SIZE as isize {
                mem.threshold = mem.used + STEP_SIZE;
            } else {
                mem.debt -= STEP_SIZE as isize;
                mem.threshold = mem.used;
            }
        } else {
            self.gc.set_threshold();
        }
        finished
    }

    /// `collectgarbage("step", kb)`: performs steps as if `kb` kilobytes
    /// had been allocated; returns true if a cycle finished.
    pub fn gc_step<R: crate::Roots + ?Sized>(&mut self, kb: usize, roots: &R) -> bool {
        let a = kb.saturating_mul(1024);
        let used = self.gc.mem.used;
        self.gc.mem.threshold = used.saturating_sub(a);
        while self.gc.mem.threshold <= self.gc.mem.used {
            if self.step(roots) {
                return true;
            }
        }
        false
    }

    /// A full collection (`collectgarbage("collect")`, Lua 5.1's
    /// `luaC_fullgc`): everything unreachable is freed, and userdata to
    /// finalize are queued for [`Heap::pop_finalizer`].
    pub fn full_collect<R: crate::Roots + ?Sized>(&mut self, roots: &R) {
        if matches!(self.gc.phase, GcPhase::Pause | GcPhase::Propagate) {
            // Abandon the mark phase: sweep everything back to white.
            self.gc.marks.gray.clear();
            self.gc.grayagain.clear();
            self.gc.weak.clear();
            self.gc.sweep_kind = 0;
            self.gc.sweep_idx = 0;
            self.gc.phase = GcPhase::Sweep;
        }
        while self.gc.phase == GcPhase::Sweep {
            self.single_step(roots);
        }
        self.mark_root(roots);
        self.strings.forget_peak();
        self.run_until(roots, GcPhase::Pause);
        self.gc.mem.settle_released();
        self.gc.set_threshold();
    }

    /// `collectgarbage("stop")`.
    pub fn gc_stop(&mut self) {
        // Under a memory limit the collector still runs when the heap
        // nears the limit (an emergency collection, as Lua 5.2+ does):
        // a stopped collector must not turn garbage into "not enough
        // memory".
        self.gc.mem.threshold = self.gc.mem.emergency_line();
    }

    /// True when the collector is stopped (`collectgarbage("stop")`).
    pub fn gc_threshold_is_stop(&self) -> bool {
        self.gc.mem.threshold == self.gc.mem.emergency_line() || self.gc.mem.threshold == usize::MAX
    }

    /// `collectgarbage("restart")`.
    pub fn gc_restart(&mut self) {
        self.gc.mem.threshold = self.gc.mem.used;
    }

    /// `collectgarbage("setpause", p)`: returns the previous value.
    pub fn set_pause(&mut self, p: u32) -> u32 {
        std::mem::replace(&mut self.gc.pause, p)
    }

    /// `collectgarbage("setstepmul", m)`: returns the previous value.
    pub fn set_stepmul(&mut self, m: u32) -> u32 {
        std::mem::replace(&mut self.gc.stepmul, m)
    }

    /// The collector's phase.
    pub fn gc_phase(&self) -> GcPhase {
        self.gc.phase
    }

    /// Pins `v`: it stays alive (a root) until unpinned.
    pub fn pin(&mut self, v: Value) -> Pin {
        self.gc.mem.add(PIN_BYTES);
        Pin(self.gc.pins.insert(v))
    }

    /// Releases a pin; returns the value it held (`None` if already
    /// released).
    pub fn unpin(&mut self, p: Pin) -> Option<Value> {
        let v = self.gc.pins.remove(p.0)?;
        self.gc.mem.free(PIN_BYTES);
        Some(v)
    }

    /// The value a pin holds.
    pub fn pinned(&self, p: Pin) -> Option<Value> {
        self.gc.pins.get(p.0).copied()
    }

    /// The next userdata whose `__gc` the VM must call (the VM looks the
    /// metamethod up itself, as Lua 5.1 does at call time). The userdata
    /// stays alive until the cycle after this call finds it unreachable;
    /// its `__gc` is never queued again.
    pub fn pop_finalizer(&mut self) -> Option<UdRef> {
        let u = self.gc.ready.pop_front()?;
        let white = self.gc.white();
        if let Some(c) = self.gc.marks.userdata.color_mut(u) {
            *c = (*c & !(WHITES | BLACK)) | white;
        }
        Some(u)
    }

    /// Number of userdata queued for finalization (ready or pending).
    pub fn finalizers_queued(&self) -> usize {
        self.gc.ready.len() + self.gc.pending.len()
    }

    /// For `lua_close`: queues every userdata not finalized yet whose
    /// metatable has `__gc`, newest first, after those already queued;
    /// the VM then drains [`Heap::pop_finalizer`].
    pub fn queue_all_finalizers(&mut self) {
        let pending: Vec<UdRef> = self.gc.pending.drain(..).collect();
        self.gc.ready.extend(pending);
        let cands = std::mem::take(&mut self.gc.candidates);
        // (age, userdata): the youngest are finalized first.
        let mut found: Vec<(u32, UdRef)> = Vec::new();
        for u in cands {
            let Some(c) = self.gc.marks.userdata.color(u) else {
                continue;
            };
            if c & FINALIZED != 0 {
                continue;
            }
            let has_gc = self
                .userdata
                .get(u)
                .and_then(|o| o.metatable)
                .is_some_and(|mt| !self.metamethod(mt, Tm::Gc).is_nil());
            if let Some(c) = self.gc.marks.userdata.color_mut(u) {
                *c = (*c | FINALIZED) & !CANDIDATE;
            }
            if has_gc {
                let seq = self.userdata.get(u).map_or(0, |o| o.seq);
                found.push((self.gc.ud_seq.wrapping_sub(seq), u));
            }
        }
        found.sort_by_key(|e| e.0);
        self.gc.ready.extend(found.into_iter().map(|(_, u)| u));
    }

    /// Whether the object `v` names is still allocated (false for stale
    /// handles; true for non-collectable values).
    pub fn is_live(&self, v: Value) -> bool {
        match v {
            Value::String(s) => self.gc.marks.strings.color(s.key()).is_some(),
            Value::Table(t) => self.gc.marks.tables.color(t).is_some(),
            Value::Function(f) => self.gc.marks.functions.color(f).is_some(),
            Value::Userdata(u) => self.gc.marks.userdata.color(u).is_some(),
            Value::Thread(t) => self.gc.marks.threads.color(t).is_some(),
            _ => true,
        }
    }

    /// Tunes the incremental re-traversal of written tables (tests).
    #[doc(hidden)]
    pub fn set_remark_min(&mut self, n: usize) {
        self.gc.remark_min = n.max(1);
    }

    #[doc(hidden)]
    pub fn debug_color(&self, v: Value) -> Option<u8> {
        match v {
            Value::String(s) => self.gc.marks.strings.color(s.key()),
            Value::Table(t) => self.gc.marks.tables.color(t),
            Value::Function(f) => self.gc.marks.functions.color(f),
            Value::Userdata(u) => self.gc.marks.userdata.color(u),
            Value::Thread(t) => self.gc.marks.threads.color(t),
            _ => None,
        }
    }

    /// Whether the upvalue `u` is still allocated.
    pub fn upval_live(&self, u: UpvalRef) -> bool {
        self.gc.marks.upvalues.color(u).is_some()
    }
}

#[cfg(test)]
mod upval_lists_tests {
    use super::UpvalLists;
    use crate::UpvalList;

    #[test]
    fn lists_are_kept_by_length_up_to_the_cap() {
        let mut l = UpvalLists::default();
        assert!(l.take(0).is_none() && l.take(1).is_none());
        l.put(UpvalList::new(2));
        assert!(l.take(1).is_none() && l.take(3).is_none());
        assert_eq!(l.take(2).map(|b| b.len()), Some(2));
        assert!(l.take(2).is_none());
        // Empty and overlong lists are not kept.
        l.put(UpvalList::new(0));
        l.put(UpvalList::new(UpvalLists::MAX_LEN + 1));
        assert!(l.take(0).is_none() && l.take(UpvalLists::MAX_LEN + 1).is_none());
        for _ in 0..UpvalLists::KEEP + 5 {
            l.put(UpvalList::new(1));
        }
        let mut n = 0;
        while l.take(1).is_some() {
            n += 1;
        }
        assert_eq!(n, UpvalLists::KEEP);
    }
}
