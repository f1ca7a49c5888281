//! examples/mini_server.rs (a Rust server embedding the engine) against a
//! stock redis-server: the same commands give the same replies, and a busy
//! script leaves the server answering.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::{redis_server, show, start_on_free_port, Client, Proc};

fn mini_server() -> Proc {
    let exe = std::env::current_exe().expect("test binary path");
    let profile = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("profile folder");
    let bin = profile.join("examples").join("mini_server");
    let (child, port) = start_on_free_port("mini_server", |port| {
        let mut c = Command::new(&bin);
        c.arg(port.to_string());
        c
    });
    Proc::new(child, port)
}

#[test]
fn example_server_replies_like_redis() {
    let (stock, mini) = (redis_server(), mini_server());
    let cmds: &[&[&str]] = &[
        &["SET", "a", "1"],
        &["EVAL", "return redis.call('INCR', KEYS[1])", "1", "a"],
        &["EVAL", "redis.call('SELECT', 3) redis.call('SET', 'x', 'y') return redis.call('GET', 'x')", "0"],
        &["GET", "x"],
        &["SELECT", "3"],
        &["GET", "x"],
        &["SELECT", "0"],
        &["EVAL", "return redis.call('INCR', 'nonint')", "0"],
        &["SET", "s", "abc"],
        &["EVAL", "return redis.pcall('INCR', 's')", "0"],
        &["EVAL", "return redis.call('GET')", "0"],
        &["EVAL", "return redis.call('CONFIG', 'GET', 'x')", "0"],
        &["EVAL", "return {1, 2, redis.call('DEL', 'a', 'zz')}", "0"],
        &["FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('f', function(k) return redis.call('EXISTS', k[1]) end)"],
        &["FCALL", "f", "1", "s"],
        &["EVAL_RO", "return redis.call('SET', 'q', '1')", "0"],
    ];
    let run = |p: &Proc| {
        let mut c = Client::connect(p.port).expect("connect");
        cmds.iter().map(|a| show(&c.cmd(a))).collect::<Vec<_>>()
    };
    let (s, m) = (run(&stock), run(&mini));
    for (i, (a, b)) in s.iter().zip(&m).enumerate() {
        assert_eq!(a, b, "{:?}", cmds[i]);
    }
}

#[test]
fn example_server_stays_answering_while_a_script_is_busy() {
    let mini = mini_server();
    let mut admin = Client::connect(mini.port).expect("connect");
    assert_eq!(
        show(&admin.cmd(&["CONFIG", "SET", "busy-reply-threshold", "50"])),
        "+OK\\r\\n"
    );
    let mut runner = Client::connect(mini.port).expect("connect");
    runner.send(&["EVAL", "while true do end", "0"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = show(&Client::connect(mini.port).expect("connect").cmd(&["PING"]));
        if r.starts_with("-BUSY") {
            break;
        }
        assert!(Instant::now() < deadline, "never busy: {r}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut other = Client::connect(mini.port).expect("connect");
    assert_eq!(show(&other.cmd(&["SCRIPT", "KILL"])), "+OK\\r\\n");
    assert!(show(&runner.recv()).starts_with("-ERR Script killed by user with SCRIPT KILL"));
    assert_eq!(show(&other.cmd(&["PING"])), "+PONG\\r\\n");
}
