//! `ferrous-luac -l` against `luac5.1 -l`: listings of single files,
//! several files combined into one main function, standard input, and the
//! code-generation path of `-p`. Addresses and byte counts are normalised.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn run(program: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(root().join("tests/compiler"));
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!("running {program}: {e} (luac5.1 is needed: Debian package lua5.1)")
    });
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write;
        pipe.write_all(input).expect("writing stdin");
    }
    child.wait_with_output().expect("waiting")
}

fn normalise(text: &[u8]) -> String {
    let s = String::from_utf8_lossy(text);
    let mut out = String::new();
    for line in s.lines() {
        let mut l = String::new();
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'0' && b.get(i + 1) == Some(&b'x') {
                i += 2;
                while i < b.len() && b[i].is_ascii_hexdigit() {
                    i += 1;
                }
                l.push_str("0x?");
            } else {
                l.push(b[i] as char);
                i += 1;
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out.replace("luac5.1:", "PROG:")
        .replace("ferrous-luac:", "PROG:")
}

/// Runs both with `args` and compares exit status, stdout and stderr.
fn same(args: &[&str], stdin: Option<&[u8]>) {
    let theirs = run("luac5.1", args, stdin);
    let ours = run(env!("CARGO_BIN_EXE_ferrous-luac"), args, stdin);
    assert_eq!(
        ours.status.code(),
        theirs.status.code(),
        "exit status of {args:?}"
    );
    assert_eq!(
        normalise(&ours.stdout),
        normalise(&theirs.stdout),
        "stdout of {args:?}"
    );
    assert_eq!(
        normalise(&ours.stderr),
        normalise(&theirs.stderr),
        "stderr of {args:?}"
    );
}

#[test]
fn listings_match_luac() {
    same(&["-l", "-p", "and_or.lua"], None);
    same(&["-l", "-l", "-p", "closures.lua"], None);
    same(&["-l", "-l", "-p", "many_constants.lua"], None);
    same(
        &["-l", "-p", "snapshot/hello.lua", "snapshot/logic.lua"],
        None,
    );
    same(
        &["-l", "-l", "-p", "-"],
        Some(b"local a, b = ... return a and b\n"),
    );
    same(&["-l", "-p", "--", "loops.lua"], None);
}

#[test]
fn parse_only_reports_errors_like_luac() {
    same(&["-p", "tables.lua", "lines.lua"], None);
    same(&["-p", "-"], Some(b"x = = 1"));
    same(&["-p", "-"], Some(b"for i = 1 do end"));
    same(&["-p", "does-not-exist.lua"], None);
}

#[test]
fn listing_while_writing_a_chunk() {
    // luac writes the chunk too (luac51_chunks.rs compares the bytes).
    same(&["-l", "-o", "/dev/null", "snapshot/hello.lua"], None);
    same(&["-l", "-s", "-o", "/dev/null", "closures.lua"], None);
}
