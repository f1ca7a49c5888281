//! `load(reader)`'s parse: the source read piece by piece (`parse_stream`)
//! gives exactly what the whole text gives (`parse`), whatever the cuts,
//! never asks for a piece after the stream ended, and never panics. The
//! first input byte chooses the piece sizes (a small generator, so that
//! one input covers pieces of 1 byte up to 64), the rest is the source.
#![no_main]

use ferrous_syntax::{parse, parse_stream, printer, Stream};
use libfuzzer_sys::fuzz_target;

struct Pieces<'a> {
    rest: &'a [u8],
    state: u32,
    text: Vec<u8>,
    ended: bool,
}

impl Stream for Pieces<'_> {
    fn bytes(&self) -> &[u8] {
        &self.text
    }
    fn fill(&mut self) -> bool {
        assert!(!self.ended, "fill called after the stream ended");
        if self.rest.is_empty() {
            self.ended = true;
            return false;
        }
        self.state = self.state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let k = 1 + ((self.state >> 16) as usize % 64);
        let n = k.min(self.rest.len());
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

fuzz_target!(|data: &[u8]| {
    let Some((&seed, source)) = data.split_first() else {
        return;
    };
    let whole = outcome(parse(source, b"=fuzz"));
    let mut st = Pieces {
        rest: source,
        state: u32::from(seed),
        text: Vec::new(),
        ended: false,
    };
    let streamed = outcome(parse_stream(&mut st, b"=fuzz", 1));
    assert_eq!(whole, streamed, "streamed parse differs (seed {seed})");
    // What was read is a prefix of the source.
    assert!(source.starts_with(&st.text));
});
