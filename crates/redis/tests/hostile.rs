//! A hostile corpus (issue 12): resource bombs, endless work, errors of
//! every kind, metatable tricks, crafted FUNCTION RESTORE payloads and
//! malformed RESP, run against `ferrous-redis --time-limit-ms 300
//! --memory-limit-mb 64` in front of redis-server 7.0. For every case the
//! server answers PING on another connection while the case runs (PONG,
//! or BUSY while a script is past the time limit) and after it, the reply
//! is Redis's (the same script or command is sent to a stock redis-server
//! where Redis survives it) or the expected error, and the process's peak
//! RSS while the case ran (VmHWM, reset before each case through
//! /proc/PID/clear_refs) stays within 4x the limit plus 64 MB.
//!
//! Run with `--nocapture` to see the table of peaks.

mod support;

use support::hostile::{cases, run_corpus, LIMIT_MB};
use support::{ferrous, redis_server};

#[test]
fn hostile_corpus() {
    let upstream = redis_server();
    let reference = redis_server();
    let ours = ferrous(
        upstream.port,
        &[
            "--time-limit-ms",
            "300",
            "--memory-limit-mb",
            &LIMIT_MB.to_string(),
        ],
    );
    run_corpus(ours.port, ours.child.id(), reference.port, cases());
}
