//! The process's standard output as `print` and `io.write` share it.
//!
//! C's stdio buffers stdout fully when it is not a terminal; Rust's
//! `Stdout` flushes at every newline. Both print and io.write go through
//! this one buffer, so their output keeps its order and large outputs do
//! not cost a system call per line. Call [`flush_stdout`] before exiting.
//!
//! An embedder can route one state's output elsewhere: while a sink is
//! installed on the running thread ([`set_thread_sink`]), `print` and
//! `io.write` write to it instead of the shared buffer (ferrous-lua's
//! facade installs each state's own sink around every call into it).

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

/// Where one state's standard output goes.
pub type Sink = Rc<RefCell<dyn Write>>;

thread_local! {
    // A `Cell`, not a `RefCell`: installing and restoring a sink happens
    // on every call an embedder makes into Lua, and a swap is the whole
    // of it.
    static SINK: std::cell::Cell<Option<Sink>> = const { std::cell::Cell::new(None) };
}

/// Installs `sink` as this thread's standard output for Lua code (`None`
/// restores the process's stdout buffer); returns the previous one.
#[inline]
pub fn set_thread_sink(sink: Option<Sink>) -> Option<Sink> {
    SINK.with(|s| s.replace(sink))
}

/// The sink installed on this thread, if any.
fn thread_sink() -> Option<Sink> {
    SINK.with(|s| {
        let cur = s.take();
        s.set(cur.clone());
        cur
    })
}

/// Writes to an installed sink (an error if the sink is busy, which only
/// a sink that runs Lua code itself can cause).
fn with_sink(
    sink: &Sink,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    match sink.try_borrow_mut() {
        Ok(mut w) => f(&mut *w).map_err(|e| e.to_string()),
        Err(_) => Err("output sink is busy".to_string()),
    }
}

struct Out {
    buf: Vec<u8>,
    tty: bool,
}

fn out() -> &'static Mutex<Out> {
    static OUT: OnceLock<Mutex<Out>> = OnceLock::new();
    OUT.get_or_init(|| {
        Mutex::new(Out {
            buf: Vec::with_capacity(1 << 16),
            tty: std::io::stdout().is_terminal(),
        })
    })
}

/// Appends bytes to standard output. Returns an error message if the
/// underlying write failed.
pub fn write_stdout(bytes: &[u8]) -> Result<(), String> {
    if let Some(sink) = thread_sink() {
        return with_sink(&sink, |w| w.write_all(bytes));
    }
    let mut o = out().lock().unwrap_or_else(|e| e.into_inner());
    o.buf.extend_from_slice(bytes);
    if o.buf.len() >= 1 << 16 || (o.tty && bytes.contains(&b'\n')) {
        let data = std::mem::take(&mut o.buf);
        let r = std::io::stdout().lock().write_all(&data);
        o.buf = data;
        o.buf.clear();
        r.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes out whatever standard output holds.
pub fn flush_stdout() -> Result<(), String> {
    if let Some(sink) = thread_sink() {
        return with_sink(&sink, |w| w.flush());
    }
    let mut o = out().lock().unwrap_or_else(|e| e.into_inner());
    if !o.buf.is_empty() {
        let data = std::mem::take(&mut o.buf);
        let mut so = std::io::stdout().lock();
        let r = so.write_all(&data).and_then(|_| so.flush());
        o.buf = data;
        o.buf.clear();
        r.map_err(|e| e.to_string())?;
    } else {
        let _ = std::io::stdout().lock().flush();
    }
    Ok(())
}
