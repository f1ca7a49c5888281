//! A model of glibc's buffered `FILE` streams, for the io library.
//!
//! Lua 5.1's io library is a thin layer over C stdio, and some of what a
//! script can observe comes from stdio's buffering: what another handle on
//! the same file sees before a flush, where a write lands after a read,
//! how `fscanf("%lf")` consumes input, which reads hit a sticky end of
//! file. [`CFile`] reproduces glibc's behaviour for these: one buffer of
//! the file system's block size shared by reading and writing, writes
//! placed at the logical position after buffered reads, large reads that
//! bypass the buffer, the three buffering modes, sticky EOF and error
//! flags.
//!
//! Standard output is special: its bytes go to [`crate::output`], the
//! buffer `print` shares; standard error is unbuffered.

use std::cell::RefCell;
use std::io::{Read, Seek, SeekFrom, Write};
use std::rc::Rc;

/// `EBADF`: the stream is closed or was never open for that (errno values
/// as Linux numbers them, for the messages `strerror` gives).
pub const EBADF: i32 = 9;
/// `EINVAL`: an invalid argument (a bad `io.open` or `io.popen` mode).
pub const EINVAL: i32 = 22;
/// `ESPIPE`: seeking on a pipe or terminal.
pub const ESPIPE: i32 = 29;

/// An I/O error with a raw OS error number.
pub fn os_err(code: i32) -> std::io::Error {
    sys::os_err(code)
}

/// Buffering mode (`setvbuf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BufMode {
    /// `_IOFBF`: written out when the buffer is full.
    Full,
    /// `_IOLBF`: also written out at each newline.
    Line,
    /// `_IONBF`: every write goes straight to the OS.
    None,
}

/// How `close` treats a stream (Lua 5.1 keeps this in the file's
/// environment as `__close`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseKind {
    /// `fclose`.
    File,
    /// A standard stream: "cannot close standard file".
    Std,
    /// `pclose`: waits for the command.
    Pipe,
}

/// What is underneath a stream.
pub enum Os {
    /// A file `io.open` opened.
    File(std::fs::File),
    /// Standard input, read through a duplicate of descriptor 0 so that
    /// nothing else buffers it; `None` if it could not be duplicated (reads
    /// then fail with `EBADF`, seeks too) or on systems without
    /// descriptors (reads through `sys::read_stdin`).
    Stdin(Option<std::fs::File>),
    /// Standard output, through the process-wide output stream
    /// (`crate::output`).
    Stdout,
    /// Standard output's descriptor itself: what the stream of
    /// `crate::output` writes to.
    StdoutFd,
    /// Standard error (unbuffered, as in C).
    Stderr,
    /// The output of an `io.popen(cmd, "r")` command.
    PipeRead(std::process::ChildStdout),
    /// The input of an `io.popen(cmd, "w")` command.
    PipeWrite(std::process::ChildStdin),
}

impl Os {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let r = match self {
                Os::File(f) => f.read(buf),
                Os::Stdin(Some(f)) => f.read(buf),
                Os::Stdin(None) => sys::read_stdin(buf),
                Os::PipeRead(p) => p.read(buf),
                _ => Err(os_err(EBADF)),
            };
            match r {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }

    fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self {
            Os::File(f) => f.write_all(data),
            Os::Stdout => crate::output::write_stdout_io(data),
            Os::StdoutFd => {
                let mut o = std::io::stdout().lock();
                o.write_all(data).and_then(|_| o.flush())
            }
            Os::Stderr => {
                let mut e = std::io::stderr().lock();
                e.write_all(data).and_then(|_| e.flush())
            }
            Os::PipeWrite(p) => p.write_all(data),
            _ => Err(os_err(EBADF)),
        }
    }

    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Os::File(f) => f.seek(pos),
            Os::Stdin(Some(f)) => f.seek(pos),
            Os::Stdin(None) => Err(os_err(EBADF)),
            Os::Stdout | Os::StdoutFd => sys::seek_std(false, pos),
            Os::Stderr => sys::seek_std(true, pos),
            Os::PipeRead(_) | Os::PipeWrite(_) => Err(os_err(ESPIPE)),
        }
    }
}

/// One stream: glibc's `FILE`, reduced to what can be observed.
pub struct CFile {
    /// `None` once closed.
    os: Option<Os>,
    /// The command of a `popen` stream, waited for at close.
    child: Option<std::process::Child>,
    /// What `close` does with this stream.
    pub close_kind: CloseKind,
    readable: bool,
    writable: bool,
    append: bool,
    mode: BufMode,
    /// Buffer size (the file's block size; 1 when unbuffered).
    bufsize: usize,
    /// Get area: `rbuf[rpos..]` is read but not yet consumed. The end of
    /// `rbuf` corresponds to the descriptor's position.
    rbuf: Vec<u8>,
    rpos: usize,
    /// Put area: bytes written but not yet flushed, which belong at buffer
    /// offset `wbase` (the descriptor is at offset `rbuf.len()`).
    wbuf: Vec<u8>,
    wbase: usize,
    /// Room in the put area (glibc's write_end - write_base).
    wcap: usize,
    putting: bool,
    eof: bool,
    /// errno of the last failure, while the error flag is set.
    err: Option<i32>,
}

fn block_size(os: &Os) -> usize {
    // glibc's _IO_file_doallocate: BUFSIZ, or the file's st_blksize
    // when that is smaller.
    const BUFSIZ: usize = 8192;
    let size = match os {
        Os::File(f) => f.metadata().ok().map(|m| sys::block_size(&m)),
        Os::Stdin(Some(f)) => f.metadata().ok().map(|m| sys::block_size(&m)),
        Os::StdoutFd => sys::stdout_block_size(),
        _ => None,
    };
    match size {
        Some(n) if n > 0 && n < BUFSIZ as u64 => n as usize,
        Some(_) => BUFSIZ,
        None => 4096,
    }
}

impl CFile {
    /// The stream over standard output's descriptor that `crate::output`
    /// keeps: line buffered on a terminal, fully buffered otherwise.
    pub(crate) fn stdout_stream() -> CFile {
        use std::io::IsTerminal;
        let os = Os::StdoutFd;
        let bufsize = block_size(&os);
        let mode = if std::io::stdout().is_terminal() {
            BufMode::Line
        } else {
            BufMode::Full
        };
        CFile::raw(os, false, true, false, CloseKind::Std, mode, bufsize)
    }

    #[allow(clippy::too_many_arguments)]
    fn raw(
        os: Os,
        readable: bool,
        writable: bool,
        append: bool,
        close_kind: CloseKind,
        mode: BufMode,
        bufsize: usize,
    ) -> CFile {
        CFile {
            os: Some(os),
            child: None,
            close_kind,
            readable,
            writable,
            append,
            mode,
            bufsize: if mode == BufMode::None { 1 } else { bufsize },
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
            wbase: 0,
            wcap: 0,
            putting: false,
            eof: false,
            err: None,
        }
    }

    /// The buffering mode.
    pub fn buf_mode(&self) -> BufMode {
        self.mode
    }

    /// A stream over `os` (the io library lists it in its state for
    /// `fflush(NULL)`, see `io::flush_all_files`).
    pub fn new(
        os: Os,
        readable: bool,
        writable: bool,
        append: bool,
        close_kind: CloseKind,
    ) -> Rc<RefCell<CFile>> {
        let bufsize = block_size(&os);
        let mode = match os {
            Os::Stderr => BufMode::None,
            Os::Stdin(_) => {
                use std::io::IsTerminal;
                if std::io::stdin().is_terminal() {
                    BufMode::Line
                } else {
                    BufMode::Full
                }
            }
            _ => BufMode::Full,
        };
        let f = Rc::new(RefCell::new(CFile::raw(
            os, readable, writable, append, close_kind, mode, bufsize,
        )));
        f
    }

    /// Attaches the command a `popen` stream talks to.
    pub fn set_child(&mut self, child: std::process::Child) {
        self.child = Some(child);
    }

    /// True if the stream was opened for reading.
    pub fn is_readable(&self) -> bool {
        self.readable
    }

    /// True once the stream was closed (`io.type` says "closed file").
    pub fn is_closed(&self) -> bool {
        self.os.is_none()
    }

    /// An address-like identity for `tostring`.
    pub fn id(this: &Rc<RefCell<CFile>>) -> usize {
        Rc::as_ptr(this) as usize
    }

    /// `clearerr`.
    pub fn clear_err(&mut self) {
        self.eof = false;
        self.err = None;
    }

    /// `ferror`: the errno of the failure, if the error flag is set.
    pub fn error(&self) -> Option<i32> {
        self.err
    }

    fn fail(&mut self, e: &std::io::Error) -> std::io::Error {
        let code = sys::errno(e).unwrap_or(5);
        self.err = Some(code);
        os_err(code)
    }

    fn is_stdout(&self) -> bool {
        matches!(self.os, Some(Os::Stdout))
    }

    // ------------------------------------------------------- writing

    /// Writes the put area out (glibc's `_IO_do_write` of it); a no-op
    /// when it is empty.
    fn flush_put(&mut self) -> std::io::Result<()> {
        if !self.putting || self.wbuf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.wbuf);
        let r = self.do_write(&data);
        self.wbuf = data;
        self.wbuf.clear();
        r
    }

    /// glibc's `new_do_write`: writes `data` at the logical position (the
    /// descriptor sits at the end of what was read, the put area starts at
    /// `wbase`), then empties both areas.
    fn do_write(&mut self, data: &[u8]) -> std::io::Result<()> {
        let back = self.rbuf.len() as i64 - self.wbase as i64;
        let r = match self.os.as_mut() {
            None => Err(os_err(EBADF)),
            Some(os) => {
                if !self.append && back != 0 {
                    os.seek(SeekFrom::Current(-back)).map(|_| ())
                } else {
                    Ok(())
                }
            }
        };
        let r = r.and_then(|_| match self.os.as_mut() {
            Some(os) => os.write_all(data),
            None => Err(os_err(EBADF)),
        });
        self.rbuf.clear();
        self.rpos = 0;
        self.wbase = 0;
        self.wcap = self.full_cap();
        r.map_err(|e| self.fail(&e))
    }

    /// Room of the put area after a write-out: the whole buffer when fully
    /// buffered, none otherwise (every byte goes through `overflow`).
    fn full_cap(&self) -> usize {
        match self.mode {
            BufMode::Full => self.bufsize,
            _ => 0,
        }
    }

    /// Switches to writing (glibc's `_IO_new_file_overflow` set-up): the
    /// put area starts at the read position.
    fn start_put(&mut self) {
        if self.putting {
            return;
        }
        self.putting = true;
        if self.rpos >= self.bufsize {
            self.rbuf.clear();
            self.rpos = 0;
        }
        // What was read ahead leaves the get area; rbuf's length still
        // marks where the descriptor is.
        self.wbase = self.rpos;
        self.rpos = self.rbuf.len();
        self.wcap = match self.mode {
            BufMode::Full => self.bufsize.saturating_sub(self.wbase),
            _ => 0,
        };
    }

    /// glibc's `_IO_new_file_overflow(f, c)` for one byte.
    fn overflow_byte(&mut self, c: u8) -> std::io::Result<()> {
        if self.wbase + self.wbuf.len() >= self.bufsize {
            self.flush_put()?;
        }
        self.wbuf.push(c);
        if self.mode == BufMode::None || (self.mode == BufMode::Line && c == b'\n') {
            self.flush_put()?;
        }
        Ok(())
    }

    /// `fwrite` (glibc's `_IO_new_file_xsputn`).
    pub fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        if self.os.is_none() {
            return Err(os_err(EBADF));
        }
        if !self.writable {
            self.err = Some(EBADF);
            return Err(os_err(EBADF));
        }
        if data.is_empty() {
            return Ok(());
        }
        if self.is_stdout() {
            // Standard output's stream is crate::output's.
            let r = self.os.as_mut().map_or(Ok(()), |o| o.write_all(data));
            return r.map_err(|e| self.fail(&e));
        }
        if matches!(self.os, Some(Os::Stderr)) {
            let r = self.os.as_mut().map_or(Ok(()), |o| o.write_all(data));
            return r.map_err(|e| self.fail(&e));
        }
        // First fill the room the put area has.
        let n = data.len();
        let mut count = 0;
        let mut must_flush = false;
        if self.putting && self.mode == BufMode::Line {
            count = self.bufsize.saturating_sub(self.wbase + self.wbuf.len());
            if count >= n {
                if let Some(p) = data.iter().rposition(|&c| c == b'\n') {
                    count = p + 1;
                    must_flush = true;
                }
            }
        } else if self.putting && self.wcap > self.wbuf.len() {
            count = self.wcap - self.wbuf.len();
        }
        let count = count.min(n);
        self.wbuf.extend_from_slice(&data[..count]);
        let rest = &data[count..];
        if rest.is_empty() && !must_flush {
            return Ok(());
        }
        // Then write the buffer out, whole blocks directly, and buffer the
        // remainder byte by byte.
        if self.putting {
            self.flush_put()?;
        } else {
            self.start_put();
        }
        let block = self.bufsize;
        let direct = rest.len() - if block >= 128 { rest.len() % block } else { 0 };
        if direct > 0 {
            self.do_write(&rest[..direct])?;
        }
        let mut rem = &rest[direct..];
        while !rem.is_empty() {
            let room = self.wcap.saturating_sub(self.wbuf.len());
            if room > 0 {
                let k = room.min(rem.len());
                self.wbuf.extend_from_slice(&rem[..k]);
                rem = &rem[k..];
            } else {
                self.overflow_byte(rem[0])?;
                rem = &rem[1..];
            }
        }
        Ok(())
    }

    /// `fflush`.
    pub fn flush(&mut self) -> std::io::Result<()> {
        if self.os.is_none() {
            return Err(os_err(EBADF));
        }
        if self.is_stdout() {
            return crate::output::flush_stdout().map_err(std::io::Error::other);
        }
        if self.putting {
            self.flush_put()?;
        } else if self.rpos < self.rbuf.len() {
            // glibc moves a file back to the logical position and drops
            // what it had read ahead.
            let back = (self.rbuf.len() - self.rpos) as i64;
            if let Some(Os::File(f)) = self.os.as_mut() {
                if f.seek(SeekFrom::Current(-back)).is_ok() {
                    self.rbuf.clear();
                    self.rpos = 0;
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------- reading

    /// Refills the get area; false at end of file or on error.
    fn underflow(&mut self) -> bool {
        if self.rpos < self.rbuf.len() && !self.putting {
            return true;
        }
        if self.eof || self.os.is_none() {
            return false;
        }
        if !self.readable {
            self.err = Some(EBADF);
            return false;
        }
        // glibc flushes a line-buffered stdout before a line-buffered or
        // unbuffered stream reads.
        if self.mode != BufMode::Full
            && !matches!(self.os, Some(Os::StdoutFd))
            && crate::output::stdout_line_buffered()
        {
            let _ = crate::output::flush_stdout();
        }
        if self.putting {
            let r = self.flush_put();
            self.putting = false;
            if r.is_err() {
                return false;
            }
        }
        self.rbuf.resize(self.bufsize, 0);
        self.rpos = 0;
        let r = match self.os.as_mut() {
            Some(os) => os.read(&mut self.rbuf),
            None => Ok(0),
        };
        match r {
            Ok(0) => {
                self.rbuf.clear();
                self.eof = true;
                false
            }
            Ok(n) => {
                self.rbuf.truncate(n);
                true
            }
            Err(e) => {
                self.rbuf.clear();
                self.fail(&e);
                false
            }
        }
    }

    /// `getc`.
    pub fn getc(&mut self) -> Option<u8> {
        if (self.putting || self.rpos >= self.rbuf.len()) && !self.underflow() {
            return None;
        }
        let c = self.rbuf.get(self.rpos).copied()?;
        self.rpos += 1;
        Some(c)
    }

    /// `ungetc` of the byte `getc` just returned.
    pub fn ungetc(&mut self, c: u8) {
        if self.rpos > 0 && self.rbuf.get(self.rpos - 1) == Some(&c) {
            self.rpos -= 1;
        } else {
            self.rbuf.insert(self.rpos, c);
        }
        self.eof = false;
    }

    /// `fgets` with room for `max` bytes: appends up to `max` bytes, through
    /// the first newline. False if nothing was read.
    pub fn gets(&mut self, out: &mut Vec<u8>, max: usize) -> bool {
        let mut n = 0;
        while n < max {
            if (self.putting || self.rpos >= self.rbuf.len()) && !self.underflow() {
                break;
            }
            let avail = self.rbuf.get(self.rpos..).unwrap_or(&[]);
            if avail.is_empty() {
                break;
            }
            let take = avail.len().min(max - n);
            let chunk = &avail[..take];
            if let Some(nl) = chunk.iter().position(|&c| c == b'\n') {
                out.extend_from_slice(&chunk[..=nl]);
                self.rpos += nl + 1;
                return true;
            }
            out.extend_from_slice(chunk);
            self.rpos += take;
            n += take;
        }
        n > 0 && self.err.is_none()
    }

    /// `fread` of up to `want` bytes, appended to `out`; returns the count.
    pub fn read(&mut self, out: &mut Vec<u8>, mut want: usize) -> usize {
        let mut got = 0;
        if self.os.is_none() {
            return 0;
        }
        if !self.readable {
            self.err = Some(EBADF);
            return 0;
        }
        while want > 0 {
            let have = if self.putting {
                0
            } else {
                self.rbuf.len().saturating_sub(self.rpos)
            };
            if want <= have {
                out.extend_from_slice(&self.rbuf[self.rpos..self.rpos + want]);
                self.rpos += want;
                got += want;
                break;
            }
            if have > 0 {
                out.extend_from_slice(&self.rbuf[self.rpos..]);
                self.rpos += have;
                want -= have;
                got += have;
            }
            if want < self.bufsize {
                if !self.underflow() {
                    break;
                }
                continue;
            }
            // A large read goes straight to the descriptor; glibc drops
            // whatever the put area held at this point.
            self.rbuf.clear();
            self.rpos = 0;
            self.wbuf.clear();
            self.putting = false;
            self.wbase = 0;
            let count = if self.bufsize >= 128 {
                want - want % self.bufsize
            } else {
                want
            };
            let start = out.len();
            out.resize(start + count, 0);
            let r = match self.os.as_mut() {
                Some(os) => os.read(&mut out[start..]),
                None => Ok(0),
            };
            match r {
                Ok(0) => {
                    out.truncate(start);
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    out.truncate(start + n);
                    want -= n;
                    got += n;
                }
                Err(e) => {
                    out.truncate(start);
                    self.fail(&e);
                    break;
                }
            }
        }
        got
    }

    // --------------------------------------------------------- misc

    /// `fseek` followed by `ftell`: the new position.
    pub fn seek(&mut self, whence: SeekFrom) -> std::io::Result<u64> {
        if self.os.is_none() {
            return Err(os_err(EBADF));
        }
        if self.is_stdout() {
            crate::output::flush_stdout().map_err(std::io::Error::other)?;
        }
        // Pending output goes out first; then the descriptor is at the
        // logical position except for what was read ahead.
        if self.putting {
            let r = self.flush_put();
            self.putting = false;
            r?;
        }
        let unread = self.rbuf.len().saturating_sub(self.rpos) as i64;
        let target = match whence {
            SeekFrom::Current(off) => SeekFrom::Current(off - unread),
            other => other,
        };
        self.rbuf.clear();
        self.rpos = 0;
        let r = match self.os.as_mut() {
            Some(os) => os.seek(target),
            None => Err(os_err(EBADF)),
        };
        match r {
            Ok(p) => {
                self.eof = false;
                Ok(p)
            }
            Err(e) => Err(self.fail(&e)),
        }
    }

    /// `setvbuf` with glibc's buffer handling: "no" flushes and switches
    /// to a one-byte buffer for good; "full" and "line" keep the buffer
    /// the stream has.
    pub fn setvbuf(&mut self, mode: BufMode) -> std::io::Result<()> {
        if self.is_stdout() {
            self.mode = mode;
            return crate::output::set_stdout_mode(mode);
        }
        self.mode = mode;
        if mode == BufMode::None {
            self.flush()?;
            self.bufsize = 1;
            self.rbuf.clear();
            self.rpos = 0;
            self.wbase = 0;
            self.wcap = 0;
        }
        Ok(())
    }

    /// `fclose`/`pclose`: flushes, releases the descriptor, waits for a
    /// command.
    pub fn close(&mut self) -> std::io::Result<()> {
        let r = if self.os.is_some() && !self.is_stdout() {
            self.flush()
        } else {
            Ok(())
        };
        self.os = None;
        self.rbuf = Vec::new();
        self.wbuf = Vec::new();
        self.putting = false;
        if let Some(mut c) = self.child.take() {
            c.wait()?;
        }
        r
    }
}

impl Drop for CFile {
    fn drop(&mut self) {
        if self.os.is_some() && self.close_kind != CloseKind::Std {
            let _ = self.close();
        } else if self.putting {
            let _ = self.flush();
        }
    }
}

/// The system's text for an error, without Rust's " (os error N)".
fn system_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// What the io and os libraries do differently by platform: standard
/// streams, the shell, file names and environment as bytes, error
/// numbers and their texts.
///
/// On Unix everything is what Lua 5.1 does over glibc: descriptors,
/// `/bin/sh -c`, byte names, the OS's errno and `strerror`. Elsewhere
/// (Windows) the same functions use portable std code: the command
/// interpreter `cmd /C`, names and environment through UTF-8, standard
/// input through Rust's `Stdin` (which the interpreter's own reads share),
/// and errors carry Linux's errno number and glibc's text so scripts see
/// the messages they see on Linux.
#[cfg(unix)]
pub mod sys {
    use std::ffi::{OsStr, OsString};
    use std::os::unix::ffi::OsStrExt;

    /// The bytes of an OS string (Unix names are bytes).
    pub fn os_bytes(s: &OsStr) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    /// An OS string from Lua bytes.
    pub fn bytes_os(b: &[u8]) -> std::io::Result<OsString> {
        Ok(OsStr::from_bytes(b).to_owned())
    }

    /// An I/O error with errno `code`.
    pub fn os_err(code: i32) -> std::io::Error {
        std::io::Error::from_raw_os_error(code)
    }

    /// The errno of an error, if it has one.
    pub fn errno(e: &std::io::Error) -> Option<i32> {
        e.raw_os_error()
    }

    /// `strerror` of the error.
    pub fn error_text(e: &std::io::Error) -> String {
        super::system_text(e)
    }

    /// Standard input for the io library: a duplicate of descriptor 0.
    pub fn dup_stdin() -> Option<std::fs::File> {
        use std::os::fd::AsFd;
        std::io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .ok()
            .map(std::fs::File::from)
    }

    /// Reads standard input when [`dup_stdin`] gave nothing: fails.
    pub fn read_stdin(_buf: &mut [u8]) -> std::io::Result<usize> {
        Err(os_err(super::EBADF))
    }

    /// `lseek` on standard output (`err` false) or standard error.
    pub fn seek_std(err: bool, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        use std::io::Seek;
        use std::os::fd::AsFd;
        let fd = if err {
            std::io::stderr().as_fd().try_clone_to_owned()?
        } else {
            std::io::stdout().as_fd().try_clone_to_owned()?
        };
        std::fs::File::from(fd).seek(pos)
    }

    /// The file's block size (`st_blksize`).
    pub fn block_size(meta: &std::fs::Metadata) -> u64 {
        use std::os::unix::fs::MetadataExt;
        meta.blksize()
    }

    /// Standard output's block size.
    pub fn stdout_block_size() -> Option<u64> {
        use std::os::fd::AsFd;
        let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
        let meta = std::fs::File::from(fd).metadata().ok()?;
        Some(block_size(&meta))
    }

    /// `sh -c cmd`, as `popen` and `system` run a command.
    pub fn shell(cmd: &[u8]) -> std::io::Result<std::process::Command> {
        let mut c = std::process::Command::new("/bin/sh");
        c.arg("-c").arg(OsStr::from_bytes(cmd));
        Ok(c)
    }

    /// `system(NULL)`: is there a shell?
    pub fn shell_available() -> bool {
        std::path::Path::new("/bin/sh").exists()
    }

    /// What `system` returns for a command that ran: the wait status.
    pub fn wait_status(st: std::process::ExitStatus) -> i32 {
        use std::os::unix::process::ExitStatusExt;
        st.into_raw()
    }

    /// `system`'s result when the shell could not be started.
    pub fn no_shell_status() -> i32 {
        127 << 8
    }

    /// Makes `opts` create the file with mode 0600 (as mkstemp does).
    pub fn private_mode(opts: &mut std::fs::OpenOptions) {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }

    /// The directory and prefix of `os.tmpname`'s names.
    pub fn temp_prefix() -> Option<Vec<u8>> {
        Some(b"/tmp/lua_".to_vec())
    }

    /// C's `remove`: unlink, or rmdir for a directory.
    pub fn remove(path: &std::path::Path) -> std::io::Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.raw_os_error() == Some(21) => std::fs::remove_dir(path),
            other => other,
        }
    }

    /// C's `getenv`: the value after `NAME=` in the environment.
    pub fn getenv(name: &[u8]) -> Option<Vec<u8>> {
        if name.is_empty() {
            return None;
        }
        for (k, v) in std::env::vars_os() {
            let mut entry = k.as_bytes().to_vec();
            entry.push(b'=');
            entry.extend_from_slice(v.as_bytes());
            if entry.len() > name.len() && entry.starts_with(name) && entry[name.len()] == b'=' {
                return Some(entry[name.len() + 1..].to_vec());
            }
        }
        None
    }

    /// Processor time used, in seconds (C's `clock`).
    pub fn cpu_seconds() -> f64 {
        if let Ok(s) = std::fs::read_to_string("/proc/thread-self/schedstat") {
            if let Some(ns) = s
                .split_whitespace()
                .next()
                .and_then(|x| x.parse::<u64>().ok())
            {
                // clock() counts microseconds.
                return (ns / 1000) as f64 / 1e6;
            }
        }
        if let Ok(s) = std::fs::read_to_string("/proc/self/stat") {
            // Fields after the command name (which is in parentheses).
            if let Some(rest) = s.rfind(')').map(|i| &s[i + 1..]) {
                let f: Vec<&str> = rest.split_whitespace().collect();
                // utime and stime are fields 14 and 15: 12th and 13th here.
                let ticks = |k: usize| f.get(k).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
                return (ticks(11) + ticks(12)) as f64 / 100.0;
            }
        }
        0.0
    }

    /// Notes the process start for [`cpu_seconds`] (nothing to do here).
    pub fn start_clock() {}
}

/// See the Unix module of the same name.
#[cfg(not(unix))]
pub mod sys {
    use std::ffi::{OsStr, OsString};
    use std::io::ErrorKind;

    /// The bytes of an OS string: its UTF-8 text (lossy).
    pub fn os_bytes(s: &OsStr) -> Vec<u8> {
        s.to_string_lossy().into_owned().into_bytes()
    }

    /// An OS string from Lua bytes, which must be UTF-8.
    pub fn bytes_os(b: &[u8]) -> std::io::Result<OsString> {
        match std::str::from_utf8(b) {
            Ok(s) => Ok(OsString::from(s)),
            Err(_) => Err(os_err(super::EINVAL)),
        }
    }

    /// An errno carried inside an `io::Error`.
    #[derive(Debug)]
    struct Errno(i32);

    impl std::fmt::Display for Errno {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(text_of(self.0).unwrap_or("Unknown error"))
        }
    }

    impl std::error::Error for Errno {}

    /// (errno, kind, glibc's text) for the errors the libraries meet.
    const TABLE: &[(i32, ErrorKind, &str)] = &[
        (2, ErrorKind::NotFound, "No such file or directory"),
        (4, ErrorKind::Interrupted, "Interrupted system call"),
        (5, ErrorKind::Other, "Input/output error"),
        (9, ErrorKind::Other, "Bad file descriptor"),
        (13, ErrorKind::PermissionDenied, "Permission denied"),
        (16, ErrorKind::ResourceBusy, "Device or resource busy"),
        (17, ErrorKind::AlreadyExists, "File exists"),
        (18, ErrorKind::CrossesDevices, "Invalid cross-device link"),
        (20, ErrorKind::NotADirectory, "Not a directory"),
        (21, ErrorKind::IsADirectory, "Is a directory"),
        (22, ErrorKind::InvalidInput, "Invalid argument"),
        (27, ErrorKind::FileTooLarge, "File too large"),
        (28, ErrorKind::StorageFull, "No space left on device"),
        (29, ErrorKind::NotSeekable, "Illegal seek"),
        (30, ErrorKind::ReadOnlyFilesystem, "Read-only file system"),
        (32, ErrorKind::BrokenPipe, "Broken pipe"),
        (39, ErrorKind::DirectoryNotEmpty, "Directory not empty"),
    ];

    fn text_of(code: i32) -> Option<&'static str> {
        TABLE.iter().find(|t| t.0 == code).map(|t| t.2)
    }

    /// An I/O error with (Linux's) errno `code`.
    pub fn os_err(code: i32) -> std::io::Error {
        let kind = TABLE
            .iter()
            .find(|t| t.0 == code)
            .map_or(ErrorKind::Other, |t| t.1);
        std::io::Error::new(kind, Errno(code))
    }

    /// Windows error codes and the errno the C library of Windows gives
    /// for them (its `_dosmaperr`), for those the kind does not tell.
    const WINDOWS: &[(i32, i32)] = &[
        (2, 2),    // ERROR_FILE_NOT_FOUND: ENOENT
        (3, 2),    // ERROR_PATH_NOT_FOUND
        (5, 13),   // ERROR_ACCESS_DENIED: EACCES
        (6, 9),    // ERROR_INVALID_HANDLE: EBADF
        (32, 13),  // ERROR_SHARING_VIOLATION
        (80, 17),  // ERROR_FILE_EXISTS: EEXIST
        (87, 22),  // ERROR_INVALID_PARAMETER: EINVAL
        (109, 32), // ERROR_BROKEN_PIPE: EPIPE
        (112, 28), // ERROR_DISK_FULL: ENOSPC
        (123, 2),  // ERROR_INVALID_NAME
        (131, 22), // ERROR_NEGATIVE_SEEK
        (145, 39), // ERROR_DIR_NOT_EMPTY: ENOTEMPTY
        (183, 17), // ERROR_ALREADY_EXISTS
        (232, 32), // ERROR_NO_DATA
        (267, 20), // ERROR_DIRECTORY: ENOTDIR
    ];

    /// The errno of an error: ours, the one the system's code maps to, or
    /// the one its kind corresponds to.
    pub fn errno(e: &std::io::Error) -> Option<i32> {
        if let Some(Errno(n)) = e.get_ref().and_then(|r| r.downcast_ref::<Errno>()) {
            return Some(*n);
        }
        if cfg!(windows) {
            if let Some(code) = e.raw_os_error() {
                if let Some(&(_, n)) = WINDOWS.iter().find(|w| w.0 == code) {
                    return Some(n);
                }
            }
        }
        let kind = e.kind();
        if kind == ErrorKind::Other {
            return None;
        }
        TABLE.iter().find(|t| t.1 == kind).map(|t| t.0)
    }

    /// glibc's text for the error (the system's when it has no errno).
    pub fn error_text(e: &std::io::Error) -> String {
        match errno(e).and_then(text_of) {
            Some(t) => t.to_string(),
            None => super::system_text(e),
        }
    }

    /// No duplicate: standard input is read through [`read_stdin`].
    pub fn dup_stdin() -> Option<std::fs::File> {
        None
    }

    /// Reads standard input through Rust's `Stdin`, whose buffer the
    /// interpreter's own reads of standard input share.
    pub fn read_stdin(buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::Read;
        std::io::stdin().read(buf)
    }

    /// Standard output and error cannot be positioned here.
    pub fn seek_std(_err: bool, _pos: std::io::SeekFrom) -> std::io::Result<u64> {
        Err(os_err(super::ESPIPE))
    }

    /// No block size from the system: 4096.
    pub fn block_size(_meta: &std::fs::Metadata) -> u64 {
        4096
    }

    /// Standard output's block size: 4096.
    pub fn stdout_block_size() -> Option<u64> {
        Some(4096)
    }

    /// `cmd /C cmd`, as the C library of Windows runs a command.
    pub fn shell(cmd: &[u8]) -> std::io::Result<std::process::Command> {
        let text = bytes_os(cmd)?;
        let comspec = std::env::var_os("COMSPEC").unwrap_or_else(|| OsString::from("cmd.exe"));
        let mut c = std::process::Command::new(comspec);
        c.arg("/C");
        #[cfg(windows)]
        {
            // The command line as written: cmd does its own parsing.
            use std::os::windows::process::CommandExt;
            c.raw_arg(text);
        }
        #[cfg(not(windows))]
        c.arg(text);
        Ok(c)
    }

    /// `system(NULL)`: is there a command interpreter?
    pub fn shell_available() -> bool {
        std::env::var_os("COMSPEC").is_some()
    }

    /// What `system` returns for a command that ran: its exit code.
    pub fn wait_status(st: std::process::ExitStatus) -> i32 {
        st.code().unwrap_or(-1)
    }

    /// `system`'s result when the interpreter could not be started.
    pub fn no_shell_status() -> i32 {
        -1
    }

    /// No permission bits to set.
    pub fn private_mode(_opts: &mut std::fs::OpenOptions) {}

    /// The directory and prefix of `os.tmpname`'s names: the system's
    /// temporary directory, if its name is UTF-8.
    pub fn temp_prefix() -> Option<Vec<u8>> {
        let dir = std::env::temp_dir();
        let mut p = dir.to_str()?.as_bytes().to_vec();
        if !p.ends_with(b"\\") && !p.ends_with(b"/") {
            p.push(b'\\');
        }
        p.extend_from_slice(b"lua_");
        Some(p)
    }

    /// C's `remove`: a file, or an empty directory.
    pub fn remove(path: &std::path::Path) -> std::io::Result<()> {
        if path.is_dir() {
            std::fs::remove_dir(path)
        } else {
            std::fs::remove_file(path)
        }
    }

    /// C's `getenv` (names as Windows compares them).
    pub fn getenv(name: &[u8]) -> Option<Vec<u8>> {
        let name = std::str::from_utf8(name).ok()?;
        if name.is_empty() || name.contains('=') {
            return None;
        }
        std::env::var_os(name).map(|v| os_bytes(&v))
    }

    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

    /// Seconds since the libraries were opened (Windows's `clock` counts
    /// elapsed time since the process started, not processor time).
    pub fn cpu_seconds() -> f64 {
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
    }

    /// Starts [`cpu_seconds`]'s clock.
    pub fn start_clock() {
        let _ = START.get_or_init(std::time::Instant::now);
    }
}
