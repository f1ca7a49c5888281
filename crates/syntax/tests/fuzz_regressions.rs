//! Inputs that once broke (or nearly broke) the parser, and any crash the
//! fuzzer finds (fuzz/README.md): each file in tests/fuzz_regressions/ must
//! parse to a tree that passes the structural checks or to a well-formed
//! error, without panicking, on a small stack.

use std::path::PathBuf;

#[test]
fn fuzz_regressions() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fuzz_regressions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let data = std::fs::read(&path).expect("read");
        let name = path.display().to_string();
        let result = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                for source in [&data[..], ferrous_syntax::skip_first_line(&data)] {
                    match ferrous_syntax::parse(source, b"=fuzz") {
                        Ok(chunk) => ferrous_syntax::check::check_chunk(&chunk)?,
                        Err(e) if e.message().starts_with(b"fuzz:") => {}
                        Err(e) => return Err(format!("malformed error: {e}")),
                    }
                }
                Ok(())
            })
            .expect("spawn")
            .join();
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("{name}: {e}"),
            Err(_) => panic!("{name}: the parser panicked"),
        }
    }
}
