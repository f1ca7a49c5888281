//! Lua 5.1 pattern matching, without recursion.
//!
//! Lua 5.1's matcher is a recursive backtracker: every capture, every
//! `?`, and every `*`/`+`/`-` item calls the matcher again for the rest of
//! the pattern, and a failure returns to the most recent such call, which
//! tries its next alternative. This module runs the same search in the
//! same order with an explicit stack of choice points instead of the Rust
//! stack, so that no pattern can overflow it:
//!
//! * `UndoOpen` / `UndoClose` undo what opening and closing a capture did
//!   (5.1 undoes them when the recursive call fails);
//! * `Alt` is the fallback of a `?` item (skip the optional character);
//! * `Max` holds the remaining lengths of a greedy `*`/`+` item;
//! * `Min` is a lazy `-` item, which may still consume one more character.
//!
//! A successful match drops every pending choice point, as the recursive
//! version returns straight through its calls. The capture state is then
//! the one 5.1 would see, and errors are raised at the same moments, with
//! 5.1's messages ([`PatError`]).
//!
//! The pattern is used as 5.1 sees it: a C string, so it ends at its first
//! NUL byte (`%z` matches a NUL). Subject positions are byte offsets; at
//! the end of the subject the "current character" reads as NUL, as it does
//! in C where Lua strings are NUL-terminated.
//!
//! Bounds: the choice stack holds at most one entry per pattern item on
//! the current path, and is limited to [`MAX_CHOICES`] entries; a pattern
//! needing more (5.1 would overflow the C stack long before) raises
//! "pattern too complex".
//!
//! Speed: [`Searcher`] skips start positions that cannot match without
//! changing results or errors: a pattern whose first consuming item is a
//! literal character only starts where that character is, and a search
//! stops as soon as a literal every match needs no longer occurs in the
//! rest of the subject. This is sound because every error the matcher can
//! raise depends only on the pattern position reached (captures in Lua
//! patterns are not nested inside repetitions), so skipping attempts that
//! would fail before reaching an erroneous item changes nothing.

use bitvec::array::BitArray;
use bitvec::order::Lsb0;
use smallvec::SmallVec;

/// Lua 5.1's LUA_MAXCAPTURES.
pub const MAXCAPTURES: usize = 32;
/// Choice points one match may keep (see the module doc): about the
/// depth at which lua5.1's recursive matcher overflows Linux's default
/// 8 MB C stack (it dies near 105,000 nested `a?` items; Redis's copy
/// crashes the server there, and the Redis corpus asks for a clean error).
pub const MAX_CHOICES: usize = 1 << 17;

const CAP_UNFINISHED: i64 = -1;
const CAP_POSITION: i64 = -2;

/// A pattern error, with Lua 5.1's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatError {
    /// "malformed pattern (ends with '%')".
    EndsWithPercent,
    /// "malformed pattern (missing ']')".
    MissingBracket,
    /// "missing '[' after '%f' in pattern".
    MissingFrontierBracket,
    /// "invalid capture index": `%1`-`%9` naming no closed capture.
    InvalidCaptureIndex,
    /// "invalid pattern capture": `)` with no open capture.
    InvalidPatternCapture,
    /// "unfinished capture": a capture still open where its value is needed.
    UnfinishedCapture,
    /// "too many captures": more than `LUA_MAXCAPTURES` (32).
    TooManyCaptures,
    /// "unbalanced pattern": `%b` without its two characters.
    Unbalanced,
    /// "pattern too complex": the backtracking stack reached its bound
    /// (5.1 has none and overflows the C stack).
    TooComplex,
    /// Not an error: the matcher used up its fuel ([`MATCH_FUEL`]
    /// backtracking steps) and stopped where it can resume. The caller
    /// charges the VM's budget ([`MATCH_CHARGE`]) and calls
    /// [`Searcher::find`] again with the same arguments.
    Paused,
}

/// Backtracking steps between two pauses of the matcher.
pub const MATCH_FUEL: u32 = 4096;
/// Budget units charged per pause (a unit is about one Lua call).
pub const MATCH_CHARGE: i64 = 256;

impl PatError {
    /// The message Lua 5.1 raises (via `luaL_error`).
    pub fn message(self) -> &'static str {
        match self {
            PatError::EndsWithPercent => "malformed pattern (ends with '%')",
            PatError::MissingBracket => "malformed pattern (missing ']')",
            PatError::MissingFrontierBracket => "missing '[' after '%f' in pattern",
            PatError::InvalidCaptureIndex => "invalid capture index",
            PatError::InvalidPatternCapture => "invalid pattern capture",
            PatError::UnfinishedCapture => "unfinished capture",
            PatError::TooManyCaptures => "too many captures",
            PatError::Unbalanced => "unbalanced pattern",
            // Not a 5.1 message: 5.1 has no bound and crashes on the C
            // stack instead; this is the wording later Lua versions use.
            PatError::TooComplex => "pattern too complex",
            PatError::Paused => "pattern matching paused",
        }
    }
}

/// Lua 5.1's SPECIALS: a pattern without any of these (before its first
/// NUL) is searched for as plain text by `string.find`.
pub const SPECIALS: &[u8] = b"^$*+?.([%-";

/// The pattern as the matcher sees it: up to the first NUL.
#[inline]
pub fn c_pattern(p: &[u8]) -> &[u8] {
    match memchr(0, p) {
        Some(i) => &p[..i],
        None => p,
    }
}

/// True when `p` (already cut at its NUL) has none of [`SPECIALS`].
pub fn no_specials(p: &[u8]) -> bool {
    !p.iter().any(|c| SPECIALS.contains(c))
}

// ----------------------------------------------------------- classes

const ALPHA: u16 = 1;
const CNTRL: u16 = 2;
const DIGIT: u16 = 4;
const LOWER: u16 = 8;
const PUNCT: u16 = 16;
const SPACE: u16 = 32;
const UPPER: u16 = 64;
const XDIGIT: u16 = 128;
const ALNUM: u16 = 256;

/// C-locale `<ctype.h>` classes of every byte.
static CTYPE: [u16; 256] = build_ctype();

const fn build_ctype() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        let mut f = 0u16;
        if b.is_ascii_lowercase() {
            f |= LOWER | ALPHA | ALNUM;
        }
        if b.is_ascii_uppercase() {
            f |= UPPER | ALPHA | ALNUM;
        }
        if b.is_ascii_digit() {
            f |= DIGIT | ALNUM | XDIGIT;
        }
        if matches!(b, b'a'..=b'f' | b'A'..=b'F') {
            f |= XDIGIT;
        }
        if b < 32 || b == 127 {
            f |= CNTRL;
        }
        if matches!(b, 9..=13 | 32) {
            f |= SPACE;
        }
        if b == 0 {
            f |= ZERO;
        }
        if b > 32 && b < 127 && !b.is_ascii_alphanumeric() {
            f |= PUNCT;
        }
        t[c] = f;
        c += 1;
    }
    t
}

/// `%z`'s class: only the byte 0 has it.
const ZERO: u16 = 512;

/// The class bits of each byte as a class letter (`%a` and `%A` both
/// give ALPHA), 0 for a byte that is not a class letter (then `%x` means
/// the character itself).
static CLASS_OF: [u16; 256] = {
    let mut t = [0u16; 256];
    let letters: [(u8, u16); 10] = [
        (b'a', ALPHA),
        (b'c', CNTRL),
        (b'd', DIGIT),
        (b'l', LOWER),
        (b'p', PUNCT),
        (b's', SPACE),
        (b'u', UPPER),
        (b'w', ALNUM),
        (b'x', XDIGIT),
        (b'z', ZERO),
    ];
    let mut i = 0;
    while i < letters.len() {
        let (l, bits) = letters[i];
        t[l as usize] = bits;
        t[l.to_ascii_uppercase() as usize] = bits;
        i += 1;
    }
    t
};

/// `%cl` against character `c` (5.1's match_class): two table reads; an
/// uppercase class letter is the complement.
#[inline]
pub fn match_class(c: u8, cl: u8) -> bool {
    let bits = CLASS_OF[cl as usize];
    if bits == 0 {
        return cl == c;
    }
    (CTYPE[c as usize] & bits != 0) != cl.is_ascii_uppercase()
}

/// True when `%x` is a class (not a literal `x`).
#[inline]
fn is_class_letter(x: u8) -> bool {
    CLASS_OF[x as usize] != 0
}

// ---------------------------------------------------- byte searching

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

#[inline]
fn has_zero(v: u64) -> bool {
    v.wrapping_sub(LO) & !v & HI != 0
}

/// First index of `c` in `h` (word-at-a-time).
pub fn memchr(c: u8, h: &[u8]) -> Option<usize> {
    let rep = LO.wrapping_mul(c as u64);
    let mut i = 0;
    let n = h.len();
    while i + 8 <= n {
        let mut w = [0u8; 8];
        w.copy_from_slice(&h[i..i + 8]);
        if has_zero(u64::from_le_bytes(w) ^ rep) {
            break;
        }
        i += 8;
    }
    h[i..].iter().position(|&b| b == c).map(|k| i + k)
}

/// Last index of `c` in `h`.
pub fn memrchr(c: u8, h: &[u8]) -> Option<usize> {
    let rep = LO.wrapping_mul(c as u64);
    let mut end = h.len();
    while end >= 8 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&h[end - 8..end]);
        if has_zero(u64::from_le_bytes(w) ^ rep) {
            break;
        }
        end -= 8;
    }
    h[..end].iter().rposition(|&b| b == c)
}

/// Lua 5.1's lmemfind: first occurrence of `needle` in `h` (an empty
/// needle is found at 0).
pub fn find_bytes(h: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    if needle.len() > h.len() {
        return None;
    }
    let last_start = h.len() - needle.len();
    let mut i = 0;
    while i <= last_start {
        let k = memchr(first, &h[i..=last_start])?;
        let at = i + k;
        if &h[at + 1..at + needle.len()] == rest {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

// ------------------------------------------------------- the matcher

/// One capture: its start, and its length or one of the markers.
#[derive(Clone, Copy, Debug, Default)]
pub struct Capture {
    /// Offset of the capture's start in the subject.
    pub init: usize,
    /// Length in bytes once closed; while open, or for a position capture,
    /// a negative marker.
    pub len: i64,
}

/// What a capture yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    /// A substring of the subject (start, end).
    Str(usize, usize),
    /// A position capture: 1-based position.
    Pos(usize),
}

#[derive(Clone, Copy, Debug)]
enum Choice {
    UndoOpen,
    UndoClose(usize),
    /// Resume at (s, p).
    Alt {
        s: usize,
        p: usize,
    },
    /// Greedy item ending at `ep` matched `i` times from `s`; shorter
    /// counts remain to be tried.
    Max {
        s: usize,
        ep: usize,
        i: usize,
    },
    /// Lazy item `[p, ep)`, rest of the pattern tried at `s`.
    Min {
        s: usize,
        p: usize,
        ep: usize,
    },
}

/// Per-call matcher state (Lua 5.1's MatchState without the strings,
/// which the caller passes in, so that it may call Lua between matches).
pub struct MatchState {
    /// Number of captures opened so far (`capture[..level]` are in use).
    pub level: usize,
    /// The captures, in the order their `(` appear.
    pub capture: [Capture; MAXCAPTURES],
    /// The choice points (a `Vec`: a pooled state keeps its room).
    stack: Vec<Choice>,
    /// Backtracking steps left before the next pause.
    fuel: u32,
    /// Where a paused match resumes (subject and pattern offsets).
    paused: Option<(usize, usize)>,
}

impl Default for MatchState {
    fn default() -> Self {
        Self::new()
    }
}

/// The subject and the pattern of a match.
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    /// The subject string.
    pub src: &'a [u8],
    /// The pattern, cut at its first NUL.
    pub pat: &'a [u8],
    /// Byte sets of some of the pattern's bracket classes (by position),
    /// which then need no parsing per character.
    sets: &'a ClassSets,
}

/// Bracket classes the cache compiles to byte sets, per pattern.
const MAX_SETS: usize = 4;

/// The byte sets of the first bracket classes `[...]` of a pattern body,
/// each with the position of its `[` (a cached pattern is at most 64
/// bytes, so a position fits a byte).
#[derive(Clone, Copy, Debug)]
pub struct ClassSets {
    n: u8,
    pos: [u8; MAX_SETS],
    /// Where each class ends (5.1's classEnd of its `[`).
    end: [u8; MAX_SETS],
    set: [ByteSet; MAX_SETS],
}

/// No compiled class: every bracket is parsed as 5.1 does.
static NO_SETS: ClassSets = ClassSets::EMPTY;

impl ClassSets {
    const EMPTY: ClassSets = ClassSets {
        n: 0,
        pos: [0; MAX_SETS],
        end: [0; MAX_SETS],
        set: [ByteSet::ZERO; MAX_SETS],
    };

    /// The index of the compiled bracket class at `p`, if any.
    #[inline]
    fn index(&self, p: usize) -> Option<usize> {
        let n = usize::from(self.n).min(MAX_SETS);
        (0..n).find(|&k| usize::from(self.pos[k]) == p)
    }

    /// The set of the bracket class at `p`, if compiled.
    #[inline]
    fn get(&self, p: usize) -> Option<&ByteSet> {
        self.index(p).map(|k| &self.set[k])
    }

    /// Compiles the bracket classes of `pat` (a body of at most 255
    /// bytes), as far as they are well formed.
    fn compile(pat: &[u8]) -> ClassSets {
        let mut cs = ClassSets::EMPTY;
        if pat.len() > usize::from(u8::MAX) {
            return cs;
        }
        let m = Subject::new(&[], pat);
        let mut p = 0;
        while p < pat.len() && usize::from(cs.n) < MAX_SETS {
            match pat[p] {
                b'%' => p += 2,
                b'[' => {
                    let Ok(ep) = m.class_end(p) else { break };
                    let mut set = ByteSet::ZERO;
                    for c in 0..=255u8 {
                        set.set(usize::from(c), m.match_bracket(c, p, ep - 1));
                    }
                    cs.pos[usize::from(cs.n)] = p as u8;
                    cs.end[usize::from(cs.n)] = ep as u8;
                    cs.set[usize::from(cs.n)] = set;
                    cs.n += 1;
                    p = ep;
                }
                _ => p += 1,
            }
        }
        cs
    }
}

impl<'a> Subject<'a> {
    #[inline]
    fn end_of(&self, k: usize) -> u8 {
        self.sets.end[k]
    }

    /// The subject `src` and the pattern `pat` (cut at its NUL).
    #[inline]
    pub fn new(src: &'a [u8], pat: &'a [u8]) -> Subject<'a> {
        Subject {
            src,
            pat,
            sets: &NO_SETS,
        }
    }

    #[inline]
    fn pc(&self, p: usize) -> u8 {
        // Past the end reads as the C string's terminator.
        self.pat.get(p).copied().unwrap_or(0)
    }

    #[inline]
    fn sc(&self, s: usize) -> u8 {
        self.src.get(s).copied().unwrap_or(0)
    }

    /// 5.1's classEnd: the end of the single-character class at `p`.
    fn class_end(&self, p: usize) -> Result<usize, PatError> {
        let plen = self.pat.len();
        let c = self.pc(p);
        let mut p = p + 1;
        if c == b'%' {
            if p >= plen {
                return Err(PatError::EndsWithPercent);
            }
            return Ok(p + 1);
        }
        if c == b'[' {
            if let Some(k) = self.sets.index(p - 1) {
                // Compiled: its end is known.
                return Ok(usize::from(self.end_of(k)));
            }
            if self.pc(p) == b'^' {
                p += 1;
            }
            loop {
                if p >= plen {
                    return Err(PatError::MissingBracket);
                }
                let cc = self.pat[p];
                p += 1;
                if cc == b'%' && p < plen {
                    p += 1;
                }
                if self.pc(p) == b']' {
                    break;
                }
            }
            return Ok(p + 1);
        }
        Ok(p)
    }

    /// 5.1's matchbracketclass: `c` against the set `[p..=ec]` (`ec` at
    /// the closing bracket).
    fn match_bracket(&self, c: u8, p: usize, ec: usize) -> bool {
        let pat = self.pat;
        let mut p = p;
        let mut sig = true;
        if self.pc(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        p += 1;
        while p < ec {
            let x = pat[p];
            if x == b'%' {
                p += 1;
                if p < pat.len() && match_class(c, pat[p]) {
                    return sig;
                }
            } else if self.pc(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if x <= c && c <= pat[p] {
                    return sig;
                }
            } else if x == c {
                return sig;
            }
            p += 1;
        }
        !sig
    }

    /// 5.1's singlematch: `c` against the item `[p, ep)`.
    #[inline]
    fn single(&self, c: u8, p: usize, ep: usize) -> bool {
        match self.pat[p] {
            b'.' => true,
            b'%' => match_class(c, self.pc(p + 1)),
            b'[' => match self.sets.get(p) {
                Some(set) => set[usize::from(c)],
                None => self.match_bracket(c, p, ep - 1),
            },
            x => x == c,
        }
    }

    /// How many characters from `s` on match the item `[p, ep)`.
    #[inline]
    fn count(&self, s: usize, p: usize, ep: usize) -> usize {
        let rest = &self.src[s.min(self.src.len())..];
        match self.pat[p] {
            b'.' => rest.len(),
            b'%' => {
                let cl = self.pc(p + 1);
                let bits = CLASS_OF[cl as usize];
                if bits != 0 {
                    let want = !cl.is_ascii_uppercase();
                    rest.iter()
                        .take_while(|&&c| (CTYPE[c as usize] & bits != 0) == want)
                        .count()
                } else {
                    rest.iter().take_while(|&&c| c == cl).count()
                }
            }
            b'[' => match self.sets.get(p) {
                Some(set) => rest.iter().take_while(|&&c| set[usize::from(c)]).count(),
                None => rest
                    .iter()
                    .take_while(|&&c| self.match_bracket(c, p, ep - 1))
                    .count(),
            },
            x => rest.iter().take_while(|&&c| c == x).count(),
        }
    }

    /// If the item at `p` is a plain literal character that must match at
    /// the current position for the rest to match (no `?`, `*`, `-`
    /// after it), that character. Errors are not raised here.
    #[inline]
    fn leading_literal(&self, p: usize) -> Option<u8> {
        let plen = self.pat.len();
        let c = *self.pat.get(p)?;
        let (lit, ep) = match c {
            b'(' | b')' | b'.' | b'[' => return None,
            b'$' if p + 1 == plen => return None,
            b'%' => {
                let x = *self.pat.get(p + 1)?;
                if is_class_letter(x) || x.is_ascii_digit() || x == b'b' || x == b'f' {
                    return None;
                }
                (x, p + 2)
            }
            _ => (c, p + 1),
        };
        match self.pc(ep) {
            b'?' | b'*' | b'-' => None,
            _ => Some(lit),
        }
    }
}

/// Choice points a pooled [`MatchState`] keeps room for (256 KiB); a
/// state that grew past it is dropped instead of kept.
const POOLED_CHOICES: usize = 1 << 13;
/// Patterns [`PatInfo::cached`] remembers per thread: a two-way
/// set-associative table indexed by a hash of the pattern (a power of
/// two; two ways, as patterns used in turn whose slots met thrashed). Libraries
/// use dozens of constant patterns in turn (lua-uri about 70), so a
/// handful of entries thrashed.
const CACHED_PATTERNS: usize = 128;
/// Hits after which a cached pattern gets its byte sets.
const COMPILE_AFTER: u8 = 8;
/// Longest pattern [`PatInfo::cached`] remembers.
const CACHED_PATTERN_LEN: usize = 64;

/// One remembered pattern: its bytes (as the script gave them, NUL and
/// all) and what [`PatInfo::new`] found. `len` is `u8::MAX` in a slot
/// never filled.
#[derive(Clone, Copy)]
struct CacheEntry {
    len: u8,
    /// Hits so far, up to [`COMPILE_AFTER`] (when the byte sets are built).
    hits: u8,
    bytes: [u8; CACHED_PATTERN_LEN],
    info: PatInfo,
}

/// Recently analysed patterns, each in the slot its string hash picks (a
/// newer pattern with the same slot replaces it).
struct PatternCache {
    entries: Vec<CacheEntry>,
}

thread_local! {
    /// A match state kept between calls (see [`PooledState`]).
    static SPARE_STATE: std::cell::Cell<Option<Box<MatchState>>> =
        const { std::cell::Cell::new(None) };
    static PATTERNS: std::cell::RefCell<PatternCache> = const {
        std::cell::RefCell::new(PatternCache { entries: Vec::new() })
    };
}

/// The match state kept between calls, or a new one when there is none
/// (a nested match holds it: `gsub` calling Lua that calls `string.find`),
/// so that a call neither allocates nor clears a state of its own.
/// Matching sets `level` and the stack before reading them, so nothing of
/// an earlier match shows through. Give it back with [`give_state`].
pub fn take_state() -> Box<MatchState> {
    SPARE_STATE
        .with(|c| c.take())
        .unwrap_or_else(|| Box::new(MatchState::new()))
}

/// Keeps `ms` for the next [`take_state`] (unless its stack grew large).
/// A state not given back, as on an error, is simply dropped.
pub fn give_state(mut ms: Box<MatchState>) {
    if ms.stack.capacity() <= POOLED_CHOICES {
        ms.stack.clear();
        ms.paused = None;
        ms.level = 0;
        SPARE_STATE.with(|c| c.set(Some(ms)));
    }
}

impl MatchState {
    /// A state with no capture, full fuel and nothing paused.
    pub fn new() -> MatchState {
        MatchState {
            level: 0,
            capture: [Capture::default(); MAXCAPTURES],
            stack: Vec::new(),
            fuel: MATCH_FUEL,
            paused: None,
        }
    }

    #[inline]
    fn push(&mut self, c: Choice) -> Result<(), PatError> {
        if self.stack.len() >= MAX_CHOICES {
            return Err(PatError::TooComplex);
        }
        self.stack.push(c);
        Ok(())
    }

    /// Matches the pattern from pattern offset `p` against the subject
    /// from offset `s` (5.1's `match`): the end of the match, or `None`.
    pub fn do_match(
        &mut self,
        m: Subject<'_>,
        s: usize,
        p: usize,
    ) -> Result<Option<usize>, PatError> {
        self.stack.clear();
        self.paused = None;
        self.fuel = MATCH_FUEL;
        let r = self.run(m, s, p);
        if r != Err(PatError::Paused) {
            self.stack.clear();
        }
        r
    }

    /// Continues a match that returned [`PatError::Paused`] (same subject
    /// and pattern); `Ok(None)` if none is paused.
    pub fn resume(&mut self, m: Subject<'_>) -> Result<Option<usize>, PatError> {
        let Some((s, p)) = self.paused.take() else {
            return Ok(None);
        };
        self.fuel = MATCH_FUEL;
        let r = self.run(m, s, p);
        if r != Err(PatError::Paused) {
            self.stack.clear();
        }
        r
    }

    fn run(
        &mut self,
        m: Subject<'_>,
        mut s: usize,
        mut p: usize,
    ) -> Result<Option<usize>, PatError> {
        let pat = m.pat;
        let plen = pat.len();
        let slen = m.src.len();
        loop {
            // Advance as far as possible from (s, p).
            let ok = loop {
                if p >= plen {
                    return Ok(Some(s));
                }
                match pat[p] {
                    b'(' => {
                        let (len, np) = if m.pc(p + 1) == b')' {
                            (CAP_POSITION, p + 2)
                        } else {
                            (CAP_UNFINISHED, p + 1)
                        };
                        if self.level >= MAXCAPTURES {
                            return Err(PatError::TooManyCaptures);
                        }
                        self.capture[self.level] = Capture { init: s, len };
                        self.level += 1;
                        self.push(Choice::UndoOpen)?;
                        p = np;
                    }
                    b')' => {
                        let l = self.capture_to_close()?;
                        self.capture[l].len = (s - self.capture[l].init) as i64;
                        self.push(Choice::UndoClose(l))?;
                        p += 1;
                    }
                    b'$' if p + 1 == plen => break s == slen,
                    b'%' if m.pc(p + 1) == b'b' => {
                        if p + 3 >= plen {
                            return Err(PatError::Unbalanced);
                        }
                        match match_balance(m.src, s, pat[p + 2], pat[p + 3]) {
                            Some(e) => {
                                s = e;
                                p += 4;
                            }
                            None => break false,
                        }
                    }
                    b'%' if m.pc(p + 1) == b'f' => {
                        p += 2;
                        if m.pc(p) != b'[' {
                            return Err(PatError::MissingFrontierBracket);
                        }
                        let ep = m.class_end(p)?;
                        let prev = if s == 0 { 0 } else { m.sc(s - 1) };
                        if !m.match_bracket(prev, p, ep - 1) && m.match_bracket(m.sc(s), p, ep - 1)
                        {
                            p = ep;
                        } else {
                            break false;
                        }
                    }
                    b'%' if m.pc(p + 1).is_ascii_digit() => {
                        let l = self.check_capture(m.pc(p + 1))?;
                        let len = self.capture[l].len;
                        let init = self.capture[l].init;
                        if len >= 0 {
                            let len = len as usize;
                            if slen - s >= len && m.src[init..init + len] == m.src[s..s + len] {
                                s += len;
                                p += 2;
                                continue;
                            }
                        }
                        break false;
                    }
                    _ => {
                        let ep = m.class_end(p)?;
                        let matched = s < slen && m.single(m.src[s], p, ep);
                        match m.pc(ep) {
                            b'?' => {
                                if matched {
                                    self.push(Choice::Alt { s, p: (ep + 1) })?;
                                    s += 1;
                                }
                                p = ep + 1;
                            }
                            b'*' => {
                                let i = m.count(s, p, ep);
                                self.push(Choice::Max { s, ep, i })?;
                                s += i;
                                p = ep + 1;
                            }
                            b'+' => {
                                if !matched {
                                    break false;
                                }
                                let i = m.count(s + 1, p, ep);
                                self.push(Choice::Max { s: (s + 1), ep, i })?;
                                s += 1 + i;
                                p = ep + 1;
                            }
                            b'-' => {
                                self.push(Choice::Min { s, p, ep })?;
                                p = ep + 1;
                            }
                            _ => {
                                if !matched {
                                    break false;
                                }
                                s += 1;
                                p = ep;
                            }
                        }
                    }
                }
            };
            if ok {
                return Ok(Some(s));
            }
            // Backtrack to the most recent choice point with an alternative.
            loop {
                let Some(top) = self.stack.last_mut() else {
                    return Ok(None);
                };
                match *top {
                    Choice::UndoOpen => {
                        self.level -= 1;
                        self.stack.pop();
                    }
                    Choice::UndoClose(l) => {
                        self.capture[l].len = CAP_UNFINISHED;
                        self.stack.pop();
                    }
                    Choice::Alt { s: s0, p: p0 } => {
                        self.stack.pop();
                        s = s0;
                        p = p0;
                        break;
                    }
                    Choice::Max { s: s0, ep, i } => {
                        if i == 0 {
                            self.stack.pop();
                            continue;
                        }
                        let next = ep + 1;
                        let mut i = i - 1;
                        // When the rest starts with a literal, only the
                        // lengths that put that literal next can match.
                        if let Some(c) = m.leading_literal(next) {
                            match memrchr(c, &m.src[s0..s0 + i + 1]) {
                                Some(k) => i = k,
                                None => {
                                    self.stack.pop();
                                    continue;
                                }
                            }
                        }
                        *top = Choice::Max { s: s0, ep, i };
                        s = s0 + i;
                        p = next;
                        break;
                    }
                    Choice::Min { s: s0, p: pi, ep } => {
                        if s0 < slen && m.single(m.src[s0], pi, ep) {
                            *top = Choice::Min {
                                s: s0 + 1,
                                p: pi,
                                ep,
                            };
                            s = s0 + 1;
                            p = ep + 1;
                            break;
                        }
                        self.stack.pop();
                    }
                }
            }
            // One backtracking step taken: pause when the fuel is gone
            // (the state to resume from is all in `self`).
            self.fuel -= 1;
            if self.fuel == 0 {
                self.paused = Some((s, p));
                return Err(PatError::Paused);
            }
        }
    }

    fn capture_to_close(&self) -> Result<usize, PatError> {
        (0..self.level)
            .rev()
            .find(|&l| self.capture[l].len == CAP_UNFINISHED)
            .ok_or(PatError::InvalidPatternCapture)
    }

    fn check_capture(&self, d: u8) -> Result<usize, PatError> {
        let l = d as i64 - b'1' as i64;
        if l < 0 || l as usize >= self.level || self.capture[l as usize].len == CAP_UNFINISHED {
            return Err(PatError::InvalidCaptureIndex);
        }
        Ok(l as usize)
    }

    /// Capture `i` of a match `[s, e)` (5.1's push_onecapture): with no
    /// captures, capture 0 is the whole match.
    pub fn get_capture(&self, i: usize, s: usize, e: usize) -> Result<Cap, PatError> {
        if i >= self.level {
            if i == 0 {
                return Ok(Cap::Str(s, e));
            }
            return Err(PatError::InvalidCaptureIndex);
        }
        let c = self.capture[i];
        match c.len {
            CAP_UNFINISHED => Err(PatError::UnfinishedCapture),
            CAP_POSITION => Ok(Cap::Pos(c.init + 1)),
            l => Ok(Cap::Str(c.init, c.init + l as usize)),
        }
    }

    /// How many values a match yields: its captures, or the whole match
    /// when there are none and `whole` is asked for.
    pub fn num_values(&self, whole: bool) -> usize {
        if self.level == 0 && whole {
            1
        } else {
            self.level
        }
    }
}

/// 5.1's matchbalance: `%bxy` at `s`.
fn match_balance(src: &[u8], s: usize, b: u8, e: u8) -> Option<usize> {
    if src.get(s) != Some(&b) {
        return None;
    }
    let mut cont = 1usize;
    let mut i = s + 1;
    while i < src.len() {
        let c = src[i];
        if c == e {
            cont -= 1;
            if cont == 0 {
                return Some(i + 1);
            }
        } else if c == b {
            cont += 1;
        }
        i += 1;
    }
    None
}

// -------------------------------------------------------- searching

/// What a pattern statically guarantees about its matches (see the
/// module doc): used to skip start positions.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prefilter {
    /// What every match starts with.
    first: First,
    /// Characters every match contains (at or after its start).
    required: [u8; 4],
    nrequired: usize,
}

/// The first character of every match.
#[derive(Clone, Copy, Debug, Default)]
enum First {
    /// Anything.
    #[default]
    Any,
    /// This byte.
    Byte(u8),
    /// A byte the single-character item `[p, ep)` matches.
    Item(usize, usize),
}

impl Prefilter {
    /// Analyses `pat` (cut at its NUL, without a leading `^` that the
    /// caller treats as an anchor). Only the items before the first one
    /// that would raise an error are considered.
    pub fn new(pat: &[u8]) -> Prefilter {
        let m = Subject::new(&[], pat);
        let mut f = Prefilter::default();
        let plen = pat.len();
        let mut p = 0;
        // Capture structure as the matcher will see it at each item.
        let mut open: SmallVec<[bool; MAXCAPTURES]> = SmallVec::new();
        let mut consumed = false;
        while p < plen {
            match pat[p] {
                b'(' => {
                    if open.len() >= MAXCAPTURES {
                        break;
                    }
                    if m.pc(p + 1) == b')' {
                        open.push(false);
                        p += 2;
                    } else {
                        open.push(true);
                        p += 1;
                    }
                }
                b')' => match open.iter().rposition(|&o| o) {
                    Some(l) => {
                        open[l] = false;
                        p += 1;
                    }
                    None => break,
                },
                b'$' if p + 1 == plen => break,
                b'%' if m.pc(p + 1) == b'b' => {
                    if p + 3 >= plen {
                        break;
                    }
                    if !consumed {
                        f.first = First::Byte(pat[p + 2]);
                    }
                    consumed = true;
                    p += 4;
                }
                b'%' if m.pc(p + 1) == b'f' => {
                    if m.pc(p + 2) != b'[' {
                        break;
                    }
                    match m.class_end(p + 2) {
                        Ok(ep) => p = ep,
                        Err(_) => break,
                    }
                }
                b'%' if m.pc(p + 1).is_ascii_digit() => {
                    let l = m.pc(p + 1) as i64 - b'1' as i64;
                    if l < 0 || l as usize >= open.len() || open[l as usize] {
                        break;
                    }
                    consumed = true;
                    p += 2;
                }
                _ => {
                    let Ok(ep) = m.class_end(p) else { break };
                    let mandatory = !matches!(m.pc(ep), b'?' | b'*' | b'-');
                    if !consumed && mandatory && pat[p] != b'.' {
                        f.first = First::Item(p, ep);
                    }
                    if let Some(c) = m.leading_literal(p) {
                        if !consumed {
                            f.first = First::Byte(c);
                        }
                        if f.nrequired < f.required.len() && !f.required[..f.nrequired].contains(&c)
                        {
                            f.required[f.nrequired] = c;
                            f.nrequired += 1;
                        }
                    }
                    consumed = true;
                    p = match m.pc(ep) {
                        b'?' | b'*' | b'+' | b'-' => ep + 1,
                        _ => ep,
                    };
                }
            }
        }
        f
    }
}

/// A set of bytes, one bit each (bitvec's `BitArray` over four words: as
/// fast as hand-written shifts and masks, measured in ARCHITECTURE).
type ByteSet = BitArray<[u64; 4], Lsb0>;

/// What the analysis of a pattern string found: everything a search
/// needs to know about the pattern besides its bytes, so that a pattern
/// used again (scripts search with the same few constant patterns over
/// and over) is scanned once, not on every call.
#[derive(Clone, Copy, Debug)]
pub struct PatInfo {
    /// The pattern as the matcher sees it is `[0, cut)` (up to its first
    /// NUL).
    pub cut: usize,
    /// It starts with `^` (an anchor for `find`, `match` and `gsub`).
    pub anchor: bool,
    /// No [`SPECIALS`] before the NUL: `string.find` searches it as plain
    /// text.
    pub plain: bool,
    /// What the body (after an anchor) is.
    body: Body,
}

/// The analysis of a pattern body (cut at its NUL, without the anchor).
#[derive(Clone, Copy, Debug)]
struct Body {
    /// Plain text (no special character, not empty).
    literal: bool,
    filter: Prefilter,
    /// The bytes a [`First::Item`] matches (built on first need, or when
    /// the pattern enters the cache).
    first_set: Option<ByteSet>,
    /// Its bracket classes as byte sets (for a cached pattern).
    sets: ClassSets,
}

impl Body {
    fn new(pat: &[u8]) -> Body {
        let literal = !pat.is_empty() && !pat.iter().any(|c| b"^$*+?.([%-)".contains(c));
        Body {
            literal,
            filter: if literal {
                Prefilter::default()
            } else {
                Prefilter::new(pat)
            },
            first_set: None,
            sets: ClassSets::EMPTY,
        }
    }

    /// Builds the first item's byte set and the bracket classes' sets of
    /// the body `pat` (256 tests per set: done once for a pattern the
    /// cache has seen used [`COMPILE_AFTER`] times).
    fn compile_sets(&mut self, pat: &[u8]) {
        if let First::Item(p, ep) = self.filter.first {
            let m = Subject::new(&[], pat);
            let mut set = ByteSet::ZERO;
            for c in 0..=255u8 {
                set.set(usize::from(c), m.single(c, p, ep));
            }
            self.first_set = Some(set);
        }
        self.sets = ClassSets::compile(pat);
    }
}

/// `p` equals the first `p.len()` bytes of `stored` (compared eight bytes
/// at a time, inline: cache keys are short).
#[inline]
fn same_bytes(stored: &[u8; CACHED_PATTERN_LEN], p: &[u8]) -> bool {
    let mut chunks = p.chunks_exact(8);
    let mut i = 0;
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        let mut b = [0u8; 8];
        b.copy_from_slice(&stored[i..i + 8]);
        if a != b {
            return false;
        }
        i += 8;
    }
    chunks
        .remainder()
        .iter()
        .zip(&stored[i..])
        .all(|(a, b)| a == b)
}

impl CacheEntry {
    const EMPTY: CacheEntry = CacheEntry {
        len: u8::MAX,
        hits: 0,
        bytes: [0; CACHED_PATTERN_LEN],
        info: PatInfo {
            cut: 0,
            anchor: false,
            plain: true,
            body: Body {
                literal: false,
                filter: Prefilter {
                    first: First::Any,
                    required: [0; 4],
                    nrequired: 0,
                },
                first_set: None,
                sets: ClassSets::EMPTY,
            },
        },
    };

    #[inline]
    fn holds(&self, p: &[u8]) -> bool {
        usize::from(self.len) == p.len() && same_bytes(&self.bytes, p)
    }

    /// Counts a hit; the one that makes the pattern frequent builds its
    /// byte sets (a pattern used a few times only, as scripts that build
    /// patterns on the fly do, never pays for them).
    #[inline]
    fn hit(&mut self) -> &PatInfo {
        if self.hits < COMPILE_AFTER {
            self.hits += 1;
            if self.hits == COMPILE_AFTER {
                self.compile();
            }
        }
        &self.info
    }

    #[cold]
    #[inline(never)]
    fn compile(&mut self) {
        let len = usize::from(self.len).min(CACHED_PATTERN_LEN);
        let start = self.info.anchor as usize;
        if let Some(body) = self.bytes.get(start..self.info.cut.min(len)) {
            self.info.body.compile_sets(body);
        }
    }
}

impl PatternCache {
    /// The analysis of `p` (at most [`CACHED_PATTERN_LEN`] bytes), from
    /// the cache or made and remembered. Two entries per set: a newly
    /// remembered pattern takes the first and moves the first to the
    /// second (two patterns used in turn whose hashes meet both stay).
    #[inline(always)]
    fn lookup(&mut self, p: &[u8], hash: u32) -> Option<&PatInfo> {
        let set = (hash.wrapping_mul(0x9E37_79B9) >> 26) as usize * 2 % CACHED_PATTERNS;
        let hit = match self.entries.get(set..set + 2) {
            Some([first, _]) if first.holds(p) => 0,
            Some([_, second]) if second.holds(p) => 1,
            _ => return self.insert(p, set),
        };
        self.entries.get_mut(set + hit).map(|e| e.hit())
    }

    /// Analyses `p` and remembers it in the first entry of `set` (the
    /// first moves to the second).
    #[cold]
    #[inline(never)]
    fn insert(&mut self, p: &[u8], set: usize) -> Option<&PatInfo> {
        if self.entries.is_empty() {
            self.entries.resize(CACHED_PATTERNS, CacheEntry::EMPTY);
        }
        let Some([first, second]) = self.entries.get_mut(set..set + 2) else {
            return None;
        };
        let pat = c_pattern(p);
        let anchor = pat.first() == Some(&b'^');
        let info = PatInfo {
            cut: pat.len(),
            anchor,
            plain: no_specials(pat),
            body: Body::new(&pat[anchor as usize..]),
        };
        *second = *first;
        first.len = p.len() as u8;
        first.hits = 0;
        first.bytes[..p.len()].copy_from_slice(p);
        first.info = info;
        Some(&first.info)
    }
}

impl PatInfo {
    /// Analyses the pattern string `p` (NUL and all).
    pub fn new(p: &[u8]) -> PatInfo {
        let pat = c_pattern(p);
        let anchor = pat.first() == Some(&b'^');
        PatInfo {
            cut: pat.len(),
            anchor,
            plain: no_specials(pat),
            body: Body::new(&pat[anchor as usize..]),
        }
    }

    /// [`PatInfo::new`], remembered for the last short patterns this
    /// thread used; `hash` is any hash of `p`'s bytes (the string's own
    /// Lua hash: nothing to compute), which only picks the slot.
    #[inline]
    pub fn cached(p: &[u8], hash: u32) -> PatInfo {
        PatInfo::with(p, hash, |info| *info)
    }

    /// Runs `f` on the analysis of `p` (see [`PatInfo::cached`]) where
    /// the cache keeps it, without copying it out. (Should `f` search
    /// again, as a budget hook running Lua might, the inner search finds
    /// the cache busy and analyses its pattern itself.)
    #[inline]
    pub fn with<R>(p: &[u8], hash: u32, f: impl FnOnce(&PatInfo) -> R) -> R {
        if p.len() > CACHED_PATTERN_LEN {
            return f(&PatInfo::new(p));
        }
        PATTERNS.with(|c| {
            let mut c = c.try_borrow_mut();
            match c.as_mut().ok().and_then(|c| c.lookup(p, hash)) {
                Some(info) => f(info),
                None => f(&PatInfo::new(p)),
            }
        })
    }

    /// The analysis of `pat` (cut at its NUL by the caller) as a body
    /// without anchor: for `gmatch`, where `^` is an ordinary character.
    pub fn unanchored(pat: &[u8]) -> PatInfo {
        PatInfo {
            cut: pat.len(),
            anchor: false,
            plain: false,
            body: Body::new(pat),
        }
    }

    /// A searcher for the body that goes on from `st` (same pattern).
    pub fn resume_searcher(&self, st: SearchState) -> Searcher<'_> {
        Searcher {
            body: &self.body,
            first_set: st.first_set,
            next_req: st.next_req,
            paused_start: st.paused_start,
        }
    }

    /// A searcher for the body, `[anchor, cut)` of the pattern.
    #[inline]
    pub fn searcher(&self) -> Searcher<'_> {
        Searcher::with_body(&self.body)
    }
}

/// Finds matches of a pattern in a subject, start position by start
/// position as 5.1 does, skipping positions the [`Prefilter`] rules out.
#[derive(Clone)]
pub struct Searcher<'a> {
    body: &'a Body,
    /// The bytes a [`First::Item`] matches, when the body has no such set
    /// and a long scan built it.
    first_set: Option<ByteSet>,
    /// Next occurrence of each required character at or after the last
    /// start tried (`usize::MAX`: not computed yet).
    next_req: [usize; 4],
    /// The start position of a match paused in the [`MatchState`].
    paused_start: Option<usize>,
}

/// What a [`Searcher`] learnt and where it paused, without the pattern
/// analysis it borrows: a search paused inside [`PatInfo::with`] goes on
/// outside it.
#[derive(Clone, Copy)]
pub struct SearchState {
    first_set: Option<ByteSet>,
    next_req: [usize; 4],
    paused_start: Option<usize>,
}

impl<'a> Searcher<'a> {
    /// Its state, to go on with [`PatInfo::resume_searcher`].
    pub fn state(&self) -> SearchState {
        SearchState {
            first_set: self.first_set,
            next_req: self.next_req,
            paused_start: self.paused_start,
        }
    }

    #[inline]
    fn with_body(body: &'a Body) -> Searcher<'a> {
        Searcher {
            body,
            first_set: None,
            next_req: [usize::MAX; 4],
            paused_start: None,
        }
    }

    /// The next start position `>= s` (up to `src.len()`) that may match,
    /// or `None` when no start from `s` on can match.
    #[inline]
    pub fn next_start(&mut self, m: Subject<'_>, s: usize) -> Option<usize> {
        let src = m.src;
        let mut s = s;
        if s > src.len() {
            return None;
        }
        match self.body.filter.first {
            First::Any => {}
            First::Byte(c) => s += memchr(c, &src[s..])?,
            First::Item(p, ep) => {
                if s >= src.len() {
                    return None;
                }
                let in_set = |set: &ByteSet, c: u8| set[usize::from(c)];
                let k = match self.body.first_set.or(self.first_set) {
                    Some(set) => src[s..].iter().position(|&c| in_set(&set, c))?,
                    None => {
                        // The first bytes are tried directly (a gmatch step
                        // usually starts on a match); a bitmap of the item
                        // (256 tests) pays off only for a long scan.
                        let near = (src.len() - s).min(64);
                        match src[s..s + near].iter().position(|&c| m.single(c, p, ep)) {
                            Some(k) => k,
                            None if src.len() - s - near >= 512 => {
                                let mut set = ByteSet::ZERO;
                                for c in 0..=255u8 {
                                    set.set(usize::from(c), m.single(c, p, ep));
                                }
                                self.first_set = Some(set);
                                near + src[s + near..].iter().position(|&c| in_set(&set, c))?
                            }
                            None => {
                                near + src[s + near..].iter().position(|&c| m.single(c, p, ep))?
                            }
                        }
                    }
                };
                s += k;
            }
        }
        if self.body.filter.nrequired > 0 && !self.required_ahead(src, s) {
            return None;
        }
        Some(s)
    }

    /// Whether every required character still occurs from `s` on (out of
    /// line: most patterns have none, and the search loop then keeps no
    /// memchr state).
    #[inline(never)]
    fn required_ahead(&mut self, src: &[u8], s: usize) -> bool {
        for k in 0..self.body.filter.nrequired.min(4) {
            let n = self.next_req[k];
            if n == usize::MAX || n < s {
                let c = self.body.filter.required[k];
                match memchr(c, &src[s..]) {
                    Some(i) => self.next_req[k] = s + i,
                    None => return false,
                }
            }
        }
        true
    }

    /// Searches for a match starting at `init` or later (only at `init`
    /// when `anchor`). Returns the start and end of the match; the
    /// captures are in `ms`.
    pub fn find(
        &mut self,
        ms: &mut MatchState,
        m: Subject<'_>,
        init: usize,
        anchor: bool,
    ) -> Result<Option<(usize, usize)>, PatError> {
        let m = Subject {
            sets: &self.body.sets,
            ..m
        };
        let slen = m.src.len();
        if self.body.literal {
            // Plain text: the matcher would compare it byte by byte.
            ms.level = 0;
            let n = m.pat.len();
            let rest = m.src.get(init..).unwrap_or(&[]);
            if anchor {
                return Ok(rest.starts_with(m.pat).then_some((init, init + n)));
            }
            return Ok(find_bytes(rest, m.pat).map(|k| (init + k, init + k + n)));
        }
        let mut s = init;
        if let Some(start) = self.paused_start.take() {
            // Called again after a pause: continue that match.
            match ms.resume(m) {
                Err(PatError::Paused) => {
                    self.paused_start = Some(start);
                    return Err(PatError::Paused);
                }
                Err(e) => return Err(e),
                Ok(Some(e)) => return Ok(Some((start, e))),
                Ok(None) if anchor => return Ok(None),
                Ok(None) => s = start + 1,
            }
        } else if anchor {
            ms.level = 0;
            return match ms.do_match(m, init, 0) {
                Err(PatError::Paused) => {
                    self.paused_start = Some(init);
                    Err(PatError::Paused)
                }
                r => Ok(r?.map(|e| (init, e))),
            };
        }
        while s <= slen {
            let Some(start) = self.next_start(m, s) else {
                return Ok(None);
            };
            ms.level = 0;
            match ms.do_match(m, start, 0) {
                Err(PatError::Paused) => {
                    self.paused_start = Some(start);
                    return Err(PatError::Paused);
                }
                r => {
                    if let Some(e) = r? {
                        return Ok(Some((start, e)));
                    }
                }
            }
            s = start + 1;
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search resumed after every pause.
    fn full_find(
        se: &mut Searcher,
        ms: &mut MatchState,
        m: Subject<'_>,
        init: usize,
        anchor: bool,
    ) -> Result<Option<(usize, usize)>, PatError> {
        loop {
            match se.find(ms, m, init, anchor) {
                Err(PatError::Paused) => continue,
                r => return r,
            }
        }
    }

    /// Heavy backtracking pauses (so the caller can charge the budget)
    /// and resumes to the same result.
    #[test]
    fn long_matches_pause_and_resume() {
        let src = "a".repeat(60);
        let pat = format!("{}%d", "%a-".repeat(4));
        let pat = pat.as_bytes();
        let m = Subject::new(src.as_bytes(), pat);
        let mut ms = MatchState::new();
        let info = PatInfo::unanchored(pat);
        let mut se = info.searcher();
        let mut pauses = 0;
        let r = loop {
            match se.find(&mut ms, m, 0, false) {
                Err(PatError::Paused) => pauses += 1,
                r => break r,
            }
        };
        assert_eq!(r, Ok(None));
        assert!(pauses > 10, "{pauses} pauses");
        let src = format!("{}1", "a".repeat(60));
        let m = Subject::new(src.as_bytes(), pat);
        assert_eq!(
            full_find(
                &mut PatInfo::unanchored(pat).searcher(),
                &mut ms,
                m,
                0,
                false
            ),
            Ok(Some((0, 61)))
        );
    }

    fn find(src: &str, pat: &str) -> Result<Option<(usize, usize)>, PatError> {
        let (pat, anchor) = match pat.strip_prefix('^') {
            Some(p) => (p, true),
            None => (pat, false),
        };
        let pat = c_pattern(pat.as_bytes());
        let mut ms = MatchState::new();
        let info = PatInfo::unanchored(pat);
        let mut se = info.searcher();
        let m = Subject::new(src.as_bytes(), pat);
        full_find(&mut se, &mut ms, m, 0, anchor)
    }

    fn caps(src: &str, pat: &str) -> Vec<String> {
        let pat = pat.as_bytes();
        let mut ms = MatchState::new();
        let m = Subject::new(src.as_bytes(), pat);
        let (s, e) = full_find(
            &mut PatInfo::unanchored(pat).searcher(),
            &mut ms,
            m,
            0,
            false,
        )
        .unwrap()
        .unwrap();
        (0..ms.num_values(true))
            .map(|i| match ms.get_capture(i, s, e).unwrap() {
                Cap::Str(a, b) => src[a..b].to_string(),
                Cap::Pos(p) => p.to_string(),
            })
            .collect()
    }

    #[test]
    fn basics() {
        assert_eq!(find("hello world", "o w"), Ok(Some((4, 7))));
        assert_eq!(find("hello", "l+"), Ok(Some((2, 4))));
        assert_eq!(find("hello", "^h"), Ok(Some((0, 1))));
        assert_eq!(find("hello", "^e"), Ok(None));
        assert_eq!(find("hello", "o$"), Ok(Some((4, 5))));
        assert_eq!(find("abc", "b*"), Ok(Some((0, 0))));
        assert_eq!(find("abc", "x?b"), Ok(Some((1, 2))));
        assert_eq!(find("aaab", "a-b"), Ok(Some((0, 4))));
        assert_eq!(find("THE (quick) fox", "%f[%a]%a+%f[%A]"), Ok(Some((0, 3))));
        assert_eq!(find("x(a(b)c)y", "%b()"), Ok(Some((1, 8))));
        assert_eq!(find("a]b", "[]]"), Ok(Some((1, 2))));
        assert_eq!(find("a-b", "[a-]"), Ok(Some((0, 1))));
        assert_eq!(find("abc", "[^%a]"), Ok(None));
    }

    #[test]
    fn captures() {
        assert_eq!(caps("key = value", "(%w+)%s*=%s*(%w+)"), ["key", "value"]);
        assert_eq!(caps("  x", "()x()"), ["3", "4"]);
        assert_eq!(caps("abcabc", "(abc)%1"), ["abc"]);
        assert_eq!(caps("hello", "(h)(e)(l)"), ["h", "e", "l"]);
        assert_eq!(caps("[[x]]", "%[(=*)%[(.-)%]%1%]"), ["", "x"]);
    }

    #[test]
    fn errors() {
        assert_eq!(find("a", "%"), Err(PatError::EndsWithPercent));
        assert_eq!(find("a", "[a"), Err(PatError::MissingBracket));
        assert_eq!(find("a", "[a%"), Err(PatError::MissingBracket));
        assert_eq!(find("a", "%f"), Err(PatError::MissingFrontierBracket));
        assert_eq!(find("a", "%1"), Err(PatError::InvalidCaptureIndex));
        assert_eq!(find("a", "(a%1)"), Err(PatError::InvalidCaptureIndex));
        assert_eq!(find("a", "a)"), Err(PatError::InvalidPatternCapture));
        assert_eq!(find("a", "%b"), Err(PatError::Unbalanced));
        assert_eq!(find("a", &"(".repeat(33)), Err(PatError::TooManyCaptures));
        // An erroneous item that is never reached raises nothing.
        assert_eq!(find("aaa", "b%"), Ok(None));
        assert_eq!(find("aaa", "a*%1b"), Err(PatError::InvalidCaptureIndex));
    }

    /// A scan past the first 64 bytes that finds nothing there builds the
    /// first-byte set (the bit array): for byte classes, the first match
    /// found through it is the first position where an anchored match
    /// succeeds, from several starting offsets over all 256 byte values.
    #[test]
    fn first_byte_set_agrees_with_anchored_matches() {
        fn find_bytes(src: &[u8], pat: &[u8], anchor: bool) -> Option<(usize, usize)> {
            let mut ms = MatchState::new();
            let info = PatInfo::unanchored(pat);
            let mut se = info.searcher();
            full_find(&mut se, &mut ms, Subject::new(src, pat), 0, anchor).ok()?
        }
        let bytes: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
        let pats: [&[u8]; 6] = [b"[%a_]", b"%d", b"[^%s%p]", b"%W", b"[\x80-\xff]", b"[Z]"];
        for pat in pats {
            for start in [0usize, 1, 63, 200, 700] {
                let mut src = vec![b' '; 600];
                src.extend_from_slice(&bytes[start..]);
                let want = (0..src.len())
                    .find(|&i| find_bytes(&src[i..], pat, true).is_some())
                    .map(|i| (i, i + 1));
                let got = find_bytes(&src, pat, false);
                assert_eq!(got, want, "{} from {start}", String::from_utf8_lossy(pat));
            }
        }
    }

    #[test]
    fn huge_subjects_do_not_recurse() {
        let a = "a".repeat(1_000_000);
        assert_eq!(find(&a, "(.-)$"), Ok(Some((0, 1_000_000))));
        assert_eq!(find(&a, ".*b"), Ok(None));
        assert_eq!(find(&a, "a*a*a*a*b"), Ok(None));
        let p = "a?".repeat(100_000);
        let s = "a".repeat(100_000);
        assert_eq!(find(&s, &format!("^{p}$")), Ok(Some((0, 100_000))));
        let p = "a?".repeat(MAX_CHOICES + 1);
        let s = "a".repeat(MAX_CHOICES + 1);
        assert_eq!(find(&s, &p), Err(PatError::TooComplex));
    }

    /// Random patterns and subjects over an alphabet rich in specials:
    /// never a panic, and the prefilter never changes a result.
    #[test]
    fn random_no_panic_and_prefilter_sound() {
        let alphabet = b"ab.%()[]^$*+-?019fbzdwsxA\0";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20000 {
            let plen = next(12);
            let pat: Vec<u8> = (0..plen).map(|_| alphabet[next(alphabet.len())]).collect();
            let slen = next(40);
            let src: Vec<u8> = (0..slen).map(|_| b"ab()01 z"[next(8)]).collect();
            let pat = c_pattern(&pat);
            let m = Subject::new(&src, pat);
            let mut ms = MatchState::new();
            let fast = full_find(
                &mut PatInfo::unanchored(pat).searcher(),
                &mut ms,
                m,
                0,
                false,
            );
            // The same search without any skipping.
            let mut slow = Ok(None);
            for s in 0..=src.len() {
                ms.level = 0;
                let mut r = ms.do_match(m, s, 0);
                while r == Err(PatError::Paused) {
                    r = ms.resume(m);
                }
                match r {
                    Ok(Some(e)) => {
                        slow = Ok(Some((s, e)));
                        break;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        slow = Err(e);
                        break;
                    }
                }
            }
            assert_eq!(fast, slow, "pattern {:?} subject {:?}", pat, src);
            // A remembered searcher and a reused state (after the
            // searches above left it in any state) agree.
            let mut pooled = take_state();
            // (The cached analysis is of the body after an anchor.)
            // Used often enough to have its byte sets compiled.
            let mut cached = PatInfo::cached(pat, ferrous_value::lua_hash(pat));
            for _ in 0..COMPILE_AFTER {
                cached = PatInfo::cached(pat, ferrous_value::lua_hash(pat));
            }
            let plain = PatInfo::unanchored(pat);
            let info = if cached.anchor { &plain } else { &cached };
            let mut se = info.searcher();
            let again = full_find(&mut se, &mut pooled, m, 0, false);
            assert_eq!(again, fast, "cached, pattern {:?} subject {:?}", pat, src);
            if let Ok(Some((s, e))) = again {
                let caps: Vec<_> = (0..pooled.num_values(true))
                    .map(|i| pooled.get_capture(i, s, e))
                    .collect();
                let fresh: Vec<_> = (0..ms.num_values(true))
                    .map(|i| ms.get_capture(i, s, e))
                    .collect();
                assert_eq!(caps, fresh, "captures, pattern {:?}", pat);
            }
            give_state(pooled);
        }
    }

    #[test]
    fn classes_are_the_c_locale_ones() {
        for cl in 0..=255u8 {
            for c in 0..=255u8 {
                let class = match cl.to_ascii_lowercase() {
                    b'a' => Some(c.is_ascii_alphabetic()),
                    b'c' => Some(c.is_ascii_control()),
                    b'd' => Some(c.is_ascii_digit()),
                    b'l' => Some(c.is_ascii_lowercase()),
                    b'p' => Some(c.is_ascii_punctuation()),
                    b's' => Some(matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')),
                    b'u' => Some(c.is_ascii_uppercase()),
                    b'w' => Some(c.is_ascii_alphanumeric()),
                    b'x' => Some(c.is_ascii_hexdigit()),
                    b'z' => Some(c == 0),
                    _ => None,
                };
                let want = match class {
                    Some(r) if cl.is_ascii_uppercase() => !r,
                    Some(r) => r,
                    None => c == cl,
                };
                assert_eq!(match_class(c, cl), want, "%{} against {c}", cl as char);
                assert_eq!(is_class_letter(cl), class.is_some());
            }
        }
    }

    #[test]
    fn byte_search() {
        let h = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for (i, &c) in h.iter().enumerate() {
            assert_eq!(memchr(c, h), Some(i));
            assert_eq!(memrchr(c, h), Some(i));
        }
        assert_eq!(memchr(b'!', h), None);
        assert_eq!(memrchr(b'!', h), None);
        assert_eq!(find_bytes(h, b"xyz0"), Some(23));
        assert_eq!(find_bytes(h, b""), Some(0));
        assert_eq!(find_bytes(b"aab", b"ab"), Some(1));
        assert_eq!(find_bytes(b"ab", b"abc"), None);
    }
}
