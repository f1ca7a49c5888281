//! `parse_stream` gives what `parse` gives on the whole text, whatever the
//! pieces, and reads no piece after the one where the parse stops. (How
//! many pieces lua5.1 reads is checked against lua5.1 itself by the
//! conformance script tests/lua/base/load_reader_calls.lua.)

use ferrous_syntax::{parse, parse_stream, printer, Stream};

/// A source cut into pieces of `k` bytes.
struct Pieces<'a> {
    rest: &'a [u8],
    k: usize,
    text: Vec<u8>,
    calls: usize,
    ended: bool,
}

impl Stream for Pieces<'_> {
    fn bytes(&self) -> &[u8] {
        &self.text
    }
    fn fill(&mut self) -> bool {
        assert!(!self.ended, "fill called after the end");
        self.calls += 1;
        if self.rest.is_empty() {
            self.ended = true;
            return false;
        }
        let n = self.k.min(self.rest.len());
        self.text.extend_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        true
    }
}

fn outcome(r: Result<ferrous_syntax::ast::Chunk, ferrous_syntax::SyntaxError>) -> String {
    match r {
        Ok(c) => printer::dump(&c),
        Err(e) => format!("error: {e}"),
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = [
        "",
        "x",
        "x = 1",
        "*a = 123",
        "x = 'abc",
        "x = '\\999'",
        "x = [==[ a ]] ]==]",
        "x = [[ a [[ b ]] ]]",
        "x = [==x",
        "--[[ open",
        "return 1e",
        "return 3..4",
        "x = 1\r\ny = 2\n\rz = 3",
        "t = {a = 1, b}",
        "t = {a b}",
        "f(\n)",
        "a.b:c'x'{}",
        "return 'a\\\r\nb'",
        "x = 1 .\0 2",
        "local function f(...) return ... end",
        "x = 1 -- c\n--[==[ long\n ]==] y = 2 --[ not long\n z = 3 --[=[ x ]=]",
        "   \n\n \t  --[=",
        "return --\n1",
        "return --[[\n]]--\r\n\n\r 1",
        "abc    def",
        "return 1 -- trailing",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/lua/lexical");
    if let Ok(dir) = std::fs::read_dir(root) {
        let mut files: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        files.sort();
        for p in files.into_iter().take(40) {
            if let Ok(b) = std::fs::read(&p) {
                out.push(ferrous_syntax::skip_first_line(&b).to_vec());
            }
        }
    }
    out
}

#[test]
fn streamed_parse_matches_whole_parse() {
    for src in corpus() {
        let whole = outcome(parse(&src, b"=s"));
        for k in [1, 2, 3, 7, 64, usize::MAX] {
            let mut st = Pieces {
                rest: &src,
                k,
                text: Vec::new(),
                calls: 0,
                ended: false,
            };
            let got = outcome(parse_stream(&mut st, b"=s", 1));
            let head = String::from_utf8_lossy(&src[..src.len().min(30)]).into_owned();
            assert_eq!(got, whole, "k={k} src={head:?}");
            // Never a piece more than the text needs, plus the call that
            // finds the end.
            let pieces = src.len().div_ceil(k.min(src.len().max(1)));
            assert!(
                st.calls <= pieces + 1,
                "k={k} calls={} src={head:?}",
                st.calls
            );
            if whole.starts_with("error") {
                continue;
            }
            // A chunk that parses was read to its end.
            assert!(st.ended, "k={k} src={head:?}");
        }
    }
}
