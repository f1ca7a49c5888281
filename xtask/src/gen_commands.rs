//! `cargo xtask gen-commands`: writes crates/redis/src/redis70-commands.txt,
//! the command table ferrous-redis ships (`CommandTable::redis_7_0`), from
//! the `COMMAND` reply of the installed redis-server 7.0.
//!
//! One command or subcommand a line: `name arity flag,flag,...` (`-` for
//! no flag), subcommands as `parent|sub`, sorted; only the flags the
//! bridge's script rules read are kept.

use std::collections::BTreeMap;

use crate::conformance_redis::redis_resp::{Conn, Resp};
use crate::conformance_redis::redis_server;

const FLAGS: [&str; 12] = [
    "write",
    "readonly",
    "denyoom",
    "noscript",
    "may_replicate",
    "allow_busy",
    "stale",
    "admin",
    "pubsub",
    "blocking",
    "no_multi",
    "loading",
];

fn text(r: &Resp) -> Option<String> {
    match r {
        Resp::Status(b) | Resp::Bulk(Some(b)) => Some(String::from_utf8_lossy(b).to_lowercase()),
        _ => None,
    }
}

fn entry(r: &Resp, out: &mut BTreeMap<String, String>) {
    let Resp::Array(Some(f)) = r else { return };
    let (Some(name), Some(Resp::Int(arity))) = (f.first().and_then(text), f.get(1)) else {
        return;
    };
    let mut flags: Vec<String> = match f.get(2) {
        Some(Resp::Array(Some(fl))) => fl
            .iter()
            .filter_map(text)
            .filter(|n| FLAGS.contains(&n.as_str()))
            .collect(),
        _ => Vec::new(),
    };
    flags.sort();
    let flags = if flags.is_empty() {
        "-".to_string()
    } else {
        flags.join(",")
    };
    out.insert(name, format!("{arity} {flags}"));
    if let Some(Resp::Array(Some(subs))) = f.get(9) {
        for s in subs {
            entry(s, out);
        }
    }
}

pub fn run(_args: Vec<String>) -> Result<(), String> {
    let bin = redis_server::find_redis_server()?;
    let dir = redis_server::TempDir::new("gen-commands")?;
    let server = redis_server::start_redis(&bin, "commands", &dir.0)?;
    let mut c = Conn::connect(server.port, std::time::Duration::from_secs(30))
        .map_err(|e| format!("connect: {e}"))?;
    let version = match c.cmd(&["INFO", "server"]).map_err(|e| e.to_string())? {
        Resp::Bulk(Some(b)) => String::from_utf8_lossy(&b)
            .lines()
            .find_map(|l| {
                l.strip_prefix("redis_version:")
                    .map(|v| v.trim().to_string())
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    let reply = c.cmd(&["COMMAND"]).map_err(|e| e.to_string())?;
    let Resp::Array(Some(items)) = reply else {
        return Err("unexpected COMMAND reply".into());
    };
    let mut table = BTreeMap::new();
    for it in &items {
        entry(it, &mut table);
    }
    let mut out = format!(
        "# Redis {version}'s commands (`cargo xtask gen-commands`, from COMMAND):\n\
         # name arity flags (the flags ferrous-redis's script rules read).\n"
    );
    for (name, rest) in &table {
        out.push_str(&format!("{name} {rest}\n"));
    }
    let path = crate::util::root().join("crates/redis/src/redis70-commands.txt");
    std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("xtask: wrote {} ({} entries)", path.display(), table.len());
    Ok(())
}
