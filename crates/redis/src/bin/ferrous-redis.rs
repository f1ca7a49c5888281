//! `ferrous-redis --port P --upstream HOST:PORT [--time-limit-ms N]
//! [--memory-limit-mb N] [--upstream-user U] [--upstream-password P]`:
//! a Redis-protocol server on 127.0.0.1:P that
//! runs EVAL/EVALSHA/SCRIPT/FUNCTION/FCALL on Ferrous Lua and forwards
//! every other command, and every `redis.call`, to the upstream server.

use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use ferrous_redis::server::{self, ServerConfig};
use ferrous_redis::Config;

const USAGE: &str = "usage: ferrous-redis --port PORT --upstream HOST:PORT \
[--bind ADDR] [--time-limit-ms N] [--memory-limit-mb N] [--upstream-user USER] \
[--upstream-password PASSWORD]";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1).collect()) {
        Ok(cfg) => match server::run(cfg) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ferrous-redis: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("ferrous-redis: {e}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: Vec<String>) -> Result<ServerConfig, String> {
    let mut port: Option<u16> = None;
    let mut bind = "127.0.0.1".to_string();
    let mut upstream: Option<SocketAddr> = None;
    let mut user: Option<String> = None;
    let mut password: Option<String> = None;
    let mut engine = Config {
        memory_limit: Some(512 * 1024 * 1024),
        ..Config::default()
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--port" => port = Some(value()?.parse().map_err(|_| "bad --port".to_string())?),
            "--bind" => bind = value()?,
            "--upstream" => {
                let v = value()?;
                upstream = v
                    .to_socket_addrs()
                    .map_err(|e| format!("bad --upstream {v}: {e}"))?
                    .next();
            }
            "--time-limit-ms" => {
                let ms: u64 = value()?
                    .parse()
                    .map_err(|_| "bad --time-limit-ms".to_string())?;
                engine.time_limit = Duration::from_millis(ms);
            }
            "--memory-limit-mb" => {
                let mb: usize = value()?
                    .parse()
                    .map_err(|_| "bad --memory-limit-mb".to_string())?;
                engine.memory_limit = if mb == 0 {
                    None
                } else {
                    Some(mb * 1024 * 1024)
                };
            }
            "--upstream-user" => user = Some(value()?),
            "--upstream-password" => password = Some(value()?),
            "-h" | "--help" => return Err("help".into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let port = port.ok_or("--port is required")?;
    let upstream = upstream.ok_or("--upstream is required")?;
    let listen: SocketAddr = format!("{bind}:{port}")
        .parse()
        .map_err(|_| format!("bad --bind {bind}"))?;
    Ok(ServerConfig {
        listen,
        upstream,
        upstream_auth: password.map(|p| (user, p)),
        engine,
    })
}
