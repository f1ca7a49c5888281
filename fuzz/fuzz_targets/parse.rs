//! Lexer + parser on arbitrary bytes: never panics, never overflows the
//! stack, and returns either a tree that satisfies the structural checks or
//! an error worded like PUC-Rio's (`chunkid:line: message`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for source in [data, ferrous_syntax::skip_first_line(data)] {
        match ferrous_syntax::parse(source, b"=fuzz") {
            Ok(chunk) => {
                if let Err(e) = ferrous_syntax::check::check_chunk(&chunk) {
                    panic!("invariant broken: {e}");
                }
            }
            Err(e) => {
                let msg = e.message();
                assert!(msg.starts_with(b"fuzz:"), "bad prefix: {e}");
                let lines = count_lines(source);
                assert!(
                    (e.line() as usize) <= lines,
                    "line {} beyond the {lines} lines of the source: {e}",
                    e.line()
                );
            }
        }
    }
    // A chunk name taken from the input exercises luaO_chunkid.
    let _ = ferrous_syntax::chunkid(data);
    let _ = ferrous_syntax::chunkid_bytes_len(data, 80);
});

/// Lines as llex.c counts them: `\n`, `\r`, `\r\n` and `\n\r` each end one.
fn count_lines(s: &[u8]) -> usize {
    let mut n = 1;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'\n' || c == b'\r' {
            n += 1;
            if i + 1 < s.len() && matches!(s[i + 1], b'\n' | b'\r') && s[i + 1] != c {
                i += 1;
            }
        }
        i += 1;
    }
    n
}
