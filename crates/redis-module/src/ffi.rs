//! The Redis module API, bound by hand: every `unsafe` of the crate lives
//! in this file.
//!
//! redis-server hands a module one function, `RedisModule_GetApi`, as the
//! first word of the context passed to `RedisModule_OnLoad`; every other
//! API function is looked up by name through it. [`Api::load`] does that
//! once and keeps the pointers in a table; the safe wrappers below are
//! the only way the rest of the crate reaches them.
//!
//! Why not the `redis-module` crate: it generates its bindings with
//! bindgen, which needs libclang at build time, and it wraps far more
//! than the ~45 functions used here. A table of function pointers with
//! the C signatures of Redis 7.0's `redismodule.h` is small enough to
//! check by reading.
//!
//! Invariants the wrappers rely on:
//! * a [`Ctx`] wraps a context pointer Redis passed to a callback that is
//!   still running (contexts are never stored past their callback), or
//!   the module's detached context ([`Ctx::detached`]), which lives for
//!   the process;
//! * Redis runs module callbacks on its main thread only (the module
//!   creates no threads), so the table is read without synchronisation
//!   after `OnLoad` wrote it;
//! * strings passed to C are NUL-terminated copies ([`cstr`]); byte
//!   buffers are passed with their length and may hold NULs.

use std::ffi::{c_char, c_int, c_long, c_longlong, c_void, CString};
use std::ptr;
use std::sync::OnceLock;

use smallvec::SmallVec;

/// `REDISMODULE_OK`.
pub const OK: c_int = 0;
/// `REDISMODULE_ERR`.
pub const ERR: c_int = 1;
/// `REDISMODULE_APIVER_1`.
pub const APIVER_1: c_int = 1;

/// `REDISMODULE_CTX_FLAGS_*` bits of [`Ctx::context_flags`].
pub mod ctx_flags {
    pub const SLAVE: i32 = 1 << 3;
    pub const READONLY: i32 = 1 << 4;
    pub const OOM: i32 = 1 << 10;
    pub const REPLICATED: i32 = 1 << 12;
}

/// `REDISMODULE_YIELD_FLAG_CLIENTS`: serve other clients (with -BUSY).
const YIELD_FLAG_CLIENTS: c_int = 1 << 1;
/// `REDISMODULE_AUX_BEFORE_RDB`.
pub const AUX_BEFORE_RDB: c_int = 1 << 0;
/// `REDISMODULE_CONFIG_DEFAULT`.
const CONFIG_DEFAULT: u32 = 0;

macro_rules! opaque {
    ($($name:ident),*) => {
        $(
            /// A Redis object the module only holds pointers to.
            #[repr(C)]
            pub struct $name {
                _private: [u8; 0],
            }
        )*
    };
}

opaque!(
    RawCtx,
    RawString,
    RawCallReply,
    RawInfoCtx,
    RawIo,
    RawType,
    RawFilterCtx,
    RawFilter,
    RawUser,
    RawKey
);

/// A command callback as Redis calls it.
pub type CmdFunc = unsafe extern "C" fn(*mut RawCtx, *mut *mut RawString, c_int) -> c_int;
type InfoFunc = unsafe extern "C" fn(*mut RawInfoCtx, c_int);
type AuxLoad = unsafe extern "C" fn(*mut RawIo, c_int, c_int) -> c_int;
type AuxSave = unsafe extern "C" fn(*mut RawIo, c_int);
/// The data type's `aof_rewrite`: called for each key of the type while a
/// rewrite writes the AOF as commands.
pub type AofRewrite = unsafe extern "C" fn(*mut RawIo, *mut RawString, *mut c_void);
/// `RedisModuleEvent`: an event id and the version of its data.
#[repr(C)]
#[derive(Clone, Copy)]
struct Event {
    id: u64,
    dataver: u64,
}
type EventFunc = unsafe extern "C" fn(*mut RawCtx, Event, u64, *mut c_void);
type FilterFunc = unsafe extern "C" fn(*mut RawFilterCtx);
type ConfigGetNum = unsafe extern "C" fn(*const c_char, *mut c_void) -> c_longlong;
type ConfigSetNum =
    unsafe extern "C" fn(*const c_char, c_longlong, *mut c_void, *mut *mut RawString) -> c_int;

/// `RedisModuleTypeMethods` up to version 2 (the aux fields); Redis reads
/// only the fields its `version` declares.
#[repr(C)]
struct TypeMethods {
    version: u64,
    rdb_load: Option<unsafe extern "C" fn(*mut RawIo, c_int) -> *mut c_void>,
    rdb_save: Option<unsafe extern "C" fn(*mut RawIo, *mut c_void)>,
    aof_rewrite: Option<AofRewrite>,
    mem_usage: *const c_void,
    digest: *const c_void,
    free: Option<unsafe extern "C" fn(*mut c_void)>,
    aux_load: Option<AuxLoad>,
    aux_save: Option<AuxSave>,
    aux_save_triggers: c_int,
}

macro_rules! api_table {
    ($($name:ident : $ty:ty;)*) => {
        /// The API functions the module uses.
        #[allow(non_snake_case)]
        pub struct Api {
            $($name: $ty,)*
        }

        impl Api {
            /// Looks every function up through `RedisModule_GetApi`.
            ///
            /// # Safety
            /// `get_api` is the function Redis placed at the start of the
            /// `OnLoad` context.
            unsafe fn lookup(get_api: GetApiFn) -> Result<Api, &'static str> {
                Ok(Api {
                    $($name: {
                        let mut p: *mut c_void = ptr::null_mut();
                        let name = concat!("RedisModule_", stringify!($name), "\0");
                        // SAFETY: GetApi writes a function pointer of the
                        // named function into `p`, or fails.
                        let rc = unsafe {
                            get_api(name.as_ptr().cast(), (&mut p as *mut *mut c_void).cast())
                        };
                        if rc != OK || p.is_null() {
                            return Err(concat!("RedisModule_", stringify!($name)));
                        }
                        // SAFETY: the pointer is the API function of that
                        // name, whose C signature `$ty` transcribes.
                        unsafe { std::mem::transmute::<*mut c_void, $ty>(p) }
                    },)*
                })
            }
        }
    };
}

type GetApiFn = unsafe extern "C" fn(*const c_char, *mut c_void) -> c_int;

api_table! {
    SetModuleAttribs: unsafe extern "C" fn(*mut RawCtx, *const c_char, c_int, c_int);
    CreateCommand: unsafe extern "C" fn(*mut RawCtx, *const c_char, CmdFunc, *const c_char, c_int, c_int, c_int) -> c_int;
    Call: unsafe extern "C" fn(*mut RawCtx, *const c_char, *const c_char, ...) -> *mut RawCallReply;
    CallReplyProto: unsafe extern "C" fn(*mut RawCallReply, *mut usize) -> *const c_char;
    FreeCallReply: unsafe extern "C" fn(*mut RawCallReply);
    CreateString: unsafe extern "C" fn(*mut RawCtx, *const c_char, usize) -> *mut RawString;
    FreeString: unsafe extern "C" fn(*mut RawCtx, *mut RawString);
    StringPtrLen: unsafe extern "C" fn(*const RawString, *mut usize) -> *const c_char;
    ReplyWithLongLong: unsafe extern "C" fn(*mut RawCtx, c_longlong) -> c_int;
    ReplyWithError: unsafe extern "C" fn(*mut RawCtx, *const c_char) -> c_int;
    ReplyWithSimpleString: unsafe extern "C" fn(*mut RawCtx, *const c_char) -> c_int;
    ReplyWithArray: unsafe extern "C" fn(*mut RawCtx, c_long) -> c_int;
    ReplyWithMap: unsafe extern "C" fn(*mut RawCtx, c_long) -> c_int;
    ReplyWithSet: unsafe extern "C" fn(*mut RawCtx, c_long) -> c_int;
    ReplyWithStringBuffer: unsafe extern "C" fn(*mut RawCtx, *const c_char, usize) -> c_int;
    ReplyWithNull: unsafe extern "C" fn(*mut RawCtx) -> c_int;
    ReplyWithNullArray: unsafe extern "C" fn(*mut RawCtx) -> c_int;
    ReplyWithDouble: unsafe extern "C" fn(*mut RawCtx, f64) -> c_int;
    ReplyWithBool: unsafe extern "C" fn(*mut RawCtx, c_int) -> c_int;
    ReplyWithBigNumber: unsafe extern "C" fn(*mut RawCtx, *const c_char, usize) -> c_int;
    ReplyWithVerbatimStringType: unsafe extern "C" fn(*mut RawCtx, *const c_char, usize, *const c_char) -> c_int;
    GetSelectedDb: unsafe extern "C" fn(*mut RawCtx) -> c_int;
    SelectDb: unsafe extern "C" fn(*mut RawCtx, c_int) -> c_int;
    GetContextFlags: unsafe extern "C" fn(*mut RawCtx) -> c_int;
    Yield: unsafe extern "C" fn(*mut RawCtx, c_int, *const c_char);
    Log: unsafe extern "C" fn(*mut RawCtx, *const c_char, *const c_char, ...);
    IsKeysPositionRequest: unsafe extern "C" fn(*mut RawCtx) -> c_int;
    KeyAtPos: unsafe extern "C" fn(*mut RawCtx, c_int);
    GetCurrentUserName: unsafe extern "C" fn(*mut RawCtx) -> *mut RawString;
    GetModuleUserFromUserName: unsafe extern "C" fn(*mut RawString) -> *mut RawUser;
    FreeModuleUser: unsafe extern "C" fn(*mut RawUser) -> c_int;
    ACLCheckCommandPermissions: unsafe extern "C" fn(*mut RawUser, *mut *mut RawString, c_int) -> c_int;
    RegisterInfoFunc: unsafe extern "C" fn(*mut RawCtx, InfoFunc) -> c_int;
    InfoAddSection: unsafe extern "C" fn(*mut RawInfoCtx, *const c_char) -> c_int;
    InfoAddFieldLongLong: unsafe extern "C" fn(*mut RawInfoCtx, *const c_char, c_longlong) -> c_int;
    InfoAddFieldCString: unsafe extern "C" fn(*mut RawInfoCtx, *const c_char, *const c_char) -> c_int;
    CreateDataType: unsafe extern "C" fn(*mut RawCtx, *const c_char, c_int, *mut TypeMethods) -> *mut RawType;
    SaveStringBuffer: unsafe extern "C" fn(*mut RawIo, *const c_char, usize);
    LoadStringBuffer: unsafe extern "C" fn(*mut RawIo, *mut usize) -> *mut c_char;
    SaveUnsigned: unsafe extern "C" fn(*mut RawIo, u64);
    LoadUnsigned: unsafe extern "C" fn(*mut RawIo) -> u64;
    IsIOError: unsafe extern "C" fn(*mut RawIo) -> c_int;
    Free: unsafe extern "C" fn(*mut c_void);
    RegisterNumericConfig: unsafe extern "C" fn(*mut RawCtx, *const c_char, c_longlong, u32, c_longlong, c_longlong, ConfigGetNum, ConfigSetNum, *const c_void, *mut c_void) -> c_int;
    LoadConfigs: unsafe extern "C" fn(*mut RawCtx) -> c_int;
    ReplicateVerbatim: unsafe extern "C" fn(*mut RawCtx) -> c_int;
    SubscribeToServerEvent: unsafe extern "C" fn(*mut RawCtx, Event, EventFunc) -> c_int;
    RegisterCommandFilter: unsafe extern "C" fn(*mut RawCtx, FilterFunc, c_int) -> *mut RawFilter;
    CommandFilterArgsCount: unsafe extern "C" fn(*mut RawFilterCtx) -> c_int;
    CommandFilterArgGet: unsafe extern "C" fn(*mut RawFilterCtx, c_int) -> *mut RawString;
    CommandFilterArgReplace: unsafe extern "C" fn(*mut RawFilterCtx, c_int, *mut RawString) -> c_int;
    CommandFilterArgInsert: unsafe extern "C" fn(*mut RawFilterCtx, c_int, *mut RawString) -> c_int;
    RetainString: unsafe extern "C" fn(*mut RawCtx, *mut RawString);
    GetDetachedThreadSafeContext: unsafe extern "C" fn(*mut RawCtx) -> *mut RawCtx;
    OpenKey: unsafe extern "C" fn(*mut RawCtx, *mut RawString, c_int) -> *mut RawKey;
    CloseKey: unsafe extern "C" fn(*mut RawKey);
    KeyType: unsafe extern "C" fn(*mut RawKey) -> c_int;
    ModuleTypeSetValue: unsafe extern "C" fn(*mut RawKey, *mut RawType, *mut c_void) -> c_int;
    EmitAOF: unsafe extern "C" fn(*mut RawIo, *const c_char, *const c_char, ...);
}

/// The module's data type, once made ([`Ctx::create_aux_type`]).
static DATA_TYPE: std::sync::atomic::AtomicPtr<RawType> =
    std::sync::atomic::AtomicPtr::new(ptr::null_mut());

/// The value of the marker key ([`Ctx::add_marker_key`]): the type's
/// callbacks never look inside it.
static MARKER: u8 = 0;

/// `rdb_load` of the data type: no key of the type is ever saved in an
/// RDB (the marker key lives only in an AOF-rewriting child that writes
/// commands), so a record of it is a load error.
unsafe extern "C" fn type_rdb_load(_io: *mut RawIo, _encver: c_int) -> *mut c_void {
    ptr::null_mut()
}

/// `rdb_save` of the data type: nothing to save (see [`type_rdb_load`]).
unsafe extern "C" fn type_rdb_save(_io: *mut RawIo, _value: *mut c_void) {}

/// `free` of the data type: the value is the static [`MARKER`].
unsafe extern "C" fn type_free(_value: *mut c_void) {}

static API: OnceLock<Api> = OnceLock::new();

fn api() -> &'static Api {
    // Every entry point of the module runs after OnLoad set the table
    // (Redis calls no callback of a module whose OnLoad failed).
    API.get().expect("module API table used before OnLoad")
}

/// A NUL-terminated copy of `s`, cut at its first NUL (C would stop there
/// too).
pub fn cstr(s: &[u8]) -> CString {
    let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
    CString::new(&s[..end]).unwrap_or_default()
}

/// Hands the RESP bytes of a call's reply to `read`, then frees the reply;
/// `Err(errno)` when RM_Call gave no reply.
///
/// # Safety
/// `reply` is null or a call reply not yet freed.
#[inline]
unsafe fn read_call_reply<R>(
    reply: *mut RawCallReply,
    read: impl FnOnce(&[u8]) -> R,
) -> Result<R, i32> {
    if reply.is_null() {
        return Err(call_errno());
    }
    let a = api();
    let mut len = 0usize;
    // SAFETY: a live call reply; its protocol buffer holds `len` bytes
    // until the reply is freed, after `read`.
    unsafe {
        let p = (a.CallReplyProto)(reply, &mut len);
        let bytes: &[u8] = if p.is_null() {
            &[]
        } else {
            std::slice::from_raw_parts(p.cast::<u8>(), len)
        };
        let r = read(bytes);
        (a.FreeCallReply)(reply);
        Ok(r)
    }
}

/// Why RM_Call returned no reply (its errno).
#[cold]
#[inline(never)]
fn call_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// A module context, valid for the duration of the callback that received
/// it.
#[derive(Clone, Copy)]
pub struct Ctx(*mut RawCtx);

/// An argument vector Redis passed to a command callback.
#[derive(Clone, Copy)]
pub struct Args {
    argv: *mut *mut RawString,
    argc: usize,
}

impl Args {
    /// # Safety
    /// `argv` holds `argc` strings that outlive the callback.
    pub unsafe fn new(argv: *mut *mut RawString, argc: c_int) -> Args {
        Args {
            argv,
            argc: argc.max(0) as usize,
        }
    }

    /// All arguments as byte slices.
    pub fn all(&self) -> SmallVec<[&[u8]; 8]> {
        let ptr_len = api().StringPtrLen;
        let mut out = SmallVec::new();
        // (extend: one reservation, then plain writes.)
        out.extend((0..self.argc).map(|i| {
            let mut len = 0usize;
            // SAFETY: i < argc; StringPtrLen returns the buffer of a live
            // string and its length; the strings live for the callback.
            unsafe {
                let p = ptr_len(*self.argv.add(i), &mut len);
                if p.is_null() || len == 0 {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(p.cast::<u8>(), len)
                }
            }
        }));
        out
    }
}

/// # Safety
/// `s` is a live RedisModuleString.
unsafe fn string_bytes<'a>(s: *const RawString) -> &'a [u8] {
    let mut len = 0usize;
    // SAFETY: StringPtrLen returns the string's buffer and length.
    let p = unsafe { (api().StringPtrLen)(s, &mut len) };
    if p.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: the buffer holds `len` bytes while the string lives.
    unsafe { std::slice::from_raw_parts(p.cast(), len) }
}

impl Ctx {
    /// # Safety
    /// `p` is the context of a callback that is running now.
    pub unsafe fn new(p: *mut RawCtx) -> Ctx {
        Ctx(p)
    }

    /// `RedisModule_Init`: fills the API table and names the module.
    ///
    /// # Safety
    /// `self` is the context Redis passed to `RedisModule_OnLoad`.
    pub unsafe fn init(self, name: &str, version: i32) -> Result<(), &'static str> {
        // SAFETY: the first word of the OnLoad context is GetApi.
        let get_api: GetApiFn = unsafe {
            let first = *(self.0 as *const *const c_void);
            if first.is_null() {
                return Err("no RedisModule_GetApi in the context");
            }
            std::mem::transmute::<*const c_void, GetApiFn>(first)
        };
        if API.get().is_none() {
            // SAFETY: get_api is Redis's GetApi.
            let table = unsafe { Api::lookup(get_api)? };
            let _ = API.set(table);
        }
        let name = cstr(name.as_bytes());
        // SAFETY: a valid context and C string.
        unsafe { (api().SetModuleAttribs)(self.0, name.as_ptr(), version, APIVER_1) };
        Ok(())
    }

    /// `RM_CreateCommand`; false when the name is taken.
    pub fn create_command(
        &self,
        name: &str,
        f: CmdFunc,
        flags: &str,
        keys: (i32, i32, i32),
    ) -> bool {
        let n = cstr(name.as_bytes());
        let fl = cstr(flags.as_bytes());
        // SAFETY: valid context and C strings; f has the callback type.
        unsafe {
            (api().CreateCommand)(self.0, n.as_ptr(), f, fl.as_ptr(), keys.0, keys.1, keys.2) == OK
        }
    }

    /// `RM_Call(ctx, argv[0], "<b...|v><flags>", argv[1..])`; `read` gets
    /// the reply's RESP bytes (valid only during `read`).
    ///
    /// The common call (a short name, at most four arguments) is the
    /// straight line below; longer ones go through [`Ctx::call_vector`],
    /// out of line, so the hot path stays a few cache lines.
    #[inline]
    pub fn call<R>(
        &self,
        argv: &[&[u8]],
        flags: &[u8],
        read: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, i32> {
        let Some((name, rest)) = argv.split_first() else {
            return Err(0);
        };
        // Command names and flags are short: C strings on the stack.
        let mut name_buf = [0u8; 32];
        if rest.len() > 4 || name.len() >= name_buf.len() || flags.len() > 10 {
            return self.call_vector(name, rest, flags, read);
        }
        name_buf[..name.len()].copy_from_slice(name);
        // (A NUL inside the name cuts it there, as a C string would.)
        let name_ptr = name_buf.as_ptr().cast::<c_char>();
        // One "b" per argument: Redis makes its strings from the buffers
        // directly.
        let mut fmt = [0u8; 16];
        fmt[..rest.len()].fill(b'b');
        fmt[rest.len()..rest.len() + flags.len()].copy_from_slice(flags);
        let f = fmt.as_ptr().cast::<c_char>();
        let b = |i: usize| -> (*const c_char, usize) { (rest[i].as_ptr().cast(), rest[i].len()) };
        let a = api();
        // SAFETY: each "b" takes a buffer and its length, as passed; the
        // buffers outlive the call; the name and format are NUL-terminated
        // (the arrays are longer than what was copied into them).
        let reply = unsafe {
            match rest.len() {
                0 => (a.Call)(self.0, name_ptr, f),
                1 => (a.Call)(self.0, name_ptr, f, b(0).0, b(0).1),
                2 => (a.Call)(self.0, name_ptr, f, b(0).0, b(0).1, b(1).0, b(1).1),
                3 => (a.Call)(
                    self.0,
                    name_ptr,
                    f,
                    b(0).0,
                    b(0).1,
                    b(1).0,
                    b(1).1,
                    b(2).0,
                    b(2).1,
                ),
                _ => (a.Call)(
                    self.0,
                    name_ptr,
                    f,
                    b(0).0,
                    b(0).1,
                    b(1).0,
                    b(1).1,
                    b(2).0,
                    b(2).1,
                    b(3).0,
                    b(3).1,
                ),
            }
        };
        // SAFETY: `reply` is what RM_Call just returned.
        unsafe { read_call_reply(reply, read) }
    }

    /// [`Ctx::call`] for a long name or more than four arguments: the
    /// arguments as a vector of module strings ("v").
    #[cold]
    #[inline(never)]
    fn call_vector<R>(
        &self,
        name: &[u8],
        rest: &[&[u8]],
        flags: &[u8],
        read: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, i32> {
        let a = api();
        let name_c = cstr(name);
        let mut fmt = Vec::with_capacity(flags.len() + 2);
        fmt.push(b'v');
        fmt.extend(flags.iter().copied().filter(|&c| c != 0));
        let fmt = cstr(&fmt);
        let mut strings: Vec<*mut RawString> = Vec::with_capacity(rest.len());
        // SAFETY: "v" takes an array of strings and its length, as passed;
        // the strings are made here and freed after the call.
        let reply = unsafe {
            for s in rest {
                strings.push((a.CreateString)(self.0, s.as_ptr().cast(), s.len()));
            }
            (a.Call)(
                self.0,
                name_c.as_ptr(),
                fmt.as_ptr(),
                strings.as_mut_ptr(),
                strings.len(),
            )
        };
        // SAFETY: `reply` is what RM_Call just returned.
        let out = unsafe { read_call_reply(reply, read) };
        for s in strings {
            // SAFETY: created above, not used since.
            unsafe { (a.FreeString)(self.0, s) };
        }
        out
    }

    pub fn reply_integer(&self, n: i64) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithLongLong)(self.0, n) };
    }

    /// An error reply; `msg` holds the code (`ERR ...`), not the dash.
    pub fn reply_error(&self, msg: &[u8]) {
        let m = cstr(msg);
        // SAFETY: a valid context and C string.
        unsafe { (api().ReplyWithError)(self.0, m.as_ptr()) };
    }

    pub fn reply_status(&self, msg: &[u8]) {
        let m = cstr(msg);
        // SAFETY: a valid context and C string.
        unsafe { (api().ReplyWithSimpleString)(self.0, m.as_ptr()) };
    }

    pub fn reply_array(&self, n: usize) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithArray)(self.0, n as c_long) };
    }

    pub fn reply_map(&self, n: usize) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithMap)(self.0, n as c_long) };
    }

    pub fn reply_set(&self, n: usize) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithSet)(self.0, n as c_long) };
    }

    pub fn reply_bulk(&self, b: &[u8]) {
        // SAFETY: a valid context; the buffer has that length.
        unsafe { (api().ReplyWithStringBuffer)(self.0, b.as_ptr().cast(), b.len()) };
    }

    pub fn reply_null(&self) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithNull)(self.0) };
    }

    pub fn reply_null_array(&self) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithNullArray)(self.0) };
    }

    pub fn reply_double(&self, d: f64) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithDouble)(self.0, d) };
    }

    pub fn reply_bool(&self, b: bool) {
        // SAFETY: a valid context.
        unsafe { (api().ReplyWithBool)(self.0, b as c_int) };
    }

    pub fn reply_big_number(&self, digits: &[u8]) {
        // SAFETY: a valid context; the buffer has that length.
        unsafe { (api().ReplyWithBigNumber)(self.0, digits.as_ptr().cast(), digits.len()) };
    }

    pub fn reply_verbatim(&self, format: &[u8; 3], text: &[u8]) {
        let f = cstr(format);
        // SAFETY: a valid context; buffer with its length; a C string.
        unsafe {
            (api().ReplyWithVerbatimStringType)(
                self.0,
                text.as_ptr().cast(),
                text.len(),
                f.as_ptr(),
            )
        };
    }

    pub fn selected_db(&self) -> i64 {
        // SAFETY: a valid context.
        unsafe { (api().GetSelectedDb)(self.0) as i64 }
    }

    /// Selects `db` for the calling client; false when out of range.
    pub fn select_db(&self, db: i64) -> bool {
        let Ok(n) = c_int::try_from(db) else {
            return false;
        };
        // SAFETY: a valid context.
        unsafe { (api().SelectDb)(self.0, n) == OK }
    }

    pub fn context_flags(&self) -> i32 {
        // SAFETY: a valid context.
        unsafe { (api().GetContextFlags)(self.0) }
    }

    /// `RM_Yield` serving other clients, who get `-BUSY <busy_reply>`.
    pub fn yield_to_clients(&self, busy_reply: &[u8]) {
        let m = cstr(busy_reply);
        // SAFETY: a valid context; Redis copies nothing past the call but
        // keeps the pointer only while it yields inside this call.
        unsafe { (api().Yield)(self.0, YIELD_FLAG_CLIENTS, m.as_ptr()) };
    }

    /// `RM_Log` at `level` ("debug", "verbose", "notice", "warning").
    pub fn log(&self, level: &str, msg: &[u8]) {
        let l = cstr(level.as_bytes());
        let m = cstr(msg);
        // SAFETY: the format "%s" takes one C string. A null context
        // logs without the module name, which Redis accepts.
        unsafe { (api().Log)(self.0, l.as_ptr(), c"%s".as_ptr(), m.as_ptr()) };
    }

    /// Whether Redis called the command only to learn its keys.
    pub fn is_keys_position_request(&self) -> bool {
        // SAFETY: a valid context.
        unsafe { (api().IsKeysPositionRequest)(self.0) != 0 }
    }

    pub fn key_at_pos(&self, pos: usize) {
        if let Ok(p) = c_int::try_from(pos) {
            // SAFETY: a valid context.
            unsafe { (api().KeyAtPos)(self.0, p) };
        }
    }

    /// Whether the calling client's user may run `argv` (ACL rules,
    /// keys and channels included).
    pub fn acl_allows(&self, argv: &[&[u8]]) -> bool {
        let a = api();
        // SAFETY: a valid context; every object made here is freed here.
        unsafe {
            let name = (a.GetCurrentUserName)(self.0);
            if name.is_null() {
                return true; // no user: Redis itself runs the command
            }
            let user = (a.GetModuleUserFromUserName)(name);
            (a.FreeString)(self.0, name);
            if user.is_null() {
                return false;
            }
            let mut strings: Vec<*mut RawString> = argv
                .iter()
                .map(|s| (a.CreateString)(self.0, s.as_ptr().cast(), s.len()))
                .collect();
            let ok =
                (a.ACLCheckCommandPermissions)(user, strings.as_mut_ptr(), strings.len() as c_int)
                    == OK;
            for s in strings {
                (a.FreeString)(self.0, s);
            }
            (a.FreeModuleUser)(user);
            ok
        }
    }

    /// Registers the INFO section callback.
    pub fn register_info(&self, f: InfoFunc) -> bool {
        // SAFETY: a valid context; f has the callback type.
        unsafe { (api().RegisterInfoFunc)(self.0, f) == OK }
    }

    /// Creates the data type whose aux records carry the function
    /// libraries in RDB files (saved before the keyspace).
    /// `rewrite` is its `aof_rewrite`, called for the marker key
    /// ([`Ctx::add_marker_key`]).
    pub fn create_aux_type(
        &self,
        name: &str,
        encver: i32,
        load: AuxLoad,
        save: AuxSave,
        rewrite: AofRewrite,
    ) -> bool {
        let n = cstr(name.as_bytes());
        let mut tm = TypeMethods {
            version: 2,
            rdb_load: Some(type_rdb_load),
            rdb_save: Some(type_rdb_save),
            aof_rewrite: Some(rewrite),
            mem_usage: ptr::null(),
            digest: ptr::null(),
            free: Some(type_free),
            aux_load: Some(load),
            aux_save: Some(save),
            aux_save_triggers: AUX_BEFORE_RDB,
        };
        // SAFETY: Redis copies the methods it reads during the call.
        let t = unsafe { (api().CreateDataType)(self.0, n.as_ptr(), encver, &mut tm) };
        DATA_TYPE.store(t, std::sync::atomic::Ordering::Relaxed);
        !t.is_null()
    }

    /// Adds a key named `name` holding a value of the module's data type
    /// to database `db`, unless a key of that name exists (false then).
    /// Only for a forked child about to rewrite the AOF: the key makes
    /// Redis call the type's `aof_rewrite`, and dies with the child.
    pub fn add_marker_key(&self, db: i32, name: &[u8]) -> bool {
        let a = api();
        let t = DATA_TYPE.load(std::sync::atomic::Ordering::Relaxed);
        if t.is_null() {
            return false;
        }
        const READ_WRITE: c_int = (1 << 0) | (1 << 1);
        const KEYTYPE_EMPTY: c_int = 0;
        // SAFETY: a valid context; the string and the key are released
        // here; the value is a static the type's callbacks never touch.
        unsafe {
            if (a.SelectDb)(self.0, db) != OK {
                return false;
            }
            let s = (a.CreateString)(self.0, name.as_ptr().cast(), name.len());
            let key = (a.OpenKey)(self.0, s, READ_WRITE);
            let mut added = false;
            if !key.is_null() {
                if (a.KeyType)(key) == KEYTYPE_EMPTY {
                    let value = ptr::addr_of!(MARKER).cast_mut().cast::<c_void>();
                    added = (a.ModuleTypeSetValue)(key, t, value) == OK;
                }
                (a.CloseKey)(key);
            }
            (a.FreeString)(self.0, s);
            added
        }
    }

    /// Registers a numeric module config `<module>.<name>`.
    pub fn register_numeric_config(
        &self,
        name: &str,
        default: i64,
        min: i64,
        max: i64,
        get: ConfigGetNum,
        set: ConfigSetNum,
    ) -> bool {
        let n = cstr(name.as_bytes());
        // SAFETY: valid context and C string; the callbacks have the
        // config callback types; no private data.
        unsafe {
            (api().RegisterNumericConfig)(
                self.0,
                n.as_ptr(),
                default,
                CONFIG_DEFAULT,
                min,
                max,
                get,
                set,
                ptr::null(),
                ptr::null_mut(),
            ) == OK
        }
    }

    /// Applies the module configs given on the command line or in the
    /// config file.
    pub fn load_configs(&self) -> bool {
        // SAFETY: a valid context.
        unsafe { (api().LoadConfigs)(self.0) == OK }
    }

    /// Calls `f` with the subevent when Redis starts (0, 1, 2) or ends (3,
    /// 4) loading a data set (an RDB file, an AOF, or a full sync from a
    /// master): `RedisModuleEvent_Loading`.
    pub fn on_loading_start(&self, f: unsafe extern "C" fn(*mut RawCtx, u64)) -> bool {
        self.subscribe(3, f)
    }

    /// Calls `f` with the subevent when Redis starts (0: a background RDB
    /// save, 1: an AOF rewrite, 2: a foreground save) or ends (3, 4)
    /// persisting: `RedisModuleEvent_Persistence`. The starts of
    /// background saves are reported in the forked child.
    pub fn on_persistence(&self, f: unsafe extern "C" fn(*mut RawCtx, u64)) -> bool {
        self.subscribe(1, f)
    }

    fn subscribe(&self, id: u64, f: unsafe extern "C" fn(*mut RawCtx, u64)) -> bool {
        let trampoline: EventFunc = match id {
            1 => {
                PERSISTENCE_CB.with(|c| c.set(Some(f)));
                persistence_trampoline
            }
            _ => {
                LOADING_CB.with(|c| c.set(Some(f)));
                loading_trampoline
            }
        };
        // SAFETY: a valid context; the event id with version 1.
        unsafe {
            (api().SubscribeToServerEvent)(self.0, Event { id, dataver: 1 }, trampoline) == OK
        }
    }

    /// Sees every command before it runs (a command filter).
    pub fn register_filter(&self, f: FilterFunc) -> bool {
        // SAFETY: a valid context; REDISMODULE_CMDFILTER_NOSELF: not for
        // the commands this module runs through RM_Call (a script cannot
        // call the commands the filter looks at: they are all noscript).
        unsafe { !(api().RegisterCommandFilter)(self.0, f, 1).is_null() }
    }

    /// A context of the module's own that lives as long as the process
    /// (`RM_GetDetachedThreadSafeContext`), for `RM_Call`s made where
    /// Redis passes no context (the command filter). Only ever used on
    /// Redis's main thread, so it needs no lock.
    pub fn detached(&self) -> Option<Ctx> {
        // SAFETY: a valid context; the detached context is never freed
        // (the module cannot be unloaded: it exports a data type).
        let p = unsafe { (api().GetDetachedThreadSafeContext)(self.0) };
        (!p.is_null()).then_some(Ctx(p))
    }

    /// Propagates the running command as the client sent it.
    pub fn replicate_verbatim(&self) {
        // SAFETY: a valid context.
        unsafe { (api().ReplicateVerbatim)(self.0) };
    }
}

thread_local! {
    static LOADING_CB: std::cell::Cell<Option<unsafe extern "C" fn(*mut RawCtx, u64)>> =
        const { std::cell::Cell::new(None) };
}

thread_local! {
    static PERSISTENCE_CB: std::cell::Cell<Option<unsafe extern "C" fn(*mut RawCtx, u64)>> =
        const { std::cell::Cell::new(None) };
}

unsafe extern "C" fn persistence_trampoline(
    ctx: *mut RawCtx,
    _e: Event,
    sub: u64,
    _d: *mut c_void,
) {
    if let Some(f) = PERSISTENCE_CB.with(|c| c.get()) {
        // SAFETY: the callback takes the context Redis passed here.
        unsafe { f(ctx, sub) };
    }
}

/// Subevents of the loading event: 0, 1, 2 start an RDB, AOF or
/// replication load, 3 and 4 end one (done, failed).
unsafe extern "C" fn loading_trampoline(ctx: *mut RawCtx, _e: Event, sub: u64, _d: *mut c_void) {
    if let Some(f) = LOADING_CB.with(|c| c.get()) {
        // SAFETY: the callback takes the context Redis passed here.
        unsafe { f(ctx, sub) };
    }
}

/// A Redis string made once and kept for the life of the process (the
/// module's command names), shared with every command that uses it.
pub struct SharedString(*mut RawString);

impl SharedString {
    /// Creates it (after OnLoad filled the API table).
    pub fn new(v: &[u8]) -> SharedString {
        // SAFETY: a string made without a context belongs to nobody and is
        // never freed: it lives as long as the module, which cannot be
        // unloaded (it exports a data type).
        SharedString(unsafe { (api().CreateString)(ptr::null_mut(), v.as_ptr().cast(), v.len()) })
    }
}

/// A command filter's view of one command.
#[derive(Clone, Copy)]
pub struct FilterCtx(*mut RawFilterCtx);

impl FilterCtx {
    /// # Safety
    /// `p` is the context of the filter callback running now.
    pub unsafe fn new(p: *mut RawFilterCtx) -> FilterCtx {
        FilterCtx(p)
    }

    pub fn len(&self) -> usize {
        // SAFETY: a valid filter context.
        unsafe { (api().CommandFilterArgsCount)(self.0).max(0) as usize }
    }

    /// The bytes of argument `i` (empty past the end).
    pub fn arg(&self, i: usize) -> &[u8] {
        let Ok(i) = c_int::try_from(i) else {
            return &[];
        };
        // SAFETY: RM_CommandFilterArgGet checks the position (NULL past
        // the end); the string lives while the filter runs.
        unsafe {
            let s = (api().CommandFilterArgGet)(self.0, i);
            if s.is_null() {
                return &[];
            }
            string_bytes(s)
        }
    }
}

impl FilterCtx {
    /// Replaces argument `i` with a string made once ([`SharedString`]):
    /// no allocation per command.
    pub fn replace_shared(&self, i: usize, v: &SharedString) {
        // SAFETY: the shared string lives for the process; the filter
        // gives Redis one more reference to it, which Redis drops with the
        // command.
        unsafe {
            (api().RetainString)(ptr::null_mut(), v.0);
            (api().CommandFilterArgReplace)(self.0, i as c_int, v.0);
        }
    }

    /// Inserts `v` before argument `i` (`i == len()` appends).
    pub fn insert(&self, i: usize, v: &[u8]) {
        // SAFETY: a string made without a context belongs to nobody; the
        // filter hands it to Redis, which frees it with the command.
        unsafe {
            let s = (api().CreateString)(ptr::null_mut(), v.as_ptr().cast(), v.len());
            (api().CommandFilterArgInsert)(self.0, i as c_int, s);
        }
    }
}

/// An INFO callback's context.
#[derive(Clone, Copy)]
pub struct InfoCtx(*mut RawInfoCtx);

impl InfoCtx {
    /// # Safety
    /// `p` is the context of the INFO callback running now.
    pub unsafe fn new(p: *mut RawInfoCtx) -> InfoCtx {
        InfoCtx(p)
    }

    /// Starts a section; false when INFO did not ask for it.
    pub fn section(&self, name: &str) -> bool {
        let n = cstr(name.as_bytes());
        // SAFETY: a valid info context and C string.
        unsafe { (api().InfoAddSection)(self.0, n.as_ptr()) == OK }
    }

    pub fn field_int(&self, name: &str, v: i64) {
        let n = cstr(name.as_bytes());
        // SAFETY: a valid info context and C string.
        unsafe { (api().InfoAddFieldLongLong)(self.0, n.as_ptr(), v) };
    }

    pub fn field_str(&self, name: &str, v: &[u8]) {
        let n = cstr(name.as_bytes());
        let s = cstr(v);
        // SAFETY: a valid info context and C strings.
        unsafe { (api().InfoAddFieldCString)(self.0, n.as_ptr(), s.as_ptr()) };
    }
}

/// An RDB reader or writer handed to the aux callbacks.
#[derive(Clone, Copy)]
pub struct Io(*mut RawIo);

impl Io {
    /// # Safety
    /// `p` is the IO of the aux callback running now.
    pub unsafe fn new(p: *mut RawIo) -> Io {
        Io(p)
    }

    pub fn save_unsigned(&self, v: u64) {
        // SAFETY: a valid IO.
        unsafe { (api().SaveUnsigned)(self.0, v) };
    }

    pub fn save_bytes(&self, b: &[u8]) {
        // SAFETY: a valid IO; the buffer has that length.
        unsafe { (api().SaveStringBuffer)(self.0, b.as_ptr().cast(), b.len()) };
    }

    /// None on a read error (a truncated or corrupt file).
    pub fn load_unsigned(&self) -> Option<u64> {
        // SAFETY: a valid IO.
        let v = unsafe { (api().LoadUnsigned)(self.0) };
        self.ok().then_some(v)
    }

    /// None on a read error.
    pub fn load_bytes(&self) -> Option<Vec<u8>> {
        let a = api();
        let mut len = 0usize;
        // SAFETY: a valid IO; the returned buffer (allocated by Redis)
        // holds `len` bytes and is freed with RM_Free after the copy.
        unsafe {
            let p = (a.LoadStringBuffer)(self.0, &mut len);
            if !self.ok() || p.is_null() {
                return None;
            }
            let v = std::slice::from_raw_parts(p.cast::<u8>(), len).to_vec();
            (a.Free)(p.cast());
            Some(v)
        }
    }

    /// Writes the command `name args...` into the AOF being rewritten
    /// (`RM_EmitAOF`; only in a data type's `aof_rewrite`).
    pub fn emit_aof(&self, name: &str, args: &[&[u8]]) {
        let a = api();
        let n = cstr(name.as_bytes());
        let mut strings: Vec<*mut RawString> = args
            .iter()
            // SAFETY: a string made without a context, freed below.
            .map(|s| unsafe { (a.CreateString)(ptr::null_mut(), s.as_ptr().cast(), s.len()) })
            .collect();
        // SAFETY: a valid IO of an aof_rewrite callback; "v" takes an
        // array of strings and its length; Redis keeps its own references.
        unsafe {
            (a.EmitAOF)(
                self.0,
                n.as_ptr(),
                c"v".as_ptr(),
                strings.as_mut_ptr(),
                strings.len(),
            );
            for s in strings {
                (a.FreeString)(ptr::null_mut(), s);
            }
        }
    }

    fn ok(&self) -> bool {
        // SAFETY: a valid IO.
        unsafe { (api().IsIOError)(self.0) == 0 }
    }
}

/// Runs `f`, turning a Rust panic into `None`: no panic may unwind into
/// Redis's C frames.
pub fn catch<R>(f: impl FnOnce() -> R) -> Option<R> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// Sets the string a config setter reports as its error.
///
/// # Safety
/// `err` is the error out-parameter of a config setter.
pub unsafe fn set_config_error(err: *mut *mut RawString, msg: &[u8]) {
    if err.is_null() {
        return;
    }
    // SAFETY: a null context creates an unowned string, which Redis frees
    // after reporting it.
    unsafe { *err = (api().CreateString)(ptr::null_mut(), msg.as_ptr().cast(), msg.len()) };
}
