//! The syntax differential: every `.lua` file under tests/syntax/ goes
//! through `luac5.1 -p` and `ferrous-luac -p`; the exit statuses and the
//! standard error streams (after the program-name prefix) must be identical.
//!
//! luac5.1 is the oracle. It is required: install it with
//! `apt-get install lua5.1`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FERROUS_LUAC: &str = env!("CARGO_BIN_EXE_ferrous-luac");

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or(manifest)
}

fn require_luac() {
    let ok = Command::new("luac5.1")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "luac5.1 is missing: the syntax differential needs it as its oracle. \
         Install it with `apt-get install lua5.1`."
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "lua") {
            out.push(p);
        }
    }
}

/// Runs a program in the workspace root with `args` and optional stdin.
fn run(program: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    if let Some(input) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin pipe");
        pipe.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

/// Standard error with the program's name replaced by `PROG` wherever it
/// introduces a line or names the program in the usage text.
fn normalise(stderr: &[u8], progname: &str) -> Vec<u8> {
    let text = stderr.to_vec();
    let prefix = format!("{progname}: ");
    let usage = format!("usage: {progname} ");
    let mut out = Vec::with_capacity(text.len());
    for line in text.split_inclusive(|&b| b == b'\n') {
        let line = if let Some(rest) = line.strip_prefix(prefix.as_bytes()) {
            [b"PROG: ".as_slice(), rest].concat()
        } else if let Some(rest) = line.strip_prefix(usage.as_bytes()) {
            [b"usage: PROG ".as_slice(), rest].concat()
        } else {
            line.to_vec()
        };
        out.extend_from_slice(&line);
    }
    out
}

/// Compares one invocation of both programs; returns a description of the
/// difference, if any.
fn compare(args: &[&str], stdin: Option<&[u8]>) -> Option<String> {
    let want = run("luac5.1", args, stdin);
    let got = run(FERROUS_LUAC, args, stdin);
    let want_err = normalise(&want.stderr, "luac5.1");
    let got_err = normalise(&got.stderr, "ferrous-luac");
    if want.status.code() == got.status.code() && want_err == got_err && want.stdout == got.stdout {
        return None;
    }
    Some(format!(
        "luac5.1 {args:?}\n  luac5.1:      status {:?}, stderr {:?}\n  ferrous-luac: status {:?}, stderr {:?}",
        want.status.code(),
        String::from_utf8_lossy(&want_err),
        got.status.code(),
        String::from_utf8_lossy(&got_err),
    ))
}

#[test]
fn every_snippet_matches_luac() {
    require_luac();
    let root = workspace_root();
    let mut files = Vec::new();
    collect(&root.join("tests/syntax"), &mut files);
    assert!(
        files.len() >= 300,
        "tests/syntax holds {} snippets, expected at least 300",
        files.len()
    );
    let rel: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // Two workers: the machines these run on have two cores.
    let (a, b) = rel.split_at(rel.len() / 2);
    let failures: Vec<String> = std::thread::scope(|s| {
        let h = s.spawn(|| {
            a.iter()
                .filter_map(|f| compare(&["-p", f], None))
                .collect::<Vec<_>>()
        });
        let mut mine: Vec<String> = b.iter().filter_map(|f| compare(&["-p", f], None)).collect();
        let mut all = h.join().expect("worker");
        all.append(&mut mine);
        all
    });
    assert!(
        failures.is_empty(),
        "{} of {} snippets differ from luac5.1:\n{}",
        failures.len(),
        rel.len(),
        failures.join("\n")
    );
    eprintln!("syntax differential: {} snippets identical", rel.len());
}

#[test]
fn command_line_matches_luac() {
    require_luac();
    let valid = "tests/syntax/valid/assign_global.lua";
    let invalid = "tests/syntax/errors/unexpected_symbol_double_eq.lua";
    let cases: Vec<(Vec<&str>, Option<&[u8]>)> = vec![
        (vec![], None),
        (vec!["-x"], None),
        (vec!["-p", "-q", valid], None),
        (vec!["-o"], None),
        (vec!["-p"], None),
        (vec!["-p", "tests/syntax/no/such/file.lua"], None),
        (vec!["-p", "tests/syntax"], None),
        (vec!["-p", valid, valid], None),
        (vec!["-p", valid, invalid, valid], None),
        (vec!["-p", invalid, "tests/syntax/no/such/file.lua"], None),
        (vec!["-p", "--", valid], None),
        (vec!["-p", "-"], Some(b"x = 1\n")),
        (vec!["-p", "-"], Some(b"x = = 1\n")),
        (vec!["-p", "-"], Some(b"#!/usr/bin/lua\nx = \n")),
        (vec!["-p", "-"], Some(b"")),
        (vec!["-p", "-", valid], Some(b"local 1\n")),
        (vec!["-v"], None),
        (vec!["-v", "-v"], None),
        (vec!["-v", "-p", valid], None),
        (vec!["-v", "-p", invalid], None),
        (vec!["-p", "-p", "-s", valid], None),
        (vec!["-p", "-o", "-", valid], None),
        (vec!["-p", "-o", "", valid], None),
        (vec!["-p", "-l", invalid], None),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(args, stdin)| compare(args, *stdin))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
