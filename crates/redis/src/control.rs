//! What other threads may do to a running script: see whether it is busy,
//! kill it (SCRIPT KILL / FUNCTION KILL), read what `FUNCTION STATS`
//! reports about it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use crate::reply::Reply;

/// `-BUSY` while an EVAL runs too long.
pub const BUSY_EVAL: &[u8] =
    b"BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
/// `-BUSY` while an FCALL runs too long.
pub const BUSY_FUNCTION: &[u8] =
    b"BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
/// SCRIPT KILL / FUNCTION KILL with nothing running.
pub const NOTBUSY: &[u8] = b"NOTBUSY No scripts in execution right now.";
/// SCRIPT KILL / FUNCTION KILL after the script wrote.
pub const UNKILLABLE: &[u8] = b"UNKILLABLE Sorry the script already executed write commands \
against the dataset. You can either wait the script termination or kill the server in a hard \
way using the SHUTDOWN NOSAVE command.";

/// The script an engine is running. The buffers are reused from one run
/// to the next (no allocation per script once warm).
#[derive(Clone, Debug)]
pub(crate) struct Running {
    /// A script is running.
    pub active: bool,
    pub is_eval: bool,
    /// The SHA-1 (EVAL) or the function name (FCALL).
    pub name: Vec<u8>,
    /// The command that started it (FUNCTION STATS shows it).
    pub command: Vec<Vec<u8>>,
    pub start: Instant,
}

impl Default for Running {
    fn default() -> Self {
        Running {
            active: false,
            is_eval: true,
            name: Vec::new(),
            command: Vec::new(),
            start: Instant::now(),
        }
    }
}

/// State shared between an engine and its [`Controller`]s.
#[derive(Debug, Default)]
pub(crate) struct ControlState {
    /// Set by a kill; the VM checks it at its budget points.
    pub kill: Arc<AtomicBool>,
    /// The running script executed a write command.
    pub write_dirty: AtomicBool,
    /// The running script passed the time limit.
    pub busy: AtomicBool,
    pub running: Mutex<Running>,
}

impl ControlState {
    pub fn lock(&self) -> MutexGuard<'_, Running> {
        match self.running.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// A script starts: cheap (plain stores, no lock), because a script
    /// only becomes visible to controllers once it is busy
    /// ([`ControlState::publish`]), as in Redis, where nothing else runs
    /// before that.
    pub fn begin(&self) {
        if self.kill.load(Ordering::Relaxed) {
            self.kill.store(false, Ordering::Relaxed);
        }
        self.write_dirty.store(false, Ordering::Relaxed);
    }

    /// The running script became busy: controllers may see and kill it.
    pub fn publish(&self, is_eval: bool, name: &[u8], command: &[Vec<u8>], start: Instant) {
        let mut r = self.lock();
        r.active = true;
        r.is_eval = is_eval;
        r.name.clear();
        r.name.extend_from_slice(name);
        r.command.clear();
        r.command.extend(command.iter().cloned());
        r.start = start;
        drop(r);
        self.busy.store(true, Ordering::SeqCst);
    }

    /// The script ended (`was_busy`: it had been published).
    pub fn end(&self, was_busy: bool) {
        if was_busy {
            self.lock().active = false;
            self.busy.store(false, Ordering::SeqCst);
        }
        if self.kill.load(Ordering::Relaxed) {
            self.kill.store(false, Ordering::SeqCst);
        }
    }
}

/// A handle on an engine's running script, usable from any thread (it is
/// `Send + Sync` and cheap to clone).
///
/// ```
/// use ferrous_redis::{Engine, Reply};
///
/// let engine = Engine::standalone();
/// let control = engine.controller();
/// // What SCRIPT KILL answers when nothing runs.
/// let reply = std::thread::spawn(move || control.kill(true)).join().unwrap();
/// assert_eq!(reply, Reply::error("NOTBUSY No scripts in execution right now."));
/// ```
#[derive(Clone, Debug)]
pub struct Controller {
    pub(crate) state: Arc<ControlState>,
}

impl Controller {
    /// `SCRIPT KILL` (`is_eval`) or `FUNCTION KILL`: the reply Redis gives.
    /// On `+OK` the script stops at its next budget check and its caller
    /// gets `-ERR Script killed by user with ...`.
    pub fn kill(&self, is_eval: bool) -> Reply {
        let run = self.state.lock();
        if !run.active {
            return Reply::Error(NOTBUSY.to_vec());
        }
        if self.state.write_dirty.load(Ordering::SeqCst) {
            return Reply::Error(UNKILLABLE.to_vec());
        }
        if is_eval && !run.is_eval {
            return Reply::Error(BUSY_FUNCTION.to_vec());
        }
        if !is_eval && run.is_eval {
            return Reply::Error(BUSY_EVAL.to_vec());
        }
        self.state.kill.store(true, Ordering::SeqCst);
        Reply::ok()
    }

    /// Whether a script is running past the time limit.
    pub fn is_busy(&self) -> bool {
        self.state.busy.load(Ordering::SeqCst)
    }

    /// The `-BUSY` error other clients get while the script is busy
    /// (`None` when it is not).
    pub fn busy_reply(&self) -> Option<Reply> {
        if !self.is_busy() {
            return None;
        }
        let run = self.state.lock();
        if !run.active {
            return None;
        }
        Some(Reply::Error(
            if run.is_eval {
                BUSY_EVAL
            } else {
                BUSY_FUNCTION
            }
            .to_vec(),
        ))
    }

    /// Whether a script is running at all (busy or not).
    pub fn is_running(&self) -> bool {
        self.state.lock().active
    }

    /// The `running_script` part of `FUNCTION STATS`: name, command and
    /// duration in milliseconds, or a null.
    pub fn running_script(&self) -> Reply {
        let r = self.state.lock();
        match r.active {
            false => Reply::Nil,
            true => Reply::Map(vec![
                (Reply::bulk("name"), Reply::Bulk(r.name.clone())),
                (
                    Reply::bulk("command"),
                    Reply::Array(r.command.iter().map(|a| Reply::Bulk(a.clone())).collect()),
                ),
                (
                    Reply::bulk("duration_ms"),
                    Reply::Integer(r.start.elapsed().as_millis() as i64),
                ),
            ]),
        }
    }
}
