//! Regression tests of issue 11's defects of the ferrous-redis proxy: each
//! runs the same commands against a stock redis-server and through
//! ferrous-redis (in front of another stock redis-server) and compares the
//! replies, or checks what Redis guarantees (no wedge, no lost item).

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{ferrous, free_port, redis_server_with, show, Client, Proc};

const DEBUG: [&str; 2] = ["--enable-debug-command", "yes"];

/// A stock server and ferrous-redis in front of another one: the ports to
/// compare (stock first), and the processes to keep alive.
fn pair() -> (Vec<u16>, Vec<Proc>) {
    let stock = redis_server_with(&DEBUG);
    let upstream = redis_server_with(&DEBUG);
    let proxy = ferrous(upstream.port, &[]);
    (vec![stock.port, proxy.port], vec![stock, upstream, proxy])
}

/// Runs `f` against both servers and asserts the same result.
fn same<T: PartialEq + std::fmt::Debug>(ports: &[u16], f: impl Fn(u16) -> T) -> T {
    let stock = f(ports[0]);
    let proxy = f(ports[1]);
    assert_eq!(stock, proxy, "stock redis-server vs ferrous-redis");
    proxy
}

fn c(port: u16) -> Client {
    Client::connect(port).expect("connect")
}

fn s(b: Vec<u8>) -> String {
    show(&b)
}

/// Sends `args` and waits at most `secs` for the reply (None: no reply).
fn reply_within(port: u16, args: &[&str], secs: u64) -> Option<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    std::thread::spawn(move || {
        if let Ok(mut cl) = Client::connect(port) {
            let _ = tx.send(s(cl.cmd(&args)));
        }
    });
    rx.recv_timeout(Duration::from_secs(secs)).ok()
}

// 1. Scripts run as the calling user.
#[test]
fn scripts_run_with_the_callers_acl_rights() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut admin = c(p);
        let mut out = vec![
            s(admin.cmd(&[
                "ACL",
                "SETUSER",
                "bob",
                "on",
                ">123",
                "+@scripting",
                "+set",
                "~x*",
            ])),
            s(admin.cmd(&["ACL", "SETUSER", "al", "on", ">1", "+get", "~*"])),
        ];
        let mut bob = c(p);
        out.push(s(bob.cmd(&["AUTH", "bob", "123"])));
        for script in [
            "return redis.call('hset','xx','f','1')",
            "return redis.call('set','xx','1')",
            "return redis.call('set','yy','1')",
            "return redis.pcall('set','yy','1')",
            "return redis.acl_check_cmd('set','xx','1')",
            "return redis.acl_check_cmd('hset','xx','f','1')",
            "return redis.acl_check_cmd('set','yy','1')",
        ] {
            out.push(s(bob.cmd(&["EVAL", script, "1", "xx"])));
        }
        let mut al = c(p);
        out.push(s(al.cmd(&["AUTH", "al", "1"])));
        out.push(s(al.cmd(&["EVAL", "return 1", "0"])));
        out.push(s(al.cmd(&["SCRIPT", "LOAD", "return 1"])));
        out.push(s(al.cmd(&[
            "FUNCTION",
            "LOAD",
            "#!lua name=l\nredis.register_function('f', function() return 1 end)",
        ])));
        // Back to the default user on the same connection.
        out.push(s(al.cmd(&["AUTH", "default", "x"])));
        out.push(s(al.cmd(&[
            "EVAL",
            "return redis.call('hset','h','f','1')",
            "0",
        ])));
        out
    });
}

// 2. Blocking commands never block inside scripts; XREAD BLOCK is refused.
#[test]
fn blocking_commands_in_scripts_do_not_block() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut out = Vec::new();
        for script in [
            "return redis.pcall('xread','BLOCK','0','STREAMS','s','$')",
            "return redis.pcall('xreadgroup','GROUP','g','c','BLOCK','0','STREAMS','s','>')",
            "return redis.pcall('blmpop','0','1','l','LEFT')",
            "return redis.pcall('bzmpop','0','1','z','MIN')",
            "return redis.pcall('blpop','l','0')",
        ] {
            out.push(reply_within(p, &["EVAL", script, "1", "s"], 10));
        }
        // Others are answered meanwhile.
        out.push(reply_within(p, &["PING"], 10));
        out
    });
}

// 3. A client that hangs up while its BLPOP waits takes no item.
#[test]
fn disconnect_cancels_a_forwarded_blocking_pop() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut out = Vec::new();
        for (cmd, push, len) in [
            (
                vec!["BLPOP", "L", "5"],
                vec!["RPUSH", "L", "x"],
                vec!["LLEN", "L"],
            ),
            (
                vec!["BZPOPMIN", "Z", "5"],
                vec!["ZADD", "Z", "1", "a"],
                vec!["ZCARD", "Z"],
            ),
        ] {
            let mut waiter = c(p);
            waiter.send(&cmd);
            std::thread::sleep(Duration::from_millis(200));
            drop(waiter);
            let mut other = c(p);
            // The disconnect is handled when the server (through the proxy:
            // the upstream) counts no blocked client any more; waiting for
            // that, not for a fixed time, keeps a loaded machine from
            // letting the push reach the departed waiter.
            let deadline = Instant::now() + Duration::from_secs(10);
            while !s(other.cmd(&["INFO", "clients"])).contains("blocked_clients:0")
                && Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            out.push(s(other.cmd(&push)));
            out.push(s(other.cmd(&len)));
        }
        out
    });
}

// 4. SYNC, MONITOR, SUBSCRIBE and CLIENT REPLY OFF clients wedge nobody.
#[test]
fn replicas_monitors_and_subscribers_wedge_nobody() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut sync = c(p);
        sync.send(&["SYNC"]);
        let mut monitor = c(p);
        monitor.send(&["MONITOR"]);
        let mut sub = c(p);
        sub.send(&["SUBSCRIBE", "ch"]);
        let mut quiet = c(p);
        quiet.send(&["CLIENT", "REPLY", "OFF"]);
        quiet.send(&["SET", "q", "1"]);
        std::thread::sleep(Duration::from_millis(200));
        let out = vec![
            reply_within(
                p,
                &["EVAL", "return redis.call('set','k','v')", "1", "k"],
                10,
            ),
            reply_within(p, &["FCALL", "nosuch", "0"], 10),
            reply_within(p, &["GET", "q"], 10),
        ];
        quiet.send(&["CLIENT", "REPLY", "ON"]);
        let on = s(quiet.recv());
        drop((sync, monitor, sub));
        (out, on)
    });
}

// 5. SORT BY a constant is ordered for scripts.
#[test]
fn sort_by_constant_is_ordered_in_scripts() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut cl = c(p);
        let mut out = vec![s(cl.cmd(&[
            "SADD", "myset", "a", "b", "c", "d", "e", "f", "g", "h", "i", "l", "m", "n", "o", "p",
            "q", "r", "s", "t", "u", "v", "z", "aa", "aaa", "azz",
        ]))];
        out.push(s(cl.cmd(&[
            "EVAL",
            "return redis.call('sort',KEYS[1],'by','_')",
            "1",
            "myset",
        ])));
        out.push(s(cl.cmd(&[
            "EVAL",
            "return redis.call('sort',KEYS[1],'by','_','get','#','get','_:*')",
            "1",
            "myset",
        ])));
        out
    });
}

fn wait_busy(p: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = reply_within(p, &["PING"], 10).unwrap_or_default();
        if r.starts_with("-BUSY") {
            return;
        }
        assert!(Instant::now() < deadline, "the script never became busy");
        std::thread::sleep(Duration::from_millis(20));
    }
}

// 6. FUNCTION STATS runs while a function is busy; 10. CONFIG SET
// busy-reply-threshold is followed.
#[test]
fn function_stats_is_allowed_while_busy_and_the_threshold_follows_config_set() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut admin = c(p);
        let mut out = vec![
            s(admin.cmd(&["CONFIG", "SET", "busy-reply-threshold", "50"])),
            s(admin.cmd(&[
                "FUNCTION",
                "LOAD",
                "REPLACE",
                "#!lua name=test\nredis.register_function('test', function() local a = 1 while true do a = a + 1 end end)",
            ])),
        ];
        let mut runner = c(p);
        runner.send(&["FCALL", "test", "0"]);
        wait_busy(p);
        let stats = s(admin.cmd(&["FUNCTION", "STATS"]));
        // The duration varies: compare up to it.
        out.push(stats.split("duration_ms").next().unwrap_or("").to_string());
        out.push(s(admin.cmd(&["FUNCTION", "KILL"])));
        out.push(s(runner.recv()));
        out.push(s(admin.cmd(&["CONFIG", "SET", "lua-time-limit", "5000"])));
        out.push(s(admin.cmd(&["CONFIG", "GET", "busy-reply-threshold"])));
        out
    });
}

// 7. FUNCTION LOAD and RESTORE are refused over maxmemory; 8. arity errors
// echo the subcommand as typed.
#[test]
fn function_load_restore_oom_and_arity_wording() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut cl = c(p);
        let lib = "#!lua name=oomlib\nredis.register_function('f', function() return 1 end)";
        let mut out = vec![s(cl.cmd(&["FUNCTION", "LOAD", lib]))];
        let dump = cl.cmd(&["FUNCTION", "DUMP"]);
        let payload = match ferrous_redis::reply::parse_reply(&dump) {
            Ok((ferrous_redis::Reply::Bulk(b), _)) => b,
            other => panic!("FUNCTION DUMP: {other:?}"),
        };
        out.push(s(cl.cmd(&["CONFIG", "SET", "maxmemory", "1"])));
        out.push(s(cl.cmd(&["FUNCTION", "LOAD", "REPLACE", lib])));
        out.push(s(cl.cmd(&[
            b"FUNCTION".to_vec(),
            b"RESTORE".to_vec(),
            payload,
            b"REPLACE".to_vec(),
        ])));
        out.push(s(cl.cmd(&["CONFIG", "SET", "maxmemory", "0"])));
        out.push(s(cl.cmd(&["function", "restore", "arg1", "args2", "arg3"])));
        out.push(s(cl.cmd(&["FUNCTION", "ReStOrE", "a", "b", "c"])));
        out.push(s(cl.cmd(&["FUNCTION", "fLuSh", "a", "b"])));
        out
    });
}

// 9. DEBUG SET-DISABLE-DENY-SCRIPTS lets scripts call DEBUG.
#[test]
fn debug_set_disable_deny_scripts_is_followed() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut cl = c(p);
        let mut out = vec![s(cl.cmd(&[
            "EVAL",
            "return redis.pcall('debug','protocol','bignum')",
            "0",
        ]))];
        out.push(s(cl.cmd(&["DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1"])));
        for client_proto in ["2", "3"] {
            cl.cmd(&["HELLO", client_proto]);
            for lua_proto in ["2", "3"] {
                for kind in [
                    "bignum", "true", "false", "double", "map", "set", "null", "attrib", "verbatim",
                ] {
                    let script = format!(
                        "redis.setresp({lua_proto}); return redis.call('debug','protocol','{kind}')"
                    );
                    out.push(s(cl.cmd(&["EVAL", &script, "0"])));
                }
            }
        }
        cl.cmd(&["HELLO", "2"]);
        out.push(s(cl.cmd(&["DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0"])));
        out.push(s(cl.cmd(&[
            "EVAL",
            "return redis.pcall('debug','protocol','bignum')",
            "0",
        ])));
        out
    });
}

fn field(info: &str, name: &str) -> Option<String> {
    info.split("\\r\\n")
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(|v| {
            // usec figures vary between runs.
            v.split(',')
                .filter(|kv| !kv.starts_with("usec"))
                .collect::<Vec<_>>()
                .join(",")
        })
}

// 11. INFO describes the scripts, errors and script cache of ferrous-redis.
#[test]
fn info_reports_scripting_figures() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut cl = c(p);
        cl.cmd(&["SCRIPT", "FLUSH"]);
        cl.cmd(&["CONFIG", "RESETSTAT"]);
        let mut out = vec![s(cl.cmd(&[
            "EVAL",
            "return redis.error_reply('MY_ERR_CODE custom msg')",
            "0",
        ]))];
        out.push(s(cl.cmd(&["EVAL", "return redis.call('select',99)", "0"])));
        out.push(s(cl.cmd(&[
            "EVAL_RO",
            "return redis.pcall('set','x','y')",
            "1",
            "x",
        ])));
        cl.cmd(&["SCRIPT", "LOAD", "return 1"]);
        cl.cmd(&["SCRIPT", "LOAD", "return 2"]);
        let info = s(cl.cmd(&["INFO", "all"]));
        for f in [
            "errorstat_MY_ERR_CODE",
            "errorstat_ERR",
            "total_error_replies",
            "cmdstat_eval",
            "cmdstat_eval_ro",
            "cmdstat_set",
            "cmdstat_select",
            "cmdstat_script|load",
            "number_of_cached_scripts",
        ] {
            out.push(format!("{f} = {:?}", field(&info, f)));
        }
        let lua: u64 = field(&info, "used_memory_lua")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        out.push(format!("used_memory_lua > 0: {}", lua > 0));
        cl.cmd(&["CONFIG", "RESETSTAT"]);
        let info = s(cl.cmd(&["INFO", "commandstats"]));
        out.push(format!(
            "after resetstat: {:?}",
            field(&info, "cmdstat_eval")
        ));
        out
    });
}

// 12. Shebang scripts that may write get -NOREPLICAS.
#[test]
fn shebang_scripts_are_refused_without_enough_replicas() {
    let (ports, _procs) = pair();
    same(&ports, |p| {
        let mut cl = c(p);
        let mut out = vec![s(cl.cmd(&["CONFIG", "SET", "min-replicas-to-write", "1"]))];
        for script in [
            "#!lua\nreturn redis.call('set','x','1')",
            "#!lua flags=no-writes\nreturn redis.call('get','x')",
            "return redis.pcall('set','x','1')",
        ] {
            out.push(s(cl.cmd(&["EVAL", script, "1", "x"])));
        }
        out.push(s(cl.cmd(&[
            "FUNCTION",
            "LOAD",
            "REPLACE",
            "#!lua name=w\nredis.register_function('w', function() return redis.call('set','x','1') end)",
        ])));
        out.push(s(cl.cmd(&["FCALL", "w", "1", "x"])));
        out.push(s(cl.cmd(&["CONFIG", "SET", "min-replicas-to-write", "0"])));
        out.push(s(cl.cmd(&["FCALL", "w", "1", "x"])));
        out
    });
}

/// A redis-server with persistence in `dir` on `port`.
fn persistent_redis(dir: &std::path::Path, port: u16) -> Child {
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no", "--dbfilename", "d.rdb"])
        .arg("--dir")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server is needed for this test");
    let deadline = Instant::now() + Duration::from_secs(20);
    while Client::connect(port).is_err() {
        assert!(Instant::now() < deadline, "redis-server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

// 13. Function libraries survive a restart of either process.
#[test]
fn function_libraries_survive_restarts() {
    let dir = std::env::temp_dir().join(format!("ferrous-issue11-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let up_port = free_port();
    let mut upstream = persistent_redis(&dir, up_port);
    let lib =
        "#!lua name=keep\nredis.register_function('kept', function() return 'still here' end)";
    {
        let proxy = ferrous(up_port, &[]);
        let mut cl = c(proxy.port);
        assert_eq!(s(cl.cmd(&["FUNCTION", "LOAD", lib])), "$4\\r\\nkeep\\r\\n");
    }
    // ferrous-redis restarted: it loads the libraries from the upstream.
    let proxy = ferrous(up_port, &[]);
    let mut cl = c(proxy.port);
    assert_eq!(
        s(cl.cmd(&["FCALL", "kept", "0"])),
        "$10\\r\\nstill here\\r\\n"
    );
    // The upstream restarted from its RDB: it still has them, and a fresh
    // ferrous-redis too.
    let mut direct = c(up_port);
    assert_eq!(s(direct.cmd(&["SAVE"])), "+OK\\r\\n");
    drop(direct);
    let _ = upstream.kill();
    let _ = upstream.wait();
    let mut upstream = persistent_redis(&dir, up_port);
    let mut direct = c(up_port);
    assert!(s(direct.cmd(&["FUNCTION", "LIST"])).contains("keep"));
    drop(proxy);
    let proxy = ferrous(up_port, &[]);
    let mut cl = c(proxy.port);
    assert_eq!(
        s(cl.cmd(&["FCALL", "kept", "0"])),
        "$10\\r\\nstill here\\r\\n"
    );
    // DELETE reaches the upstream too.
    assert_eq!(s(cl.cmd(&["FUNCTION", "DELETE", "keep"])), "+OK\\r\\n");
    assert_eq!(s(direct.cmd(&["FUNCTION", "LIST"])), "*0\\r\\n");
    let _ = upstream.kill();
    let _ = upstream.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
