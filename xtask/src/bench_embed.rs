//! `cargo xtask bench-embed [--runs N] [--quick] [--write] [--send]`: the cost of
//! crossing the embedding boundary, ferrous-lua's facade against mlua 0.11
//! on its vendored Lua 5.1 (issue 14).
//!
//! The comparison program is bench/embed, a standalone package (its own
//! lock file and target folder) so that mlua never enters the workspace or
//! any shipped crate's dependencies. This task builds it in release mode,
//! runs it `--runs` times (each run measures both libraries back to back,
//! best of 9 per figure), and prints per row each column's median and the
//! median and range of the per-run ratios: on a shared machine single runs
//! move by tens of percent, and the ratio of one run is what compares the
//! two libraries under the same load. `--write` puts the table into
//! docs/performance.md. `--send` builds both libraries with their `send`
//! features (a state that can move between threads), to measure what the
//! feature costs; its figures are not written.

use std::process::Command;

use crate::util::{root, target_dir, today, write_performance_doc, DocSection};

const SECTION: DocSection = DocSection {
    heading: "## Crossing the embedding boundary",
    begin: "<!-- bench:embed:begin -->",
    end: "<!-- bench:embed:end -->",
    command: "cargo xtask bench-embed",
};

struct Row {
    name: String,
    unit: String,
    ferrous: Vec<f64>,
    mlua: Vec<f64>,
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let mut runs = 5usize;
    let mut quick = false;
    let mut write = false;
    let mut send = false;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs needs a positive number")?;
            }
            "--quick" => quick = true,
            "--write" => write = true,
            "--send" => send = true,
            other => {
                return Err(format!(
                "bench-embed: unknown argument {other} (usage: --runs N, --quick, --write, --send)"
            ))
            }
        }
    }
    if send && write {
        return Err(
            "bench-embed: --send figures are not written (the table is the default build's)".into(),
        );
    }
    let manifest = root().join("bench/embed/Cargo.toml");
    // A folder per feature set, so switching does not rebuild everything.
    let target = target_dir().join(if send {
        "bench-embed-send"
    } else {
        "bench-embed"
    });
    eprintln!("xtask: building bench/embed (mlua's vendored Lua needs a C compiler)");
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build
        .args(["build", "--release", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target);
    if send {
        build.args(["--features", "ferrous-lua/send,mlua/send"]);
    }
    let status = build
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building bench/embed failed ({status})"));
    }
    let bin = target.join("release/embed-bench");
    let mut rows: Vec<Row> = Vec::new();
    for r in 0..runs {
        eprintln!("xtask: bench-embed run {}/{runs}", r + 1);
        let mut cmd = Command::new(&bin);
        cmd.arg("--tsv");
        if quick {
            cmd.arg("--quick");
        }
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
        if !out.status.success() {
            return Err(format!(
                "{} failed ({}): {}",
                bin.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        for (i, line) in text.lines().enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            let [name, fer, ml, unit] = f[..] else {
                return Err(format!("unexpected output line: {line}"));
            };
            let parse = |s: &str| {
                s.parse::<f64>()
                    .map_err(|_| format!("not a number in {line:?}: {s}"))
            };
            let (fer, ml) = (parse(fer)?, parse(ml)?);
            if r == 0 {
                rows.push(Row {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    ferrous: Vec::new(),
                    mlua: Vec::new(),
                });
            }
            let row = rows
                .get_mut(i)
                .filter(|row| row.name == name)
                .ok_or_else(|| format!("rows changed between runs at {name}"))?;
            row.ferrous.push(fer);
            row.mlua.push(ml);
        }
    }
    let mut report = format!(
        "Measured {} with `cargo xtask bench-embed --runs {runs}{}{}`: the time columns are each \
         column's median over the runs; the ratio (ferrous-lua / mlua, below 1.0: ferrous-lua \
         is faster) is the median of the per-run ratios, with their range.\n\n",
        today(),
        if quick { " --quick" } else { "" },
        if send { " --send" } else { "" }
    );
    report.push_str("| crossing | ferrous-lua | mlua 0.11 (Lua 5.1) | ratio, median (range) |\n");
    report.push_str("| --- | --- | --- | --- |\n");
    let mut worst: f64 = 0.0;
    for row in &rows {
        let ratios: Vec<f64> = row
            .ferrous
            .iter()
            .zip(&row.mlua)
            .map(|(f, m)| f / m)
            .collect();
        let lo = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = ratios.iter().copied().fold(0.0, f64::max);
        let med = median(&ratios);
        worst = worst.max(med);
        report.push_str(&format!(
            "| {} | {:.1} {} | {:.1} {} | {med:.2} ({lo:.2}-{hi:.2}) |\n",
            row.name,
            median(&row.ferrous),
            row.unit,
            median(&row.mlua),
            row.unit
        ));
    }
    report.push_str(&format!(
        "\nHighest median ratio: {worst:.2} (the goal: every row at or below 1.0).\n"
    ));
    print!("{report}");
    if write {
        write_performance_doc(&SECTION, &report)?;
        eprintln!("xtask: docs/performance.md updated");
    }
    Ok(())
}
