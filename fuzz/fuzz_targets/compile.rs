//! Parser + code generator on arbitrary bytes: never panics, never
//! overflows the stack; whatever parses either compiles into prototypes
//! that pass `ferrous_compiler::verify` (and can be listed) or fails with
//! luac's "function or expression too complex".
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = ferrous_syntax::skip_first_line(data);
    let Ok(chunk) = ferrous_syntax::parse(source, b"=fuzz") else {
        return;
    };
    match ferrous_compiler::compile(&chunk) {
        Ok(p) => {
            if let Err(e) = ferrous_compiler::verify(&p) {
                panic!("compiled code does not verify: {e}");
            }
            let text = ferrous_compiler::listing(&p, true);
            assert!(text.starts_with("\nmain <fuzz:0,0>"));
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.starts_with("fuzz:") && msg.ends_with("function or expression too complex"),
                "unexpected compile error: {msg}"
            );
        }
    }
});
