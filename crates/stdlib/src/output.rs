//! The process's standard output as `print` and `io.write` share it.
//!
//! C's stdio buffers stdout fully when it is not a terminal and by lines
//! on a terminal; Rust's `Stdout` flushes at every newline. Both print and
//! io.write go through this one stream, a [`CFile`] with glibc's rules
//! (buffer of the descriptor's block size, at most `BUFSIZ`; writes that
//! overflow it write the buffer and then whole blocks directly; the
//! `setvbuf` modes), so their output keeps its order, large outputs do not
//! cost a system call per line, and what reaches the descriptor when
//! something else writes to standard error is what lua5.1 has written by
//! then. Call [`flush_stdout`] before exiting (C's `exit` does).
//!
//! An embedder can route one state's output elsewhere: while a sink is
//! installed on the running thread ([`set_thread_sink`]), `print` and
//! `io.write` write to it instead of the shared buffer (ferrous-lua's
//! facade installs each state's own sink around every call into it).

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

use crate::cfile::{BufMode, CFile};

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

/// The process's standard output stream: a [`CFile`] over descriptor 1,
/// so it buffers as glibc's `stdout` does (see the module comment).
fn stream() -> &'static Mutex<CFile> {
    static OUT: OnceLock<Mutex<CFile>> = OnceLock::new();
    OUT.get_or_init(|| Mutex::new(CFile::stdout_stream()))
}

fn lock() -> std::sync::MutexGuard<'static, CFile> {
    stream().lock().unwrap_or_else(|e| e.into_inner())
}

/// Appends bytes to standard output (one `fwrite`). Returns an error
/// message if the underlying write failed.
pub fn write_stdout(bytes: &[u8]) -> Result<(), String> {
    write_stdout_io(bytes).map_err(|e| e.to_string())
}

/// [`write_stdout`] with the I/O error itself.
pub(crate) fn write_stdout_io(bytes: &[u8]) -> std::io::Result<()> {
    if let Some(sink) = thread_sink() {
        return with_sink(&sink, |w| w.write_all(bytes)).map_err(std::io::Error::other);
    }
    lock().write(bytes)
}

/// Writes out whatever standard output holds (`fflush(stdout)`).
pub fn flush_stdout() -> Result<(), String> {
    if let Some(sink) = thread_sink() {
        return with_sink(&sink, |w| w.flush());
    }
    lock().flush().map_err(|e| e.to_string())?;
    let _ = std::io::stdout().lock().flush();
    Ok(())
}

/// `setvbuf(stdout, NULL, mode, size)` (`io.stdout:setvbuf`).
pub(crate) fn set_stdout_mode(mode: BufMode) -> std::io::Result<()> {
    lock().setvbuf(mode)
}

/// True if standard output is line buffered (glibc flushes it before a
/// line-buffered or unbuffered stream reads).
pub(crate) fn stdout_line_buffered() -> bool {
    lock().buf_mode() == BufMode::Line
}
