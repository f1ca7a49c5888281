//! Shared by the listing tests: running luac5.1, normalising listings, and
//! a generator of random (valid) Lua programs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod gen;

/// The workspace root (luac runs there, so chunk names are relative paths).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Panics (loudly) when luac5.1 is not installed: the differential is the
/// oracle of the code generator and must not pass silently without it.
pub fn require_luac() {
    match Command::new("luac5.1").arg("-v").output() {
        Ok(o) if o.status.success() => {}
        _ => panic!(
            "luac5.1 is not installed: the listing differential needs it \
             (Debian package lua5.1; .ci/run installs it)"
        ),
    }
}

/// `luac5.1 -l -l -p REL` run in the workspace root: `Some(listing)` when
/// luac accepts the file, `None` when it rejects it.
pub fn luac_listing(rel: &str) -> Option<String> {
    let out = Command::new("luac5.1")
        .args(["-l", "-l", "-p", rel])
        .current_dir(root())
        .output()
        .expect("running luac5.1");
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Ferrous's listing of the file `REL` (relative to the root), compiled
/// the way luac loads it; `Err` with the message when it does not compile.
pub fn ferrous_listing(rel: &str) -> Result<String, String> {
    let contents = std::fs::read(root().join(rel)).map_err(|e| e.to_string())?;
    let source = ferrous_syntax::skip_first_line(&contents);
    let chunkname = format!("@{rel}");
    match ferrous_compiler::compile_source(source, chunkname.as_bytes()) {
        Ok(p) => {
            ferrous_compiler::verify(&p).map_err(|e| format!("verify: {e}"))?;
            Ok(ferrous_compiler::listing(&p, true))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Replaces what legitimately differs: addresses (`0x...`) and the byte
/// count in headers.
pub fn normalise(listing: &str) -> String {
    let mut out = String::with_capacity(listing.len());
    for line in listing.lines() {
        let mut l = String::with_capacity(line.len());
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'0' && b.get(i + 1) == Some(&b'x') {
                let mut j = i + 2;
                while j < b.len() && b[j].is_ascii_hexdigit() {
                    j += 1;
                }
                l.push_str("0x?");
                i = j;
            } else {
                l.push(b[i] as char);
                i += 1;
            }
        }
        // "(N instructions, M bytes at" -> "M bytes" normalised
        if let Some(p) = l.find(" bytes at ") {
            if let Some(c) = l[..p].rfind(", ") {
                l.replace_range(c + 2..p, "N");
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// The first differing lines of two listings, for failure reports.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let n = e.len().max(a.len());
    for i in 0..n {
        if e.get(i) != a.get(i) {
            let from = i.saturating_sub(3);
            let mut s = String::new();
            for k in from..(i + 4).min(n) {
                s.push_str(&format!(
                    "  luac   {:>5}: {}\n  ferrous{:>5}: {}\n",
                    k + 1,
                    e.get(k).unwrap_or(&"<none>"),
                    k + 1,
                    a.get(k).unwrap_or(&"<none>")
                ));
            }
            return s;
        }
    }
    String::new()
}

/// Every `*.lua` file under `dir` (relative to the root), sorted.
pub fn lua_files(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in rd.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "lua") {
                if let Ok(rel) = p.strip_prefix(root()) {
                    out.push(rel.to_string_lossy().into_owned());
                }
            }
        }
    }
    out.sort();
    out
}
