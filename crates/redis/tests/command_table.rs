//! The command table ferrous-redis ships (`CommandTable::redis_7_0`)
//! against the live `COMMAND` reply of the installed redis-server.

mod support;

use ferrous_redis::reply::parse_reply;
use ferrous_redis::CommandTable;

#[test]
fn shipped_table_matches_redis_command_reply() {
    let server = support::redis_server();
    let mut c = support::Client::connect(server.port).expect("connect");
    let raw = c.cmd(&["COMMAND"]);
    let (reply, _) = parse_reply(&raw).expect("COMMAND reply");
    let live = CommandTable::from_command_reply(&reply);
    let shipped = CommandTable::redis_7_0();
    assert_eq!(live.len(), shipped.len(), "number of commands");
    let mut checked = 0;
    for line in include_str!("../src/redis70-commands.txt").lines() {
        let Some(name) = line.split(' ').next().filter(|n| !n.starts_with('#')) else {
            continue;
        };
        let argv: Vec<&[u8]> = match name.split_once('|') {
            Some((p, s)) => vec![p.as_bytes(), s.as_bytes()],
            None => vec![name.as_bytes()],
        };
        assert_eq!(live.lookup(&argv), shipped.lookup(&argv), "{name}");
        assert!(shipped.lookup(&argv).is_some(), "{name}");
        checked += 1;
    }
    assert!(checked > 300, "{checked} entries");
}
