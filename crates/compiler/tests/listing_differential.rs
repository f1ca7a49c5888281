//! THE ORACLE of the code generator: every program of the corpus is
//! compiled by `luac5.1 -l -l -p` and by ferrous-compiler, and the two
//! listings (instructions, lines, constants, locals with their pc ranges,
//! upvalues, for every function) must be identical once addresses and
//! byte counts are normalised.
//!
//! Corpus: tests/compiler (programs aimed at tricky code generation),
//! tests/syntax/valid, tests/lua and tests/lua-ferrous (files luac5.1
//! rejects are skipped), plus random programs from a deterministic
//! generator. Fails loudly when luac5.1 is missing.
//!
//! `FERROUS_GEN_PROGRAMS=N` changes how many random programs are checked
//! (default 400); `FERROUS_GEN_SEED=S` the first seed.

mod common;

use common::*;

/// Compares one file; `Err` with a report when the listings differ.
fn check_file(rel: &str) -> Result<bool, String> {
    let Some(expected) = luac_listing(rel) else {
        return Ok(false); // luac rejects it: not part of the differential
    };
    let actual = ferrous_listing(rel).map_err(|e| format!("{rel}: does not compile: {e}"))?;
    let (e, a) = (normalise(&expected), normalise(&actual));
    if e != a {
        return Err(format!(
            "{rel}: listings differ\n{}",
            first_difference(&e, &a)
        ));
    }
    Ok(true)
}

fn run_corpus(dirs: &[&str]) -> (usize, usize, Vec<String>) {
    let mut identical = 0;
    let mut skipped = 0;
    let mut failures = Vec::new();
    for dir in dirs {
        for rel in lua_files(dir) {
            match check_file(&rel) {
                Ok(true) => identical += 1,
                Ok(false) => skipped += 1,
                Err(report) => failures.push(report),
            }
        }
    }
    (identical, skipped, failures)
}

fn report(what: &str, identical: usize, skipped: usize, failures: &[String]) {
    eprintln!(
        "{what}: {} programs, {identical} identical to luac5.1, {} different, {skipped} skipped (rejected by luac5.1)",
        identical + failures.len(),
        failures.len()
    );
    if !failures.is_empty() {
        for f in failures.iter().take(10) {
            eprintln!("{f}");
        }
        panic!("{} of {what} differ from luac5.1", failures.len());
    }
}

#[test]
fn compiler_programs_match_luac() {
    require_luac();
    let (ok, skipped, failures) = run_corpus(&["tests/compiler"]);
    assert!(ok >= 20, "tests/compiler is missing ({ok} programs)");
    // Every program written for the compiler must be valid Lua 5.1.
    assert_eq!(skipped, 0, "luac5.1 rejects programs of tests/compiler");
    report("tests/compiler", ok, skipped, &failures);
}

#[test]
fn syntax_snippets_match_luac() {
    require_luac();
    let (ok, skipped, failures) = run_corpus(&["tests/syntax"]);
    report("tests/syntax", ok, skipped, &failures);
}

#[test]
fn lua_corpus_matches_luac() {
    require_luac();
    let (ok, skipped, failures) = run_corpus(&["tests/lua", "tests/lua-ferrous"]);
    report("tests/lua", ok, skipped, &failures);
}

#[test]
fn generated_programs_match_luac() {
    require_luac();
    let n: u64 = std::env::var("FERROUS_GEN_PROGRAMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let first: u64 = std::env::var("FERROUS_GEN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let dir = std::env::temp_dir().join(format!("ferrous-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut identical = 0;
    let mut skipped = 0;
    let mut failures = Vec::new();
    for seed in first..first + n {
        let program = gen::Gen::new(seed).program();
        let path = dir.join(format!("gen{seed}.lua"));
        std::fs::write(&path, &program).expect("writing a generated program");
        let rel = path.to_string_lossy().into_owned();
        match check_file(&rel) {
            Ok(true) => identical += 1,
            Ok(false) => skipped += 1,
            Err(r) => failures.push(format!("seed {seed} (kept in {rel})\n{r}")),
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        identical >= n as usize * 3 / 4,
        "too many generated programs rejected by luac5.1 ({skipped} of {n})"
    );
    report("generated programs", identical, skipped, &failures);
}

/// `FERROUS_GEN_SEED=S FERROUS_GEN_OUT=FILE cargo test ... -- --ignored`
/// writes generated program S to FILE, for debugging.
#[test]
#[ignore]
fn dump_generated_program() {
    let seed: u64 = std::env::var("FERROUS_GEN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let out = std::env::var("FERROUS_GEN_OUT").unwrap_or_else(|_| "gen.lua".to_string());
    std::fs::write(out, gen::Gen::new(seed).program()).expect("writing the program");
}
