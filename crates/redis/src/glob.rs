//! Redis's glob-style patterns (`stringmatchlen`): `*`, `?`, `[abc]`,
//! `[^a-z]`, and `\` escapes. Used by `FUNCTION LIST LIBRARYNAME`.

/// Whether `s` matches `pattern` (`nocase`: ASCII case-insensitively).
/// Iterative: a `*` remembers where to resume, so no input recurses.
pub fn string_match(pattern: &[u8], s: &[u8], nocase: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if nocase {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut p, mut i) = (0usize, 0usize);
    // Where to resume after the last `*`: (pattern index after it, string
    // index it is tried at).
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    while p < pattern.len() && pattern[p] == b'*' {
                        p += 1;
                    }
                    if p == pattern.len() {
                        return true;
                    }
                    star = Some((p, i));
                    continue;
                }
                b'?' if i < s.len() => {
                    p += 1;
                    i += 1;
                    continue;
                }
                b'[' if i < s.len() => {
                    let (matched, next) = class(pattern, p, s[i], nocase);
                    if matched {
                        p = next;
                        i += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pattern.len() && i < s.len() && eq(pattern[p + 1], s[i]) => {
                    p += 2;
                    i += 1;
                    continue;
                }
                c if i < s.len() && c != b'?' && c != b'[' && c != b'\\' && eq(c, s[i]) => {
                    p += 1;
                    i += 1;
                    continue;
                }
                // A trailing backslash matches itself.
                b'\\' if p + 1 == pattern.len() && i < s.len() && s[i] == b'\\' => {
                    p += 1;
                    i += 1;
                    continue;
                }
                _ => {}
            }
        } else if i == s.len() {
            return true;
        }
        // Mismatch: let the last star absorb one more byte.
        match star {
            Some((sp, si)) if si < s.len() => {
                star = Some((sp, si + 1));
                p = sp;
                i = si + 1;
            }
            _ => return false,
        }
    }
}

/// Matches `c` against the class starting at `pattern[start] == '['`;
/// returns the result and the index after the class.
fn class(pattern: &[u8], start: usize, c: u8, nocase: bool) -> (bool, usize) {
    let lower = |b: u8| if nocase { b.to_ascii_lowercase() } else { b };
    let mut p = start + 1;
    let not = p < pattern.len() && pattern[p] == b'^';
    if not {
        p += 1;
    }
    let mut matched = false;
    loop {
        if p >= pattern.len() {
            // Unterminated class: Redis stops at the end of the pattern.
            break;
        }
        if pattern[p] == b'\\' && p + 1 < pattern.len() {
            p += 1;
            if pattern[p] == c {
                matched = true;
            }
        } else if pattern[p] == b']' {
            break;
        } else if p + 2 < pattern.len() && pattern[p + 1] == b'-' {
            let (mut a, mut b) = (lower(pattern[p]), lower(pattern[p + 2]));
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            p += 2;
            let x = lower(c);
            if x >= a && x <= b {
                matched = true;
            }
        } else if lower(pattern[p]) == lower(c) {
            matched = true;
        }
        p += 1;
    }
    let next = (p + 1).min(pattern.len());
    (matched != not, next)
}

#[cfg(test)]
mod tests {
    use super::string_match;

    #[test]
    fn globs() {
        assert!(string_match(b"li*", b"lib", true));
        assert!(!string_match(b"other*", b"lib", true));
        assert!(string_match(b"LIB", b"lib", true));
        assert!(!string_match(b"LIB", b"lib", false));
        assert!(string_match(b"l?b", b"lib", false));
        assert!(string_match(b"l[a-j]b", b"lib", false));
        assert!(!string_match(b"l[^i]b", b"lib", false));
        assert!(string_match(b"*", b"", false));
        assert!(string_match(b"a*b*c", b"axxbyyc", false));
        assert!(!string_match(b"a*b*c", b"axxbyy", false));
        assert!(string_match(b"a\\*", b"a*", false));
    }
}
