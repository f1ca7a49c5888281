//! Rust values as Lua userdata: the [`UserData`] trait, its method and
//! field registries, and borrowing a userdata back from Lua.

use std::any::TypeId;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::rc::Rc;

use crate::conv::{FromLua, FromLuaMulti, IntoLua, IntoLuaMulti};
use crate::error::{Error, Result};
use crate::func::{cb, native_of, Callback};
use crate::value::{AnyUserData, Table, Value};
use crate::{LuaState, MaybeSend, MaybeSync, RawValue};
use ferrous_vm::Native;

/// A Rust type Lua code can hold and use: its methods, fields and
/// metamethods are declared once per type; values are created with
/// [`LuaState::create_userdata`] (or converted with [`IntoLua`]). The value is
/// dropped (Rust `Drop`) when Lua collects the userdata or the state
/// closes, and the collector counts its size.
///
/// ```
/// use ferrous_lua::{Lua, UserData, UserDataFields, UserDataMethods};
///
/// struct Point {
///     x: f64,
///     y: f64,
/// }
/// impl UserData for Point {
///     fn add_fields(fields: &mut UserDataFields<Self>) {
///         fields.add_field_method_get("x", |_, p| Ok(p.x));
///     }
///     fn add_methods(methods: &mut UserDataMethods<Self>) {
///         methods.add_method("norm", |_, p, ()| Ok((p.x * p.x + p.y * p.y).sqrt()));
///     }
/// }
///
/// let mut lua = Lua::new();
/// let p = lua.create_userdata(Point { x: 3.0, y: 4.0 }).unwrap();
/// lua.set_global("p", p).unwrap();
/// assert_eq!(lua.load("return p.x + p:norm()").eval::<f64>().unwrap(), 8.0);
/// ```
pub trait UserData: Sized + MaybeSend + 'static {
    /// The name Lua's error messages use for the type
    /// (`bad argument #1 to 'f' (Point expected, got table)`). Default:
    /// the type's own name without its module path.
    fn type_name() -> &'static str {
        let full = std::any::type_name::<Self>();
        let end = full.find('<').unwrap_or(full.len());
        let start = full[..end].rfind("::").map_or(0, |i| i + 2);
        &full[start..]
    }

    /// Declares fields (`obj.x`, `obj.x = v`).
    fn add_fields(fields: &mut UserDataFields<Self>) {
        let _ = fields;
    }

    /// Declares methods (`obj:m(...)`) and metamethods.
    fn add_methods(methods: &mut UserDataMethods<Self>) {
        let _ = methods;
    }
}

/// Metamethods a userdata type can define.
///
/// ```
/// use ferrous_lua::{Lua, MetaMethod, UserData, UserDataMethods};
///
/// struct Money(i64);
/// impl UserData for Money {
///     fn add_methods(methods: &mut UserDataMethods<Self>) {
///         methods.add_meta_method(MetaMethod::ToString, |_, m, ()| {
///             Ok(format!("${}.{:02}", m.0 / 100, m.0 % 100))
///         });
///     }
/// }
///
/// assert_eq!(MetaMethod::ToString.name(), "__tostring");
/// let mut lua = Lua::new();
/// lua.set_global("m", Money(1234)).unwrap();
/// assert_eq!(lua.load("return tostring(m)").eval::<String>().unwrap(), "$12.34");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetaMethod {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// unary `-`
    Unm,
    /// `..`
    Concat,
    /// `#`
    Len,
    /// `==` (between two userdata)
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// calling the value
    Call,
    /// `tostring`
    ToString,
    /// reading a key no field or method has
    Index,
    /// writing a key no field has
    NewIndex,
    /// the collector is about to free the value (Lua's finalizer; Rust's
    /// `Drop` runs afterwards in any case)
    Gc,
}

impl MetaMethod {
    /// The metatable key (`"__add"`...).
    pub fn name(self) -> &'static str {
        match self {
            MetaMethod::Add => "__add",
            MetaMethod::Sub => "__sub",
            MetaMethod::Mul => "__mul",
            MetaMethod::Div => "__div",
            MetaMethod::Mod => "__mod",
            MetaMethod::Pow => "__pow",
            MetaMethod::Unm => "__unm",
            MetaMethod::Concat => "__concat",
            MetaMethod::Len => "__len",
            MetaMethod::Eq => "__eq",
            MetaMethod::Lt => "__lt",
            MetaMethod::Le => "__le",
            MetaMethod::Call => "__call",
            MetaMethod::ToString => "__tostring",
            MetaMethod::Index => "__index",
            MetaMethod::NewIndex => "__newindex",
            MetaMethod::Gc => "__gc",
        }
    }
}

/// The cell a userdata holds (shared so a method can borrow it while it
/// calls back into Lua, and a [`UserDataRef`] can keep it).
type Cell<T> = Shared<UdCell<T>>;

/// The owner of a userdata's cell: `Rc` normally, `Arc` with the feature
/// `send`, where a [`UserDataRef`] may outlive a move of the state to
/// another thread.
#[cfg(not(feature = "send"))]
type Shared<T> = Rc<T>;
#[cfg(feature = "send")]
type Shared<T> = std::sync::Arc<T>;

/// The borrow count: > 0 shared borrows, -1 a mutable one. Atomic with the
/// feature `send` (a borrow held on one thread is seen by the state on
/// another).
#[cfg(not(feature = "send"))]
struct Flag(std::cell::Cell<isize>);
#[cfg(feature = "send")]
struct Flag(std::sync::atomic::AtomicIsize);

#[cfg(not(feature = "send"))]
impl Flag {
    fn new() -> Flag {
        Flag(std::cell::Cell::new(0))
    }
    #[inline]
    fn try_shared(&self) -> bool {
        let n = self.0.get();
        if n < 0 || n == isize::MAX {
            return false;
        }
        self.0.set(n + 1);
        true
    }
    #[inline]
    fn try_exclusive(&self) -> bool {
        if self.0.get() != 0 {
            return false;
        }
        self.0.set(-1);
        true
    }
    #[inline]
    fn end_shared(&self) {
        self.0.set(self.0.get() - 1);
    }
    #[inline]
    fn end_exclusive(&self) {
        self.0.set(0);
    }
}

#[cfg(feature = "send")]
impl Flag {
    fn new() -> Flag {
        Flag(std::sync::atomic::AtomicIsize::new(0))
    }
    #[inline]
    fn try_shared(&self) -> bool {
        use std::sync::atomic::Ordering::{Acquire, Relaxed};
        let mut n = self.0.load(Relaxed);
        loop {
            if n < 0 || n == isize::MAX {
                return false;
            }
            match self.0.compare_exchange_weak(n, n + 1, Acquire, Relaxed) {
                Ok(_) => return true,
                Err(now) => n = now,
            }
        }
    }
    #[inline]
    fn try_exclusive(&self) -> bool {
        use std::sync::atomic::Ordering::{Acquire, Relaxed};
        self.0.compare_exchange(0, -1, Acquire, Relaxed).is_ok()
    }
    #[inline]
    fn end_shared(&self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::Release);
    }
    #[inline]
    fn end_exclusive(&self) {
        self.0.store(0, std::sync::atomic::Ordering::Release);
    }
}

/// A userdata's value with its borrow count (a `RefCell` whose count is
/// atomic with the feature `send`).
struct UdCell<T> {
    flag: Flag,
    value: std::cell::UnsafeCell<T>,
}

impl<T> UdCell<T> {
    fn new(v: T) -> Self {
        UdCell {
            flag: Flag::new(),
            value: std::cell::UnsafeCell::new(v),
        }
    }
}

/// A shared borrow of a cell (the count is taken while this lives).
struct SharedGuard<T> {
    cell: Cell<T>,
}

impl<T> SharedGuard<T> {
    fn new(cell: Cell<T>) -> Result<Self> {
        if cell.flag.try_shared() {
            Ok(SharedGuard { cell })
        } else {
            Err(Error::UserDataBorrow)
        }
    }
    #[inline]
    fn get(&self) -> &T {
        // SAFETY: the count holds a shared borrow, so no `&mut T` exists
        // until this guard ends it; the cell lives as long as `self.cell`.
        unsafe { &*self.cell.value.get() }
    }
}

impl<T> Drop for SharedGuard<T> {
    fn drop(&mut self) {
        self.cell.flag.end_shared();
    }
}

/// A mutable borrow of a cell.
struct MutGuard<T> {
    cell: Cell<T>,
}

impl<T> MutGuard<T> {
    fn new(cell: Cell<T>) -> Result<Self> {
        if cell.flag.try_exclusive() {
            Ok(MutGuard { cell })
        } else {
            Err(Error::UserDataBorrowMut)
        }
    }
    #[inline]
    fn get(&self) -> &T {
        // SAFETY: the count holds the only borrow, which this guard owns.
        unsafe { &*self.cell.value.get() }
    }
    #[inline]
    fn get_mut(&mut self) -> &mut T {
        // SAFETY: the count holds the only borrow, which this guard owns,
        // and `&mut self` makes this the only reference made through it.
        unsafe { &mut *self.cell.value.get() }
    }
}

impl<T> Drop for MutGuard<T> {
    fn drop(&mut self) {
        self.cell.flag.end_exclusive();
    }
}

/// The payload of a facade userdata: the value's cell, or `None` once
/// [`AnyUserData::take`] moved the value out.
struct UdBox<T>(Option<Cell<T>>);

/// The cell of argument `pos` (at stack slot `slot`), or Lua's type error.
fn cell_at<T: UserData>(
    lua: &mut LuaState,
    slot: usize,
    present: bool,
    pos: usize,
) -> Result<Cell<T>> {
    let raw = if present {
        lua.vm.stack_get(slot)
    } else {
        return Err(Error::BadArgument {
            pos,
            cause: std::sync::Arc::new(Error::from_lua("no value", T::type_name())),
        });
    };
    cell_of::<T>(lua, raw).map_err(|e| Error::BadArgument {
        pos,
        cause: std::sync::Arc::new(e),
    })
}

fn cell_of<T: UserData>(lua: &mut LuaState, raw: RawValue) -> Result<Cell<T>> {
    if let RawValue::Userdata(u) = raw {
        if let Some(b) = lua
            .vm
            .heap
            .userdata(u)
            .and_then(|ud| ud.payload().downcast_ref::<UdBox<T>>())
        {
            return b.0.clone().ok_or(Error::UserDataDestructed);
        }
    }
    Err(Error::from_lua(raw.type_name(), T::type_name()))
}

/// The methods and metamethods of a userdata type.
///
/// ```
/// use ferrous_lua::{Lua, UserData, UserDataMethods};
///
/// struct Counter(i64);
/// impl UserData for Counter {
///     fn add_methods(methods: &mut UserDataMethods<Self>) {
///         methods.add_method_mut("bump", |_, c, by: i64| {
///             c.0 += by;
///             Ok(c.0)
///         });
///         methods.add_method("get", |_, c, ()| Ok(c.0));
///     }
/// }
///
/// let mut lua = Lua::new();
/// lua.set_global("c", Counter(0)).unwrap();
/// assert_eq!(lua.load("c:bump(2) c:bump(3) return c:get()").eval::<i64>().unwrap(), 5);
/// ```
pub struct UserDataMethods<T> {
    methods: Vec<(String, Native)>,
    meta: Vec<(MetaMethod, Callback)>,
    _t: PhantomData<fn(T)>,
}

/// The fields of a userdata type.
///
/// ```
/// use ferrous_lua::{Lua, UserData, UserDataFields};
///
/// struct Window {
///     width: u32,
/// }
/// impl UserData for Window {
///     fn add_fields(fields: &mut UserDataFields<Self>) {
///         fields.add_field("kind", "window");
///         fields.add_field_method_get("width", |_, w| Ok(w.width));
///         fields.add_field_method_set("width", |_, w, v: u32| {
///             w.width = v;
///             Ok(())
///         });
///     }
/// }
///
/// let mut lua = Lua::new();
/// lua.set_global("w", Window { width: 80 }).unwrap();
/// let s: String = lua.load("w.width = w.width * 2 return w.kind .. w.width").eval().unwrap();
/// assert_eq!(s, "window160");
/// ```
pub struct UserDataFields<T> {
    getters: Vec<(String, Callback)>,
    setters: Vec<(String, Callback)>,
    _t: PhantomData<fn(T)>,
}

fn method_cb<T, A, R, F>(
    f: F,
) -> impl Fn(&mut LuaState, usize, usize) -> crate::func::CbResult + 'static
where
    T: UserData,
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&mut LuaState, &T, A) -> Result<R> + MaybeSend + 'static,
{
    move |lua: &mut LuaState, base: usize, n: usize| {
        cb((|| {
            let this = cell_at::<T>(lua, base, n > 0, 1)?;
            let a = A::from_stack(lua, base + 1, n.saturating_sub(1), 2)?;
            let r = {
                let g = SharedGuard::new(this)?;
                f(lua, g.get(), a)?
            };
            r.push_into(lua)
        })())
    }
}

fn method_mut_cb<T, A, R, F>(
    f: F,
) -> impl Fn(&mut LuaState, usize, usize) -> crate::func::CbResult + 'static
where
    T: UserData,
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&mut LuaState, &mut T, A) -> Result<R> + MaybeSend + 'static,
{
    move |lua: &mut LuaState, base: usize, n: usize| {
        cb((|| {
            let this = cell_at::<T>(lua, base, n > 0, 1)?;
            let a = A::from_stack(lua, base + 1, n.saturating_sub(1), 2)?;
            let r = {
                let mut g = MutGuard::new(this)?;
                f(lua, g.get_mut(), a)?
            };
            r.push_into(lua)
        })())
    }
}

fn function_cb<A, R, F>(
    f: F,
) -> impl Fn(&mut LuaState, usize, usize) -> crate::func::CbResult + 'static
where
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&mut LuaState, A) -> Result<R> + MaybeSend + 'static,
{
    move |lua: &mut LuaState, base: usize, n: usize| {
        cb((|| {
            let a = A::from_stack(lua, base, n, 1)?;
            f(lua, a)?.push_into(lua)
        })())
    }
}

impl<T: UserData> UserDataMethods<T> {
    /// A method receiving `&T` (`obj:name(args)`).
    pub fn add_method<A, R, F>(&mut self, name: impl Into<String>, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, &T, A) -> Result<R> + MaybeSend + 'static,
    {
        self.methods.push((name.into(), native_of(method_cb(f))));
    }

    /// A method receiving `&mut T`. Calling it while the value is
    /// borrowed (from inside another of its methods) is an
    /// [`Error::UserDataBorrowMut`].
    pub fn add_method_mut<A, R, F>(&mut self, name: impl Into<String>, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, &mut T, A) -> Result<R> + MaybeSend + 'static,
    {
        self.methods
            .push((name.into(), native_of(method_mut_cb(f))));
    }

    /// A function in the method table that does not take `self`
    /// (`Type.name(args)` style).
    ///
    /// ```
    /// use ferrous_lua::{Lua, UserData, UserDataMethods};
    /// struct P(f64);
    /// impl UserData for P {
    ///     fn add_methods(m: &mut UserDataMethods<Self>) {
    ///         m.add_function("new", |_, x: f64| Ok(P(x)));
    ///         m.add_method("get", |_, p, ()| Ok(p.0));
    ///     }
    /// }
    /// let mut lua = Lua::new();
    /// lua.set_global("proto", P(0.0)).unwrap();
    /// assert_eq!(lua.load("return proto.new(3):get()").eval::<f64>().unwrap(), 3.0);
    /// ```
    pub fn add_function<A, R, F>(&mut self, name: impl Into<String>, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, A) -> Result<R> + MaybeSend + 'static,
    {
        self.methods.push((name.into(), native_of(function_cb(f))));
    }

    /// A metamethod receiving `&T` first.
    pub fn add_meta_method<A, R, F>(&mut self, m: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, &T, A) -> Result<R> + MaybeSend + 'static,
    {
        self.meta.push((m, Rc::new(method_cb(f))));
    }

    /// A metamethod receiving `&mut T` first.
    pub fn add_meta_method_mut<A, R, F>(&mut self, m: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, &mut T, A) -> Result<R> + MaybeSend + 'static,
    {
        self.meta.push((m, Rc::new(method_mut_cb(f))));
    }

    /// A metamethod taking all its operands as arguments (for binary
    /// operators where the userdata may be either operand).
    pub fn add_meta_function<A, R, F>(&mut self, m: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut LuaState, A) -> Result<R> + MaybeSend + 'static,
    {
        self.meta.push((m, Rc::new(function_cb(f))));
    }
}

impl<T: UserData> UserDataFields<T> {
    /// A read-only field with a fixed value (`obj.name` reads a copy).
    ///
    /// ```
    /// use ferrous_lua::{Lua, UserData, UserDataFields};
    /// struct Unit;
    /// impl UserData for Unit {
    ///     fn add_fields(f: &mut UserDataFields<Self>) {
    ///         f.add_field("kind", "unit");
    ///     }
    /// }
    /// let mut lua = Lua::new();
    /// lua.set_global("u", Unit).unwrap();
    /// assert_eq!(lua.load("return u.kind").eval::<String>().unwrap(), "unit");
    /// ```
    pub fn add_field<V>(&mut self, name: impl Into<String>, value: V)
    where
        V: IntoLua + Clone + MaybeSend + 'static,
    {
        self.add_field_method_get(name, move |_, _| Ok(value.clone()));
    }

    /// A readable field computed from `&T`.
    pub fn add_field_method_get<R, F>(&mut self, name: impl Into<String>, f: F)
    where
        R: IntoLua,
        F: Fn(&mut LuaState, &T) -> Result<R> + MaybeSend + 'static,
    {
        self.getters.push((
            name.into(),
            Rc::new(method_cb(move |lua, t: &T, (): ()| f(lua, t))),
        ));
    }

    /// A writable field stored into `&mut T`.
    ///
    /// ```
    /// use ferrous_lua::{Lua, UserData, UserDataFields};
    /// struct Cfg { level: u8 }
    /// impl UserData for Cfg {
    ///     fn add_fields(f: &mut UserDataFields<Self>) {
    ///         f.add_field_method_get("level", |_, c| Ok(c.level));
    ///         f.add_field_method_set("level", |_, c, v: u8| { c.level = v; Ok(()) });
    ///     }
    /// }
    /// let mut lua = Lua::new();
    /// lua.set_global("cfg", Cfg { level: 1 }).unwrap();
    /// lua.load("cfg.level = cfg.level + 1").exec().unwrap();
    /// assert_eq!(lua.load("return cfg.level").eval::<u8>().unwrap(), 2);
    /// // A value out of range for the field's type:
    /// assert!(lua.load("cfg.level = 300").exec().is_err());
    /// ```
    pub fn add_field_method_set<V, F>(&mut self, name: impl Into<String>, f: F)
    where
        V: FromLua,
        F: Fn(&mut LuaState, &mut T, V) -> Result<()> + MaybeSend + 'static,
    {
        // The setter is called as __newindex(obj, key, value).
        let setter: Callback = Rc::new(move |lua, base, n| {
            cb((|| {
                let this = cell_at::<T>(lua, base, n > 0, 1)?;
                let raw = lua.vm.stack_get(base + 2);
                let v = V::from_raw(raw, lua).map_err(|e| Error::BadArgument {
                    pos: 3,
                    cause: std::sync::Arc::new(e),
                })?;
                let mut g = MutGuard::new(this)?;
                f(lua, g.get_mut(), v)?;
                Ok(0)
            })())
        });
        self.setters.push((name.into(), setter));
    }
}

fn key_text(lua: &LuaState, raw: RawValue) -> Option<String> {
    match raw {
        RawValue::String(s) => Some(String::from_utf8_lossy(lua.vm.str_bytes(s)).into_owned()),
        _ => None,
    }
}

impl LuaState {
    /// The marker metatable of user-value tables (made once per state).
    fn user_env_mt(&mut self) -> Result<ferrous_vm::TableRef> {
        if let Some(t) = self.st().user_env_mt {
            return Ok(t);
        }
        let t = self.vm.new_table(0, 0).map_err(|e| self.convert_error(e))?;
        // Kept for the life of the state.
        self.vm.heap.pin(RawValue::Table(t));
        self.st().user_env_mt = Some(t);
        Ok(t)
    }

    /// The metatable of userdata type `T` (made once per state).
    fn userdata_meta<T: UserData>(&mut self) -> Result<ferrous_vm::TableRef> {
        if let Some(t) = self.st().ud_meta.get(&TypeId::of::<T>()) {
            return Ok(*t);
        }
        let mut methods = UserDataMethods::<T> {
            methods: Vec::new(),
            meta: Vec::new(),
            _t: PhantomData,
        };
        let mut fields = UserDataFields::<T> {
            getters: Vec::new(),
            setters: Vec::new(),
            _t: PhantomData,
        };
        T::add_fields(&mut fields);
        T::add_methods(&mut methods);

        let mt = self.create_table()?;
        // Kept for the life of the state.
        let RawValue::Table(mt_raw) = mt.to_raw() else {
            return Err(Error::WrongState);
        };
        self.vm.heap.pin(mt.to_raw());
        let table = self.create_table()?;
        for (name, native) in methods.methods {
            let f = self.create_native(native, Vec::new())?;
            table.raw_set(self, name, f)?;
        }
        let mut user_index = None;
        let mut user_newindex = None;
        for (m, cb) in methods.meta {
            match m {
                MetaMethod::Index => user_index = Some(cb),
                MetaMethod::NewIndex => user_newindex = Some(cb),
                other => {
                    let f = self.create_callback(cb, Vec::new())?;
                    mt.raw_set(self, other.name(), f)?;
                }
            }
        }
        mt.raw_set(self, "__name", T::type_name())?;
        if fields.getters.is_empty() && user_index.is_none() {
            mt.raw_set(self, "__index", &table)?;
        } else {
            let getters: HashMap<String, Callback> = fields.getters.into_iter().collect();
            let methods_table = table.clone();
            let index: Callback = Rc::new(move |lua, base, n| -> crate::func::CbResult {
                let key = lua.vm.stack_get(base + 1);
                if let Some(name) = key_text(lua, key) {
                    if let Some(g) = getters.get(&name) {
                        return g(lua, base, 1.min(n));
                    }
                }
                let m: Value = methods_table.raw_get(lua, key)?;
                if !m.is_nil() {
                    let raw = lua.raw_value(&m)?;
                    lua.push_raw(raw)?;
                    return Ok(1);
                }
                match &user_index {
                    Some(f) => f(lua, base, n),
                    None => {
                        lua.push_raw(RawValue::Nil)?;
                        Ok(1)
                    }
                }
            });
            let f = self.create_callback(index, Vec::new())?;
            mt.raw_set(self, "__index", f)?;
        }
        if !fields.setters.is_empty() || user_newindex.is_some() {
            let setters: HashMap<String, Callback> = fields.setters.into_iter().collect();
            let tname = T::type_name();
            let newindex: Callback = Rc::new(move |lua, base, n| -> crate::func::CbResult {
                let key = lua.vm.stack_get(base + 1);
                if let Some(name) = key_text(lua, key) {
                    if let Some(s) = setters.get(&name) {
                        return s(lua, base, n);
                    }
                }
                match &user_newindex {
                    Some(f) => f(lua, base, n),
                    None => Err(Box::new(Error::runtime(format!(
                        "attempt to set unknown field '{}' of {tname}",
                        key_text(lua, key).unwrap_or_else(|| key.type_name().to_string())
                    )))),
                }
            });
            let f = self.create_callback(newindex, Vec::new())?;
            mt.raw_set(self, "__newindex", f)?;
        }
        self.st().ud_meta.insert(TypeId::of::<T>(), mt_raw);
        Ok(mt_raw)
    }

    /// Moves `v` into a new userdata with `T`'s methods, fields and
    /// metamethods.
    pub fn create_userdata<T: UserData>(&mut self, v: T) -> Result<AnyUserData> {
        self.release_pins();
        let mt = self.userdata_meta::<T>()?;
        let size = std::mem::size_of::<T>() + std::mem::size_of::<UdCell<()>>() + 16;
        let cell: Cell<T> = Shared::new(UdCell::new(v));
        let u = self
            .vm
            .new_userdata(Box::new(UdBox(Some(cell))), size)
            .map_err(|e| self.convert_error(e))?;
        let raw = RawValue::Userdata(u);
        let h = AnyUserData(self.pin_raw(raw));
        self.vm
            .set_metatable(raw, Some(mt))
            .map_err(|e| self.convert_error(e))?;
        Ok(h)
    }
}

impl<T: UserData> IntoLua for T {
    fn into_lua(self, lua: &mut LuaState) -> Result<Value> {
        lua.create_userdata(self).map(Value::UserData)
    }
}

impl AnyUserData {
    fn cell<T: UserData>(&self, lua: &mut LuaState) -> Result<Cell<T>> {
        let raw = lua.raw_of(&self.0)?;
        cell_of::<T>(lua, raw)
    }

    /// True when the userdata holds a `T`.
    ///
    /// ```
    /// use ferrous_lua::UserData;
    /// struct A;
    /// impl UserData for A {}
    /// struct B;
    /// impl UserData for B {}
    /// let mut lua = ferrous_lua::Lua::new();
    /// let a = lua.create_userdata(A).unwrap();
    /// assert!(a.is::<A>(&mut lua));
    /// assert!(!a.is::<B>(&mut lua));
    /// assert!(a.borrow::<B>(&mut lua).is_err());
    /// ```
    pub fn is<T: UserData>(&self, lua: &mut LuaState) -> bool {
        self.cell::<T>(lua).is_ok()
    }

    /// Borrows the `T` inside (an error if it holds another type or is
    /// mutably borrowed).
    pub fn borrow<T: UserData + MaybeSync>(&self, lua: &mut LuaState) -> Result<UserDataRef<T>> {
        UserDataRef::new(self.cell::<T>(lua)?)
    }

    /// Borrows the `T` inside mutably (an error if it holds another type
    /// or is borrowed).
    pub fn borrow_mut<T: UserData>(&self, lua: &mut LuaState) -> Result<UserDataRefMut<T>> {
        UserDataRefMut::new(self.cell::<T>(lua)?)
    }

    /// Moves the `T` out of the userdata. The userdata stays, destructed:
    /// its metatable is removed (Lua code indexing it gets Lua's own
    /// "attempt to index" error and no `__gc` runs), and borrowing it again
    /// is [`Error::UserDataDestructed`]. An error, leaving the value in
    /// place, if it holds another type or is borrowed at the moment (a
    /// method of it is running, or a [`UserDataRef`] lives).
    ///
    /// ```
    /// use ferrous_lua::{Error, Lua, UserData, UserDataMethods};
    ///
    /// struct Buf(Vec<u8>);
    /// impl UserData for Buf {
    ///     fn add_methods(m: &mut UserDataMethods<Self>) {
    ///         m.add_method_mut("push", |_, this, b: u8| {
    ///             this.0.push(b);
    ///             Ok(())
    ///         });
    ///     }
    /// }
    /// let mut lua = Lua::new();
    /// let ud = lua.create_userdata(Buf(Vec::new())).unwrap();
    /// lua.set_global("buf", &ud).unwrap();
    /// lua.load("buf:push(1) buf:push(2)").exec().unwrap();
    /// let buf: Buf = ud.take(&mut lua).unwrap();
    /// assert_eq!(buf.0, [1, 2]);
    /// assert!(matches!(ud.borrow::<Buf>(&mut lua), Err(Error::UserDataDestructed)));
    /// assert!(lua.load("buf:push(3)").exec().is_err());
    /// ```
    pub fn take<T: UserData>(&self, lua: &mut LuaState) -> Result<T> {
        let raw = lua.raw_of(&self.0)?;
        let RawValue::Userdata(u) = raw else {
            return Err(Error::from_lua(raw.type_name(), T::type_name()));
        };
        let Some(slot) = lua
            .vm
            .heap
            .userdata_mut(u)
            .and_then(|ud| ud.payload_mut().downcast_mut::<UdBox<T>>())
        else {
            return Err(Error::from_lua("userdata", T::type_name()));
        };
        let cell = slot.0.take().ok_or(Error::UserDataDestructed)?;
        // Other clones of the cell exist only while it is borrowed.
        match Shared::try_unwrap(cell) {
            Ok(c) => {
                lua.vm
                    .set_metatable(raw, None)
                    .map_err(|e| lua.convert_error(e))?;
                Ok(c.value.into_inner())
            }
            Err(cell) => {
                slot.0 = Some(cell);
                Err(Error::UserDataBorrowMut)
            }
        }
    }

    /// Sets the userdata's user value: any Lua value kept alive with it
    /// (as Lua 5.1's C API does, in the userdata's environment table,
    /// under key 1; `debug.getfenv` shows that table).
    ///
    /// ```
    /// use ferrous_lua::{Lua, UserData};
    /// struct Conn;
    /// impl UserData for Conn {}
    /// let mut lua = Lua::new();
    /// let ud = lua.create_userdata(Conn).unwrap();
    /// ud.set_user_value(&mut lua, "primary").unwrap();
    /// ud.set_named_user_value(&mut lua, "retries", 3).unwrap();
    /// assert_eq!(ud.user_value::<String>(&mut lua).unwrap(), "primary");
    /// assert_eq!(ud.named_user_value::<i64>(&mut lua, "retries").unwrap(), 3);
    /// assert_eq!(ud.named_user_value::<Option<i64>>(&mut lua, "other").unwrap(), None);
    /// ```
    pub fn set_user_value(&self, lua: &mut LuaState, v: impl IntoLua) -> Result<()> {
        self.set_named_user_value(lua, 1, v)
    }

    /// The user value set with [`AnyUserData::set_user_value`] (nil if none).
    pub fn user_value<V: FromLua>(&self, lua: &mut LuaState) -> Result<V> {
        self.named_user_value(lua, 1)
    }

    /// Sets a user value under `key` (a name or a number) in the
    /// userdata's environment table.
    pub fn set_named_user_value(
        &self,
        lua: &mut LuaState,
        key: impl IntoLua,
        v: impl IntoLua,
    ) -> Result<()> {
        let env = match self.user_table(lua)? {
            Some(t) => t,
            None => {
                let t = lua.create_table()?;
                let RawValue::Userdata(u) = lua.raw_of(&self.0)? else {
                    return Err(Error::from_lua("value", "userdata"));
                };
                let RawValue::Table(tr) = t.to_raw() else {
                    return Err(Error::WrongState);
                };
                let mark = lua.user_env_mt()?;
                lua.vm
                    .set_metatable(RawValue::Table(tr), Some(mark))
                    .map_err(|e| lua.convert_error(e))?;
                lua.vm
                    .heap
                    .set_ud_env(u, Some(tr))
                    .map_err(|_| Error::DeadObject)?;
                t
            }
        };
        env.raw_set(lua, key, v)
    }

    /// The user value under `key` (nil if none).
    pub fn named_user_value<V: FromLua>(&self, lua: &mut LuaState, key: impl IntoLua) -> Result<V> {
        match self.user_table(lua)? {
            Some(t) => t.raw_get(lua, key),
            None => V::from_lua(Value::Nil, lua),
        }
    }

    /// The environment table this facade gave the userdata, if any (an
    /// environment set from Lua with `debug.setfenv` counts too).
    fn user_table(&self, lua: &mut LuaState) -> Result<Option<Table>> {
        let RawValue::Userdata(u) = lua.raw_of(&self.0)? else {
            return Err(Error::from_lua("value", "userdata"));
        };
        let env = lua.vm.heap.userdata(u).ok_or(Error::DeadObject)?.env();
        match env {
            Some(t)
                if lua.st().user_env_mt.is_some()
                    && lua.vm.metatable_of(RawValue::Table(t)) == lua.st().user_env_mt =>
            {
                Ok(Some(Table(lua.pin_raw(RawValue::Table(t)))))
            }
            _ => Ok(None),
        }
    }

    /// The metatable (shared by every userdata of the type).
    pub fn get_metatable(&self, lua: &mut LuaState) -> Result<Option<Table>> {
        let RawValue::Userdata(u) = lua.raw_of(&self.0)? else {
            return Ok(None);
        };
        let mt = lua.vm.heap.userdata(u).and_then(|ud| ud.metatable());
        Ok(mt.map(|t| Table(lua.pin_raw(RawValue::Table(t)))))
    }
}

/// A shared borrow of a userdata's value; the userdata stays alive and
/// cannot be borrowed mutably while this lives.
///
/// ```
/// use ferrous_lua::{Error, Lua, UserData};
///
/// struct Name(String);
/// impl UserData for Name {}
///
/// let mut lua = Lua::new();
/// let ud = lua.create_userdata(Name("ada".into())).unwrap();
/// let r = ud.borrow::<Name>(&mut lua).unwrap();
/// assert_eq!(r.0, "ada");
/// // Shared borrows can coexist; a mutable one must wait.
/// assert!(ud.borrow::<Name>(&mut lua).is_ok());
/// assert!(matches!(ud.borrow_mut::<Name>(&mut lua), Err(Error::UserDataBorrowMut)));
/// drop(r);
/// assert!(ud.borrow_mut::<Name>(&mut lua).is_ok());
/// ```
pub struct UserDataRef<T: 'static> {
    // Never `Send`: it shares the borrow count with the state.
    guard: SharedGuard<T>,
}

impl<T: 'static> UserDataRef<T> {
    fn new(cell: Cell<T>) -> Result<Self> {
        Ok(UserDataRef {
            guard: SharedGuard::new(cell)?,
        })
    }
}

impl<T: 'static> std::ops::Deref for UserDataRef<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.guard.get()
    }
}

/// A mutable borrow of a userdata's value.
///
/// ```
/// use ferrous_lua::{Lua, UserData, UserDataFields};
///
/// struct Level(u8);
/// impl UserData for Level {
///     fn add_fields(fields: &mut UserDataFields<Self>) {
///         fields.add_field_method_get("value", |_, l| Ok(l.0));
///     }
/// }
///
/// let mut lua = Lua::new();
/// let ud = lua.create_userdata(Level(1)).unwrap();
/// lua.set_global("level", &ud).unwrap();
/// ud.borrow_mut::<Level>(&mut lua).unwrap().0 = 9;
/// assert_eq!(lua.load("return level.value").eval::<u8>().unwrap(), 9);
/// ```
pub struct UserDataRefMut<T: 'static> {
    // Never `Send`: it shares the borrow count with the state.
    guard: MutGuard<T>,
}

impl<T: 'static> UserDataRefMut<T> {
    fn new(cell: Cell<T>) -> Result<Self> {
        Ok(UserDataRefMut {
            guard: MutGuard::new(cell)?,
        })
    }
}

impl<T: 'static> std::ops::Deref for UserDataRefMut<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.guard.get()
    }
}

impl<T: 'static> std::ops::DerefMut for UserDataRefMut<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.guard.get_mut()
    }
}

/// As an argument: the userdata's value, borrowed (Lua's
/// `T expected, got X` when it is something else).
impl<T: UserData + MaybeSync> FromLua for UserDataRef<T> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        UserDataRef::new(cell_of::<T>(lua, raw)?)
    }
}

impl<T: UserData> FromLua for UserDataRefMut<T> {
    fn from_lua(v: Value, lua: &mut LuaState) -> Result<Self> {
        let raw = lua.raw_value(&v)?;
        Self::from_raw(raw, lua)
    }
    fn from_raw(raw: RawValue, lua: &mut LuaState) -> Result<Self> {
        UserDataRefMut::new(cell_of::<T>(lua, raw)?)
    }
}
