//! `cargo xtask bench-parse [--runs N] [--mb SIZE] [--write] [--ferrous PATH]`
//!
//! Parse speed of `ferrous-luac -p` against `luac5.1 -p`. Generates a large
//! Lua source (SIZE MB, default 8: a deterministic, realistic mix of
//! functions, control structures, expressions, table constructors, method
//! calls, strings with escapes, long strings and comments) into
//! target/bench-parse/, checks that the programs accept it, then runs them
//! in rotating order N times each (default 7) and reports the median CPU
//! time (user + system), the throughput in MB/s and the ratio to luac5.1.
//! `--write` puts the result into the "Parse speed" section of
//! docs/performance.md.
//!
//! Three programs are timed: `luac5.1 -p` (parse and generate code),
//! `ferrous-luac -p` (parse and compile, the same work), and the parser
//! alone (`ferrous-syntax`'s `parse_speed` example: read the file, build the
//! tree, free it; and once more leaving the tree to the process exit).
//!
//! By default the release binaries are built first (`cargo build --release
//! -p ferrous-lua --bin ferrous-luac`, `cargo build --release -p
//! ferrous-syntax --example parse_speed`); `--ferrous PATH` uses an
//! existing ferrous-luac instead.

use crate::lua_proc::{self, Interp, Outcome};
use crate::util;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

const USAGE: &str =
    "usage: cargo xtask bench-parse [--runs N] [--mb SIZE] [--write] [--ferrous PATH]";
const DOC: crate::util::DocSection = crate::util::DocSection {
    heading: "## Parse speed",
    begin: "<!-- bench:parse-speed:begin -->",
    end: "<!-- bench:parse-speed:end -->",
    command: "cargo xtask bench-parse",
};

struct Options {
    runs: usize,
    mb: f64,
    write: bool,
    ferrous: Option<String>,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        runs: 7,
        mb: 8.0,
        write: false,
        ferrous: None,
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
            "--mb" => {
                let v = value("--mb")?;
                o.mb = v
                    .parse::<f64>()
                    .ok()
                    .filter(|n| *n > 0.0 && *n <= 1024.0)
                    .ok_or_else(|| format!("--mb: bad size '{v}'"))?;
            }
            "--write" => o.write = true,
            "--ferrous" => o.ferrous = Some(value("--ferrous")?),
            "-h" | "--help" => return Err(USAGE.into()),
            s => return Err(format!("unknown argument '{s}'\n{USAGE}")),
        }
    }
    Ok(o)
}

/// A small deterministic generator (xorshift64*), so every run parses the
/// same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const NAMES: &[&str] = &[
    "count", "total", "index", "value", "key", "result", "buffer", "item", "node", "left", "right",
    "offset", "limit", "score", "name", "data", "cache", "state", "queue", "list",
];
const FIELDS: &[&str] = &[
    "size", "next", "prev", "value", "children", "parent", "id", "tag", "len", "first",
];
const WORDS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "error", "warning", "info", "debug", "user", "session",
];

/// An expression of bounded depth over the names in scope.
fn expr(r: &mut Rng, locals: &[String], depth: usize, out: &mut String) {
    let leaf = depth == 0 || r.below(3) == 0;
    if leaf {
        match r.below(9) {
            0 | 1 if !locals.is_empty() => out.push_str(&locals[r.below(locals.len())]),
            2 => {
                let _ = write!(out, "{}", r.below(100000));
            }
            3 => {
                let _ = write!(out, "{}.{}", r.below(1000), r.below(1000));
            }
            4 => {
                let _ = write!(out, "\"{} {}\\n\"", r.pick(WORDS), r.pick(WORDS));
            }
            5 => {
                let _ = write!(out, "{}.{}", r.pick(NAMES), r.pick(FIELDS));
            }
            6 => out.push_str(r.pick(&["nil", "true", "false"])),
            7 => {
                let _ = write!(out, "0x{:X}", r.below(65536));
            }
            _ => out.push_str(r.pick(NAMES)),
        }
        return;
    }
    match r.below(8) {
        0..=2 => {
            expr(r, locals, depth - 1, out);
            let _ = write!(
                out,
                " {} ",
                r.pick(&["+", "-", "*", "/", "%", "..", "==", "<", ">=", "and", "or"])
            );
            expr(r, locals, depth - 1, out);
        }
        3 => {
            out.push('(');
            expr(r, locals, depth - 1, out);
            out.push(')');
        }
        4 => {
            let _ = write!(out, "{}(", r.pick(NAMES));
            expr(r, locals, depth - 1, out);
            out.push_str(", ");
            expr(r, locals, depth - 1, out);
            out.push(')');
        }
        5 => {
            let _ = write!(out, "{}:{}(", r.pick(NAMES), r.pick(FIELDS));
            expr(r, locals, depth - 1, out);
            out.push(')');
        }
        6 => {
            let _ = write!(out, "{{ {}, {} = ", r.below(10), r.pick(FIELDS));
            expr(r, locals, depth - 1, out);
            out.push_str(", [\"");
            out.push_str(r.pick(WORDS));
            out.push_str("\"] = ");
            expr(r, locals, depth - 1, out);
            out.push_str(" }");
        }
        _ => {
            out.push_str(r.pick(&["not ", "- ", "#"]));
            expr(r, locals, depth - 1, out);
        }
    }
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

/// A block of statements.
fn block(r: &mut Rng, locals: &mut Vec<String>, depth: usize, ind: usize, out: &mut String) {
    let n = 2 + r.below(5);
    let outer = locals.len();
    for _ in 0..n {
        indent(out, ind);
        match r.below(12) {
            0 | 1 if locals.len() < 150 => {
                let name = format!("{}{}", r.pick(NAMES), locals.len());
                let _ = write!(out, "local {name} = ");
                expr(r, locals, 3, out);
                out.push('\n');
                locals.push(name);
            }
            2 if depth > 0 => {
                out.push_str("if ");
                expr(r, locals, 2, out);
                out.push_str(" then\n");
                block(r, locals, depth - 1, ind + 1, out);
                indent(out, ind);
                out.push_str("elseif ");
                expr(r, locals, 2, out);
                out.push_str(" then\n");
                block(r, locals, depth - 1, ind + 1, out);
                indent(out, ind);
                out.push_str("else\n");
                block(r, locals, depth - 1, ind + 1, out);
                indent(out, ind);
                out.push_str("end\n");
            }
            3 if depth > 0 => {
                let v = format!("i{}", locals.len());
                let _ = writeln!(out, "for {v} = 1, #{} do", r.pick(NAMES));
                locals.push(v);
                block(r, locals, depth - 1, ind + 1, out);
                locals.pop();
                indent(out, ind);
                out.push_str("end\n");
            }
            4 if depth > 0 => {
                let (k, v) = (format!("k{}", locals.len()), format!("v{}", locals.len()));
                let _ = writeln!(out, "for {k}, {v} in pairs({}) do", r.pick(NAMES));
                locals.push(k);
                locals.push(v);
                block(r, locals, depth - 1, ind + 1, out);
                locals.truncate(locals.len() - 2);
                indent(out, ind);
                out.push_str("end\n");
            }
            5 if depth > 0 => {
                out.push_str("while ");
                expr(r, locals, 2, out);
                out.push_str(" do\n");
                block(r, locals, depth - 1, ind + 1, out);
                indent(out, ind + 1);
                out.push_str("break\n");
                indent(out, ind);
                out.push_str("end\n");
            }
            6 => {
                let _ = write!(out, "{}.{} = ", r.pick(NAMES), r.pick(FIELDS));
                expr(r, locals, 3, out);
                out.push('\n');
            }
            7 => {
                let _ = write!(out, "{}:{}(", r.pick(NAMES), r.pick(FIELDS));
                expr(r, locals, 2, out);
                let _ = writeln!(out, ", '{}')", r.pick(WORDS));
            }
            8 => {
                let _ = writeln!(
                    out,
                    "-- {} {} {}",
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.pick(NAMES)
                );
            }
            9 if depth > 0 => {
                out.push_str("repeat\n");
                block(r, locals, depth - 1, ind + 1, out);
                indent(out, ind);
                out.push_str("until ");
                expr(r, locals, 2, out);
                out.push('\n');
            }
            10 => {
                let _ = writeln!(
                    out,
                    "log([[{} {}\n  {}]], \"{}\\t{}\\\"\")",
                    r.pick(WORDS),
                    r.pick(NAMES),
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.below(999)
                );
            }
            _ => {
                let _ = write!(out, "{} = ", r.pick(NAMES));
                expr(r, locals, 3, out);
                out.push('\n');
            }
        }
    }
    locals.truncate(outer);
}

/// About `bytes` bytes of Lua: global functions of a module table, each
/// with a doc comment, so no function grows past luac's limits.
pub fn generate(bytes: usize) -> String {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str("-- generated by cargo xtask bench-parse\nlocal M = {}\n");
    let mut n = 0;
    while out.len() < bytes {
        n += 1;
        let _ = writeln!(
            out,
            "\n--[[ {} {}: {} ]]\nfunction M.{}_{n}(a, b, ...)",
            r.pick(WORDS),
            n,
            r.pick(WORDS),
            r.pick(NAMES)
        );
        let mut locals = vec!["a".to_string(), "b".to_string()];
        block(&mut r, &mut locals, 3, 1, &mut out);
        out.push_str("  return a, b\nend\n");
    }
    out.push_str("return M\n");
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                util::root().join(p)
            }
        })
        .unwrap_or_else(|| util::root().join("target"))
}

fn built(rel: &str) -> Result<String, String> {
    let bin = target_dir().join(rel);
    if !bin.exists() {
        return Err(format!("{} was not built", bin.display()));
    }
    Ok(bin.to_string_lossy().into_owned())
}

/// The release ferrous-luac and the parser-alone program.
fn binaries(explicit: Option<&str>) -> Result<(String, String), String> {
    util::run_cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "ferrous-syntax",
            "--example",
            "parse_speed",
        ],
    )?;
    let parser = built("release/examples/parse_speed")?;
    if let Some(p) = explicit {
        return Ok((p.to_string(), parser));
    }
    util::run_cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "ferrous-lua",
            "--bin",
            "ferrous-luac",
        ],
    )?;
    Ok((built("release/ferrous-luac")?, parser))
}

fn check(o: &Outcome, who: &str) -> Result<(), String> {
    if o.code == Some(0) {
        Ok(())
    } else {
        Err(format!(
            "{who} rejected the generated file ({}): {}",
            o.status_text(),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

pub fn run(args: Vec<String>) -> Result<(), String> {
    let o = parse_args(args)?;
    let (ferrous, parser) = binaries(o.ferrous.as_deref())?;
    let dir = util::root().join("target/bench-parse");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let src = generate((o.mb * 1_048_576.0) as usize);
    let file = dir.join("large.lua");
    std::fs::write(&file, &src).map_err(|e| format!("{}: {e}", file.display()))?;
    let size_mb = src.len() as f64 / 1_048_576.0;
    let lines = src.lines().count();
    eprintln!(
        "bench-parse: {} ({size_mb:.2} MB, {lines} lines)",
        file.display()
    );

    let programs = [
        Interp::new("luac5.1 -p", "luac5.1", &["-p"]),
        Interp::new("ferrous-luac -p", &ferrous, &["-p"]),
        Interp::new("parser alone", &parser, &[]),
        Interp::new("parser alone, tree not freed", &parser, &["--keep"]),
    ];
    let file_arg = "large.lua";
    let timeout = Duration::from_secs(300);
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); programs.len()];
    for round in 0..o.runs {
        let mut line = format!("bench-parse: round {}:", round + 1);
        for k in 0..programs.len() {
            let i = (round + k) % programs.len();
            let p = &programs[i];
            let out = lua_proc::run(p, &dir, file_arg, timeout, &[], &[])?;
            check(&out, &p.program)?;
            times[i].push(out.cpu);
            let _ = write!(line, " {} {:.3}s,", p.label, out.cpu.as_secs_f64());
        }
        eprintln!("{}", line.trim_end_matches(','));
    }
    let medians: Vec<f64> = times.into_iter().map(|t| median(t).as_secs_f64()).collect();
    let speed = |t: f64| if t > 0.0 { size_mb / t } else { f64::INFINITY };
    let base = speed(medians[0]);
    let mut table = String::from(
        "| program | median CPU time (s) | MB/s | speed vs luac5.1 |\n|---|---:|---:|---:|\n",
    );
    for (p, &t) in programs.iter().zip(&medians) {
        let _ = writeln!(
            table,
            "| {} | {t:.3} | {:.1} | {:.2}x |",
            p.label,
            speed(t),
            speed(t) / base
        );
    }
    let report = format!(
        "Measured {date} with `cargo xtask bench-parse --runs {runs} --mb {mb}`: a generated \
         file of {size_mb:.2} MB ({lines} lines), each program run {runs} times in rotating \
         order; CPU time (user + system) of the whole process.\n\n{table}\n\
         luac5.1 -p and ferrous-luac -p do the same work: read the file, parse it and \
         generate code (neither writes it). \"parser alone\" reads the file, builds the \
         ferrous-syntax tree and frees it; \"tree not freed\" leaves it to the process \
         exit. ferrous-luac compiles each function as soon as it is parsed and frees \
         its tree then.\n",
        date = crate::util::today(),
        runs = o.runs,
        mb = o.mb,
    );
    println!("{report}");
    if o.write {
        crate::util::write_performance_doc(&DOC, &report)?;
        eprintln!("bench-parse: wrote docs/performance.md");
    }
    Ok(())
}
