//! Debug support: hooks (call, return, line, count) and introspection of
//! call frames, locals and upvalues, for the `debug` library.
//!
//! Hooks are per thread, as in Lua 5.1. Line and count hooks run in a
//! second copy of the interpreter loop (`run::<true>`), so the normal loop
//! pays nothing for them; call and return hooks cost one mask test per
//! call. While a hook runs, hooks are off (Lua 5.1's `allowhook`).

use ferrous_value::{FnRef, ThreadRef, Value};

use crate::debuginfo;
use crate::error::LuaResult;
use crate::objects::Function;
use crate::state::{CallFrame, Level, Vm};

/// `LUA_MASKCALL`: the hook runs with "call" when a function is called
/// ("tail call" for a tail call). The four masks combine with `|`.
pub const MASK_CALL: u8 = 1;
/// `LUA_MASKRET`: the hook runs with "return" when a function returns
/// ("tail return" for each frame a tail call replaced).
pub const MASK_RET: u8 = 2;
/// `LUA_MASKLINE`: the hook runs with "line" when Lua code enters a new
/// line or jumps back.
pub const MASK_LINE: u8 = 4;
/// `LUA_MASKCOUNT`: the hook runs with "count" every `count`
/// instructions (the count given to `sethook`).
pub const MASK_COUNT: u8 = 8;

/// A thread's hook settings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HookState {
    /// The Lua hook function (nil: none).
    pub func: Value,
    pub mask: u8,
    /// The count given to sethook.
    pub base_count: u32,
    /// Instructions left until the next count event.
    pub counter: u32,
    /// False while a hook runs.
    pub allow: bool,
}

impl Default for HookState {
    fn default() -> Self {
        HookState {
            func: Value::Nil,
            mask: 0,
            base_count: 0,
            counter: 0,
            allow: true,
        }
    }
}

impl HookState {
    /// True when any hook is set. The interpreter loop then runs its
    /// hooked variant, which traces lines and counts and tests for call
    /// and return hooks; the other variant tests for none of them.
    #[inline(always)]
    pub(crate) fn traces(&self) -> bool {
        self.mask != 0
    }
}

/// What `debug.getinfo` reports about a function or a stack level.
#[derive(Clone, Debug, Default)]
pub struct DebugInfo {
    /// `source`: the chunk name as given (`@file`, `=[C]`...).
    pub source: Vec<u8>,
    /// `short_src`: the source shortened for messages (`luaO_chunkid`:
    /// `file.lua`, `[string "..."]`, `[C]`).
    pub short_src: String,
    /// `linedefined`: the line where the function starts (0 for a main
    /// chunk, -1 for a native function).
    pub line_defined: i64,
    /// `lastlinedefined`: the line of its `end` (0 for a main chunk, -1 for
    /// a native function).
    pub last_line_defined: i64,
    /// "Lua", "C", "main" or "tail".
    pub what: &'static str,
    /// `currentline`: the line running at that level (-1 when unknown, as
    /// for native functions).
    pub current_line: i64,
    /// `name`: how the caller named the function (from the calling
    /// instruction), when it can tell.
    pub name: Option<Vec<u8>>,
    /// "global", "local", "method", "field", "upvalue" or "".
    pub name_what: &'static str,
    /// `nups`: the number of upvalues.
    pub nups: usize,
    /// `func`: the function itself (absent for a tail-call level).
    pub func: Option<Value>,
    /// Lines that have code (for the `L` option), Lua functions only.
    pub active_lines: Option<Vec<u32>>,
}

/// A stack level as `lua_getstack` counts them, in any frame list.
pub(crate) fn level_in(frames: &[CallFrame], level: usize) -> Option<Level> {
    let mut level = level as i64;
    let mut i = frames.len();
    while level > 0 && i > 0 {
        i -= 1;
        level -= 1;
        if frames[i].is_lua() {
            level -= frames[i].tailcalls as i64;
        }
    }
    if level == 0 && i > 0 {
        Some(Level::Frame(i - 1))
    } else if level < 0 {
        Some(Level::TailCall)
    } else {
        None
    }
}

impl Vm {
    // ------------------------------------------------------------- hooks

    /// Runs the hook for `event` ("call", "return", "line", "count",
    /// "tail return") with `line` (nil when absent).
    pub(crate) fn call_hook(&mut self, event: &[u8], line: Option<u32>) -> LuaResult<()> {
        if !self.hook.allow || self.hook.func.is_nil() {
            return Ok(());
        }
        let f = self.hook.func;
        self.hook.allow = false;
        let saved_top = self.top;
        let above = self.frames.last().map_or(self.top, |fr| fr.stack_extent());
        self.top = self.top.max(above);
        let r = (|| {
            let ev = self.str_value(event)?;
            let l = line.map_or(Value::Nil, |l| Value::Number(l as f64));
            self.call_tm0(f, &[ev, l])
        })();
        self.top = saved_top;
        self.hook.allow = true;
        r
    }

    /// Line and count hooks before instruction `pc` of frame `fi` (called
    /// only by the tracing loop).
    #[cold]
    pub(crate) fn trace_instruction(&mut self, fi: usize, pc: usize) -> LuaResult<()> {
        if self.hook.mask & (MASK_LINE | MASK_COUNT) == 0 {
            return Ok(());
        }
        let old_next = self.frames[fi].pc;
        // Lua 5.1 saves the pc here: the instruction counts as current.
        self.frames[fi].pc = pc + 1;
        let mask = self.hook.mask;
        if mask & MASK_COUNT != 0 {
            self.hook.counter = self.hook.counter.saturating_sub(1);
            if self.hook.counter == 0 {
                self.hook.counter = self.hook.base_count.max(1);
                self.call_hook(b"count", None)?;
            }
        }
        if mask & MASK_LINE != 0 {
            let info = match &self.frames[fi].proto {
                Some(proto) => proto.info.clone(),
                None => return Ok(()),
            };
            let new_line = debuginfo::line_at(&info, pc as u32);
            let old_line = debuginfo::line_at(&info, old_next.saturating_sub(1) as u32);
            if pc == 0 || pc + 1 <= old_next || new_line != old_line {
                self.call_hook(b"line", Some(new_line))?;
            }
        }
        Ok(())
    }

    /// The call hook for the frame just pushed.
    #[cold]
    pub(crate) fn call_hook_event(&mut self) -> LuaResult<()> {
        self.call_hook(b"call", None)
    }

    /// Return hooks for frame `fi` about to return: "return", then one
    /// "tail return" per tail call it absorbed.
    #[cold]
    pub(crate) fn return_hooks(&mut self, fi: usize) -> LuaResult<()> {
        self.call_hook(b"return", None)?;
        if self.frames.get(fi).is_some_and(|f| f.is_lua()) {
            // Lua 5.1 counts the frame's tail calls down while it reports
            // them, so a hook sees the decremented count.
            while self.frames.get(fi).is_some_and(|f| f.tailcalls > 0) {
                self.frames[fi].tailcalls -= 1;
                self.call_hook(b"tail return", None)?;
            }
        }
        Ok(())
    }

    fn hook_of(&self, thread: ThreadRef) -> crate::debug::HookState {
        if thread == self.thread {
            self.hook
        } else {
            self.heap
                .threads()
                .get(self.state_holder(thread))
                .map_or_else(HookState::default, |t| t.hook)
        }
    }

    /// Installs (or, with `func` nil or `mask` 0, removes) the hook of a
    /// thread. `count` > 0 adds count events every `count` instructions.
    pub fn set_hook(&mut self, thread: ThreadRef, func: Value, mask: u8, count: u32) {
        let mut mask = mask;
        if count > 0 {
            mask |= MASK_COUNT;
        }
        // A function with an empty mask stays registered, inactive (5.1's
        // hook table keeps it: `debug.gethook` returns it).
        let h = if func.is_nil() {
            HookState::default()
        } else {
            // From now on coroutine switches carry the hook states.
            self.hooks_used = true;
            HookState {
                func,
                mask,
                base_count: count,
                counter: count.max(1),
                allow: true,
            }
        };
        if thread == self.thread {
            let allow = self.hook.allow;
            self.hook = HookState { allow, ..h };
        } else {
            let holder = self.state_holder(thread);
            if let Some(t) = self.heap.threads_mut().get_mut(holder) {
                t.hook = h;
                self.heap.barrier_thread(holder, func);
            }
        }
    }

    /// The hook function, mask and count of a thread.
    pub fn get_hook(&self, thread: ThreadRef) -> (Value, u8, u32) {
        let h = self.hook_of(thread);
        (
            h.func,
            h.mask & (MASK_CALL | MASK_RET | MASK_LINE),
            h.base_count,
        )
    }

    // ---------------------------------------------------- introspection

    /// Runs `f` with the frames and stack of `thread` (the running one or
    /// a suspended coroutine).
    fn with_thread<R>(
        &self,
        thread: ThreadRef,
        f: impl FnOnce(&[CallFrame], &[Value], usize) -> R,
    ) -> Option<R> {
        if thread == self.thread {
            Some(f(&self.frames, &self.stack, self.top))
        } else {
            let t = self.heap.threads().get(self.state_holder(thread))?;
            Some(f(&t.frames, &t.stack, t.top))
        }
    }

    /// Finds level `level` of a thread's call stack.
    pub fn thread_level(&self, thread: ThreadRef, level: usize) -> Option<Level> {
        self.with_thread(thread, |frames, _, _| level_in(frames, level))
            .flatten()
    }

    /// Information about a level of a thread's stack; `what` holds option
    /// letters (S l u n f L). Returns None for an invalid option letter.
    pub fn info_at(&self, thread: ThreadRef, level: Level, what: &[u8]) -> Option<DebugInfo> {
        if !what.iter().all(|c| b"Slunf L".contains(c)) || what.contains(&b' ') {
            return None;
        }
        let mut info = DebugInfo::default();
        match level {
            Level::TailCall => {
                info.source = b"=(tail call)".to_vec();
                info.short_src = "(tail call)".to_string();
                info.line_defined = -1;
                info.last_line_defined = -1;
                info.what = "tail";
                info.current_line = -1;
                // 5.1's info_tailcall: name and namewhat are "".
                info.name = Some(Vec::new());
                info.name_what = "";
            }
            Level::Frame(i) => {
                let (func, line, name) = self.with_thread(thread, |frames, _, _| {
                    let f = &frames[i];
                    let line = match &f.proto {
                        Some(proto) => debuginfo::line_at(&proto.info, f.current_pc()) as i64,
                        None => -1,
                    };
                    let name = if what.contains(&b'n') {
                        crate::state::frame_name_in(frames, i)
                    } else {
                        None
                    };
                    (f.closure(), line, name)
                })?;
                self.fill_function_info(&mut info, func, what);
                info.current_line = line;
                if let Some((kind, n)) = name {
                    info.name = Some(n);
                    info.name_what = kind.as_str();
                }
            }
        }
        Some(info)
    }

    /// Information about a function value (`debug.getinfo(f)`).
    pub fn info_of_function(&self, f: FnRef, what: &[u8]) -> Option<DebugInfo> {
        if !what.iter().all(|c| b"Slunf L>".contains(c)) {
            return None;
        }
        let mut info = DebugInfo {
            current_line: -1,
            name_what: "",
            ..DebugInfo::default()
        };
        self.fill_function_info(&mut info, f, what);
        Some(info)
    }

    fn fill_function_info(&self, info: &mut DebugInfo, f: FnRef, what: &[u8]) {
        info.func = Some(Value::Function(f));
        match self.heap.functions().get(f) {
            Some(Function::Lua(c)) => {
                let p = &c.proto.info;
                info.source = p.source.to_vec();
                info.short_src = ferrous_syntax::chunkid(&p.source);
                info.line_defined = p.line_defined as i64;
                info.last_line_defined = p.last_line_defined as i64;
                info.what = if p.line_defined == 0 { "main" } else { "Lua" };
                info.nups = c.upvals.len();
                if what.contains(&b'L') {
                    let mut lines: Vec<u32> = p.lines.clone();
                    lines.sort_unstable();
                    lines.dedup();
                    info.active_lines = Some(lines);
                }
            }
            Some(Function::Native(c)) => {
                info.source = b"=[C]".to_vec();
                info.short_src = "[C]".to_string();
                info.line_defined = -1;
                info.last_line_defined = -1;
                info.what = "C";
                info.nups = c.upvals.len();
            }
            None => {}
        }
    }

    /// `debug.getlocal`: the name and value of local `n` (1-based) of the
    /// frame at `level` of `thread`.
    pub fn get_local(&self, thread: ThreadRef, frame: usize, n: i64) -> Option<(Vec<u8>, Value)> {
        self.with_thread(thread, |frames, stack, top| {
            let (name, slot) = local_slot(frames, top, frame, n)?;
            Some((name, stack.get(slot).copied().unwrap_or(Value::Nil)))
        })
        .flatten()
    }

    /// `debug.setlocal`: sets local `n` of a frame; returns its name.
    pub fn set_local(
        &mut self,
        thread: ThreadRef,
        frame: usize,
        n: i64,
        v: Value,
    ) -> Option<Vec<u8>> {
        let (name, slot) = self
            .with_thread(thread, |frames, _, top| local_slot(frames, top, frame, n))
            .flatten()?;
        if thread == self.thread {
            if let Some(s) = self.stack.get_mut(slot) {
                *s = v;
            }
        } else {
            let holder = self.state_holder(thread);
            if let Some(s) = self
                .heap
                .threads_mut()
                .get_mut(holder)
                .and_then(|t| t.stack.get_mut(slot))
            {
                *s = v;
            }
        }
        Some(name)
    }

    /// `debug.getupvalue`: name and value of upvalue `n` (1-based).
    pub fn get_upvalue(&self, f: FnRef, n: usize) -> Option<(Vec<u8>, Value)> {
        if n == 0 {
            return None;
        }
        match self.heap.functions().get(f)? {
            Function::Lua(c) => {
                let u = *c.upvals.get(n - 1)?;
                // An unnamed upvalue (a stripped binary chunk) is not
                // visible, as 5.1 sees only `sizeupvalues` names.
                let name = c.proto.info.upvalue_names.get(n - 1)?;
                if name.is_empty() {
                    return None;
                }
                Some((name.to_vec(), self.upval_get(u)))
            }
            Function::Native(c) => Some((Vec::new(), *c.upvals.get(n - 1)?)),
        }
    }

    /// `debug.setupvalue`: sets upvalue `n`; returns its name.
    pub fn set_upvalue(&mut self, f: FnRef, n: usize, v: Value) -> Option<Vec<u8>> {
        if n == 0 {
            return None;
        }
        let (name, up) = match self.heap.functions().get(f)? {
            Function::Lua(c) => {
                let u = *c.upvals.get(n - 1)?;
                let name = c.proto.info.upvalue_names.get(n - 1)?;
                if name.is_empty() {
                    return None;
                }
                (name.to_vec(), Some(u))
            }
            Function::Native(c) => {
                if n > c.upvals.len() {
                    return None;
                }
                (Vec::new(), None)
            }
        };
        match up {
            Some(u) => self.upval_set(u, v),
            None => {
                if let Some(Function::Native(c)) = self.heap.functions_mut().get_mut(f) {
                    c.upvals[n - 1] = v;
                }
                self.heap.barrier_fn(f, v);
            }
        }
        Some(name)
    }

    /// `lua_getfenv`: the environment of a function, userdata or thread.
    pub fn object_env(&self, v: Value) -> Option<ferrous_value::TableRef> {
        match v {
            Value::Function(f) => self.function_env(f),
            Value::Userdata(u) => self.heap.userdata(u).and_then(|u| u.env()),
            Value::Thread(t) => {
                if t == self.thread {
                    Some(self.thread_globals())
                } else {
                    self.heap.threads().get(t).map(|th| th.env)
                }
            }
            _ => None,
        }
    }

    /// `lua_setfenv`: sets the environment of a function, userdata or
    /// thread; false for other values.
    pub fn set_object_env(&mut self, v: Value, env: ferrous_value::TableRef) -> bool {
        match v {
            Value::Function(f) => self.set_function_env(f, env),
            Value::Userdata(u) => self.heap.set_ud_env(u, Some(env)).is_ok(),
            Value::Thread(t) => {
                if t == self.thread {
                    self.set_thread_globals(env);
                } else if let Some(th) = self.heap.threads_mut().get_mut(t) {
                    th.env = env;
                    self.heap.barrier_thread(t, Value::Table(env));
                }
                true
            }
            _ => false,
        }
    }

    /// The traceback of another thread (or the running one).
    pub fn traceback_of(&self, thread: ThreadRef, msg: Option<&[u8]>, level: usize) -> Vec<u8> {
        self.with_thread(thread, |frames, _, _| {
            crate::state::traceback_in(frames, msg, level)
        })
        .unwrap_or_default()
    }
}

/// The name and stack slot of local `n` of frame `fi` (Lua 5.1's
/// findlocal: declared locals by name, other live slots as
/// "(*temporary)").
fn local_slot(frames: &[CallFrame], top: usize, fi: usize, n: i64) -> Option<(Vec<u8>, usize)> {
    if n <= 0 {
        return None;
    }
    let f = frames.get(fi)?;
    let n = n as usize;
    if let Some(proto) = &f.proto {
        if let Some(name) = debuginfo::local_name(&proto.info, (n - 1) as u32, f.current_pc()) {
            return Some((name.to_vec(), f.base + n - 1));
        }
    }
    let limit = if fi + 1 == frames.len() {
        top
    } else {
        frames[fi + 1].func
    };
    if limit >= f.base && limit - f.base >= n {
        Some((b"(*temporary)".to_vec(), f.base + n - 1))
    } else {
        None
    }
}
