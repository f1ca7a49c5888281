//! Parser + code generator on arbitrary bytes: never panics, never
//! overflows the stack; whatever parses either compiles into prototypes
//! that pass `ferrous_compiler::verify` (and can be listed) or fails with
//! luac's "function or expression too complex". `compile_source`, which
//! compiles each function as the parser closes it, gives the same listing
//! or the same error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = ferrous_syntax::skip_first_line(data);
    let Ok(chunk) = ferrous_syntax::parse(source, b"=fuzz") else {
        return;
    };
    let eager = ferrous_compiler::compile_source(source, b"=fuzz");
    match ferrous_compiler::compile(&chunk) {
        Ok(p) => {
            if let Err(e) = ferrous_compiler::verify(&p) {
                panic!("compiled code does not verify: {e}");
            }
            let text = ferrous_compiler::listing(&p, true);
            assert!(text.starts_with("\nmain <fuzz:0,0>"));
            match eager {
                Ok(q) => assert_eq!(ferrous_compiler::listing(&q, true), text),
                Err(e) => panic!("compile_source failed where compile did not: {e}"),
            }
        }
        Err(e) => {
            match eager {
                Ok(_) => panic!("compile_source succeeded where compile failed: {e}"),
                Err(f) => assert_eq!(f.to_string(), e.to_string()),
            }
            let msg = e.to_string();
            assert!(
                msg.starts_with("fuzz:") && msg.ends_with("function or expression too complex"),
                "unexpected compile error: {msg}"
            );
        }
    }
});
