//! The engine in process, with a small in-memory host: limits (time,
//! memory, kill, -UNKILLABLE), busy notifications, the shared script
//! cache between engines, and that an engine moves between threads.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use ferrous_redis::{
    flags, BusyInfo, CallContext, CommandInfo, CommandTable, Config, Engine, Host, Reply, Shared,
};

/// A tiny keyspace: GET, SET, INCR, DEL, PING.
struct MemHost {
    table: CommandTable,
    data: HashMap<Vec<u8>, Vec<u8>>,
    busy: Arc<AtomicUsize>,
    done: Arc<AtomicUsize>,
    ticks: Arc<AtomicUsize>,
}

impl MemHost {
    fn new() -> MemHost {
        let mut table = CommandTable::new();
        let info = |arity, f| CommandInfo { arity, flags: f };
        table.insert(b"get", info(2, flags::READONLY));
        table.insert(b"set", info(-3, flags::WRITE | flags::DENYOOM));
        table.insert(b"incr", info(2, flags::WRITE | flags::DENYOOM));
        table.insert(b"del", info(-2, flags::WRITE));
        table.insert(b"ping", info(-1, 0));
        table.insert(b"multi", info(1, flags::NOSCRIPT));
        MemHost {
            table,
            data: HashMap::new(),
            busy: Arc::new(AtomicUsize::new(0)),
            done: Arc::new(AtomicUsize::new(0)),
            ticks: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl Host for MemHost {
    fn command_info(&mut self, argv: &[&[u8]]) -> Option<CommandInfo> {
        self.table.lookup(argv)
    }

    fn call(&mut self, _ctx: &CallContext, argv: &[&[u8]]) -> Reply {
        let name = argv[0].to_ascii_lowercase();
        match name.as_slice() {
            b"ping" => Reply::Status(b"PONG".to_vec()),
            b"get" => match self.data.get(argv[1]) {
                Some(v) => Reply::Bulk(v.clone()),
                None => Reply::Nil,
            },
            b"set" => {
                self.data.insert(argv[1].to_vec(), argv[2].to_vec());
                Reply::ok()
            }
            b"del" => {
                let n = argv[1..]
                    .iter()
                    .filter(|k| self.data.remove(**k).is_some())
                    .count();
                Reply::Integer(n as i64)
            }
            b"incr" => {
                let cur = self
                    .data
                    .get(argv[1])
                    .map(|v| String::from_utf8_lossy(v).parse::<i64>());
                let n = match cur {
                    None => 0,
                    Some(Ok(n)) => n,
                    Some(Err(_)) => {
                        return Reply::Error(
                            b"ERR value is not an integer or out of range".to_vec(),
                        )
                    }
                };
                self.data
                    .insert(argv[1].to_vec(), (n + 1).to_string().into_bytes());
                Reply::Integer(n + 1)
            }
            _ => Reply::Error(b"ERR unknown command".to_vec()),
        }
    }

    fn script_busy(&mut self, _info: &BusyInfo) {
        self.busy.fetch_add(1, Ordering::SeqCst);
    }

    fn busy_tick(&mut self) {
        self.ticks.fetch_add(1, Ordering::SeqCst);
    }

    fn script_done(&mut self) {
        self.done.fetch_add(1, Ordering::SeqCst);
    }
}

fn eval(
    engine: &mut Engine,
    host: &mut MemHost,
    script: &str,
    keys: &[&str],
    args: &[&str],
) -> Reply {
    let n = keys.len().to_string();
    let mut argv: Vec<&[u8]> = vec![b"EVAL", script.as_bytes(), n.as_bytes()];
    argv.extend(keys.iter().map(|k| k.as_bytes()));
    argv.extend(args.iter().map(|a| a.as_bytes()));
    engine
        .execute(host, 0, &argv)
        .expect("EVAL is a scripting command")
}

fn error_text(r: &Reply) -> String {
    match r {
        Reply::Error(e) => String::from_utf8_lossy(e).into_owned(),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn engine_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Engine>();
    assert_send::<ferrous_redis::Controller>();
    // And it really runs after moving to another thread.
    let mut engine = Engine::standalone();
    let mut host = MemHost::new();
    assert_eq!(
        eval(&mut engine, &mut host, "return 1", &[], &[]),
        Reply::Integer(1)
    );
    let h = thread::spawn(move || {
        let mut host = MemHost::new();
        eval(&mut engine, &mut host, "return 2", &[], &[])
    });
    assert_eq!(h.join().unwrap(), Reply::Integer(2));
}

#[test]
fn scripts_run_through_the_host() {
    let mut engine = Engine::standalone();
    let mut host = MemHost::new();
    let r = eval(
        &mut engine,
        &mut host,
        "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[1])",
        &["k"],
        &["41"],
    );
    assert_eq!(r, Reply::Integer(42));
    assert_eq!(host.data.get(&b"k"[..]), Some(&b"42".to_vec()));
    let r = eval(
        &mut engine,
        &mut host,
        "return redis.call('MULTI')",
        &[],
        &[],
    );
    assert!(error_text(&r).starts_with("ERR This Redis command is not allowed from script"));
}

/// KEYS and ARGV are refilled in place from run to run: whatever a
/// script did to them (or tried to do to the globals), the next script
/// sees exactly its own keys and arguments. (redis-server 7.0: the
/// rawset fails with "Attempt to modify a readonly table", and the next
/// script reads its own KEYS[1].)
#[test]
fn keys_and_argv_are_each_runs_own() {
    let mut engine = Engine::standalone();
    let mut host = MemHost::new();
    let r = eval(
        &mut engine,
        &mut host,
        "rawset(_G, 'KEYS', {'x'}) return 1",
        &["k"],
        &[],
    );
    assert!(
        error_text(&r).starts_with("ERR Attempt to modify a readonly table"),
        "{r:?}"
    );
    let show = "return {#KEYS, #ARGV, KEYS[1] or 'nil', KEYS[2] or 'nil', ARGV[1] or 'nil', ARGV[3] or 'nil'}";
    let bulk = |s: &str| Reply::Bulk(s.as_bytes().to_vec());
    let r = eval(&mut engine, &mut host, show, &["k"], &[]);
    assert_eq!(
        r,
        Reply::Array(vec![
            Reply::Integer(1),
            Reply::Integer(0),
            bulk("k"),
            bulk("nil"),
            bulk("nil"),
            bulk("nil")
        ])
    );
    // A script that changes its KEYS and ARGV (even to a non-array).
    let r = eval(
        &mut engine,
        &mut host,
        "KEYS[1] = 'changed' KEYS[5] = 'x' ARGV.field = 1 ARGV[1] = 2 return 0",
        &["k", "l"],
        &["a", "b", "c"],
    );
    assert_eq!(r, Reply::Integer(0));
    for (keys, args) in [
        (&["k", "l"][..], &["a", "b", "c"][..]),
        (&["k"][..], &[][..]),
        (&["m", "k"][..], &["a"][..]),
        (&["m", "k"][..], &["a", "b", "c"][..]),
    ] {
        let r = eval(&mut engine, &mut host, show, keys, args);
        let opt = |v: &[&str], i: usize| bulk(v.get(i).copied().unwrap_or("nil"));
        assert_eq!(
            r,
            Reply::Array(vec![
                Reply::Integer(keys.len() as i64),
                Reply::Integer(args.len() as i64),
                opt(keys, 0),
                opt(keys, 1),
                opt(args, 0),
                opt(args, 2),
            ]),
            "keys {keys:?} args {args:?}"
        );
    }
}

#[test]
fn memory_limit_fails_cleanly_and_engine_stays_usable() {
    let config = Config {
        memory_limit: Some(8 * 1024 * 1024),
        ..Config::default()
    };
    let mut engine = Engine::new(Shared::new(), config);
    let mut host = MemHost::new();
    // A table that grows past 8 MB.
    let r = eval(
        &mut engine,
        &mut host,
        "local t = {} for i = 1, 10000000 do t[i] = i end return #t",
        &[],
        &[],
    );
    assert!(
        error_text(&r).contains("not enough memory"),
        "unexpected reply {r:?}"
    );
    // A string past the limit, caught by pcall: a Lua error like any other.
    let r = eval(
        &mut engine,
        &mut host,
        "local ok, e = pcall(string.rep, 'x', 64 * 1024 * 1024) return {tostring(ok), e}",
        &[],
        &[],
    );
    assert_eq!(
        r,
        Reply::Array(vec![Reply::bulk("false"), Reply::bulk("not enough memory")])
    );
    // The engine still runs normal scripts, repeatedly.
    for i in 0..20 {
        let r = eval(
            &mut engine,
            &mut host,
            "local t = {} for i = 1, 1000 do t[i] = tostring(i) end return #t + ARGV[1]",
            &[],
            &[&i.to_string()],
        );
        assert_eq!(r, Reply::Integer(1000 + i));
    }
}

#[test]
fn time_limit_reports_busy_then_done() {
    let config = Config {
        time_limit: Duration::from_millis(50),
        ..Config::default()
    };
    let mut engine = Engine::new(Shared::new(), config);
    let mut host = MemHost::new();
    let start = Instant::now();
    let r = eval(
        &mut engine,
        &mut host,
        "local t = redis.call('PING') local i = 0 while i < 20000000 do i = i + 1 end return i",
        &[],
        &[],
    );
    assert_eq!(r, Reply::Integer(20000000));
    if start.elapsed() > Duration::from_millis(100) {
        // Long enough to pass the limit: the host heard about it once,
        // was ticked, and heard the end.
        assert_eq!(host.busy.load(Ordering::SeqCst), 1);
        assert!(host.ticks.load(Ordering::SeqCst) >= 1);
        assert_eq!(host.done.load(Ordering::SeqCst), 1);
    }
    // A quick script is never busy.
    let busy = host.busy.load(Ordering::SeqCst);
    assert_eq!(
        eval(&mut engine, &mut host, "return 1", &[], &[]),
        Reply::Integer(1)
    );
    assert_eq!(host.busy.load(Ordering::SeqCst), busy);
}

/// Runs `script` on another thread and kills it from this one once busy.
fn run_and_kill(script: &'static str, is_eval: bool) -> (Reply, Reply) {
    let config = Config {
        time_limit: Duration::from_millis(20),
        ..Config::default()
    };
    let mut engine = Engine::new(Shared::new(), config);
    let controller = engine.controller();
    let mut setup = MemHost::new();
    if !is_eval {
        let r = engine
            .execute(&mut setup, 0, &[b"FUNCTION", b"LOAD", script.as_bytes()])
            .unwrap();
        assert_eq!(r, Reply::bulk("spin"));
    }
    let busy_seen = Arc::new(Mutex::new(false));
    let runner = thread::spawn(move || {
        let mut host = MemHost::new();
        if is_eval {
            eval(&mut engine, &mut host, script, &[], &[])
        } else {
            engine
                .execute(&mut host, 0, &[b"FCALL", b"spin", b"0"])
                .unwrap()
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while !controller.is_busy() {
        assert!(Instant::now() < deadline, "script never became busy");
        thread::sleep(Duration::from_millis(5));
    }
    *busy_seen.lock().unwrap() = true;
    // The wrong kill command is refused with the other -BUSY message.
    let wrong = controller.kill(!is_eval);
    let kill = controller.kill(is_eval);
    assert!(wrong.is_error(), "wrong kill accepted: {wrong:?}");
    let r = runner.join().unwrap();
    // Nothing runs any more.
    assert_eq!(
        controller.kill(is_eval),
        Reply::Error(b"NOTBUSY No scripts in execution right now.".to_vec())
    );
    (kill, r)
}

#[test]
fn script_kill_stops_a_busy_script() {
    let (kill, r) = run_and_kill("local i = 0\nwhile true do\n  i = i + 1\nend\n", true);
    assert_eq!(kill, Reply::ok());
    let text = error_text(&r);
    assert!(
        text.starts_with("ERR Script killed by user with SCRIPT KILL... script: "),
        "{text}"
    );
    assert!(text.ends_with(", on @user_script:3."), "{text}");
}

#[test]
fn pcall_cannot_catch_a_kill() {
    let (kill, r) = run_and_kill(
        "while true do pcall(function() while true do end end) end",
        true,
    );
    assert_eq!(kill, Reply::ok());
    assert!(error_text(&r).starts_with("ERR Script killed by user with SCRIPT KILL..."));
}

#[test]
fn function_kill_stops_a_busy_function() {
    let (kill, r) = run_and_kill(
        "#!lua name=spin\nredis.register_function('spin', function() while true do end end)",
        false,
    );
    assert_eq!(kill, Reply::ok());
    let text = error_text(&r);
    assert!(
        text.starts_with(
            "ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2."
        ),
        "{text}"
    );
}

#[test]
fn a_script_that_wrote_is_unkillable() {
    let config = Config {
        time_limit: Duration::from_millis(20),
        ..Config::default()
    };
    let mut engine = Engine::new(Shared::new(), config);
    let controller = engine.controller();
    let runner = thread::spawn(move || {
        let mut host = MemHost::new();
        let r = eval(
            &mut engine,
            &mut host,
            "redis.call('SET', 'k', 'v') local i = 0 while i < 2e8 do i = i + 1 end return i",
            &[],
            &[],
        );
        (r, host.data.get(&b"k"[..]).cloned())
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while !controller.is_busy() && !runner.is_finished() {
        assert!(Instant::now() < deadline, "script never became busy");
        thread::sleep(Duration::from_millis(2));
    }
    if controller.is_busy() {
        let r = controller.kill(true);
        assert!(error_text(&r)
            .starts_with("UNKILLABLE Sorry the script already executed write commands"));
    }
    let (r, k) = runner.join().unwrap();
    assert_eq!(r, Reply::Integer(200000000));
    assert_eq!(k, Some(b"v".to_vec()));
}

#[test]
fn engines_share_compiled_scripts_and_flushes() {
    let shared = Shared::new();
    let mut a = Engine::new(shared.clone(), Config::default());
    let mut b = Engine::new(shared.clone(), Config::default());
    let mut host = MemHost::new();
    let sha = match a
        .execute(
            &mut host,
            0,
            &[b"SCRIPT", b"LOAD", b"return ARGV[1] .. '!'"],
        )
        .unwrap()
    {
        Reply::Bulk(s) => s,
        other => panic!("{other:?}"),
    };
    assert_eq!(shared.script_count(), 1);
    let r = b
        .execute(&mut host, 0, &[b"EVALSHA", &sha, b"0", b"hi"])
        .unwrap();
    assert_eq!(r, Reply::bulk("hi!"));
    // One engine's SCRIPT FLUSH empties the cache for both.
    assert_eq!(
        a.execute(&mut host, 0, &[b"SCRIPT", b"FLUSH"]).unwrap(),
        Reply::ok()
    );
    let r = b
        .execute(&mut host, 0, &[b"EVALSHA", &sha, b"0", b"hi"])
        .unwrap();
    assert!(error_text(&r).starts_with("NOSCRIPT"));
    // Functions loaded through one engine run in the other.
    let code = b"#!lua name=lib\nlocal n = 0\nredis.register_function('count', function() n = n + 1 return n end)";
    assert_eq!(
        a.execute(&mut host, 0, &[b"FUNCTION", b"LOAD", code])
            .unwrap(),
        Reply::bulk("lib")
    );
    assert_eq!(
        b.execute(&mut host, 0, &[b"FCALL", b"count", b"0"])
            .unwrap(),
        Reply::Integer(1)
    );
    assert_eq!(
        b.execute(&mut host, 0, &[b"FCALL", b"count", b"0"])
            .unwrap(),
        Reply::Integer(2)
    );
    // Each engine has its own library state.
    assert_eq!(
        a.execute(&mut host, 0, &[b"FCALL", b"count", b"0"])
            .unwrap(),
        Reply::Integer(1)
    );
}

#[test]
fn random_sequence_is_shared_and_survives_flush() {
    let shared = Shared::new();
    let mut a = Engine::new(shared.clone(), Config::default());
    let mut b = Engine::new(shared, Config::default());
    let mut host = MemHost::new();
    // A fresh server's first math.random(1000) is 397 (redis-server 7.0.15).
    assert_eq!(
        eval(&mut a, &mut host, "return math.random(1000)", &[], &[]),
        Reply::Integer(397)
    );
    let second = eval(&mut b, &mut host, "return math.random(1000)", &[], &[]);
    a.execute(&mut host, 0, &[b"SCRIPT", b"FLUSH"]).unwrap();
    eval(&mut a, &mut host, "math.randomseed(1)", &[], &[]);
    assert_eq!(
        eval(&mut b, &mut host, "return math.random(1000)", &[], &[]),
        Reply::Integer(42)
    );
    assert_ne!(second, Reply::Integer(397));
}

#[test]
fn garbage_is_collected_between_and_during_scripts() {
    let mut engine = Engine::standalone();
    let mut host = MemHost::new();
    host.data.insert(b"k".to_vec(), b"some value".to_vec());
    let sha = match engine
        .execute(
            &mut host,
            0,
            &[b"SCRIPT", b"LOAD", b"return redis.call('GET', KEYS[1])"],
        )
        .unwrap()
    {
        Reply::Bulk(s) => s,
        other => panic!("{other:?}"),
    };
    let run = |engine: &mut Engine, host: &mut MemHost, n: usize| {
        for _ in 0..n {
            let r = engine
                .execute(host, 0, &[b"EVALSHA", &sha, b"1", b"k"])
                .unwrap();
            assert_eq!(r, Reply::bulk("some value"));
        }
    };
    run(&mut engine, &mut host, 20_000);
    let warm = engine.memory_used();
    run(&mut engine, &mut host, 200_000);
    // The script itself allocates nothing: KEYS, ARGV and the converted
    // replies must still be collected.
    assert!(
        engine.memory_used() < warm * 2 + 1_000_000,
        "{} after warm-up {warm}",
        engine.memory_used()
    );

    // One script calling Redis a million times under a 4 MB limit.
    let config = Config {
        memory_limit: Some(4 * 1024 * 1024),
        ..Config::default()
    };
    let mut engine = Engine::new(Shared::new(), config);
    let r = eval(
        &mut engine,
        &mut host,
        "for i = 1, 1000000 do redis.call('GET', KEYS[1]) end return 'done'",
        &["k"],
        &[],
    );
    assert_eq!(r, Reply::bulk("done"));
}
