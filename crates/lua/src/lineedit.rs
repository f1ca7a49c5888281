//! The line editor of `ferrous-lua`'s interactive mode: key decoding,
//! editing commands, history and screen refresh, all as plain logic over
//! bytes. It performs no I/O; `term.rs` feeds it keys read from a raw-mode
//! terminal and writes what [`Editor::refresh`] produces.
//!
//! Editing is byte-based and agnostic of the encoding: every byte of the
//! line occupies one screen column, except control bytes, which show in
//! caret notation (`^I` for a tab, two columns) as readline shows them.
//! The line wraps over as many terminal rows as it needs; the refresh
//! moves back to the first row, clears to the end of the screen and
//! redraws, so long lines and shrinking lines redraw correctly.
//!
//! Keys (readline's emacs defaults): printable bytes insert; Left/Right
//! and Ctrl-B/Ctrl-F move; Home/End and Ctrl-A/Ctrl-E jump; Backspace
//! (and Ctrl-H) deletes before the cursor, Delete after it; Ctrl-U kills
//! to the start, Ctrl-K to the end, Ctrl-W the word before the cursor
//! (back to whitespace); Alt-B/Alt-F and Ctrl-Left/Ctrl-Right move by
//! words; Up/Down and Ctrl-P/Ctrl-N walk the history; Ctrl-L clears the
//! screen; Ctrl-C abandons the line; Ctrl-D deletes the byte under the
//! cursor, or ends the input on an empty line; Enter accepts.

/// One decoded key press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A byte to insert (printable ASCII, a tab, or any byte >= 0x80).
    Insert(u8),
    Enter,
    Backspace,
    Delete,
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Up,
    Down,
    /// Ctrl-U: delete from the start of the line to the cursor.
    KillStart,
    /// Ctrl-K: delete from the cursor to the end of the line.
    KillEnd,
    /// Ctrl-W: delete the whitespace-delimited word before the cursor.
    KillWord,
    /// Ctrl-C.
    Interrupt,
    /// Ctrl-D.
    EndOfFile,
    /// Ctrl-L.
    ClearScreen,
    /// Anything else (unbound control keys, unknown escape sequences).
    Ignored,
}

/// Turns the bytes a terminal sends into [`Key`]s, one byte at a time
/// (escape sequences span several bytes).
#[derive(Default, Debug)]
pub struct KeyDecoder {
    /// The escape sequence read so far (starts with ESC).
    seq: Vec<u8>,
}

/// Longest escape sequence kept before it is dropped as garbage.
const MAX_SEQ: usize = 16;

impl KeyDecoder {
    pub fn new() -> KeyDecoder {
        KeyDecoder::default()
    }

    /// True while in the middle of an escape sequence.
    #[cfg(test)]
    pub fn pending(&self) -> bool {
        !self.seq.is_empty()
    }

    /// Feeds one byte; returns a key once one is complete.
    pub fn push(&mut self, b: u8) -> Option<Key> {
        if !self.seq.is_empty() {
            return self.push_seq(b);
        }
        Some(match b {
            0x1b => {
                self.seq.push(b);
                return None;
            }
            b'\r' | b'\n' => Key::Enter,
            0x7f | 0x08 => Key::Backspace,
            0x01 => Key::Home,
            0x05 => Key::End,
            0x02 => Key::Left,
            0x06 => Key::Right,
            0x10 => Key::Up,
            0x0e => Key::Down,
            0x15 => Key::KillStart,
            0x0b => Key::KillEnd,
            0x17 => Key::KillWord,
            0x03 => Key::Interrupt,
            0x04 => Key::EndOfFile,
            0x0c => Key::ClearScreen,
            b'\t' => Key::Insert(b'\t'),
            0x00..=0x1f => Key::Ignored,
            _ => Key::Insert(b),
        })
    }

    fn push_seq(&mut self, b: u8) -> Option<Key> {
        self.seq.push(b);
        let seq = &self.seq[1..];
        let key = match seq {
            // ESC followed by a plain key: Alt-b / Alt-f, or nothing known.
            [c] if *c != b'[' && *c != b'O' => match c {
                b'b' | b'B' => Key::WordLeft,
                b'f' | b'F' => Key::WordRight,
                _ => Key::Ignored,
            },
            [b'O', c] => match c {
                b'A' => Key::Up,
                b'B' => Key::Down,
                b'C' => Key::Right,
                b'D' => Key::Left,
                b'H' => Key::Home,
                b'F' => Key::End,
                _ => Key::Ignored,
            },
            [b'[', rest @ ..] => match rest.last() {
                // CSI: parameters (digits, ';') then a final byte 0x40..=0x7e.
                Some(&f) if (0x40..=0x7e).contains(&f) => csi_key(&rest[..rest.len() - 1], f),
                _ if self.seq.len() >= MAX_SEQ => Key::Ignored,
                _ => return None,
            },
            _ => return None,
        };
        self.seq.clear();
        Some(key)
    }
}

/// The key a complete CSI sequence (`ESC [ params final`) stands for.
fn csi_key(params: &[u8], fin: u8) -> Key {
    // The modifier is the second parameter (`1;5C` is Ctrl-Right).
    let mut parts = params.split(|&c| c == b';');
    let first = parts.next().unwrap_or(&[]);
    let modifier = parts.next().unwrap_or(&[]);
    let ctrl = modifier == b"5";
    match fin {
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' if ctrl => Key::WordRight,
        b'D' if ctrl => Key::WordLeft,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        b'~' => match first {
            b"1" | b"7" => Key::Home,
            b"4" | b"8" => Key::End,
            b"3" => Key::Delete,
            _ => Key::Ignored,
        },
        _ => Key::Ignored,
    }
}

/// What the caller should do after a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Keep reading; redraw the line.
    Redraw,
    /// Keep reading; nothing changed on screen (sound the bell, maybe).
    Nothing,
    /// Clear the screen, then redraw.
    ClearScreen,
    /// The line is complete ([`Editor::line`]).
    Accept,
    /// Ctrl-C: the line is abandoned.
    Interrupt,
    /// Ctrl-D on an empty line: end of input.
    Eof,
}

/// The in-memory history: oldest first. Consecutive duplicates are kept
/// (readline's `add_history` keeps them too).
#[derive(Debug, Default, Clone)]
pub struct History {
    entries: Vec<Vec<u8>>,
    max: usize,
}

impl History {
    /// A history holding at most `max` entries (older ones drop out).
    pub fn new(max: usize) -> History {
        History {
            entries: Vec::new(),
            max: max.max(1),
        }
    }

    /// Appends an entry (empty lines are not recorded).
    pub fn add(&mut self, line: &[u8]) {
        if line.is_empty() {
            return;
        }
        self.entries.push(line.to_vec());
        if self.entries.len() > self.max {
            let drop = self.entries.len() - self.max;
            self.entries.drain(..drop);
        }
    }

    pub fn entries(&self) -> &[Vec<u8>] {
        &self.entries
    }
}

/// One history entry per line in the history file: `\n` is written as
/// `\\n` and a backslash as `\\\\`, so multi-line chunks survive.
pub fn encode_history_line(entry: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entry.len() + 1);
    for &b in entry {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
    out.push(b'\n');
    out
}

/// Reads a history file written with [`encode_history_line`].
pub fn decode_history(file: &[u8]) -> Vec<Vec<u8>> {
    let mut entries = Vec::new();
    for line in file.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        let mut e = Vec::with_capacity(line.len());
        let mut it = line.iter();
        while let Some(&b) = it.next() {
            if b == b'\\' {
                match it.next() {
                    Some(b'n') => e.push(b'\n'),
                    Some(b'r') => e.push(b'\r'),
                    Some(&c) => e.push(c),
                    None => e.push(b'\\'),
                }
            } else {
                e.push(b);
            }
        }
        entries.push(e);
    }
    entries
}

/// The state of one line being edited.
#[derive(Debug)]
pub struct Editor {
    buf: Vec<u8>,
    pos: usize,
    /// History snapshot plus the line being typed (last); edits to
    /// recalled entries live here until the line is accepted.
    lines: Vec<Vec<u8>>,
    index: usize,
    /// Terminal row of the cursor relative to the first row of the
    /// prompt, as of the last refresh.
    cursor_row: usize,
}

impl Editor {
    /// Starts editing an empty line with `history` available.
    pub fn new(history: &History) -> Editor {
        let mut lines = history.entries.clone();
        lines.push(Vec::new());
        Editor {
            buf: Vec::new(),
            pos: 0,
            index: lines.len() - 1,
            lines,
            cursor_row: 0,
        }
    }

    /// The line as edited so far.
    pub fn line(&self) -> &[u8] {
        &self.buf
    }

    /// The cursor position (a byte index into [`Editor::line`]).
    #[cfg(test)]
    pub fn cursor(&self) -> usize {
        self.pos
    }

    /// Applies one key.
    pub fn apply(&mut self, key: Key) -> Action {
        match key {
            Key::Insert(b) => {
                self.buf.insert(self.pos, b);
                self.pos += 1;
            }
            Key::Enter => return Action::Accept,
            Key::Backspace => {
                if self.pos == 0 {
                    return Action::Nothing;
                }
                self.pos -= 1;
                self.buf.remove(self.pos);
            }
            Key::Delete => {
                if self.pos >= self.buf.len() {
                    return Action::Nothing;
                }
                self.buf.remove(self.pos);
            }
            Key::EndOfFile => {
                if self.buf.is_empty() {
                    return Action::Eof;
                }
                if self.pos >= self.buf.len() {
                    return Action::Nothing;
                }
                self.buf.remove(self.pos);
            }
            Key::Left => {
                if self.pos == 0 {
                    return Action::Nothing;
                }
                self.pos -= 1;
            }
            Key::Right => {
                if self.pos >= self.buf.len() {
                    return Action::Nothing;
                }
                self.pos += 1;
            }
            Key::WordLeft => {
                // Back over non-word bytes, then over the word.
                let mut p = self.pos;
                while p > 0 && !is_word(self.buf[p - 1]) {
                    p -= 1;
                }
                while p > 0 && is_word(self.buf[p - 1]) {
                    p -= 1;
                }
                self.pos = p;
            }
            Key::WordRight => {
                let mut p = self.pos;
                let n = self.buf.len();
                while p < n && !is_word(self.buf[p]) {
                    p += 1;
                }
                while p < n && is_word(self.buf[p]) {
                    p += 1;
                }
                self.pos = p;
            }
            Key::Home => self.pos = 0,
            Key::End => self.pos = self.buf.len(),
            Key::KillStart => {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
            Key::KillEnd => self.buf.truncate(self.pos),
            Key::KillWord => {
                // readline's unix-word-rubout: whitespace, then non-space.
                let mut p = self.pos;
                while p > 0 && self.buf[p - 1].is_ascii_whitespace() {
                    p -= 1;
                }
                while p > 0 && !self.buf[p - 1].is_ascii_whitespace() {
                    p -= 1;
                }
                self.buf.drain(p..self.pos);
                self.pos = p;
            }
            Key::Up => {
                if self.index == 0 {
                    return Action::Nothing;
                }
                self.recall(self.index - 1);
            }
            Key::Down => {
                if self.index + 1 >= self.lines.len() {
                    return Action::Nothing;
                }
                self.recall(self.index + 1);
            }
            Key::Interrupt => return Action::Interrupt,
            Key::ClearScreen => return Action::ClearScreen,
            Key::Ignored => return Action::Nothing,
        }
        Action::Redraw
    }

    /// Shows history line `i` (saving the edits made to the current one).
    fn recall(&mut self, i: usize) {
        if let Some(slot) = self.lines.get_mut(self.index) {
            *slot = std::mem::take(&mut self.buf);
        }
        self.index = i;
        self.buf = self.lines.get(i).cloned().unwrap_or_default();
        self.pos = self.buf.len();
    }

    /// The bytes that redraw prompt and line on a terminal `cols` columns
    /// wide, leaving the cursor at its place. The terminal's cursor must
    /// be where the previous refresh (or the first prompt) left it.
    pub fn refresh(&mut self, prompt: &[u8], cols: usize) -> Vec<u8> {
        let cols = cols.max(1);
        let mut out = Vec::with_capacity(prompt.len() + 2 * self.buf.len() + 16);
        // Back to the first row of the prompt, column 0, and clear below.
        move_up(&mut out, self.cursor_row);
        out.extend_from_slice(b"\r\x1b[J");
        out.extend_from_slice(prompt);
        let plen = display_width(prompt);
        let mut width = plen;
        for &b in &self.buf {
            width += render_byte(&mut out, b);
        }
        // A line filling its last row exactly leaves the terminal in its
        // pending-wrap state: force the wrap so the position is known.
        if width > 0 && width % cols == 0 {
            out.extend_from_slice(b"\r\n");
        }
        let end_row = width / cols;
        let cursor = plen + display_width(&self.buf[..self.pos]);
        let (row, col) = (cursor / cols, cursor % cols);
        move_up(&mut out, end_row - row);
        out.push(b'\r');
        if col > 0 {
            out.extend_from_slice(format!("\x1b[{col}C").as_bytes());
        }
        self.cursor_row = row;
        out
    }

    /// The bytes that finish the line on screen when it is accepted or
    /// abandoned: the cursor goes to the end of the line, `tail` is
    /// written (say `^C`), then a new line starts.
    pub fn finish(&mut self, prompt: &[u8], cols: usize, tail: &[u8]) -> Vec<u8> {
        self.pos = self.buf.len();
        let mut out = self.refresh(prompt, cols);
        out.extend_from_slice(tail);
        out.extend_from_slice(b"\r\n");
        self.cursor_row = 0;
        out
    }

    /// Forgets the screen position (after the screen was cleared and the
    /// cursor sent home).
    pub fn reset_screen(&mut self) {
        self.cursor_row = 0;
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn move_up(out: &mut Vec<u8>, n: usize) {
    if n > 0 {
        out.extend_from_slice(format!("\x1b[{n}A").as_bytes());
    }
}

/// Columns a byte takes on screen: control bytes in caret notation.
fn byte_width(b: u8) -> usize {
    if b < 0x20 || b == 0x7f {
        2
    } else {
        1
    }
}

fn display_width(s: &[u8]) -> usize {
    s.iter().map(|&b| byte_width(b)).sum()
}

fn render_byte(out: &mut Vec<u8>, b: u8) -> usize {
    if b < 0x20 || b == 0x7f {
        out.push(b'^');
        out.push(b ^ 0x40);
        2
    } else {
        out.push(b);
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal VT100 model: autowrap with the pending-wrap state, CR,
    /// LF (scrolling), cursor up/right, erase below, home + clear.
    struct Screen {
        rows: Vec<Vec<u8>>,
        height: usize,
        width: usize,
        row: usize,
        col: usize,
        pending_wrap: bool,
    }

    impl Screen {
        fn new(width: usize, height: usize) -> Screen {
            Screen {
                rows: vec![vec![b' '; width]; height],
                height,
                width,
                row: 0,
                col: 0,
                pending_wrap: false,
            }
        }

        fn line_feed(&mut self) {
            if self.row + 1 == self.height {
                self.rows.remove(0);
                self.rows.push(vec![b' '; self.width]);
            } else {
                self.row += 1;
            }
        }

        fn feed(&mut self, bytes: &[u8]) {
            let mut i = 0;
            while i < bytes.len() {
                let b = bytes[i];
                i += 1;
                match b {
                    b'\r' => {
                        self.col = 0;
                        self.pending_wrap = false;
                    }
                    b'\n' => {
                        self.line_feed();
                        self.pending_wrap = false;
                    }
                    0x07 => {}
                    0x1b => {
                        assert_eq!(bytes.get(i), Some(&b'['), "only CSI sequences");
                        i += 1;
                        let start = i;
                        while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                            i += 1;
                        }
                        let params = std::str::from_utf8(&bytes[start..i]).unwrap();
                        let fin = bytes[i];
                        i += 1;
                        let n: usize = params.parse().unwrap_or(1);
                        self.pending_wrap = false;
                        match fin {
                            b'A' => self.row = self.row.saturating_sub(n),
                            b'C' => self.col = (self.col + n).min(self.width - 1),
                            b'J' => {
                                for c in self.col..self.width {
                                    self.rows[self.row][c] = b' ';
                                }
                                for r in self.row + 1..self.height {
                                    self.rows[r] = vec![b' '; self.width];
                                }
                            }
                            b'H' => {
                                self.row = 0;
                                self.col = 0;
                            }
                            other => panic!("unexpected CSI {}", other as char),
                        }
                    }
                    _ => {
                        assert!(b >= 0x20, "raw control byte {b:#x} written");
                        if self.pending_wrap {
                            self.col = 0;
                            self.line_feed();
                            self.pending_wrap = false;
                        }
                        self.rows[self.row][self.col] = b;
                        if self.col + 1 == self.width {
                            self.pending_wrap = true;
                        } else {
                            self.col += 1;
                        }
                    }
                }
            }
        }

        fn text(&self) -> Vec<String> {
            let mut v: Vec<String> = self
                .rows
                .iter()
                .map(|r| String::from_utf8_lossy(r).trim_end().to_string())
                .collect();
            while v.last().is_some_and(|s| s.is_empty()) {
                v.pop();
            }
            v
        }
    }

    /// Types `input` into an editor on a `width`-column screen, refreshing
    /// after every key as the terminal loop does. Returns the editor, the
    /// screen and the last action.
    fn session(history: &History, width: usize, input: &[u8]) -> (Editor, Screen, Action) {
        let prompt = b"> ";
        let mut screen = Screen::new(width, 24);
        let mut ed = Editor::new(history);
        let mut dec = KeyDecoder::new();
        screen.feed(prompt);
        let mut last = Action::Nothing;
        for &b in input {
            let Some(k) = dec.push(b) else { continue };
            last = ed.apply(k);
            match last {
                Action::Redraw => {
                    let out = ed.refresh(prompt, width);
                    screen.feed(&out);
                }
                Action::Accept => {
                    let out = ed.finish(prompt, width, b"");
                    screen.feed(&out);
                    break;
                }
                Action::Interrupt => {
                    let out = ed.finish(prompt, width, b"^C");
                    screen.feed(&out);
                    break;
                }
                Action::Eof => break,
                _ => {}
            }
        }
        (ed, screen, last)
    }

    fn typed(input: &[u8]) -> (Vec<u8>, usize) {
        let (ed, _, _) = session(&History::new(10), 80, input);
        (ed.line().to_vec(), ed.cursor())
    }

    #[test]
    fn decodes_keys() {
        let mut d = KeyDecoder::new();
        let mut keys = Vec::new();
        for &b in b"a\x1b[D\x1b[C\x1bOH\x1b[F\x1b[3~\x1b[1;5D\x1bb\x1b[2~\x7f\x01\x05\r" {
            if let Some(k) = d.push(b) {
                keys.push(k);
            }
        }
        assert_eq!(
            keys,
            vec![
                Key::Insert(b'a'),
                Key::Left,
                Key::Right,
                Key::Home,
                Key::End,
                Key::Delete,
                Key::WordLeft,
                Key::WordLeft,
                Key::Ignored,
                Key::Backspace,
                Key::Home,
                Key::End,
                Key::Enter
            ]
        );
        assert!(!d.pending());
        // Garbage after ESC [ is dropped once it gets too long.
        for _ in 0..40 {
            d.push(b'1');
        }
        let _ = d.push(0x1b);
        let _ = d.push(b'[');
        let mut got = None;
        for _ in 0..MAX_SEQ {
            if let Some(k) = d.push(b'9') {
                got = Some(k);
                break;
            }
        }
        assert_eq!(got, Some(Key::Ignored));
    }

    #[test]
    fn insert_move_delete() {
        assert_eq!(typed(b"abc"), (b"abc".to_vec(), 3));
        assert_eq!(typed(b"abc\x1b[D\x1b[DX"), (b"aXbc".to_vec(), 2));
        assert_eq!(typed(b"abc\x01X"), (b"Xabc".to_vec(), 1));
        assert_eq!(typed(b"abc\x01\x05X"), (b"abcX".to_vec(), 4));
        assert_eq!(typed(b"abc\x1b[H\x1b[3~"), (b"bc".to_vec(), 0));
        assert_eq!(typed(b"abc\x7f"), (b"ab".to_vec(), 2));
        assert_eq!(typed(b"abc\x02\x02\x08"), (b"bc".to_vec(), 0));
        // Movement and deletion stop at the ends.
        assert_eq!(typed(b"ab\x01\x7f\x1b[D"), (b"ab".to_vec(), 0));
        assert_eq!(typed(b"ab\x1b[C\x1b[3~"), (b"ab".to_vec(), 2));
        // Ctrl-D deletes under the cursor on a non-empty line.
        assert_eq!(typed(b"ab\x01\x04"), (b"b".to_vec(), 0));
    }

    #[test]
    fn kills() {
        assert_eq!(typed(b"hello world\x1b[D\x1b[D\x15"), (b"ld".to_vec(), 0));
        assert_eq!(typed(b"hello world\x01\x1b[C\x0b"), (b"h".to_vec(), 1));
        assert_eq!(typed(b"print(3) foo  \x17"), (b"print(3) ".to_vec(), 9));
        assert_eq!(typed(b"a b\x01\x17"), (b"a b".to_vec(), 0));
        assert_eq!(
            typed(b"x = f(a, bcd)\x1b[D\x17"),
            (b"x = f(a, )".to_vec(), 9)
        );
    }

    #[test]
    fn word_moves() {
        assert_eq!(typed(b"foo.bar baz\x1bbX"), (b"foo.bar Xbaz".to_vec(), 9));
        assert_eq!(
            typed(b"foo.bar baz\x01\x1bfX"),
            (b"fooX.bar baz".to_vec(), 4)
        );
        assert_eq!(typed(b"a  b\x1b[1;5DX"), (b"a  Xb".to_vec(), 4));
    }

    #[test]
    fn utf8_bytes_are_edited_as_bytes() {
        // "é" is two bytes: two Backspaces remove it.
        assert_eq!(typed("aé\x7f\x7f".as_bytes()), (b"a".to_vec(), 1));
        assert_eq!(typed("é".as_bytes()), ("é".as_bytes().to_vec(), 2));
    }

    #[test]
    fn accept_interrupt_eof() {
        let h = History::new(10);
        let (ed, screen, a) = session(&h, 80, b"print(1)\rmore");
        assert_eq!(a, Action::Accept);
        assert_eq!(ed.line(), b"print(1)");
        assert_eq!(screen.text(), vec!["> print(1)"]);
        assert_eq!((screen.row, screen.col), (1, 0));

        let (_, screen, a) = session(&h, 80, b"abc\x01\x03");
        assert_eq!(a, Action::Interrupt);
        assert_eq!(screen.text(), vec!["> abc^C"]);
        assert_eq!((screen.row, screen.col), (1, 0));

        let (_, _, a) = session(&h, 80, b"\x04");
        assert_eq!(a, Action::Eof);
        let (ed, _, a) = session(&h, 80, b"x\x04");
        assert_eq!(a, Action::Nothing);
        assert_eq!(ed.line(), b"x");
    }

    #[test]
    fn history_walk_and_edit() {
        let mut h = History::new(10);
        h.add(b"first");
        h.add(b"");
        h.add(b"second");
        assert_eq!(h.entries().len(), 2);
        // Up recalls the newest entry, Up again the older one, Down back.
        assert_eq!(typed_h(&h, b"\x1b[A"), b"second");
        assert_eq!(typed_h(&h, b"\x1b[A\x1b[A"), b"first");
        assert_eq!(typed_h(&h, b"\x1b[A\x1b[A\x1b[A"), b"first");
        assert_eq!(typed_h(&h, b"\x1b[A\x1b[A\x1b[B"), b"second");
        // The line being typed is kept while browsing.
        assert_eq!(typed_h(&h, b"new\x10\x10\x0e\x0e"), b"new");
        // Edits to a recalled entry survive moving away and back ...
        assert_eq!(typed_h(&h, b"\x1b[AX\x1b[A\x1b[B"), b"secondX");
        // ... but not the history itself.
        assert_eq!(h.entries()[1], b"second");
        // Down past the newest does nothing.
        assert_eq!(typed_h(&h, b"q\x1b[B"), b"q");
    }

    fn typed_h(h: &History, input: &[u8]) -> Vec<u8> {
        session(h, 80, input).0.line().to_vec()
    }

    #[test]
    fn history_limit() {
        let mut h = History::new(3);
        for i in 0..5 {
            h.add(format!("l{i}").as_bytes());
        }
        assert_eq!(
            h.entries(),
            &[b"l2".to_vec(), b"l3".to_vec(), b"l4".to_vec()]
        );
    }

    #[test]
    fn history_file_round_trip() {
        let entries: Vec<&[u8]> = vec![b"x = 1", b"for i=1,2 do\nprint(i)\nend", b"a\\nb", b"\\"];
        let mut file = Vec::new();
        for e in &entries {
            file.extend(encode_history_line(e));
        }
        let back = decode_history(&file);
        assert_eq!(back, entries.iter().map(|e| e.to_vec()).collect::<Vec<_>>());
    }

    #[test]
    fn screen_after_editing_in_the_middle() {
        let h = History::new(10);
        let (ed, screen, _) = session(&h, 80, b"print(x * 2)\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D+1");
        assert_eq!(ed.line(), b"print(x+1 * 2)");
        assert_eq!(screen.text(), vec!["> print(x+1 * 2)"]);
        assert_eq!((screen.row, screen.col), (0, 2 + 9));
    }

    #[test]
    fn shrinking_line_is_cleared() {
        let h = History::new(10);
        let (_, screen, _) = session(&h, 80, b"a long line\x15xy");
        assert_eq!(screen.text(), vec!["> xy"]);
        assert_eq!(screen.col, 4);
    }

    #[test]
    fn wrapping_lines_redraw() {
        let h = History::new(10);
        // 10 columns: "> " + 20 bytes spans three rows.
        let input = b"abcdefghijklmnopqrst";
        let (_, screen, _) = session(&h, 10, input);
        assert_eq!(screen.text(), vec!["> abcdefgh", "ijklmnopqr", "st"]);
        assert_eq!((screen.row, screen.col), (2, 2));
        // Moving to the start goes up two rows; inserting reflows.
        let mut keys = input.to_vec();
        keys.extend_from_slice(b"\x01_");
        let (_, screen, _) = session(&h, 10, &keys);
        assert_eq!(screen.text(), vec!["> _abcdefg", "hijklmnopq", "rst"]);
        assert_eq!((screen.row, screen.col), (0, 3));
        // A line ending exactly at the right margin puts the cursor on the
        // next row; deleting a byte brings it back.
        let (_, screen, _) = session(&h, 10, b"abcdefgh");
        assert_eq!(screen.text(), vec!["> abcdefgh"]);
        assert_eq!((screen.row, screen.col), (1, 0));
        let (_, screen, _) = session(&h, 10, b"abcdefghi\x7f\x7f");
        assert_eq!(screen.text(), vec!["> abcdefg"]);
        assert_eq!((screen.row, screen.col), (0, 9));
        // Killing a wrapped line leaves one row.
        let (_, screen, _) = session(&h, 10, b"abcdefghijklmnopqrst\x15z");
        assert_eq!(screen.text(), vec!["> z"]);
        assert_eq!((screen.row, screen.col), (0, 3));
    }

    #[test]
    fn accepted_wrapped_line_ends_below_it() {
        let h = History::new(10);
        let (_, screen, _) = session(&h, 10, b"abcdefghijklmn\x01\r");
        assert_eq!(screen.text(), vec!["> abcdefgh", "ijklmn"]);
        assert_eq!((screen.row, screen.col), (2, 0));
    }

    #[test]
    fn control_bytes_show_in_caret_notation() {
        let h = History::new(10);
        let (ed, screen, _) = session(&h, 80, b"a\tb\x1b[D");
        assert_eq!(ed.line(), b"a\tb");
        assert_eq!(screen.text(), vec!["> a^Ib"]);
        assert_eq!(screen.col, 5);
        // A recalled multi-line chunk shows its newlines as ^J.
        let mut hist = History::new(10);
        hist.add(b"if x then\nend");
        let (ed, screen, _) = session(&hist, 80, b"\x1b[A");
        assert_eq!(ed.line(), b"if x then\nend");
        assert_eq!(screen.text(), vec!["> if x then^Jend"]);
    }

    #[test]
    fn refresh_on_a_scrolled_screen() {
        // Start on the last row: wrapping scrolls, the redraw still lands.
        let h = History::new(10);
        let prompt = b"> ";
        let mut screen = Screen::new(10, 3);
        screen.feed(b"\n\n");
        screen.feed(prompt);
        let mut ed = Editor::new(&h);
        let mut dec = KeyDecoder::new();
        for &b in b"abcdefghijkl\x01X" {
            if let Some(k) = dec.push(b) {
                ed.apply(k);
                let out = ed.refresh(prompt, 10);
                screen.feed(&out);
            }
        }
        assert_eq!(screen.text(), vec!["", "> Xabcdefg", "hijkl"]);
        assert_eq!((screen.row, screen.col), (1, 3));
    }
}
