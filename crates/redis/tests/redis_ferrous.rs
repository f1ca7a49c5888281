//! Runs the self-checking scenarios of tests/redis-ferrous/ (busy scripts,
//! SCRIPT KILL, FUNCTION KILL, -UNKILLABLE, time and memory limits)
//! against the ferrous-redis binary in front of a real redis-server. The
//! scenario format is described in tests/redis-ferrous/README.md.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::{ferrous, redis_server, show, Client};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/redis-ferrous")
}

/// Decodes `\s \r \n \t \\ \xNN` (and `\e`: nothing).
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b's' => out.push(b' '),
                b'r' => out.push(b'\r'),
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'e' => {}
                b'x' if i + 3 < b.len() => {
                    let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap_or("00");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                    i += 4;
                    continue;
                }
                other => {
                    out.push(b'\\');
                    out.push(other);
                }
            }
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn replace_all(hay: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() {
        return hay.to_vec();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

struct Scenario {
    name: String,
    body: Vec<u8>,
    library: Option<Vec<u8>>,
    options: Vec<String>,
    steps: Vec<(usize, String)>,
}

fn parse(path: &Path) -> Scenario {
    let text = std::fs::read_to_string(path).expect("read scenario");
    let mut options = Vec::new();
    let mut steps = Vec::new();
    let mut library = None;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("#!lua") {
            let start = text.find("#!lua").unwrap_or(0);
            library = Some(text.as_bytes()[start..].to_vec());
            break;
        }
        if !line.starts_with("--") {
            break;
        }
        if let Some(d) = line.strip_prefix("--! ") {
            if let Some(o) = d.strip_prefix("options: ") {
                options.extend(o.split(' ').map(str::to_string));
            } else {
                steps.push((n + 1, d.to_string()));
            }
        }
    }
    Scenario {
        name: path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        body: text.into_bytes(),
        library,
        options,
        steps,
    }
}

fn run(s: &Scenario) -> Result<(), String> {
    let upstream = redis_server();
    let opts: Vec<&str> = s.options.iter().map(String::as_str).collect();
    let server = ferrous(upstream.port, &opts);
    let sha = ferrous_redis::sha1_hex(&s.body);
    let mut clients: HashMap<String, Client> = HashMap::new();
    let mut admin = Client::connect(upstream.port).map_err(|e| e.to_string())?;
    let mut last: Vec<u8> = Vec::new();
    let subst = |tok: &str| -> Vec<u8> {
        match tok {
            "$BODY" => s.body.clone(),
            "$LIBRARY" => s.library.clone().unwrap_or_default(),
            "$SHA" => sha.clone(),
            t => unescape(t),
        }
    };
    for (line, step) in &s.steps {
        let fail = |msg: String| format!("{}:{}: {}: {}", s.name, line, step, msg);
        let (head, rest) = step.split_once(' ').unwrap_or((step.as_str(), ""));
        match head {
            "upstream:" => {
                let args: Vec<Vec<u8>> = rest.split(' ').map(subst).collect();
                last = admin.cmd(&args);
            }
            "send" => {
                let (who, cmd) = rest
                    .split_once(": ")
                    .ok_or_else(|| fail("send C: CMD".into()))?;
                let args: Vec<Vec<u8>> = cmd.split(' ').map(subst).collect();
                let c = clients
                    .entry(who.to_string())
                    .or_insert_with(|| Client::connect(server.port).expect("connect"));
                c.send(&args);
            }
            "recv" => {
                let c = clients
                    .get_mut(rest)
                    .ok_or_else(|| fail("unknown client".into()))?;
                last = c.recv();
            }
            "sleep:" => {
                let ms: u64 = rest.parse().map_err(|_| fail("bad sleep".into()))?;
                std::thread::sleep(Duration::from_millis(ms));
            }
            "wait-busy" => {
                let mut probe = Client::connect(server.port).map_err(|e| e.to_string())?;
                let deadline = Instant::now() + Duration::from_secs(30);
                loop {
                    let r = probe.cmd(&["PING"]);
                    if r.starts_with(b"-BUSY") {
                        break;
                    }
                    if Instant::now() > deadline {
                        return Err(fail(format!("never busy (last PING: {})", show(&r))));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            "expect:" => {
                let want = replace_all(&unescape(rest), b"$SHA", &sha);
                if last != want {
                    return Err(fail(format!("got {}", show(&last))));
                }
            }
            "expect-prefix:" => {
                let want = replace_all(&unescape(rest), b"$SHA", &sha);
                if !last.starts_with(&want) {
                    return Err(fail(format!("got {}", show(&last))));
                }
            }
            who if who.ends_with(':') && who.len() == 2 => {
                let args: Vec<Vec<u8>> = rest.split(' ').map(subst).collect();
                let c = clients
                    .entry(who[..1].to_string())
                    .or_insert_with(|| Client::connect(server.port).expect("connect"));
                last = c.cmd(&args);
            }
            _ => return Err(fail("unknown directive".into())),
        }
    }
    // The server must still answer.
    let mut c = Client::connect(server.port).map_err(|e| e.to_string())?;
    let r = c.cmd(&["PING"]);
    if r != b"+PONG\r\n" {
        return Err(format!(
            "{}: server does not answer PING after the scenario: {}",
            s.name,
            show(&r)
        ));
    }
    Ok(())
}

#[test]
fn redis_ferrous_scenarios() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/redis-ferrous exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lua"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let filter = std::env::var("SCENARIO").unwrap_or_default();
    let mut failures = Vec::new();
    for f in &files {
        let s = parse(f);
        if !s.name.contains(&filter) {
            continue;
        }
        if let Err(e) = run(&s) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "failed scenarios:\n{}",
        failures.join("\n")
    );
}
