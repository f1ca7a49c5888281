//! `cargo xtask bench [--runs N] [--write] [--wall] [--ferrous PATH] [PROGRAM...]`
//!
//! Runs each program of bench/ (all of them, or those named) under
//! `lua5.1`, `luajit -joff` and `lua5.4` (each when installed) and
//! `ferrous-lua`, for N rounds
//! (default 5). Within a round the interpreters alternate, and the order
//! rotates from round to round so that none always runs first. Every run's
//! stdout and exit status must equal lua5.1's first run; a mismatch is
//! reported and that interpreter's figure for the program is left out of the
//! geometric mean. A run that fails (error exit, signal, timeout: lua5.4 on a
//! program calling 5.1-only functions such as `unpack` or `setfenv`) makes a
//! FAIL cell, and that interpreter is not run on the program again. Reports
//! the median time of each interpreter, its ratio to lua5.1 per program, the
//! geometric mean of each column's ratios, and the geometric means over the
//! programs that every interpreter ran with the expected output (so that the
//! columns can be compared on the same set). Time is the CPU
//! time (user + system) of the interpreter process, which other load on a
//! shared machine disturbs far less than wall-clock time; `--wall` measures
//! wall-clock time instead.
//! `--write` replaces the marked "Interpreter speed" block of
//! docs/performance.md with the table.
//!
//! The ferrous-lua binary is chosen as in `conformance lua`.

use crate::lua_proc::{self, Interp, Outcome};
use std::path::{Path, PathBuf};
use std::time::Duration;

const USAGE: &str =
    "usage: cargo xtask bench [--runs N] [--write] [--wall] [--ferrous PATH] [--timeout SECS] [PROGRAM...]";
const DOC: crate::util::DocSection = crate::util::DocSection {
    heading: "## Interpreter speed",
    begin: "<!-- bench:interpreter-speed:begin -->",
    end: "<!-- bench:interpreter-speed:end -->",
    command: "cargo xtask bench",
};

struct Options {
    runs: usize,
    write: bool,
    wall: bool,
    ferrous: Option<String>,
    timeout: Duration,
    programs: Vec<String>,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        runs: 5,
        write: false,
        wall: false,
        ferrous: None,
        timeout: Duration::from_secs(120),
        programs: Vec::new(),
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--runs" => {
                let v = value("--runs")?;
                o.runs = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--runs: bad number '{v}'"))?;
            }
            "--write" => o.write = true,
            "--wall" => o.wall = true,
            "--ferrous" => o.ferrous = Some(value("--ferrous")?),
            "--timeout" => {
                let v = value("--timeout")?;
                let secs = v
                    .parse::<f64>()
                    .ok()
                    .filter(|n| *n > 0.0 && n.is_finite())
                    .ok_or_else(|| format!("--timeout: bad number '{v}'"))?;
                o.timeout = Duration::from_secs_f64(secs);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option '{s}'\n{USAGE}")),
            _ => o.programs.push(a),
        }
    }
    Ok(o)
}

fn programs(dir: &Path, wanted: &[String]) -> Result<Vec<PathBuf>, String> {
    let all: Vec<PathBuf> = lua_proc::lua_files(dir)?
        .into_iter()
        .filter(|p| p.parent() == Some(dir))
        .collect();
    if wanted.is_empty() {
        return Ok(all);
    }
    let mut out = Vec::new();
    for w in wanted {
        let name = w.trim_end_matches(".lua");
        let name = Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match all
            .iter()
            .find(|p| p.file_stem().is_some_and(|s| s == name.as_str()))
        {
            Some(p) => out.push(p.clone()),
            None => return Err(format!("no bench program '{w}' in {}", dir.display())),
        }
    }
    Ok(out)
}

trait Secs {
    fn elapsed_secs(&self, wall: bool) -> f64;
}

impl Secs for Outcome {
    /// CPU time (user + system) by default, wall-clock time with --wall.
    fn elapsed_secs(&self, wall: bool) -> f64 {
        if wall {
            self.elapsed.as_secs_f64()
        } else {
            self.cpu.as_secs_f64()
        }
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn same(a: &Outcome, b: &Outcome) -> bool {
    a.code == b.code && a.signal == b.signal && !b.timed_out && a.stdout == b.stdout
}

/// One program's results: per interpreter, the times and whether its output
/// ever differed from lua5.1's.
struct Row {
    name: String,
    times: Vec<Vec<f64>>,
    mismatch: Vec<Option<String>>,
    /// The interpreter failed (error exit, signal or timeout where lua5.1
    /// succeeded): a FAIL cell, and no further runs of it on this program.
    failed: Vec<bool>,
}

fn first_line(b: &[u8]) -> String {
    let l = b.split(|c| *c == b'\n').next().unwrap_or(&[]);
    String::from_utf8_lossy(l).chars().take(80).collect()
}

fn version_of(i: &Interp) -> String {
    let out = std::process::Command::new(&i.program)
        .arg("-v")
        .stdin(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) => {
            let mut all = o.stdout;
            all.extend_from_slice(&o.stderr);
            let s = first_line(&all);
            match s
                .split_once("  Copyright")
                .or_else(|| s.split_once(" -- Copyright"))
            {
                Some((v, _)) => v.trim().to_string(),
                None => s.trim().to_string(),
            }
        }
        Err(_) => "?".into(),
    }
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let opts = parse_args(args)?;
    let root = crate::util::root();
    let suite = Suite {
        dir: root.join("bench"),
        command: "cargo xtask bench",
        doc: &DOC,
        env: Vec::new(),
        note: String::new(),
    };
    run_suite(&suite, opts)
}

/// A directory of programs to time, and where its table goes.
pub(crate) struct Suite {
    /// The programs: the `.lua` files directly in it, run with it as the
    /// current directory.
    pub dir: PathBuf,
    /// The command named in the table's header.
    pub command: &'static str,
    /// The block of docs/performance.md that `--write` replaces.
    pub doc: &'static crate::util::DocSection,
    /// Environment variables set for every interpreter (after the
    /// conformance runner's, which clear LUA_PATH and LUA_INIT).
    pub env: Vec<(String, String)>,
    /// A sentence added to the header written with `--write`.
    pub note: String,
}

pub(crate) fn run_suite_args(suite: &Suite, args: Vec<String>) -> Result<(), String> {
    run_suite(suite, parse_args(args)?)
}

fn run_suite(suite: &Suite, opts: Options) -> Result<(), String> {
    let bench_dir = &suite.dir;
    let progs = programs(bench_dir, &opts.programs)?;
    if progs.is_empty() {
        return Err(format!("no programs in {}", bench_dir.display()));
    }
    let lua = lua_proc::reference_lua()?;
    let mut interps = vec![lua.clone()];
    if let Some(j) = lua_proc::luajit_interp() {
        interps.push(j);
    } else {
        eprintln!("xtask: luajit not installed; its column is skipped");
    }
    if let Some(l) = lua_proc::lua54_interp() {
        interps.push(l);
    } else {
        eprintln!("xtask: lua5.4 not installed (apt-get install lua5.4); its column is skipped");
    }
    let fer = lua_proc::ferrous_interp(opts.ferrous.as_deref())?;
    interps.push(fer.clone());
    let n = interps.len();
    let mut env_owned: Vec<(&str, &str)> = crate::conformance_lua::ENV_SET.to_vec();
    env_owned.extend(suite.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let env_set = &env_owned[..];
    let env_remove: Vec<&str> = crate::conformance_lua::ENV_REMOVE
        .iter()
        .copied()
        .filter(|k| !suite.env.iter().any(|(s, _)| s == k))
        .collect();
    let env_remove = &env_remove[..];

    let mut rows = Vec::new();
    for p in &progs {
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
        let base = p
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut row = Row {
            name: name.clone(),
            times: vec![Vec::new(); n],
            mismatch: vec![None; n],
            failed: vec![false; n],
        };
        let mut reference: Option<Outcome> = None;
        eprint!("xtask: {name}");
        for round in 0..opts.runs {
            for k in 0..n {
                // lua5.1 runs first in round 0 so its output is the reference.
                let idx = (k + round) % n;
                if row.failed[idx] {
                    continue;
                }
                let o = lua_proc::run(
                    &interps[idx],
                    &dir,
                    &base,
                    opts.timeout,
                    env_set,
                    env_remove,
                )?;
                if idx == 0 && reference.is_none() {
                    if o.code != Some(0) || o.timed_out {
                        eprintln!();
                        return Err(format!(
                            "{}/{base} fails under lua5.1 ({}): {}",
                            bench_dir.display(),
                            o.status_text(),
                            first_line(&o.stderr)
                        ));
                    }
                    reference = Some(o);
                    row.times[0].push(
                        reference
                            .as_ref()
                            .map(|r| r.elapsed_secs(opts.wall))
                            .unwrap_or(0.0),
                    );
                    continue;
                }
                let ok = reference.as_ref().map(|r| same(r, &o)).unwrap_or(true);
                if !ok && row.mismatch[idx].is_none() {
                    let r = reference.as_ref();
                    let what = if o.timed_out {
                        "timed out".to_string()
                    } else if r.map(|r| r.code) != Some(o.code) {
                        format!("{}: {}", o.status_text(), first_line(&o.stderr))
                    } else {
                        let exp = r.map(|r| first_line(&r.stdout)).unwrap_or_default();
                        format!(
                            "stdout differs (expected \"{exp}\", got \"{}\")",
                            first_line(&o.stdout)
                        )
                    };
                    row.mismatch[idx] = Some(what);
                }
                if !ok && (o.timed_out || reference.as_ref().map(|r| r.code) != Some(o.code)) {
                    row.failed[idx] = true;
                    continue;
                }
                row.times[idx].push(o.elapsed_secs(opts.wall));
            }
            eprint!(".");
        }
        eprintln!();
        rows.push(row);
    }

    let table = render(&interps, &mut rows, opts.runs, opts.wall);
    print!("{table}");
    if opts.write {
        let header = format!(
            "Measured {} with `{} --runs {}{}` ({}).{}\n\n",
            crate::util::today(),
            suite.command,
            opts.runs,
            if opts.wall { " --wall" } else { "" },
            interps
                .iter()
                .map(|i| {
                    let what = if i.label != "ferrous-lua" {
                        version_of(i)
                    } else if i.program.ends_with("/ferrous-lua") || i.program == "ferrous-lua" {
                        i.program.clone()
                    } else {
                        format!("{} (a stand-in, not the Ferrous interpreter)", i.program)
                    };
                    format!("{}: {what}", i.label)
                })
                .collect::<Vec<_>>()
                .join("; "),
            suite.note
        );
        crate::util::write_performance_doc(suite.doc, &format!("{header}{table}"))?;
        eprintln!("xtask: updated docs/performance.md");
    }
    Ok(())
}

fn render(interps: &[Interp], rows: &mut [Row], runs: usize, wall: bool) -> String {
    let n = interps.len();
    let mut out = String::new();
    let mut head = "| program | lua5.1 (s) |".to_string();
    let mut rule = "|---|---:|".to_string();
    for i in &interps[1..] {
        head.push_str(&format!(" {} (s) | ratio |", i.label));
        rule.push_str("---:|---:|");
    }
    out.push_str(&head);
    out.push('\n');
    out.push_str(&rule);
    out.push('\n');
    let mut logs: Vec<Vec<f64>> = vec![Vec::new(); n];
    // The log ratios of the programs on which every column has a ratio:
    // the columns compared on the same set.
    let mut complete: Vec<Vec<f64>> = Vec::new();
    let mut worst: Vec<Option<(f64, String)>> = vec![None; n];
    let mut notes = Vec::new();
    for r in rows.iter_mut() {
        if let Some(why) = &r.mismatch[0] {
            notes.push(format!(
                "- {} under lua5.1 itself is not deterministic: {why}",
                r.name
            ));
        }
        let base = median(&mut r.times[0]).unwrap_or(f64::NAN);
        let mut line = format!("| {} | {:.3} |", r.name, base);
        let mut row_logs: Vec<Option<f64>> = vec![None; n];
        for k in 1..n {
            let m = median(&mut r.times[k]).unwrap_or(f64::NAN);
            match &r.mismatch[k] {
                Some(why) if r.failed[k] => {
                    line.push_str(" - | FAIL |");
                    notes.push(format!("- {} under {}: {why}", r.name, interps[k].label));
                }
                Some(why) => {
                    line.push_str(&format!(" {m:.3} | mismatch |"));
                    notes.push(format!("- {} under {}: {why}", r.name, interps[k].label));
                }
                None => {
                    let ratio = m / base;
                    line.push_str(&format!(" {m:.3} | {ratio:.2} |"));
                    if ratio.is_finite() && ratio > 0.0 {
                        logs[k].push(ratio.ln());
                        row_logs[k] = Some(ratio.ln());
                        match &worst[k] {
                            Some((w, _)) if ratio <= *w => {}
                            _ => worst[k] = Some((ratio, r.name.clone())),
                        }
                    }
                }
            }
        }
        out.push_str(&line);
        out.push('\n');
        if row_logs[1..].iter().all(Option::is_some) {
            complete.push(row_logs[1..].iter().flatten().copied().collect());
        }
    }
    let mut gm = "| **geometric mean of ratios** | |".to_string();
    for l in &logs[1..] {
        if l.is_empty() {
            gm.push_str(" | n/a |");
        } else {
            let g = (l.iter().sum::<f64>() / l.len() as f64).exp();
            gm.push_str(&format!(" | **{g:.2}** |"));
        }
    }
    out.push_str(&gm);
    out.push('\n');
    if complete.len() < rows.len() && !complete.is_empty() {
        let mut line = format!(
            "| geometric mean where every interpreter ran ({} programs) | |",
            complete.len()
        );
        for k in 0..n - 1 {
            let sum: f64 = complete.iter().map(|l| l[k]).sum();
            let g = (sum / complete.len() as f64).exp();
            line.push_str(&format!(" | {g:.2} |"));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    let what = if wall {
        "wall-clock time"
    } else {
        "CPU time (user + system)"
    };
    out.push_str(&format!(
        "Median {what} of {runs} runs each, interpreters alternating; ratio = time / lua5.1 time (below 1.0 is faster than lua5.1).\n"
    ));
    for k in 1..n {
        if let Some((w, name)) = &worst[k] {
            out.push_str(&format!(
                "Slowest {} ratio: {w:.2} ({name}).\n",
                interps[k].label
            ));
        }
    }
    if !notes.is_empty() {
        out.push_str("\nFailures and output mismatches (left out of the geometric means):\n\n");
        for nline in notes {
            out.push_str(&nline);
            out.push('\n');
        }
    }
    out
}
