//! `compile_source` compiles each function as the parser closes it and
//! frees its tree; `compile` works on a whole tree. Both must give the
//! same prototypes (compared through their full listings) and the same
//! errors, on every program of the corpora and on random programs.

mod common;

use std::path::Path;

fn whole_tree(source: &[u8], name: &[u8]) -> Result<String, String> {
    let chunk = ferrous_syntax::parse(source, name).map_err(|e| e.to_string())?;
    let p = ferrous_compiler::compile(&chunk).map_err(|e| e.to_string())?;
    Ok(ferrous_compiler::listing(&p, true))
}

fn eager(source: &[u8], name: &[u8]) -> Result<String, String> {
    let p = ferrous_compiler::compile_source(source, name).map_err(|e| e.to_string())?;
    Ok(ferrous_compiler::listing(&p, true))
}

fn lua_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            lua_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "lua") {
            out.push(p);
        }
    }
}

#[test]
fn eager_compilation_equals_whole_tree_compilation() {
    let root = common::root();
    let mut files = Vec::new();
    for dir in [
        "tests/lua",
        "tests/compiler",
        "tests/syntax",
        "tests/lua-ferrous",
    ] {
        lua_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 500, "corpora missing ({} files)", files.len());
    let mut compared = 0;
    for f in &files {
        let contents = std::fs::read(f).expect("read");
        let source = ferrous_syntax::skip_first_line(&contents);
        let name = format!("@{}", f.display());
        assert_eq!(
            eager(source, name.as_bytes()),
            whole_tree(source, name.as_bytes()),
            "{}",
            f.display()
        );
        compared += 1;
    }
    assert_eq!(compared, files.len());
}

#[test]
fn eager_compilation_equals_whole_tree_on_random_programs() {
    for i in 0..300u64 {
        let src = common::gen::Gen::new(0x5eed_e6e7 + i).program();
        let name = format!("=random{i}");
        assert_eq!(
            eager(src.as_bytes(), name.as_bytes()),
            whole_tree(src.as_bytes(), name.as_bytes()),
            "{src}"
        );
    }
}

#[test]
fn limit_errors_are_the_same_as_whole_tree_compilation() {
    // "function or expression too complex": a call with more arguments
    // than registers (see tests/limits.rs). The outer function's error is
    // on an earlier line than the inner one's, then the other way round,
    // then only in the inner function, then after a later syntax error.
    let call = vec!["x"; 32768].join(", ");
    let cases = [
        format!("local function outer()\n  f({call})\n  local function inner()\n    g({call})\n  end\nend\n"),
        format!("local function outer()\n  local function inner()\n    g({call})\n  end\n  f({call})\nend\n"),
        format!("local function outer()\n  local function inner()\n    g({call})\n  end\nend\n"),
        format!("local function outer()\n  local function inner()\n    g({call})\n  end\nend\nx = = 1\n"),
    ];
    for src in &cases {
        let e = eager(src.as_bytes(), b"=t").unwrap_err();
        assert_eq!(e, whole_tree(src.as_bytes(), b"=t").unwrap_err());
    }
}
