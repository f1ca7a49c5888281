//! Ctrl-C while Lua code runs: lua.c turns SIGINT during a call into the
//! error "interrupted!", raised where the running code next checks.
//!
//! The handler is installed only around calls (`catch_interrupt(true)`),
//! so at the prompt Ctrl-C belongs to the line editor. On Unix the one
//! foreign function is C's `signal`, whose signature, `SIGINT` (2) and
//! `SIG_DFL` (0) are the same on every Unix Rust supports; the terminal
//! itself is left to rustyline. Elsewhere Ctrl-C keeps the platform's
//! default action (it ends the process), and nothing here is compiled.

#[cfg(unix)]
mod imp {
    use std::os::raw::c_int;
    use std::sync::atomic::{AtomicBool, Ordering};

    type Handler = usize;

    extern "C" {
        fn signal(sig: c_int, handler: Handler) -> Handler;
    }

    const SIGINT: c_int = 2;
    const SIG_DFL: Handler = 0;

    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    /// lua.c's `laction`: note the interrupt; a second Ctrl-C before the
    /// script notices kills the process (default action).
    extern "C" fn on_sigint(sig: c_int) {
        // SAFETY: `signal` is async-signal-safe; integer arguments only.
        unsafe { signal(sig, SIG_DFL) };
        INTERRUPTED.store(true, Ordering::SeqCst);
    }

    /// Catches SIGINT (`on`) or restores its default action.
    pub fn catch_interrupt(on: bool) {
        INTERRUPTED.store(false, Ordering::SeqCst);
        let h = if on {
            on_sigint as extern "C" fn(c_int) as Handler
        } else {
            SIG_DFL
        };
        // SAFETY: installs a valid handler (or the default action).
        unsafe { signal(SIGINT, h) };
    }

    /// True once per SIGINT caught since `catch_interrupt(true)`.
    pub fn take_interrupt() -> bool {
        INTERRUPTED.swap(false, Ordering::SeqCst)
    }
}

#[cfg(not(unix))]
mod imp {
    /// Ctrl-C keeps its default action on this platform.
    pub fn catch_interrupt(_on: bool) {}

    /// Never: no handler is installed.
    pub fn take_interrupt() -> bool {
        false
    }
}

pub use imp::{catch_interrupt, take_interrupt};
