//! Case files of the Redis corpus (tests/redis/**/*.lua) and their
//! directives. The format is described in tests/redis/README.md; in short,
//! a file is a script body whose leading comment lines may hold directives:
//!
//! ```text
//! -- what this case checks (the first line is always a plain comment)
//! --! keys: user:1 user:2
//! --! args: 10 hello\sworld
//! --! setup: HSET user:1 name ann
//! --! resp: 3
//! --! ro
//! --! calls: 2
//! ```
//!
//! plus the sequence directives `eval`, `evalsha`, `cmd:`, `fcall:`,
//! `fcall_ro:`, `hello:`, the library form (`#!lua name=...` body), the
//! `teardown:` directive and the ferrous-only `expect*` directives.

use std::path::{Path, PathBuf};

/// Lower-case hex SHA-1 of a script body (ferrous-redis's, on the sha1
/// crate): the name EVALSHA takes.
fn sha1_hex(data: &[u8]) -> String {
    String::from_utf8_lossy(&ferrous_redis::sha1_hex(data)).into_owned()
}

/// One command the runner sends on the case's connection, in order.
#[derive(Debug, Clone)]
pub struct Step {
    /// Short human description for reports (script bodies abbreviated).
    pub label: String,
    /// The command's arguments.
    pub args: Vec<Vec<u8>>,
    /// Whether the reply bytes are compared (HELLO replies carry a client
    /// id, so only their type is compared).
    pub compare_bytes: bool,
    /// `(argument index, step index)`: arguments replaced at run time by the
    /// string content of an earlier step's reply (`$REPLY:N`).
    pub reply_refs: Vec<(usize, usize)>,
}

/// A `cmd:`/`fcall:` argument before the run: literal bytes or a reference
/// to an earlier reply.
#[derive(Debug, Clone)]
enum Arg {
    Lit(Vec<u8>),
    Reply(usize),
}

/// An expectation on ferrous-redis's last reply (ferrous-only cases).
#[derive(Debug, Clone)]
pub enum Expect {
    /// The raw reply equals these bytes.
    Exact(Vec<u8>),
    /// The raw reply starts with these bytes.
    Prefix(Vec<u8>),
    /// The reply is an error whose text starts with these bytes.
    ErrorPrefix(Vec<u8>),
}

/// A parsed case file.
#[derive(Debug, Clone)]
pub struct Case {
    /// Path relative to its corpus root, `/`-separated (the allowlist key).
    pub rel: String,
    /// The folder part of `rel` (the report groups by it).
    pub folder: String,
    pub setup: Vec<Vec<Vec<u8>>>,
    pub teardown: Vec<Vec<Vec<u8>>>,
    pub resp3: bool,
    pub steps: Vec<Step>,
    pub expect: Vec<Expect>,
}

impl Case {
    /// Ferrous-only cases carry `expect*` directives and never run against a
    /// real redis-server (the inputs crash or hang it).
    pub fn ferrous_only(&self) -> bool {
        !self.expect.is_empty()
    }
}

/// Splits a directive value on spaces and decodes each token.
pub fn tokens(value: &str) -> Result<Vec<Vec<u8>>, String> {
    value
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(unescape)
        .collect()
}

/// Decodes `\s` (space), `\xNN` (any byte), `\\` (backslash), and for
/// convenience `\r`, `\n`, `\t`, and `\e` (nothing, so `\e` alone is an
/// empty argument). Anything else after a backslash is an error.
pub fn unescape(tok: &str) -> Result<Vec<u8>, String> {
    let b = tok.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b's') => out.push(b' '),
            Some(b'\\') => out.push(b'\\'),
            Some(b'r') => out.push(b'\r'),
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            // Nothing: `\e` alone is the empty argument.
            Some(b'e') => {}
            Some(b'x') => {
                let hex = b
                    .get(i + 2..i + 4)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("bad \\x escape in token {tok:?}"))?;
                out.push(hex);
                i += 4;
                continue;
            }
            _ => {
                return Err(format!(
                    "unknown escape in token {tok:?} (use \\s \\xNN \\\\ \\r \\n \\t \\e)"
                ))
            }
        }
        i += 2;
    }
    Ok(out)
}

/// Short printable form of a command for reports.
fn label_of(args: &[Vec<u8>], body: &[u8]) -> String {
    let parts: Vec<String> = args
        .iter()
        .map(|a| {
            if a.as_slice() == body && body.len() > 40 {
                "<script>".to_string()
            } else {
                crate::conformance_redis::redis_resp::escape_cut(a, 60)
            }
        })
        .collect();
    let s = parts.join(" ");
    if s.len() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// Parses the case at `path`; `rel` is its path relative to the corpus root.
pub fn parse_case(path: &Path, rel: &str) -> Result<Case, String> {
    let source = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_source(path, rel, &source)
}

fn parse_source(_path: &Path, rel: &str, source: &[u8]) -> Result<Case, String> {
    let fail = |msg: String| format!("{rel}: {msg}");
    let folder = match rel.rfind('/') {
        Some(i) => rel[..i].to_string(),
        None => ".".to_string(),
    };

    // The header: the leading `--` lines. Directives must be valid UTF-8.
    let mut header: Vec<(usize, String)> = Vec::new();
    let mut offset = 0;
    let mut library_at = None;
    for (lineno, raw_line) in source.split(|&c| c == b'\n').enumerate() {
        let line_len = raw_line.len() + 1;
        let line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if line.starts_with(b"#!lua") {
            library_at = Some(offset);
            break;
        }
        if !line.starts_with(b"--") {
            break;
        }
        let text = std::str::from_utf8(line)
            .map_err(|_| fail(format!("line {}: header is not UTF-8", lineno + 1)))?;
        header.push((lineno + 1, text.to_string()));
        offset += line_len;
    }
    match header.first() {
        Some((_, l)) if !l.starts_with("--!") => {}
        _ => {
            return Err(fail(
                "the first line must be a plain `-- ...` comment saying what the case checks"
                    .into(),
            ))
        }
    }

    let body: Vec<u8> = match library_at {
        Some(at) => source[at..].to_vec(),
        None => source.to_vec(),
    };
    let sha = sha1_hex(&body);

    let mut keys = Vec::new();
    let mut args = Vec::new();
    let mut setup = Vec::new();
    let mut teardown = Vec::new();
    let mut resp3 = false;
    let mut ro = false;
    let mut calls: Option<usize> = None;
    let mut noload = false;
    let mut expect = Vec::new();
    // Explicit steps, resolved after keys/args are known.
    enum Raw {
        Eval,
        EvalSha,
        Cmd(Vec<Arg>),
        Fcall(bool, Vec<Arg>),
        Hello(String),
    }
    let mut raw_steps: Vec<Raw> = Vec::new();

    let resolve = |value: &str| -> Result<Vec<Arg>, String> {
        let mut out = Vec::new();
        for t in value.split(' ').filter(|t| !t.is_empty()) {
            if t == "$BODY" {
                out.push(Arg::Lit(body.clone()));
            } else if t == "$SHA" {
                out.push(Arg::Lit(sha.clone().into_bytes()));
            } else if let Some(text) = t.strip_prefix("$SHA1:") {
                out.push(Arg::Lit(sha1_hex(&unescape(text)?).into_bytes()));
            } else if let Some(n) = t.strip_prefix("$REPLY:") {
                let n: usize = n
                    .parse()
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| format!("bad reply reference {t:?} (steps count from 1)"))?;
                out.push(Arg::Reply(n - 1));
            } else {
                out.push(Arg::Lit(unescape(t)?));
            }
        }
        Ok(out)
    };

    for (lineno, line) in &header {
        let Some(d) = line.strip_prefix("--!") else {
            continue;
        };
        let d = d.trim();
        let (name, value) = match d.split_once(':') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (d, None),
        };
        let at = |msg: &str| fail(format!("line {lineno}: {msg}"));
        let need =
            || value.ok_or_else(|| at(&format!("`{name}` needs a value: `--! {name}: ...`")));
        match name {
            "keys" => keys.extend(tokens(need()?).map_err(|e| at(&e))?),
            "args" => args.extend(tokens(need()?).map_err(|e| at(&e))?),
            "setup" => setup.push(non_empty(tokens(need()?).map_err(|e| at(&e))?, &at)?),
            "teardown" => teardown.push(non_empty(tokens(need()?).map_err(|e| at(&e))?, &at)?),
            "resp" => match need()? {
                "3" => resp3 = true,
                "2" => resp3 = false,
                _ => return Err(at("resp must be 2 or 3")),
            },
            "ro" => ro = true,
            "noload" => noload = true,
            "calls" => {
                let n: usize = need()?
                    .parse()
                    .map_err(|_| at("calls needs a positive integer"))?;
                if n == 0 || n > 10_000 {
                    return Err(at("calls must be between 1 and 10000"));
                }
                calls = Some(n);
            }
            "eval" => raw_steps.push(Raw::Eval),
            "evalsha" => raw_steps.push(Raw::EvalSha),
            "cmd" => raw_steps.push(Raw::Cmd(non_empty_args(
                resolve(need()?).map_err(|e| at(&e))?,
                &at,
            )?)),
            "fcall" | "fcall_ro" => raw_steps.push(Raw::Fcall(
                name == "fcall_ro",
                non_empty_args(resolve(need()?).map_err(|e| at(&e))?, &at)?,
            )),
            "hello" => raw_steps.push(Raw::Hello(need()?.to_string())),
            "expect" => expect.push(Expect::Exact(unescape_line(need()?).map_err(|e| at(&e))?)),
            "expect-prefix" => {
                expect.push(Expect::Prefix(unescape_line(need()?).map_err(|e| at(&e))?))
            }
            "expect-error-prefix" => expect.push(Expect::ErrorPrefix(
                unescape_line(need()?).map_err(|e| at(&e))?,
            )),
            _ => return Err(at(&format!("unknown directive `{name}`"))),
        }
    }

    let eval_args = |sha_form: bool| -> Vec<Vec<u8>> {
        let verb: &[u8] = match (sha_form, ro) {
            (false, false) => b"EVAL",
            (false, true) => b"EVAL_RO",
            (true, false) => b"EVALSHA",
            (true, true) => b"EVALSHA_RO",
        };
        let mut v = vec![
            verb.to_vec(),
            if sha_form {
                sha.clone().into_bytes()
            } else {
                body.clone()
            },
            keys.len().to_string().into_bytes(),
        ];
        v.extend(keys.iter().cloned());
        v.extend(args.iter().cloned());
        v
    };
    let step = |args: Vec<Vec<u8>>| Step {
        label: label_of(&args, &body),
        args,
        compare_bytes: true,
        reply_refs: Vec::new(),
    };
    // Literal arguments plus the positions of reply references.
    let with_refs = |prefix: Vec<Vec<u8>>, args: Vec<Arg>, index: usize| -> Result<Step, String> {
        let mut v = prefix;
        let mut refs = Vec::new();
        for a in args {
            match a {
                Arg::Lit(b) => v.push(b),
                Arg::Reply(n) => {
                    if n >= index {
                        return Err(fail(format!(
                            "$REPLY:{} refers to a step that has not run yet (this is step {})",
                            n + 1,
                            index + 1
                        )));
                    }
                    refs.push((v.len(), n));
                    v.push(format!("$REPLY:{}", n + 1).into_bytes());
                }
            }
        }
        let mut s = step(v);
        s.reply_refs = refs;
        Ok(s)
    };

    let mut steps = Vec::new();
    let library = library_at.is_some();
    if library && !noload {
        steps.push(step(vec![
            b"FUNCTION".to_vec(),
            b"LOAD".to_vec(),
            body.clone(),
        ]));
    }
    if raw_steps.is_empty() {
        if !library {
            for _ in 0..calls.unwrap_or(1) {
                steps.push(step(eval_args(false)));
            }
        } else if calls.is_some() {
            return Err(fail("`calls` applies to the default EVAL only".into()));
        }
    } else {
        if calls.is_some() {
            return Err(fail(
                "`calls` applies to the default EVAL only; repeat `--! eval` instead".into(),
            ));
        }
        for r in raw_steps {
            match r {
                Raw::Eval => steps.push(step(eval_args(false))),
                Raw::EvalSha => steps.push(step(eval_args(true))),
                Raw::Cmd(a) => {
                    let s = with_refs(Vec::new(), a, steps.len())?;
                    steps.push(s);
                }
                Raw::Fcall(is_ro, a) => {
                    let verb = if is_ro {
                        b"FCALL_RO".to_vec()
                    } else {
                        b"FCALL".to_vec()
                    };
                    let s = with_refs(vec![verb], a, steps.len())?;
                    steps.push(s);
                }
                Raw::Hello(v) => {
                    if v != "2" && v != "3" {
                        return Err(fail("hello must be 2 or 3".into()));
                    }
                    steps.push(Step {
                        label: format!("HELLO {v}"),
                        args: vec![b"HELLO".to_vec(), v.into_bytes()],
                        compare_bytes: false,
                        reply_refs: Vec::new(),
                    });
                }
            }
        }
    }
    if steps.is_empty() {
        return Err(fail("the case has no command to run".into()));
    }

    Ok(Case {
        rel: rel.to_string(),
        folder,
        setup,
        teardown,
        resp3,
        steps,
        expect,
    })
}

fn non_empty(v: Vec<Vec<u8>>, at: &dyn Fn(&str) -> String) -> Result<Vec<Vec<u8>>, String> {
    if v.is_empty() {
        Err(at("empty command"))
    } else {
        Ok(v)
    }
}

fn non_empty_args(v: Vec<Arg>, at: &dyn Fn(&str) -> String) -> Result<Vec<Arg>, String> {
    if v.is_empty() {
        Err(at("empty command"))
    } else {
        Ok(v)
    }
}

/// An `expect*` value: the whole rest of the line, escapes decoded (spaces
/// are kept as they are).
fn unescape_line(v: &str) -> Result<Vec<u8>, String> {
    unescape(v)
}

/// Every `*.lua` file under `root`, sorted, as (path, relative path).
pub fn collect(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in rd {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "lua") {
                let rel = p
                    .strip_prefix(root)
                    .map_err(|_| format!("{} outside {}", p.display(), root.display()))?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((p, rel));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_tokens() {
        assert_eq!(unescape(r"a\sb\x00\\").unwrap(), b"a b\x00\\".to_vec());
        assert!(unescape(r"\q").is_err());
        assert!(unescape(r"\x4").is_err());
    }

    #[test]
    fn default_eval_with_directives() {
        let src = b"-- checks\n--! keys: k1 k2\n--! args: a\\sb\n--! ro\n--! calls: 2\nreturn 1\n";
        let c = parse_source(Path::new("x.lua"), "f/x.lua", src).unwrap();
        assert_eq!(c.steps.len(), 2);
        assert_eq!(c.steps[0].args[0], b"EVAL_RO".to_vec());
        assert_eq!(c.steps[0].args[1], src.to_vec());
        assert_eq!(c.steps[0].args[2], b"2".to_vec());
        assert_eq!(c.steps[0].args[5], b"a b".to_vec());
        assert_eq!(c.folder, "f");
    }

    #[test]
    fn library_and_fcall() {
        let src = b"-- lib\n--! fcall: f 0 x\n#!lua name=l\nredis.register_function('f', function() return 1 end)\n";
        let c = parse_source(Path::new("x.lua"), "x.lua", src).unwrap();
        assert!(c.steps[0].args[2].starts_with(b"#!lua name=l\n"));
        assert_eq!(c.steps.len(), 2);
        assert_eq!(
            c.steps[0].args[..2],
            [b"FUNCTION".to_vec(), b"LOAD".to_vec()]
        );
        assert_eq!(
            c.steps[1].args,
            vec![
                b"FCALL".to_vec(),
                b"f".to_vec(),
                b"0".to_vec(),
                b"x".to_vec()
            ]
        );
    }

    #[test]
    fn placeholders() {
        let src = b"-- s\n--! cmd: SCRIPT LOAD $BODY\n--! cmd: SCRIPT EXISTS $SHA $SHA1:return\\s1\nreturn 1\n";
        let c = parse_source(Path::new("x.lua"), "x.lua", src).unwrap();
        assert_eq!(c.steps[1].args[2], sha1_hex(src).into_bytes());
        assert_eq!(
            c.steps[1].args[3],
            b"e0e1f9fabfc9d4800c877a703b823ac0578ff8db".to_vec()
        );
    }

    #[test]
    fn reply_references() {
        let src =
            b"-- r\n--! cmd: FUNCTION DUMP\n--! cmd: FUNCTION RESTORE $REPLY:2\n#!lua name=l\nx\n";
        let c = parse_source(Path::new("x.lua"), "x.lua", src).unwrap();
        assert_eq!(c.steps[2].reply_refs, vec![(2, 1)]);
        let bad = b"-- r\n--! cmd: ECHO $REPLY:1\nreturn 1\n";
        assert!(parse_source(Path::new("x.lua"), "x.lua", bad).is_err());
    }

    #[test]
    fn first_line_must_be_comment() {
        assert!(parse_source(Path::new("x.lua"), "x.lua", b"--! ro\nreturn 1").is_err());
        assert!(parse_source(Path::new("x.lua"), "x.lua", b"return 1").is_err());
    }
}
