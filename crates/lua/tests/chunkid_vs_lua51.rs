//! `ferrous_syntax::chunkid` (runtime messages, LUA_IDSIZE 60) and the
//! chunk id in syntax errors (MAXSRC 80) against lua5.1 for a set of chunk
//! names: `loadstring(src, name)` in lua5.1 gives both.
//!
//! lua5.1 is required (`apt-get install lua5.1`).

use std::process::Command;

const DRIVER: &str = r#"
local name = io.open(arg[1], "rb"):read("*a")
local _, syntax = loadstring("x =", name)
local f = loadstring("error('boom')", name)
local _, runtime = pcall(f)
io.write(syntax, "\0", runtime)
"#;

#[test]
fn chunkids_match_lua51() {
    let dir = std::env::temp_dir().join(format!("ferrous-chunkid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let driver = dir.join("driver.lua");
    std::fs::write(&driver, DRIVER).expect("write driver");
    let long = "n".repeat(100);
    let names: Vec<Vec<u8>> = vec![
        b"@short.lua".to_vec(),
        format!("@{}", "d/".repeat(40)).into_bytes(),
        format!("@{}.lua", "y".repeat(51)).into_bytes(),
        format!("@{}.lua", "y".repeat(52)).into_bytes(),
        format!("@{}.lua", "y".repeat(68)).into_bytes(),
        format!("@{}.lua", "y".repeat(69)).into_bytes(),
        b"=stdin".to_vec(),
        format!("={long}").into_bytes(),
        b"=".to_vec(),
        b"@".to_vec(),
        b"".to_vec(),
        b"x = 1".to_vec(),
        b"first line\nsecond line".to_vec(),
        b"cr\rline".to_vec(),
        long.clone().into_bytes(),
        "a".repeat(42).into_bytes(),
        "a".repeat(43).into_bytes(),
        "a".repeat(44).into_bytes(),
        "a".repeat(62).into_bytes(),
        "a".repeat(63).into_bytes(),
        "a".repeat(64).into_bytes(),
        b"\xff\xfe bytes".to_vec(),
    ];
    let mut failures = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let path = dir.join(format!("name{i}"));
        std::fs::write(&path, name).expect("write name");
        let out = Command::new("lua5.1")
            .arg(&driver)
            .arg(&path)
            .output()
            .expect("lua5.1 is missing: apt-get install lua5.1");
        assert!(out.status.success(), "lua5.1 failed: {out:?}");
        let mut parts = out.stdout.splitn(2, |&b| b == 0);
        let want_syntax = parts.next().unwrap_or_default().to_vec();
        let want_runtime = parts.next().unwrap_or_default().to_vec();
        let got_syntax = match ferrous_syntax::parse(b"x =", name) {
            Err(e) => e.into_message(),
            Ok(_) => b"parsed".to_vec(),
        };
        let mut got_runtime = ferrous_syntax::chunkid_bytes(name);
        got_runtime.extend_from_slice(b":1: boom");
        if want_syntax != got_syntax || want_runtime != got_runtime {
            failures.push(format!(
                "name {:?}\n  lua5.1: {:?} / {:?}\n  ours:   {:?} / {:?}",
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(&want_syntax),
                String::from_utf8_lossy(&want_runtime),
                String::from_utf8_lossy(&got_syntax),
                String::from_utf8_lossy(&got_runtime),
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
