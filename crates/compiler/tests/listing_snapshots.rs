//! insta snapshots of `luac -l -l` style listings for a representative
//! set of programs (tests/compiler/snapshot/*.lua): they show, in review,
//! what the code generator emits. Each listing is first checked against
//! luac5.1's own listing of the same file, so a snapshot never records
//! anything luac would not print (except the fake addresses).

mod common;

use std::process::Command;

use common::{normalise, require_luac, root};

fn listing_of(name: &str) -> String {
    listing_with(name, true)
}

/// The listing of tests/compiler/snapshot/NAME (`-l -l` when `full`),
/// checked against luac5.1's.
fn listing_with(name: &str, full: bool) -> String {
    let dir = root().join("tests/compiler/snapshot");
    let contents = std::fs::read(dir.join(name)).expect("reading the program");
    let chunkname = format!("@{name}");
    let p = ferrous_compiler::compile_source(&contents, chunkname.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let ours = ferrous_compiler::listing(&p, full);

    let args: &[&str] = if full {
        &["-l", "-l", "-p", name]
    } else {
        &["-l", "-p", name]
    };
    let out = Command::new("luac5.1")
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("running luac5.1");
    assert!(out.status.success(), "luac5.1 rejects {name}");
    let theirs = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        normalise(&ours),
        normalise(&theirs),
        "{name} differs from luac5.1"
    );
    ours
}

macro_rules! snapshot {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            require_luac();
            insta::assert_snapshot!(stringify!($test), listing_of($file));
        }
    };
}

snapshot!(hello, "hello.lua");
snapshot!(arithmetic, "arithmetic.lua");
snapshot!(logic, "logic.lua");
snapshot!(control, "control.lua");
snapshot!(closures, "closures.lua");
snapshot!(tables, "tables.lua");
snapshot!(varargs, "varargs.lua");

#[test]
fn brief_listing_has_no_constant_sections() {
    require_luac();
    insta::assert_snapshot!("brief", listing_with("tables.lua", false));
}
