//! Simple VM-object types for tests, examples and benchmarks.

use ferrous_value::{UpvalRef, Value};

use crate::{Marker, Trace, Types};

/// [`Types`] with the test objects below.
pub struct TestTypes;

impl Types for TestTypes {
    type Function = TestFn;
    type Upvalue = TestUpval;
    type Thread = TestThread;
}

/// A closure-like object: references values and upvalues.
#[derive(Debug, Default, Clone)]
pub struct TestFn {
    /// Values the function refers to (like constants).
    pub refs: Vec<Value>,
    /// The function's upvalues.
    pub upvals: Vec<UpvalRef>,
}

impl Trace for TestFn {
    fn trace(&self, m: &mut Marker<'_>) {
        m.mark_values(&self.refs);
        for u in &self.upvals {
            m.mark_upval(*u);
        }
    }
    fn extra_bytes(&self) -> usize {
        self.refs.capacity() * std::mem::size_of::<Value>()
            + self.upvals.capacity() * std::mem::size_of::<UpvalRef>()
    }
}

/// An upvalue cell.
#[derive(Debug, Default, Clone)]
pub struct TestUpval {
    /// The value held.
    pub value: Value,
}

impl Trace for TestUpval {
    fn trace(&self, m: &mut Marker<'_>) {
        m.mark_value(self.value);
    }
}

/// A thread: a stack written without barriers.
#[derive(Debug, Default, Clone)]
pub struct TestThread {
    /// The stack's values.
    pub stack: Vec<Value>,
}

impl Trace for TestThread {
    fn trace(&self, m: &mut Marker<'_>) {
        m.mark_values(&self.stack);
    }
    fn extra_bytes(&self) -> usize {
        self.stack.capacity() * std::mem::size_of::<Value>()
    }
    fn retrace_in_atomic(&self) -> bool {
        true
    }
}
