//! The REPL in a real terminal: `ferrous-lua` runs in a detached tmux
//! session (80x24, private server socket, private HOME so the history
//! file is the test's own); keys go in with `tmux send-keys`, the screen
//! comes back with `tmux capture-pane -p`.
//!
//! Checked: editing moves by characters in UTF-8 text (a character
//! inserted and one deleted between CJK characters land in the right
//! place), Ctrl-R finds an earlier line and runs it, Tab completes a
//! table field (`string.fo` -> `string.format`).
//!
//! Every wait polls the screen until the expected text shows (20 s at
//! most), so a loaded machine slows the test down but does not fail it.
//! The test is skipped, with a message, when tmux is not installed
//! (`apt-get install tmux`).

// Runs the interpreters through Unix shells, symlinks and terminals.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const FERROUS: &str = env!("CARGO_BIN_EXE_ferrous-lua");
const TIMEOUT: Duration = Duration::from_secs(20);

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// A private HOME directory, removed when dropped.
struct TempHome(PathBuf);

impl TempHome {
    fn new() -> TempHome {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("ferrous-tmux-home-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp HOME");
        TempHome(p)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A tmux server on its own socket running one session; the server (and
/// with it the REPL) is killed when this is dropped, also when an
/// assertion fails.
struct Tmux {
    socket: String,
    /// The socket file, removed at the end (kill-server leaves it).
    socket_path: Option<PathBuf>,
}

impl Tmux {
    /// Starts `ferrous-lua` (no arguments: the REPL) with HOME = `home`.
    fn start(home: &Path) -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let mut t = Tmux {
            socket: format!("ferrous-lua-test-{}-{n}", std::process::id()),
            socket_path: None,
        };
        let mut home_var = std::ffi::OsString::from("HOME=");
        home_var.push(home.as_os_str());
        let out = t
            .cmd()
            .args(["new-session", "-d", "-x", "80", "-y", "24", "-s", "repl"])
            .arg("env")
            .args(["-u", "LUA_INIT", "-u", "TMUX"])
            .arg(home_var)
            .arg(FERROUS)
            .output()
            .expect("run tmux new-session");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = t.run(&["display-message", "-p", "-t", "repl", "#{socket_path}"]);
        let path = String::from_utf8_lossy(&path.stdout).trim().to_string();
        if !path.is_empty() {
            t.socket_path = Some(PathBuf::from(path));
        }
        t
    }

    /// `tmux -L <socket> -f /dev/null`: a private server that reads no
    /// user configuration.
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c.env_remove("TMUX");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}\nscreen:\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.screen()
        );
        out
    }

    /// Text typed as is (`send-keys -l`: no key-name lookup).
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "repl", "-l", text]);
    }

    /// Named keys: `Enter`, `Left`, `BSpace`, `Tab`, `C-r`.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "repl"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// The pane's text, scrollback included, trailing blanks trimmed.
    fn screen(&self) -> String {
        match self
            .cmd()
            .args(["capture-pane", "-p", "-t", "repl", "-S", "-"])
            .output()
        {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
            Ok(o) => format!(
                "<capture-pane failed: {}>",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => format!("<capture-pane failed: {e}>"),
        }
    }

    /// Polls the screen until `pred` holds; fails after 20 s with the
    /// screen in the message.
    fn wait_for(&self, what: &str, pred: impl Fn(&[&str]) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
            if pred(&lines) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for a screen line equal to `line`.
    fn wait_line(&self, line: &str) -> String {
        self.wait_for(&format!("the line {line:?}"), |ls| ls.contains(&line))
    }

    /// Waits for the prompt's last line to read `> text` (the line being
    /// edited), so the next keys go to an editor that has seen `text`.
    fn wait_edit_line(&self, text: &str) -> String {
        // Lines are compared with trailing blanks trimmed.
        let want = format!("> {text}").trim_end().to_string();
        self.wait_for(&format!("the edit line {want:?}"), |ls| {
            ls.iter().rev().find(|l| !l.is_empty()) == Some(&want.as_str())
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
        if let Some(p) = &self.socket_path {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[test]
fn repl_in_tmux_utf8_editing_history_search_and_completion() {
    if !have_tmux() {
        eprintln!("SKIPPED repl_in_tmux: tmux is not installed (apt-get install tmux)");
        return;
    }
    let home = TempHome::new();
    let t = Tmux::start(home.path());
    t.wait_edit_line("");

    // UTF-8 editing: three Lefts from the end put the cursor between the
    // two CJK characters (each one character, two columns, three bytes).
    t.type_text("print(\"中文\")");
    t.wait_edit_line("print(\"中文\")");
    t.keys(&["Left", "Left", "Left"]);
    t.type_text("X");
    t.wait_edit_line("print(\"中X文\")");
    t.keys(&["Enter"]);
    t.wait_line("中X文");
    t.wait_edit_line("");

    // Backspace after a CJK character removes the whole character.
    t.type_text("print(\"中文!\")");
    t.wait_edit_line("print(\"中文!\")");
    t.keys(&["Left", "Left", "Left", "BSpace"]);
    t.wait_edit_line("print(\"中!\")");
    t.keys(&["Enter"]);
    t.wait_line("中!");
    t.wait_edit_line("");

    // Ctrl-R: an earlier line found by a word in it, then run again (its
    // counter shows the second run).
    t.type_text("n = (n or 0) + 1 print(\"hist\" .. n)");
    t.keys(&["Enter"]);
    t.wait_line("hist1");
    t.wait_edit_line("");
    t.type_text("print(\"other\")");
    t.keys(&["Enter"]);
    t.wait_line("other");
    t.wait_edit_line("");
    t.keys(&["C-r"]);
    t.type_text("hist");
    t.wait_for("the search to find the earlier line", |ls| {
        ls.iter()
            .rev()
            .find(|l| !l.is_empty())
            .is_some_and(|l| l.contains("hist") && l.contains("n = (n or 0) + 1"))
    });
    t.keys(&["Enter"]);
    t.wait_line("hist2");
    t.wait_edit_line("");

    // Tab completion of a table field.
    t.type_text("print(string.fo");
    t.keys(&["Tab"]);
    t.wait_edit_line("print(string.format");
    t.type_text("(\"<%d>\", 7))");
    t.keys(&["Enter"]);
    t.wait_line("<7>");
    t.wait_edit_line("");

    // The history went to the private HOME.
    let hist =
        std::fs::read_to_string(home.path().join(".ferrous_lua_history")).unwrap_or_default();
    assert!(hist.contains("print(\"中X文\")"), "history file:\n{hist}");
}
