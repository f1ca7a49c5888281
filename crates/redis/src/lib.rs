//! ferrous-redis: Redis 7.0's scripting (EVAL, EVALSHA, SCRIPT, FUNCTION,
//! FCALL) on Ferrous Lua, replying byte for byte like redis-server 7.0.15.
//!
//! The crate knows nothing about storage. An embedding server implements
//! [`Host`] (run a command for `redis.call`, describe commands, hear about
//! busy scripts) and hands scripting commands to an [`Engine`]:
//!
//! ```
//! use ferrous_redis::{CallContext, CommandInfo, Engine, Host, Reply};
//!
//! struct Echo;
//! impl Host for Echo {
//!     fn command_info(&mut self, _argv: &[&[u8]]) -> Option<CommandInfo> {
//!         Some(CommandInfo { arity: -1, flags: 0 })
//!     }
//!     fn call(&mut self, _ctx: &CallContext, argv: &[&[u8]]) -> Reply {
//!         Reply::Bulk(argv.concat())
//!     }
//! }
//!
//! let mut engine = Engine::standalone();
//! let reply = engine
//!     .execute(&mut Echo, 0, &[b"EVAL", b"return redis.call('a', KEYS[1])", b"1", b"b"])
//!     .unwrap();
//! assert_eq!(reply, Reply::Bulk(b"ab".to_vec()));
//! ```
//!
//! Module map:
//! * [`reply`]: the RESP value type, RESP2/RESP3 encoding, parsing.
//! * [`host`]: the [`Host`] trait, command descriptions, [`CommandTable`].
//! * [`engine`]: [`Engine`], the script cache and libraries ([`Shared`]),
//!   the commands.
//! * `state`: one sandboxed Lua state, the `redis` API, running scripts.
//! * `convert`: Lua values <-> replies.
//! * [`control`]: [`Controller`] (busy state, SCRIPT/FUNCTION KILL).
//! * `rng`: Redis's `math.random` generator.
//! * `rdb`: FUNCTION DUMP / RESTORE payloads.
//! * `glob`: Redis's `stringmatchlen` (FUNCTION LIST's LIBRARYNAME).
//! * [`server`] (feature `server`, on by default): the `ferrous-redis`
//!   proxy server. An engine embedder turns default features off and
//!   does not compile it (`ferrous-redis = { version = "0.1",
//!   default-features = false }`).

#![deny(missing_docs)]

pub mod control;
mod convert;
pub mod engine;
mod glob;
pub mod host;
mod rdb;
pub mod reply;
mod rng;
#[cfg(feature = "server")]
pub mod server;
mod state;

pub use control::Controller;
pub use engine::{Config, Engine, Shared};
pub use host::{
    flags, AclDenied, BusyInfo, CallContext, CommandInfo, CommandTable, Host, LogLevel, WriteDenied,
};
pub use reply::Reply;
pub use state::{REDIS_VERSION, REDIS_VERSION_NUM};

/// Script flag `no-writes`.
pub const SCRIPT_NO_WRITES: u32 = 1 << 0;
/// Script flag `allow-oom`.
pub const SCRIPT_ALLOW_OOM: u32 = 1 << 1;
/// Script flag `allow-stale`.
pub const SCRIPT_ALLOW_STALE: u32 = 1 << 2;
/// Script flag `no-cluster`.
pub const SCRIPT_NO_CLUSTER: u32 = 1 << 3;
/// Script flag `allow-cross-slot-keys`.
pub const SCRIPT_ALLOW_CROSS_SLOT: u32 = 1 << 4;
/// An EVAL script without a shebang (Redis's compatibility mode: no
/// flags apply).
pub const SCRIPT_EVAL_COMPAT: u32 = 1 << 31;

/// Lower-case hex SHA-1 of `data` (script names, `redis.sha1hex`).
pub fn sha1_hex(data: &[u8]) -> Vec<u8> {
    use sha1::{Digest, Sha1};
    let d = Sha1::digest(data);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(40);
    for b in d.iter() {
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
    out
}
