//! `cargo xtask bench-unseen [--runs N] [--write] [--wall] [--ferrous PATH] [PROGRAM...]`
//!
//! Times real Lua programs that the VM was never tuned on, as `bench`
//! does (same columns, same alternation, same checks of the output): the
//! test programs of the Lua 5.1.5 distribution and pure-Lua libraries
//! packaged by Debian (dkjson, markdown.lua, MessagePack, Penlight,
//! luacheck, inspect, binaryheap, basexx, Moses, argparse, lua-uri), each
//! driven by a short script of ours in bench/unseen/ that gives it work
//! and prints a checksum.
//!
//! The programs themselves stay outside the repository: the first run
//! fetches them into target/unseen/ (`apt-get download` of the Debian
//! packages, unpacked with `dpkg -x`; the Lua 5.1.5 tarball from Debian's
//! archive, checked against its published SHA-256) and later runs reuse
//! them. `FERROUS_UNSEEN_DIR` names another place for them.
//!
//! `--write` replaces the marked "Programs the project has never seen"
//! block of docs/performance.md.

use std::path::{Path, PathBuf};
use std::process::Command;

const DOC: crate::util::DocSection = crate::util::DocSection {
    heading: "## Programs the project has never seen",
    begin: "<!-- bench:unseen:begin -->",
    end: "<!-- bench:unseen:end -->",
    command: "cargo xtask bench-unseen",
};

/// The Debian packages whose pure-Lua modules the drivers use.
const PACKAGES: &[&str] = &[
    "lua-dkjson",
    "lua-markdown",
    "lua-messagepack",
    "lua-penlight",
    "lua-check",
    "lua-argparse",
    "lua-inspect",
    "lua-binaryheap",
    "lua-basexx",
    "lua-moses",
    "lua-uri",
];

/// The Lua 5.1.5 source (its test/ directory holds the programs), as
/// Debian's archive serves it, and the SHA-256 lua.org publishes for it.
const LUA_TARBALL: &str =
    "http://deb.debian.org/debian/pool/main/l/lua5.1/lua5.1_5.1.5.orig.tar.gz";
const LUA_SHA256: &str = "2640fc56a795f29d28ef15e13c34a47e223960b0240e8cb0a82d9b0738695333";

fn run_cmd(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The Debian packages, unpacked under `dir/root`; returns their versions.
fn fetch_packages(dir: &Path) -> Result<Vec<String>, String> {
    let debs = dir.join("debs");
    let root = dir.join("root");
    let have = |p: &str| -> Option<PathBuf> {
        std::fs::read_dir(&debs).ok()?.flatten().find_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name.starts_with(&format!("{p}_")) && name.ends_with(".deb")).then(|| e.path())
        })
    };
    let missing: Vec<&str> = PACKAGES
        .iter()
        .copied()
        .filter(|p| have(p).is_none())
        .collect();
    if !missing.is_empty() {
        std::fs::create_dir_all(&debs).map_err(|e| format!("{}: {e}", debs.display()))?;
        eprintln!(
            "xtask: fetching {} with apt-get download",
            missing.join(" ")
        );
        run_cmd(
            Command::new("apt-get")
                .arg("download")
                .args(&missing)
                .current_dir(&debs),
            "apt-get download (a Debian system with its package archive reachable)",
        )?;
    }
    let mut versions = Vec::new();
    for p in PACKAGES {
        let deb = have(p).ok_or_else(|| format!("apt-get download left no {p} package"))?;
        let stamp = root.join(format!(".{p}.unpacked"));
        if !stamp.exists() {
            std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
            run_cmd(
                Command::new("dpkg").arg("-x").arg(&deb).arg(&root),
                &format!("dpkg -x {}", deb.display()),
            )?;
            std::fs::write(&stamp, b"").map_err(|e| format!("{}: {e}", stamp.display()))?;
        }
        let name = deb
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // lua-dkjson_2.6-2_all.deb -> lua-dkjson 2.6-2
        let mut parts = name.trim_end_matches(".deb").split('_');
        let (pkg, ver) = (parts.next().unwrap_or(p), parts.next().unwrap_or("?"));
        versions.push(format!("{pkg} {ver}"));
    }
    Ok(versions)
}

/// The Lua 5.1.5 distribution's test programs; returns their directory.
fn fetch_lua_tests(dir: &Path) -> Result<PathBuf, String> {
    let tests = dir.join("lua-5.1.5").join("test");
    if tests.join("life.lua").exists() {
        return Ok(tests);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tarball = dir.join("lua-5.1.5.tar.gz");
    eprintln!("xtask: fetching {LUA_TARBALL}");
    run_cmd(
        Command::new("curl")
            .args(["-fsSL", "-o"])
            .arg(&tarball)
            .arg(LUA_TARBALL),
        "curl (Debian's archive reachable)",
    )?;
    let out = Command::new("sha256sum")
        .arg(&tarball)
        .output()
        .map_err(|e| format!("sha256sum: {e}"))?;
    let sum = String::from_utf8_lossy(&out.stdout);
    if sum.split_whitespace().next() != Some(LUA_SHA256) {
        let _ = std::fs::remove_file(&tarball);
        return Err(format!(
            "{LUA_TARBALL}: SHA-256 is not lua.org's ({})",
            sum.trim()
        ));
    }
    run_cmd(
        Command::new("tar")
            .arg("xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(dir)
            .arg("lua-5.1.5/test"),
        "tar",
    )?;
    Ok(tests)
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let root = crate::util::root();
    let dir = std::env::var_os("FERROUS_UNSEEN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target").join("unseen"));
    let versions = fetch_packages(&dir)?;
    let tests = fetch_lua_tests(&dir)?;
    let share = dir.join("root/usr/share/lua/5.1");
    // Only the fetched modules: no `./?.lua`, so a driver never finds
    // itself or another driver.
    let path = format!("{0}/?.lua;{0}/?/init.lua", share.display());
    let suite = crate::bench::Suite {
        dir: root.join("bench").join("unseen"),
        command: "cargo xtask bench-unseen",
        doc: &DOC,
        env: vec![
            ("LUA_PATH".into(), path.clone()),
            ("LUA_PATH_5_4".into(), path),
            ("FERROUS_UNSEEN_TESTS".into(), tests.display().to_string()),
        ],
        note: format!(
            " Programs: test/ of Lua 5.1.5 and the Debian packages {}, each driven by its script in bench/unseen/",
            versions.join(", ")
        ),
    };
    crate::bench::run_suite_args(&suite, args)
}
