//! The few operating-system calls `ferrous-lua` needs beyond the standard
//! library: raw terminal mode for the line editor, the terminal width, and
//! SIGINT handling (lua.c turns Ctrl-C during a call into the error
//! "interrupted!").
//!
//! Only Linux on x86-64 and aarch64 is supported, where the C library's
//! `struct termios` has the layout declared below (glibc and musl agree);
//! elsewhere the functions report "unsupported" and the interpreter falls
//! back to plain line reading and the default SIGINT behaviour.
//!
//! Every `unsafe` block is a single foreign call whose pointer arguments
//! point to live, properly sized Rust values.

#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod imp {
    use std::os::raw::{c_int, c_ulong};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Mutex;

    /// `struct termios` of Linux's C libraries (NCCS = 32).
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Termios {
        c_iflag: u32,
        c_oflag: u32,
        c_cflag: u32,
        c_lflag: u32,
        c_line: u8,
        c_cc: [u8; 32],
        c_ispeed: u32,
        c_ospeed: u32,
    }

    /// `struct winsize`.
    #[repr(C)]
    struct Winsize {
        ws_row: u16,
        ws_col: u16,
        ws_xpixel: u16,
        ws_ypixel: u16,
    }

    type Handler = usize;

    extern "C" {
        fn tcgetattr(fd: c_int, t: *mut Termios) -> c_int;
        fn tcsetattr(fd: c_int, optional_actions: c_int, t: *const Termios) -> c_int;
        fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
        fn signal(sig: c_int, handler: Handler) -> Handler;
        fn raise(sig: c_int) -> c_int;
    }

    // c_iflag
    const BRKINT: u32 = 0o2;
    const INPCK: u32 = 0o20;
    const ISTRIP: u32 = 0o40;
    const ICRNL: u32 = 0o400;
    const IXON: u32 = 0o2000;
    // c_cflag
    const CS8: u32 = 0o60;
    // c_lflag
    const ISIG: u32 = 0o1;
    const ICANON: u32 = 0o2;
    const ECHO: u32 = 0o10;
    const IEXTEN: u32 = 0o100000;
    // c_cc indexes
    const VTIME: usize = 5;
    const VMIN: usize = 6;
    const TCSADRAIN: c_int = 1;
    const TIOCGWINSZ: c_ulong = 0x5413;

    const SIGHUP: c_int = 1;
    const SIGINT: c_int = 2;
    const SIGQUIT: c_int = 3;
    const SIGTERM: c_int = 15;
    const SIG_DFL: Handler = 0;
    const SIG_IGN: Handler = 1;
    const SIG_ERR: Handler = !0;

    /// The settings to restore, while raw mode is on. The signal handler
    /// reads it with `try_lock` (an atomic exchange, never blocking).
    static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

    const FATAL: [c_int; 4] = [SIGHUP, SIGINT, SIGQUIT, SIGTERM];

    fn get_attr() -> Option<Termios> {
        let mut t = Termios {
            c_iflag: 0,
            c_oflag: 0,
            c_cflag: 0,
            c_lflag: 0,
            c_line: 0,
            c_cc: [0; 32],
            c_ispeed: 0,
            c_ospeed: 0,
        };
        // SAFETY: `t` is a valid, writable termios.
        let r = unsafe { tcgetattr(0, &mut t) };
        (r == 0).then_some(t)
    }

    fn set_attr(t: &Termios) -> bool {
        // SAFETY: `t` points to a valid termios.
        unsafe { tcsetattr(0, TCSADRAIN, t) == 0 }
    }

    /// A terminal signal while raw mode is on: restore the settings, then
    /// die of the signal as if we had not caught it.
    extern "C" fn on_fatal_signal(sig: c_int) {
        if let Ok(g) = SAVED.try_lock() {
            if let Some(t) = g.as_ref() {
                set_attr(t);
            }
        }
        // SAFETY: plain calls with integer arguments; both are
        // async-signal-safe.
        unsafe {
            signal(sig, SIG_DFL);
            raise(sig);
        }
    }

    /// Raw mode on standard input; dropping it restores the settings.
    pub struct RawMode {
        orig: Termios,
        old_handlers: [Handler; 4],
    }

    impl RawMode {
        /// Switches the terminal on standard input to raw mode (no echo,
        /// no line buffering, no signals from keys, no CR translation,
        /// byte-at-a-time reads).
        pub fn enable() -> Option<RawMode> {
            let orig = get_attr()?;
            let mut raw = orig;
            raw.c_iflag &= !(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
            raw.c_cflag |= CS8;
            raw.c_lflag &= !(ECHO | ICANON | IEXTEN | ISIG);
            raw.c_cc[VMIN] = 1;
            raw.c_cc[VTIME] = 0;
            *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(orig);
            let mut old_handlers = [SIG_DFL; 4];
            for (i, &sig) in FATAL.iter().enumerate() {
                // SAFETY: installs an `extern "C" fn(c_int)` handler.
                let old =
                    unsafe { signal(sig, on_fatal_signal as extern "C" fn(c_int) as Handler) };
                if old == SIG_IGN {
                    // Keep ignoring what the parent told us to ignore.
                    // SAFETY: as above, with SIG_IGN.
                    unsafe { signal(sig, SIG_IGN) };
                }
                old_handlers[i] = if old == SIG_ERR { SIG_DFL } else { old };
            }
            if !set_attr(&raw) {
                let g = RawMode { orig, old_handlers };
                drop(g);
                return None;
            }
            Some(RawMode { orig, old_handlers })
        }
    }

    impl Drop for RawMode {
        fn drop(&mut self) {
            set_attr(&self.orig);
            *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = None;
            for (i, &sig) in FATAL.iter().enumerate() {
                // SAFETY: puts back the handler `signal` returned before.
                unsafe { signal(sig, self.old_handlers[i]) };
            }
        }
    }

    /// Columns of the terminal on standard output (80 if unknown).
    pub fn width() -> usize {
        let mut ws = Winsize {
            ws_row: 0,
            ws_col: 0,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCGWINSZ writes one `struct winsize` through the pointer.
        let r = unsafe { ioctl(1, TIOCGWINSZ, &mut ws as *mut Winsize) };
        if r == 0 && ws.ws_col > 0 {
            ws.ws_col as usize
        } else {
            80
        }
    }

    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    /// lua.c's `laction`: note the interrupt; a second Ctrl-C before the
    /// script notices kills the process (default action).
    extern "C" fn on_sigint(sig: c_int) {
        // SAFETY: async-signal-safe call with integer arguments.
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

    pub const SUPPORTED: bool = true;
}

#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
mod imp {
    /// Raw mode is not available on this platform.
    pub struct RawMode;

    impl RawMode {
        pub fn enable() -> Option<RawMode> {
            None
        }
    }

    pub fn width() -> usize {
        80
    }

    pub fn catch_interrupt(_on: bool) {}

    pub fn take_interrupt() -> bool {
        false
    }

    pub const SUPPORTED: bool = false;
}

pub use imp::{catch_interrupt, take_interrupt, width, RawMode, SUPPORTED};
