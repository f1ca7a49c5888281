//! The module inside a real redis-server, side by side with a stock
//! redis-server 7.0 (the oracle): the same commands, the same replies.
//! Needs `redis-server` (Debian's package) on the PATH.

#[path = "../../redis/tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{module_path, redis_server_with, show, Client, Proc};

fn module_server(extra: &[&str]) -> Proc {
    let so = module_path();
    let mut args = vec!["--loadmodule", so.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    redis_server_with(&args)
}

fn stock_server(extra: &[&str]) -> Proc {
    redis_server_with(extra)
}

fn client(p: &Proc) -> Client {
    Client::connect(p.port).expect("connect")
}

/// Runs the same commands on both servers; returns both transcripts.
fn both(cmds: &[&[&str]], stock: &Proc, module: &Proc) -> (Vec<String>, Vec<String>) {
    let run = |p: &Proc| {
        let mut c = client(p);
        cmds.iter().map(|a| show(&c.cmd(a))).collect::<Vec<_>>()
    };
    (run(stock), run(module))
}

#[test]
fn replies_are_byte_identical_to_stock() {
    let (stock, module) = (stock_server(&[]), module_server(&[]));
    let cmds: &[&[&str]] = &[
        &["SET", "k", "v"],
        &[
            "EVAL",
            "return {1, 'a', {true, false}, redis.call('get', KEYS[1]), 3.9}",
            "1",
            "k",
        ],
        &["EVAL", "return redis.call('nosuch')", "0"],
        &["EVAL", "return redis.pcall('incr', KEYS[1])", "1", "k"],
        &["EVAL", "error('boom')", "0"],
        &["EVAL", "return {err = 'MY_CODE custom'}", "0"],
        &["EVAL", "return redis.status_reply('FINE')", "0"],
        &["EVAL", "x = 1", "0"],
        &["EVAL", "return", "-1"],
        &["EVALSHA", "0000000000000000000000000000000000000000", "0"],
        &["SCRIPT", "LOAD", "return KEYS[1] .. ARGV[1]"],
        &["EVALSHA", "8d5d5c12e5a2ffc5b3a1e8cdd7e3c0d7b5a8e0a2", "0"],
        &["SCRIPT", "EXISTS", "a", "b"],
        &["SCRIPT", "NOSUCH"],
        &["EVAL", "return redis.call('blpop', 'empty', 0)", "0"],
        &[
            "EVAL",
            "return redis.pcall('xread', 'BLOCK', '0', 'STREAMS', 's', '$')",
            "1",
            "s",
        ],
        &["SADD", "set", "c", "a", "b"],
        &[
            "EVAL",
            "return redis.call('sort', KEYS[1], 'by', 'nosort')",
            "1",
            "set",
        ],
        &[
            "EVAL",
            "redis.call('select', 5); return redis.call('set', 'x', 'y')",
            "0",
        ],
        &["GET", "x"],
        &["EVAL_RO", "return redis.call('set', 'a', 'b')", "0"],
        &[
            "FUNCTION",
            "LOAD",
            "#!lua name=lib\nredis.register_function('f', function(k, a) return #k + #a end)",
        ],
        &["FCALL", "f", "2", "a", "b", "c"],
        &["FUNCTION", "LIST"],
        &["FUNCTION", "STATS"],
        &["FUNCTION", "restore", "garbage"],
        &["FCALL_RO", "f", "0"],
        // Each script gets fresh KEYS and ARGV, whatever the last did.
        &["EVAL", "KEYS[5] = 'x' KEYS.foo = 1 ARGV[3] = 'y' setmetatable(ARGV, {__index = function() return 'meta' end}) return #KEYS", "2", "a", "b", "c"],
        &["EVAL", "return table.concat({#KEYS, tostring(KEYS[2]), tostring(KEYS[5]), tostring(KEYS.foo), #ARGV, tostring(ARGV[3]), tostring(ARGV[9]), tostring(getmetatable(ARGV))}, ' ')", "1", "z", "q"],
        &["EVAL", "table.insert(KEYS, 'extra') KEYS[1] = nil return #KEYS", "3", "a", "b", "c"],
        &["EVAL", "return table.concat({#KEYS, tostring(KEYS[1]), tostring(KEYS[2]), tostring(KEYS[4])}, ' ')", "1", "k1"],
        &["EVAL", "return #KEYS + #ARGV", "0"],
    ];
    let (s, m) = both(cmds, &stock, &module);
    for (i, (a, b)) in s.iter().zip(&m).enumerate() {
        assert_eq!(a, b, "command {:?}", cmds[i]);
    }
}

#[test]
fn scripts_run_as_the_calling_user() {
    let (stock, module) = (stock_server(&[]), module_server(&[]));
    let cmds: &[&[&str]] = &[
        &[
            "ACL",
            "SETUSER",
            "bob",
            "on",
            ">123",
            "+@scripting",
            "+set",
            "~x*",
        ],
        &["AUTH", "bob", "123"],
        &["EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "xx"],
        &[
            "EVAL",
            "return redis.call('hset', KEYS[1], 'f', '1')",
            "1",
            "xx",
        ],
        &["EVAL", "return redis.call('set', 'yy', '1')", "0"],
        &[
            "EVAL",
            "return redis.acl_check_cmd('hset', 'xx', 'f', '1')",
            "0",
        ],
        &["EVAL", "return redis.acl_check_cmd('set', 'xx', '1')", "0"],
    ];
    let (s, m) = both(cmds, &stock, &module);
    assert_eq!(s, m);
    assert!(s[3].starts_with("-ERR The user executing the script can't run this command"));

    // Rules apply in order: what a later rule takes away stays away.
    for p in [&stock, &module] {
        let mut c = client(p);
        c.cmd(&[
            "ACL",
            "SETUSER",
            "carol",
            "on",
            ">pw",
            "~*",
            "+@scripting",
            "-@all",
            "+get",
        ]);
        assert_eq!(show(&c.cmd(&["AUTH", "carol", "pw"])), "+OK\\r\\n");
        let r = show(&c.cmd(&["EVAL", "return 1", "0"]));
        assert!(r.starts_with("-NOPERM"), "port {}: {r}", p.port);
    }

    // A user without @scripting is refused before the script runs. Redis
    // names the command it checked: ours is FERROUS.EVAL (see
    // ARCHITECTURE: Redis 7.0 lets no module take a built-in's name).
    for p in [&stock, &module] {
        let mut c = client(p);
        c.cmd(&["ACL", "SETUSER", "getonly", "on", ">pw", "+get", "~*"]);
        assert_eq!(show(&c.cmd(&["AUTH", "getonly", "pw"])), "+OK\\r\\n");
        for cmd in [
            &["EVAL", "return 1", "0"][..],
            &["SCRIPT", "LOAD", "return 1"],
            &["FUNCTION", "LIST"],
        ] {
            let r = show(&c.cmd(cmd));
            assert!(r.starts_with("-NOPERM"), "{cmd:?} on port {}: {r}", p.port);
        }
    }
}

/// Waits until `PING` on a fresh connection gets `-BUSY`.
fn wait_busy(p: &Proc) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = show(&client(p).cmd(&["PING"]));
        if r.starts_with("-BUSY") {
            return r;
        }
        assert!(Instant::now() < deadline, "never busy: {r}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn busy_scripts_answer_busy_and_die_by_script_kill() {
    let (stock, module) = (stock_server(&[]), module_server(&[]));
    let mut seen = Vec::new();
    for p in [&stock, &module] {
        let mut admin = client(p);
        admin.cmd(&["CONFIG", "SET", "busy-reply-threshold", "50"]);
        let mut runner = client(p);
        runner.send(&["EVAL", "local i = 0 while true do i = i + 1 end", "0"]);
        let busy = wait_busy(p);
        // FUNCTION STATS is allow-busy but refuses to run during an EVAL.
        let stats = show(&client(p).cmd(&["FUNCTION", "STATS"]));
        let kill = show(&client(p).cmd(&["SCRIPT", "KILL"]));
        let killed = show(&runner.recv());
        let killed = killed
            .split(" script:")
            .next()
            .unwrap_or_default()
            .to_string();
        assert_eq!(show(&client(p).cmd(&["PING"])), "+PONG\\r\\n");
        seen.push((busy, stats, kill, killed));
    }
    assert_eq!(seen[0], seen[1]);

    // A script that wrote cannot be killed; SHUTDOWN NOSAVE still works.
    let mut p = module;
    let mut admin = client(&p);
    admin.cmd(&["CONFIG", "SET", "busy-reply-threshold", "50"]);
    let mut runner = client(&p);
    runner.send(&["EVAL", "redis.call('set', 'k', 'v') while true do end", "0"]);
    wait_busy(&p);
    let r = show(&client(&p).cmd(&["SCRIPT", "KILL"]));
    assert!(r.starts_with("-UNKILLABLE"), "{r}");
    let mut c = client(&p);
    c.send(&["SHUTDOWN", "NOSAVE"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while p.child.try_wait().ok().flatten().is_none() {
        assert!(
            Instant::now() < deadline,
            "SHUTDOWN NOSAVE did not end the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn function_libraries_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("ferrous-module-rdb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let d = dir.to_str().expect("utf-8 path");
    let lib = "#!lua name=keep\nredis.register_function('hello', function() return 'hi' end)";
    let list = {
        let p = module_server(&["--dir", d, "--dbfilename", "m.rdb"]);
        let mut c = client(&p);
        assert_eq!(
            show(&c.cmd(&["FUNCTION", "LOAD", lib])),
            "$4\\r\\nkeep\\r\\n"
        );
        c.cmd(&["SET", "key", "value"]);
        assert_eq!(show(&c.cmd(&["SAVE"])), "+OK\\r\\n");
        // DEBUG RELOAD keeps them too (saved, flushed, loaded).
        c.cmd(&["FUNCTION", "LIST"])
    };
    let p = module_server(&["--dir", d, "--dbfilename", "m.rdb"]);
    let mut c = client(&p);
    assert_eq!(c.cmd(&["FUNCTION", "LIST"]), list);
    assert_eq!(show(&c.cmd(&["FCALL", "hello", "0"])), "$2\\r\\nhi\\r\\n");
    assert_eq!(show(&c.cmd(&["GET", "key"])), "$5\\r\\nvalue\\r\\n");
    let _ = std::fs::remove_dir_all(&dir);
}

fn rss_kib(p: &Proc) -> u64 {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", p.child.id())).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn hostile_scripts_leave_the_server_answering_with_bounded_memory() {
    let p = module_server(&[]);
    let mut c = client(&p);
    assert_eq!(
        show(&c.cmd(&["CONFIG", "SET", "ferrous.lua-memory-limit", "67108864"])),
        "+OK\\r\\n"
    );
    let bombs = [
        "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 100) .. i end",
        "local s = 'x' while true do s = s .. s end",
        "return string.rep('x', 2^30)",
        "local t = {} while true do t = {t} end",
    ];
    for b in bombs {
        let r = show(&c.cmd(&["EVAL", b, "0"]));
        assert!(r.contains("not enough memory"), "{b}: {r}");
        assert_eq!(show(&c.cmd(&["PING"])), "+PONG\\r\\n");
        assert_eq!(show(&c.cmd(&["EVAL", "return 40 + 2", "0"])), ":42\\r\\n");
    }
    let rss = rss_kib(&p);
    assert!(rss < 400 * 1024, "RSS {rss} KiB after the bombs");
    // Every way to fail, then still usable.
    for bad in [
        "return {err=1}",
        "error({})",
        "error()",
        "return redis.call()",
        "local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x",
        "return (function(...) return select('#', ...) end)(unpack({}, 1, 1e7))",
    ] {
        let r = show(&c.cmd(&["EVAL", bad, "0"]));
        assert!(!r.is_empty(), "{bad}");
    }
    assert_eq!(
        show(&c.cmd(&["EVAL", "return 'alive'", "0"])),
        "$5\\r\\nalive\\r\\n"
    );
}

#[test]
fn effects_replicate_to_a_replica() {
    let master = module_server(&[]);
    let port = master.port.to_string();
    let replica = module_server(&["--replicaof", "127.0.0.1", &port]);
    let mut m = client(&master);
    // Writes made before the full sync would arrive in the RDB.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !show(&m.cmd(&["INFO", "replication"])).contains("state=online") {
        assert!(Instant::now() < deadline, "the replica never came online");
        std::thread::sleep(Duration::from_millis(50));
    }
    m.cmd(&[
        "EVAL",
        "redis.call('set', 'a', '1') redis.call('incr', 'a') return 1",
        "0",
    ]);
    m.cmd(&[
        "EVAL",
        "redis.set_repl(redis.REPL_NONE) redis.call('set', 'hidden', '1') return 1",
        "0",
    ]);
    m.cmd(&[
        "FUNCTION",
        "LOAD",
        "#!lua name=r\nredis.register_function{function_name = 'g', callback = function() return 'g' end, flags = {'no-writes'}}",
    ]);
    m.cmd(&["SET", "fence", "1"]);
    let mut r = client(&replica);
    let deadline = Instant::now() + Duration::from_secs(20);
    while show(&r.cmd(&["GET", "fence"])) != "$1\\r\\n1\\r\\n" {
        assert!(Instant::now() < deadline, "replica never caught up");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(show(&r.cmd(&["GET", "a"])), "$1\\r\\n2\\r\\n");
    assert_eq!(show(&r.cmd(&["EXISTS", "hidden"])), ":0\\r\\n");
    assert_eq!(show(&r.cmd(&["FCALL", "g", "0"])), "$1\\r\\ng\\r\\n");
}

/// The verdict a user gets for a scripting command: the reply, with
/// Redis's name of the refused command left out (ours is `ferrous.eval`
/// where stock Redis says `eval`; see ARCHITECTURE).
fn verdict(reply: &[u8]) -> String {
    let s = show(reply);
    if s.starts_with("-NOPERM") {
        "-NOPERM".into()
    } else {
        s
    }
}

/// Runs the scripting commands as each user, on both servers.
fn verdicts(users: &[&str], stock: &Proc, module: &Proc) -> (Vec<String>, Vec<String>) {
    let cmds: &[&[&str]] = &[
        &["EVAL", "return 1", "0"],
        &["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"],
        &["EVAL_RO", "return 2", "0"],
        &[
            "SCRIPT",
            "EXISTS",
            "e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
        ],
        &["FUNCTION", "LIST"],
        &["FCALL", "nosuch", "0"],
    ];
    let run = |p: &Proc| {
        let mut out = Vec::new();
        for u in users {
            let mut c = client(p);
            out.push(format!("{u}: {}", show(&c.cmd(&["AUTH", u, "pw"]))));
            for cmd in cmds {
                out.push(format!("{u} {}: {}", cmd[0], verdict(&c.cmd(cmd))));
            }
        }
        out
    };
    (run(stock), run(module))
}

#[test]
fn users_from_the_config_file_and_acl_files_may_run_scripts() {
    // Users made by the config file exist before any command runs: their
    // +@scripting, +eval, -evalsha... reach the module's commands too.
    let users: &[&[&str]] = &[
        &["--user", "bob", "on", ">pw", "+@scripting", "~*"],
        &["--user", "carol", "on", ">pw", "+@all", "-evalsha", "~*"],
        &["--user", "dan", "on", ">pw", "+get", "~*"],
        &[
            "--user",
            "erin",
            "on",
            ">pw",
            "+eval",
            "+script|exists",
            "~*",
        ],
        &[
            "--user",
            "fay",
            "on",
            ">pw",
            "+@scripting",
            "-@all",
            "+eval_ro",
        ],
    ];
    let args: Vec<&str> = users.iter().flat_map(|u| u.iter().copied()).collect();
    let (stock, module) = (stock_server(&args), module_server(&args));
    let names = ["bob", "carol", "dan", "erin", "fay"];
    let (s, m) = verdicts(&names, &stock, &module);
    assert_eq!(s, m);
    assert!(s.contains(&"bob EVAL: :1\\r\\n".to_string()), "{s:?}");
    assert!(s.contains(&"carol EVALSHA: -NOPERM".to_string()), "{s:?}");

    // An ACL file, loaded at start and again by ACL LOAD.
    let dir = std::env::temp_dir().join(format!("ferrous-module-acl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("users.acl");
    let write = |text: &str| std::fs::write(&file, text).expect("acl file");
    write("user default on nopass ~* &* +@all\nuser gus on >pw ~* +@scripting -fcall\n");
    let f = file.to_str().expect("utf-8 path");
    let (stock, module) = (
        stock_server(&["--aclfile", f]),
        module_server(&["--aclfile", f]),
    );
    let (s, m) = verdicts(&["gus"], &stock, &module);
    assert_eq!(s, m);
    assert!(s.contains(&"gus EVAL: :1\\r\\n".to_string()), "{s:?}");
    assert!(s.contains(&"gus FCALL: -NOPERM".to_string()), "{s:?}");
    // The file changes: ACL LOAD, then at once a script (pipelined).
    write("user default on nopass ~* &* +@all\nuser gus on >pw ~* +@scripting -eval\n");
    for p in [&stock, &module] {
        let mut c = client(p);
        c.send(&["ACL", "LOAD"]);
        c.send(&["AUTH", "gus", "pw"]);
        c.send(&["EVAL", "return 1", "0"]);
        c.send(&["FCALL", "nosuch", "0"]);
        assert_eq!(show(&c.recv()), "+OK\\r\\n");
        assert_eq!(show(&c.recv()), "+OK\\r\\n");
        assert_eq!(verdict(&c.recv()), "-NOPERM", "port {}", p.port);
        let r = show(&c.recv());
        assert!(
            r.starts_with("-ERR Function not found"),
            "port {}: {r}",
            p.port
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Waits for the AOF rewrite in progress to end; its status.
fn wait_rewrite(c: &mut Client) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let info = show(&c.cmd(&["INFO", "persistence"]));
        if info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0") {
            let status = info
                .split("\\r\\n")
                .find_map(|l| l.strip_prefix("aof_last_bgrewrite_status:"))
                .unwrap_or("?");
            return status.to_string();
        }
        assert!(Instant::now() < deadline, "the AOF rewrite never ended");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn function_libraries_survive_an_aof_rewrite_without_the_rdb_preamble() {
    let lib1 = "#!lua name=one\nredis.register_function('f1', function() return 'one' end)";
    let lib2 = "#!lua name=two\nredis.register_function('f2', function(keys) return redis.call('get', keys[1]) end)";
    let run = |module: bool| -> Vec<String> {
        let dir = std::env::temp_dir().join(format!(
            "ferrous-module-aof-{}-{module}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let d = dir.to_str().expect("utf-8 path");
        let args = [
            "--dir",
            d,
            "--appendonly",
            "yes",
            "--aof-use-rdb-preamble",
            "no",
            // Written before each reply: with everysec, Redis postpones
            // the write while a background fsync runs (a loaded machine),
            // and the SIGKILL below would lose the last commands.
            "--appendfsync",
            "always",
        ];
        let start = || {
            if module {
                module_server(&args)
            } else {
                stock_server(&args)
            }
        };
        let mut out = Vec::new();
        {
            let p = start();
            let mut c = client(&p);
            wait_rewrite(&mut c);
            c.cmd(&["FUNCTION", "LOAD", lib1]);
            c.cmd(&["SET", "k", "v"]);
            c.cmd(&["BGREWRITEAOF"]);
            out.push(wait_rewrite(&mut c));
            // After the rewrite: into the new incremental file.
            c.cmd(&["FUNCTION", "LOAD", lib2]);
            out.push(show(&c.cmd(&["DBSIZE"])));
            // A second rewrite carries both.
            c.cmd(&["BGREWRITEAOF"]);
            out.push(wait_rewrite(&mut c));
            c.cmd(&["FUNCTION", "DELETE", "one"]);
            c.cmd(&["FUNCTION", "LOAD", lib1]);
        }
        let p = start();
        let mut c = client(&p);
        // The server answers PING with -LOADING while it replays the AOF
        // (which a loaded machine can stretch): wait for the data.
        let deadline = Instant::now() + Duration::from_secs(30);
        while c.cmd(&["PING"]) != b"+PONG\r\n" {
            assert!(Instant::now() < deadline, "the AOF never finished loading");
            std::thread::sleep(Duration::from_millis(50));
        }
        // (One library at a time: the order of FUNCTION LIST is Redis's
        // hash table order.)
        for lib in ["one", "two"] {
            out.push(show(&c.cmd(&[
                "FUNCTION",
                "LIST",
                "LIBRARYNAME",
                lib,
                "WITHCODE",
            ])));
        }
        out.push(show(&c.cmd(&["FCALL", "f1", "0"])));
        out.push(show(&c.cmd(&["FCALL", "f2", "1", "k"])));
        out.push(show(&c.cmd(&["KEYS", "*"])));
        let _ = std::fs::remove_dir_all(&dir);
        out
    };
    let (stock, module) = (run(false), run(true));
    assert_eq!(stock, module);
    assert_eq!(module[0], "ok");
    assert_eq!(module[5], "$3\\r\\none\\r\\n");
}

/// Waits until `CLUSTER INFO` says `cluster_state:<state>`.
fn wait_cluster_state(c: &mut Client, state: &str) {
    let want = format!("cluster_state:{state}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !show(&c.cmd(&["CLUSTER", "INFO"])).contains(&want) {
        assert!(Instant::now() < deadline, "the cluster never got {want}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn cluster_mode_refuses_as_redis_does() {
    // A one-node cluster serving every slot, then all but one.
    let args = [
        "--cluster-enabled",
        "yes",
        "--cluster-allow-reads-when-down",
        "yes",
    ];
    let (stock, module) = (stock_server(&args), module_server(&args));
    for p in [&stock, &module] {
        let mut c = client(p);
        assert_eq!(
            show(&c.cmd(&["CLUSTER", "ADDSLOTSRANGE", "0", "16383"])),
            "+OK\\r\\n"
        );
        wait_cluster_state(&mut c, "ok");
    }
    let cmds: &[&[&str]] = &[
        // Declared keys in different slots: Redis refuses before the
        // script runs (the keys come from the module's getkeys-api).
        &["EVAL", "return 1", "2", "a", "b"],
        &["EVAL_RO", "return 1", "2", "a", "b"],
        &["FCALL", "f", "2", "a", "b"],
        &["FCALL_RO", "f", "2", "a", "b"],
        &["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "2", "a", "b"],
        &["EVAL", "return 1", "2", "{t}a", "{t}b"],
        &["COMMAND", "GETKEYS", "EVAL", "return 1", "2", "a", "b"],
        &["EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "a"],
        // One call touching keys of two slots.
        &["EVAL", "return redis.call('mget', 'a', 'b')", "0"],
        &["EVAL", "return redis.pcall('mget', 'a', 'b')", "0"],
        &["EVAL", "redis.call('get', 'a') return redis.call('get', 'b')", "0"],
        &[
            "EVAL",
            "#!lua flags=allow-cross-slot-keys\nredis.call('get', 'a') return redis.call('get', 'b')",
            "0",
        ],
    ];
    let (s, m) = both(cmds, &stock, &module);
    assert_eq!(s, m);
    assert!(s[0].starts_with("-CROSSSLOT"), "{}", s[0]);
    assert!(s[9].contains("non local key"), "{}", s[9]);

    // Slot 16383 (key k10322) unserved: the cluster is down, reads only.
    for p in [&stock, &module] {
        let mut c = client(p);
        c.cmd(&["CLUSTER", "DELSLOTS", "16383"]);
        wait_cluster_state(&mut c, "fail");
    }
    let cmds: &[&[&str]] = &[
        &["EVAL", "return redis.call('get', 'a')", "0"],
        &["EVAL", "return redis.call('set', 'a', '1')", "0"],
        &["EVAL", "return redis.pcall('set', 'a', '1')", "0"],
        &["EVAL", "return redis.pcall('get', 'k10322')", "0"],
        &["EVAL_RO", "return redis.pcall('get', 'k10322')", "0"],
        &["GET", "k10322"],
    ];
    let (s, m) = both(cmds, &stock, &module);
    assert_eq!(s, m);
    assert!(s[2].contains("cluster is down and readonly"), "{}", s[2]);
}

#[test]
fn command_names_in_any_case_reach_the_module() {
    // The command filter matches names without regard to case, as Redis
    // looks commands up.
    let (stock, module) = (stock_server(&[]), module_server(&[]));
    let cmds: &[&[&str]] = &[
        &["eval", "return 'lower'", "0"],
        &["EvAl", "return 'mixed'", "0"],
        &["script", "load", "return 7"],
        &["evalSHA", "b6b4b1af8b4e3c4d1a2b0bd8bcb1b6a79f5b5c77", "0"],
        &[
            "EVALSHA_ro",
            "0000000000000000000000000000000000000000",
            "0",
        ],
        &["eval_RO", "return redis.call('set', 'k', 'v')", "0"],
        &[
            "Function",
            "load",
            "#!lua name=l\nredis.register_function('f', function() return 1 end)",
        ],
        &["fCall", "f", "0"],
        &["fcall_RO", "f", "0"],
        &["acl", "SetUser", "u", "on", ">p", "+@SCRIPTING", "~*"],
        &["AUTH", "u", "p"],
        &["EVAL", "return 1", "0"],
        // Names the filter must leave alone.
        &["PING"],
        &["evals"],
        &["scripts"],
    ];
    let (s, m) = both(cmds, &stock, &module);
    assert_eq!(s, m);
    assert_eq!(s[0], "$5\\r\\nlower\\r\\n");
    assert_eq!(s[11], ":1\\r\\n");
}
