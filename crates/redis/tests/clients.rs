//! redis-cli and redis-py, unchanged, against ferrous-redis in front of a
//! real redis-server: scripts, the script cache, functions, pipelines,
//! transactions, RESP2 and RESP3.

mod support;

use std::process::Command;

use support::{ferrous, redis_server, redis_server_with, Client};

fn redis_cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .output()
        .expect("redis-cli is needed for this test (apt-get install redis-tools)");
    assert!(out.status.success(), "redis-cli {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn redis_cli_works_unchanged() {
    let upstream = redis_server();
    let server = ferrous(upstream.port, &[]);
    let p = server.port;
    assert_eq!(redis_cli(p, &["PING"]), "PONG\n");
    assert_eq!(redis_cli(p, &["SET", "k", "v"]), "OK\n");
    assert_eq!(
        redis_cli(
            p,
            &[
                "EVAL",
                "return redis.call('GET', KEYS[1]) .. ARGV[1]",
                "1",
                "k",
                "!"
            ]
        ),
        "v!\n"
    );
    let sha = redis_cli(p, &["SCRIPT", "LOAD", "return {1, 2, {3, 'x'}}"]);
    assert_eq!(sha.trim().len(), 40);
    assert_eq!(redis_cli(p, &["EVALSHA", sha.trim(), "0"]), "1\n2\n3\nx\n");
    assert_eq!(
        redis_cli(p, &["EVAL", "return redis.error_reply('MY failure')", "0"]),
        "MY failure\n\n"
    );
    let lib = "#!lua name=clilib\nredis.register_function('hi', function(keys, args) return 'hi ' .. args[1] end)";
    assert_eq!(redis_cli(p, &["FUNCTION", "LOAD", lib]), "clilib\n");
    assert_eq!(redis_cli(p, &["FCALL", "hi", "0", "cli"]), "hi cli\n");
    // RESP3 through redis-cli -3: a map from a script.
    assert_eq!(
        redis_cli(
            p,
            &["-3", "EVAL", "redis.setresp(3) return {map={a=1}}", "0"]
        ),
        "a 1\n"
    );
    // A pipe of commands (redis-cli --pipe style input through stdin).
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "printf 'SET n 10\\nEVAL \"return redis.call(\\x27INCR\\x27, KEYS[1])\" 1 n\\nGET n\\n' | redis-cli -p {p}"
        ))
        .output()
        .expect("sh");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "OK\n11\n11\n");
    // The data went to the upstream.
    assert_eq!(redis_cli(upstream.port, &["GET", "n"]), "11\n");
}

const PY: &str = r##"
import sys
import redis

port = int(sys.argv[1])
for proto in (2, 3):
    r = redis.Redis(port=port, protocol=proto, decode_responses=True)
    r.flushall()
    r.script_flush()
    assert r.ping()
    assert r.set("k", "v")
    assert r.eval("return redis.call('GET', KEYS[1])", 1, "k") == "v"
    s = r.register_script("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1] .. ':n')}")
    assert s(keys=["a"], args=["b"]) == ["a", "b", 1]
    assert s(keys=["a"], args=["c"]) == ["a", "c", 2]
    assert r.script_exists(s.sha) == [True]
    r.script_flush()
    assert r.script_exists(s.sha) == [False]
    # register_script reloads a flushed script (NOSCRIPT, then EVAL).
    assert s(keys=["a"], args=["d"]) == ["a", "d", 3]
    assert r.function_load(
        "#!lua name=pylib\nredis.register_function{function_name='hello', "
        "callback=function(keys, args) return 'hi ' .. args[1] end, flags={'no-writes'}}",
        replace=True) == "pylib"
    assert r.fcall("hello", 0, "py") == "hi py"
    assert r.fcall_ro("hello", 0, "ro") == "hi ro"
    libs = r.function_list()
    assert len(libs) == 1
    p = r.pipeline()
    p.set("x", 1)
    p.eval("return redis.call('INCR', KEYS[1])", 1, "x")
    p.get("x")
    assert p.execute() == [True, 2, "2"]
    p = r.pipeline(transaction=False)
    for i in range(50):
        p.eval("return ARGV[1] + 0", 0, i)
    assert p.execute() == list(range(50))
    try:
        r.eval("error('boom')", 0)
        raise AssertionError("no error")
    except redis.ResponseError as e:
        assert "user_script:1: boom script:" in str(e), str(e)
    try:
        r.evalsha("f" * 40, 0)
        raise AssertionError("no error")
    except redis.exceptions.NoScriptError:
        pass
    m = r.eval("redis.setresp(3) return {map={a=1}}", 0)
    assert m == ({"a": 1} if proto == 3 else ["a", 1]), m
    assert r.eval("return {double=1.5}", 0) == (1.5 if proto == 3 else "1.5")
    r.function_flush()
    # Pub/sub on its own connection.
    ps = redis.Redis(port=port, protocol=proto, decode_responses=True).pubsub()
    ps.subscribe("ch")
    assert ps.get_message(timeout=5)["type"] == "subscribe"
    assert r.publish("ch", "hello") == 1
    m = ps.get_message(timeout=5)
    assert m["type"] == "message" and m["data"] == "hello", m
    ps.close()

# A client blocked in BLPOP does not hold scripts back.
import threading, time
r = redis.Redis(port=port, decode_responses=True)
r.delete("bl")
got = {}
def blocker():
    got["v"] = redis.Redis(port=port, decode_responses=True).blpop("bl", 0)
t = threading.Thread(target=blocker)
t.start()
time.sleep(0.3)
start = time.time()
assert r.eval("return redis.call('RPUSH', KEYS[1], 'x')", 1, "bl") == 1
assert time.time() - start < 5
t.join(10)
assert got.get("v") == ("bl", "x"), got
print("ok")
"##;

#[test]
fn redis_py_works_unchanged() {
    // RESP3 (`protocol=3`) needs redis-py 5 or later.
    let has_py = Command::new("python3")
        .args([
            "-c",
            "import redis, sys; sys.exit(int(redis.__version__.split('.')[0]) < 5)",
        ])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !has_py {
        // Not installed on this machine: `.ci/run` installs it with pip.
        eprintln!("redis-py 5 or later not installed; skipping (pip install 'redis>=5')");
        return;
    }
    let upstream = redis_server();
    let server = ferrous(upstream.port, &[]);
    let out = Command::new("python3")
        .args(["-c", PY, &server.port.to_string()])
        .output()
        .expect("python3");
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok",
        "redis-py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn upstream_password_does_not_open_scripts_to_anonymous_clients() {
    let upstream = redis_server_with(&["--requirepass", "sekret"]);
    let server = ferrous(upstream.port, &["--upstream-password", "sekret"]);
    let mut anon = Client::connect(server.port).unwrap();
    assert_eq!(
        anon.cmd(&["EVAL", "return 1", "0"]),
        b"-NOAUTH Authentication required.\r\n"
    );
    assert_eq!(
        anon.cmd(&["GET", "a"]),
        b"-NOAUTH Authentication required.\r\n"
    );
    let mut c = Client::connect(server.port).unwrap();
    assert_eq!(c.cmd(&["AUTH", "sekret"]), b"+OK\r\n");
    assert_eq!(
        c.cmd(&[
            "EVAL",
            "redis.call('SET', KEYS[1], 'b') return redis.call('GET', KEYS[1])",
            "1",
            "a"
        ]),
        b"$1\r\nb\r\n"
    );
}
