//! `cargo xtask conformance lua [--corpus DIR]... [--filter SUBSTR]
//! [--ferrous PATH] [--jobs N] [--timeout SECS]`
//!
//! Runs every `tests/lua/**/*.lua` (and every `.lua` file under each
//! `--corpus DIR`) with `lua5.1 FILE` and with `ferrous-lua FILE`, working
//! directory set to the file's folder and the file passed by its base name,
//! and compares the exit status, the stdout bytes and the first line of
//! stderr with the program-name prefix removed. Mismatches listed in
//! `tests/lua/ALLOWLIST` (`path reason...` per line) are reported but do not
//! fail the run. Then runs `tests/lua-ferrous/**/*.lua` under ferrous-lua
//! alone: each must exit with status 0.
//!
//! With `--luac`, each script is first compiled by `luac5.1 -o` and both
//! interpreters run that binary chunk instead (PUC-Rio bytecode loaded by
//! Ferrous against lua5.1 running its own); a script luac5.1 refuses runs
//! as source.
//!
//! The ferrous-lua binary is `--ferrous PATH`, else `$FERROUS_LUA`, else a
//! fresh `cargo build --release -p ferrous-lua-cli --bin ferrous-lua`.
//! Both interpreters see the same environment: `TZ=UTC`, and LUA_INIT,
//! LUA_PATH and LUA_CPATH removed.

use crate::lua_proc::{self, Interp, Outcome};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const USAGE: &str = "usage: cargo xtask conformance lua [--corpus DIR]... [--filter SUBSTR] [--ferrous PATH] [--jobs N] [--timeout SECS] [--luac]";

/// Environment adjustments applied to both interpreters.
pub const ENV_SET: &[(&str, &str)] = &[("TZ", "UTC")];
pub const ENV_REMOVE: &[&str] = &["LUA_INIT", "LUA_PATH", "LUA_CPATH"];

struct Options {
    corpora: Vec<PathBuf>,
    filters: Vec<String>,
    ferrous: Option<String>,
    jobs: usize,
    timeout: Duration,
    /// Run `luac5.1 -o` output instead of the sources.
    luac: bool,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        corpora: Vec::new(),
        filters: Vec::new(),
        ferrous: None,
        jobs: 2,
        timeout: Duration::from_secs(30),
        luac: false,
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--corpus" => o.corpora.push(PathBuf::from(value("--corpus")?)),
            "--filter" => o.filters.push(value("--filter")?),
            "--ferrous" => o.ferrous = Some(value("--ferrous")?),
            "--jobs" | "-j" => {
                let v = value("--jobs")?;
                o.jobs = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--jobs: bad number '{v}'"))?;
            }
            "--timeout" => {
                let v = value("--timeout")?;
                let secs = v
                    .parse::<f64>()
                    .ok()
                    .filter(|n| *n > 0.0 && n.is_finite())
                    .ok_or_else(|| format!("--timeout: bad number '{v}'"))?;
                o.timeout = Duration::from_secs_f64(secs);
            }
            "--luac" => o.luac = true,
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unknown argument '{a}'\n{USAGE}")),
        }
    }
    Ok(o)
}

/// One script to run.
struct Case {
    /// Path shown in reports and matched against the allowlist and filter:
    /// relative to the workspace root when inside it.
    display: String,
    /// Folder label for the summary table.
    group: String,
    dir: PathBuf,
    base: String,
}

fn display_path(p: &Path, root: &Path) -> String {
    let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match abs.strip_prefix(&root) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => abs.to_string_lossy().into_owned(),
    }
}

fn collect(corpus: &Path, root: &Path, filters: &[String]) -> Result<Vec<Case>, String> {
    if !corpus.is_dir() {
        return Err(format!("corpus folder {} does not exist", corpus.display()));
    }
    let mut cases = Vec::new();
    for f in lua_proc::lua_files(corpus)? {
        let display = display_path(&f, root);
        if !filters.is_empty() && !filters.iter().any(|s| display.contains(s.as_str())) {
            continue;
        }
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        let base = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let group = match Path::new(&display).parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_string_lossy().into_owned(),
            _ => ".".to_string(),
        };
        cases.push(Case {
            display,
            group,
            dir,
            base,
        });
    }
    Ok(cases)
}

/// Reads the allowlist: `path reason...` per line; '#' starts a comment.
fn read_allowlist(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(map),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (p, reason) = match line.split_once(char::is_whitespace) {
            Some((p, r)) => (p, r.trim()),
            None => (line, ""),
        };
        if reason.is_empty() {
            return Err(format!(
                "{}:{}: allowlist entry '{p}' needs a reason",
                path.display(),
                n + 1
            ));
        }
        map.insert(p.to_string(), reason.to_string());
    }
    Ok(map)
}

/// The first line of stderr, without the `PROGRAM: ` prefix when PROGRAM is
/// one of the interpreter's names.
fn stderr_first_line(err: &[u8], prefixes: &[String]) -> Vec<u8> {
    let line = err.split(|b| *b == b'\n').next().unwrap_or(&[]);
    if let Some(pos) = line.windows(2).position(|w| w == b": ") {
        let head = &line[..pos];
        if prefixes.iter().any(|p| p.as_bytes() == head) {
            return line[pos + 2..].to_vec();
        }
    }
    line.to_vec()
}

fn show(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    const MAX: usize = 200;
    if out.chars().count() > MAX {
        let cut: String = out.chars().take(MAX).collect();
        format!("{cut}...")
    } else {
        out
    }
}

/// Describes the first differences between the reference run and ours, or
/// returns an empty list when they agree.
fn compare(exp: &Outcome, got: &Outcome, lua: &Interp, fer: &Interp) -> Vec<String> {
    let mut diffs = Vec::new();
    if exp.code != got.code || exp.signal != got.signal || exp.timed_out != got.timed_out {
        diffs.push(format!(
            "status: expected {}, got {}",
            exp.status_text(),
            got.status_text()
        ));
    }
    if exp.stdout != got.stdout {
        let el: Vec<&[u8]> = exp.stdout.split(|b| *b == b'\n').collect();
        let gl: Vec<&[u8]> = got.stdout.split(|b| *b == b'\n').collect();
        let first = (0..el.len().max(gl.len()))
            .find(|&i| el.get(i) != gl.get(i))
            .unwrap_or(0);
        let mut shown = 0;
        for i in first..el.len().max(gl.len()) {
            if shown == 3 {
                diffs.push("  ...".to_string());
                break;
            }
            let e = el.get(i);
            let g = gl.get(i);
            if e == g {
                continue;
            }
            let fmt = |x: Option<&&[u8]>| {
                x.map(|b| show(b))
                    .unwrap_or_else(|| "(end of output)".into())
            };
            diffs.push(format!("stdout line {}: expected {}", i + 1, fmt(e)));
            diffs.push(format!(
                "{:>w$}got      {}",
                "",
                fmt(g),
                w = format!("stdout line {}: ", i + 1).len()
            ));
            shown += 1;
        }
    }
    let e1 = stderr_first_line(&exp.stderr, &lua.prefixes());
    let mut fer_prefixes = fer.prefixes();
    fer_prefixes.push("ferrous-lua".to_string());
    let g1 = stderr_first_line(&got.stderr, &fer_prefixes);
    if e1 != g1 {
        diffs.push(format!("stderr: expected {}", show(&e1)));
        diffs.push(format!("        got      {}", show(&g1)));
    }
    diffs
}

enum Verdict {
    Pass,
    Fail(Vec<String>),
    /// The reference itself misbehaved (timeout, could not run).
    Broken(String),
}

struct Result1 {
    verdict: Verdict,
}

fn run_parallel<F>(n: usize, jobs: usize, f: F) -> Vec<Result1>
where
    F: Fn(usize) -> Result1 + Sync,
{
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result1>>> = Mutex::new((0..n).map(|_| None).collect());
    let done = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(n.max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    break;
                }
                let r = f(i);
                if let Ok(mut v) = results.lock() {
                    if let Some(slot) = v.get_mut(i) {
                        *slot = Some(r);
                    }
                }
                let d = done.fetch_add(1, Ordering::SeqCst) + 1;
                if d.rem_euclid(100) == 0 {
                    eprintln!("xtask: {d}/{n} scripts");
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            r.unwrap_or(Result1 {
                verdict: Verdict::Broken("not run".into()),
            })
        })
        .collect()
}

/// `luac5.1 -o DIR/NAME.luac BASE` in the script's folder: the chunk's
/// path, or the script's own name when luac5.1 refuses it (a syntax
/// error, which then runs as source).
fn precompile(c: &Case, dir: &Path) -> Result<String, String> {
    let out = dir.join(format!("{}.luac", c.display.replace(['/', '\\'], "_")));
    let st = std::process::Command::new("luac5.1")
        .arg("-o")
        .arg(&out)
        .arg(&c.base)
        .current_dir(&c.dir)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run luac5.1: {e}"))?;
    if st.success() {
        Ok(out.to_string_lossy().into_owned())
    } else {
        Ok(c.base.clone())
    }
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let opts = parse_args(args)?;
    let root = crate::util::root();
    let lua = lua_proc::reference_lua()?;
    let fer = lua_proc::ferrous_interp(opts.ferrous.as_deref())?;
    eprintln!(
        "xtask: reference {}; under test {}",
        lua.program, fer.program
    );

    let mut cases = collect(&root.join("tests").join("lua"), &root, &opts.filters)?;
    for c in &opts.corpora {
        cases.extend(collect(c, &root, &opts.filters)?);
    }
    let allow = read_allowlist(&root.join("tests").join("lua").join("ALLOWLIST"))?;
    let luac_dir = std::env::temp_dir().join(format!("xtask-luac-{}", std::process::id()));
    if opts.luac {
        std::fs::create_dir_all(&luac_dir)
            .map_err(|e| format!("cannot create {}: {e}", luac_dir.display()))?;
        eprintln!("xtask: running luac5.1 -o output of each script");
    }

    let results = run_parallel(cases.len(), opts.jobs, |i| {
        let c = &cases[i];
        let file = if opts.luac {
            match precompile(c, &luac_dir) {
                Ok(f) => f,
                Err(e) => {
                    return Result1 {
                        verdict: Verdict::Broken(e),
                    }
                }
            }
        } else {
            c.base.clone()
        };
        let exp = lua_proc::run(&lua, &c.dir, &file, opts.timeout, ENV_SET, ENV_REMOVE);
        let exp = match exp {
            Ok(o) if o.timed_out => {
                return Result1 {
                    verdict: Verdict::Broken("lua5.1 timed out".into()),
                }
            }
            Ok(o) => o,
            Err(e) => {
                return Result1 {
                    verdict: Verdict::Broken(e),
                }
            }
        };
        let got = match lua_proc::run(&fer, &c.dir, &file, opts.timeout, ENV_SET, ENV_REMOVE) {
            Ok(o) => o,
            Err(e) => {
                return Result1 {
                    verdict: Verdict::Fail(vec![e]),
                }
            }
        };
        let d = compare(&exp, &got, &lua, &fer);
        Result1 {
            verdict: if d.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Fail(d)
            },
        }
    });

    if opts.luac {
        let _ = std::fs::remove_dir_all(&luac_dir);
    }

    // Summary per folder.
    let mut groups: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut failures = 0usize;
    let mut allowed = 0usize;
    let mut broken = 0usize;
    let mut report = String::new();
    let mut stale = Vec::new();
    for (c, r) in cases.iter().zip(&results) {
        let g = groups.entry(c.group.as_str()).or_default();
        match &r.verdict {
            Verdict::Pass => {
                g.0 += 1;
                if allow.contains_key(&c.display) {
                    stale.push(c.display.clone());
                }
            }
            Verdict::Fail(d) => {
                g.1 += 1;
                if let Some(reason) = allow.get(&c.display) {
                    allowed += 1;
                    report.push_str(&format!("ALLOWED {} ({reason})\n", c.display));
                } else {
                    failures += 1;
                    report.push_str(&format!("FAIL {}\n", c.display));
                }
                for line in d {
                    report.push_str(&format!("    {line}\n"));
                }
            }
            Verdict::Broken(e) => {
                g.1 += 1;
                broken += 1;
                report.push_str(&format!("BROKEN {}: {e}\n", c.display));
            }
        }
    }
    let width = groups.keys().map(|k| k.len()).max().unwrap_or(6).max(6);
    println!("{:<width$}  {:>6}  {:>6}", "folder", "passed", "failed");
    let (mut tp, mut tf) = (0, 0);
    for (g, (p, f, _)) in &groups {
        println!("{g:<width$}  {p:>6}  {f:>6}");
        tp += p;
        tf += f;
    }
    println!("{:<width$}  {tp:>6}  {tf:>6}", "total");
    if !report.is_empty() {
        println!();
        print!("{report}");
    }
    for s in &stale {
        println!("note: {s} is in the ALLOWLIST but now passes: remove the entry");
    }

    // Ferrous-only self-checking scripts.
    let fdir = root.join("tests").join("lua-ferrous");
    let mut ferrous_fail = 0usize;
    let mut ferrous_total = 0usize;
    if fdir.is_dir() {
        let fcases = collect(&fdir, &root, &opts.filters)?;
        ferrous_total = fcases.len();
        if !fcases.is_empty() {
            let fres = run_parallel(fcases.len(), opts.jobs, |i| {
                let c = &fcases[i];
                match lua_proc::run(&fer, &c.dir, &c.base, opts.timeout, ENV_SET, ENV_REMOVE) {
                    Ok(o) if o.code == Some(0) && !o.timed_out => Result1 {
                        verdict: Verdict::Pass,
                    },
                    Ok(o) => {
                        let mut fer_prefixes = fer.prefixes();
                        fer_prefixes.push("ferrous-lua".to_string());
                        Result1 {
                            verdict: Verdict::Fail(vec![
                                o.status_text(),
                                format!(
                                    "stderr: {}",
                                    show(&stderr_first_line(&o.stderr, &fer_prefixes))
                                ),
                            ]),
                        }
                    }
                    Err(e) => Result1 {
                        verdict: Verdict::Fail(vec![e]),
                    },
                }
            });
            let passed = fres
                .iter()
                .filter(|r| matches!(r.verdict, Verdict::Pass))
                .count();
            println!();
            println!(
                "tests/lua-ferrous (ferrous-lua only): {passed} passed, {} failed",
                fres.len() - passed
            );
            for (c, r) in fcases.iter().zip(&fres) {
                if let Verdict::Fail(d) = &r.verdict {
                    ferrous_fail += 1;
                    println!("FAIL {}", c.display);
                    for line in d {
                        println!("    {line}");
                    }
                }
            }
        }
    }

    println!();
    if cases.is_empty() && ferrous_total == 0 {
        return Err("no scripts matched".into());
    }
    let bad = failures + broken + ferrous_fail;
    if bad == 0 {
        println!(
            "conformance lua: {} scripts identical{}",
            tp,
            if allowed > 0 {
                format!(", {allowed} allowlisted mismatches")
            } else {
                String::new()
            }
        );
        Ok(())
    } else {
        Err(format!(
            "conformance lua: {failures} mismatches, {broken} broken reference runs, {ferrous_fail} failing ferrous-only scripts"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_stripped_only_for_program_names() {
        let p = vec!["lua5.1".to_string(), "/usr/bin/lua5.1".to_string()];
        assert_eq!(
            stderr_first_line(b"lua5.1: x.lua:1: boom\nstack", &p),
            b"x.lua:1: boom"
        );
        assert_eq!(stderr_first_line(b"/usr/bin/lua5.1: a: b", &p), b"a: b");
        assert_eq!(stderr_first_line(b"other: a", &p), b"other: a");
        assert_eq!(stderr_first_line(b"", &p), b"");
    }
}
