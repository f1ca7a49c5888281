//! The process's standard output as `print` and `io.write` share it.
//!
//! C's stdio buffers stdout fully when it is not a terminal; Rust's
//! `Stdout` flushes at every newline. Both print and io.write go through
//! this one buffer, so their output keeps its order and large outputs do
//! not cost a system call per line. Call [`flush_stdout`] before exiting.

use std::io::{IsTerminal, Write};
use std::sync::{Mutex, OnceLock};

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
