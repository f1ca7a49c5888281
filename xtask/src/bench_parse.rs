//! `cargo xtask bench-parse [--runs N] [--mb SIZE] [--write] [--ferrous PATH]`
//!
//! Parse speed of `ferrous-luac -p` against `luac5.1 -p`. Generates a large
//! Lua source (SIZE MB, default 8: a deterministic, realistic mix of
//! functions, control structures, expressions, table constructors, method
//! calls, strings with escapes, long strings and comments) into
//! target/bench-parse/, checks that both programs accept it, then runs them
//! alternately N times each (default 7) and reports the median CPU time
//! (user + system), the throughput in MB/s and the ratio. `--write` puts the
//! result into the "Parse speed" section of docs/performance.md.
//!
//! By default the release `ferrous-luac` is built first (`cargo build
//! --release -p ferrous-lua --bin ferrous-luac`); `--ferrous PATH` uses an
//! existing binary instead.

use crate::lua_proc::{self, Interp, Outcome};
use crate::util;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

const USAGE: &str = "usage: cargo xtask bench-parse [--runs N] [--mb SIZE] [--write] [--ferrous PATH]";
const BEGIN: &str = "<!-- bench:parse-speed:begin -->";
const END: &str = "<!-- bench:parse-speed:end -->";
const SECTION: &str = "## Parse speed";

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
    "count", "total", "index", "value", "key", "result", "buffer", "item", "node", "left",
    "right", "offset", "limit", "score", "name", "data", "cache", "state", "queue", "list",
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
                let _ = writeln!(out, "-- {} {} {}", r.pick(WORDS), r.pick(WORDS), r.pick(NAMES));
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

fn ferrous_luac(explicit: Option<&str>) -> Result<String, String> {
    if let Some(p) = explicit {
        return Ok(p.to_string());
    }
    util::run_cmd(
        "cargo",
        &["build", "--release", "-p", "ferrous-lua", "--bin", "ferrous-luac"],
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { util::root().join(p) })
        .unwrap_or_else(|| util::root().join("target"));
    let bin = target.join("release/ferrous-luac");
    if !bin.exists() {
        return Err(format!("{} was not built", bin.display()));
    }
    Ok(bin.to_string_lossy().into_owned())
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
    let ferrous = ferrous_luac(o.ferrous.as_deref())?;
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

    let luac = Interp::new("luac5.1", "luac5.1", &["-p"]);
    let ours = Interp::new("ferrous-luac", &ferrous, &["-p"]);
    let file_arg = "large.lua";
    let timeout = Duration::from_secs(300);
    let mut t_luac = Vec::new();
    let mut t_ours = Vec::new();
    for round in 0..o.runs {
        let order: [(&Interp, bool); 2] = if round % 2 == 0 {
            [(&luac, true), (&ours, false)]
        } else {
            [(&ours, false), (&luac, true)]
        };
        for (interp, is_luac) in order {
            let out = lua_proc::run(interp, &dir, file_arg, timeout, &[], &[])?;
            check(&out, &interp.program)?;
            if is_luac {
                t_luac.push(out.cpu);
            } else {
                t_ours.push(out.cpu);
            }
        }
        eprintln!(
            "bench-parse: round {}: luac5.1 {:.3}s, ferrous-luac {:.3}s",
            round + 1,
            t_luac.last().map_or(0.0, Duration::as_secs_f64),
            t_ours.last().map_or(0.0, Duration::as_secs_f64)
        );
    }
    let (ml, mo) = (median(t_luac).as_secs_f64(), median(t_ours).as_secs_f64());
    let speed = |t: f64| if t > 0.0 { size_mb / t } else { f64::INFINITY };
    let (sl, so) = (speed(ml), speed(mo));
    let ratio = if sl > 0.0 { so / sl } else { 0.0 };
    let date = today();
    let report = format!(
        "Measured {date} with `cargo xtask bench-parse --runs {runs} --mb {mb}`: a generated \
         file of {size_mb:.2} MB ({lines} lines), each program run {runs} times, alternating.\n\n\
         | program | median CPU time (s) | MB/s |\n|---|---:|---:|\n\
         | luac5.1 -p | {ml:.3} | {sl:.1} |\n\
         | ferrous-luac -p | {mo:.3} | {so:.1} |\n\n\
         **ferrous-luac -p parses at {ratio:.2}x the speed of luac5.1 -p.** Both read the \
         file and check its syntax; luac5.1 -p also generates bytecode (without writing it), \
         ferrous-luac -p builds the AST the compiler consumes.\n",
        runs = o.runs,
        mb = o.mb,
    );
    println!("{report}");
    if o.write {
        write_section(&util::root().join("docs/performance.md"), &report)?;
        eprintln!("bench-parse: wrote docs/performance.md");
    }
    Ok(())
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Civil-from-days (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Replaces the marked block of the "Parse speed" section.
fn write_section(path: &Path, report: &str) -> Result<(), String> {
    let doc =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let block = format!("{BEGIN}\n{report}{END}\n");
    let new = if let (Some(b), Some(e)) = (doc.find(BEGIN), doc.find(END)) {
        if e < b {
            return Err(format!("{}: parse-speed markers out of order", path.display()));
        }
        let after = &doc[e + END.len()..];
        let after = after.strip_prefix('\n').unwrap_or(after);
        format!("{}{block}{after}", &doc[..b])
    } else if let Some(s) = doc.find(SECTION) {
        let body_start = doc[s..].find('\n').map(|i| s + i + 1).unwrap_or(doc.len());
        let body_end = doc[body_start..]
            .find("\n## ")
            .map(|i| body_start + i + 1)
            .unwrap_or(doc.len());
        format!("{}\n{block}\n{}", &doc[..body_start], &doc[body_end..])
    } else {
        format!("{doc}\n{SECTION} (`cargo xtask bench-parse`)\n\n{block}")
    };
    std::fs::write(path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
