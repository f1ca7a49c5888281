//! The hostile corpus of issue 12 (crates/redis/tests/support/hostile.rs)
//! inside a redis-server running the module, with Lua states limited to
//! 64 MB (`ferrous.lua-memory-limit`) and busy-reply-threshold 300 ms:
//! PING answered during and after each case, Redis's replies where a
//! stock redis-server survives the case, and the server's peak RSS per
//! case within 4x the limit plus 64 MB.

#[path = "../../redis/tests/support/mod.rs"]
mod support;

use support::hostile::{cases, run_corpus, LIMIT_MB};
use support::{module_path, redis_server, redis_server_with, Client};

#[test]
fn hostile_corpus_in_the_module() {
    let so = module_path();
    let server = redis_server_with(&[
        "--loadmodule",
        so.to_str().expect("utf-8 path"),
        "--busy-reply-threshold",
        "300",
    ]);
    let limit = (LIMIT_MB << 20).to_string();
    let mut c = Client::connect(server.port).expect("connect");
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "ferrous.lua-memory-limit", limit.as_str()]),
        b"+OK\r\n"
    );
    let reference = redis_server();
    run_corpus(server.port, server.child.id(), reference.port, cases());
}
