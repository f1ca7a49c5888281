//! The table API.

use crate::conv::{FromLua, IntoLua};
use crate::error::{Error, Result};
use crate::value::Table;
use crate::{LuaState, RawValue};

impl Table {
    fn raw_table(&self, lua: &mut LuaState) -> Result<ferrous_vm::TableRef> {
        lua.release_pins();
        match lua.raw_of(&self.0)? {
            RawValue::Table(t) => Ok(t),
            _ => Err(Error::WrongState),
        }
    }

    /// Converts `k` and `v` with both kept on the stack (rooted), then
    /// runs `f` on them.
    fn with_kv<T>(
        &self,
        lua: &mut LuaState,
        k: impl IntoLua,
        v: impl IntoLua,
        f: impl FnOnce(&mut LuaState, ferrous_vm::TableRef, RawValue, RawValue) -> Result<T>,
    ) -> Result<T> {
        let t = self.raw_table(lua)?;
        let base = lua.vm.stack_top();
        let r = (|| {
            k.push_onto(lua)?;
            v.push_onto(lua)?;
            let k = lua.vm.stack_get(base);
            let v = lua.vm.stack_get(base + 1);
            f(lua, t, k, v)
        })();
        let _ = lua.vm.set_stack_top(base);
        r
    }

    /// `t[k]` for a string key of a table without a metatable, or whose
    /// key is present: a raw read with no value built for the key.
    #[inline]
    fn get_str_fast<T: FromLua>(
        lua: &mut LuaState,
        t: ferrous_vm::TableRef,
        k: &[u8],
    ) -> Option<Result<T>> {
        let plain = lua.vm.heap.table(t)?.metatable().is_none();
        let v = match lua.vm.raw_get_str(t, k) {
            Ok(v) => v,
            Err(e) => return Some(Err(lua.convert_error(e))),
        };
        if v.is_nil() && !plain {
            return None;
        }
        Some(T::from_raw(v, lua))
    }

    /// `t[k]`, with metamethods (`__index`).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let t: ferrous_lua::Table = lua.load("return setmetatable({}, {__index = {x = 1}})").eval().unwrap();
    /// assert_eq!(t.get::<i64>(&mut lua, "x").unwrap(), 1);
    /// assert_eq!(t.raw_get::<Option<i64>>(&mut lua, "x").unwrap(), None);
    /// ```
    pub fn get<T: FromLua>(&self, lua: &mut LuaState, k: impl IntoLua) -> Result<T> {
        let t = self.raw_table(lua)?;
        if let Some(bytes) = k.key_bytes() {
            if let Some(r) = Self::get_str_fast(lua, t, bytes) {
                return r;
            }
        }
        let base = lua.vm.stack_top();
        let r = (|| {
            k.push_onto(lua)?;
            let k = lua.vm.stack_get(base);
            // A present key needs no metamethod: read it directly.
            let direct = lua.vm.raw_get(t, k);
            let plain = lua
                .vm
                .heap
                .table(t)
                .is_some_and(|t| t.metatable().is_none());
            let v = if !direct.is_nil() || plain {
                direct
            } else {
                lua.protected(|vm| vm.index(RawValue::Table(t), k))?
            };
            lua.push_raw(v)?;
            T::from_raw(v, lua)
        })();
        let _ = lua.vm.set_stack_top(base);
        r
    }

    /// `t[k] = v`, with metamethods (`__newindex`).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let t = lua.create_table().unwrap();
    /// t.set(&mut lua, 1, "one").unwrap();
    /// t.set(&mut lua, "k", vec![1, 2]).unwrap();
    /// assert_eq!(lua.load("local t = ... return t[1] .. #t.k").call::<String>(&t).unwrap(), "one2");
    /// ```
    pub fn set(&self, lua: &mut LuaState, k: impl IntoLua, v: impl IntoLua) -> Result<()> {
        if k.key_bytes().is_some() {
            let t = self.raw_table(lua)?;
            if lua
                .vm
                .heap
                .table(t)
                .is_some_and(|t| t.metatable().is_none())
            {
                // The value first (its conversion may run Lua code), kept
                // on the stack; then the key is interned and stored at once.
                let base = lua.vm.stack_top();
                let r = (|| {
                    v.push_onto(lua)?;
                    let v = lua.vm.stack_get(base);
                    let bytes = k.key_bytes().unwrap_or_default();
                    lua.vm
                        .raw_set_str(t, bytes, v)
                        .map_err(|e| lua.convert_error(e))
                })();
                let _ = lua.vm.set_stack_top(base);
                return r;
            }
        }
        self.with_kv(lua, k, v, |lua, t, k, v| {
            // Without a metatable no Lua code can run: a raw set does it.
            if lua
                .vm
                .heap
                .table(t)
                .is_some_and(|t| t.metatable().is_none())
                && !k.is_nil()
                && !matches!(k, RawValue::Number(n) if n.is_nan())
            {
                return lua.vm.raw_set(t, k, v).map_err(|e| lua.convert_error(e));
            }
            lua.protected(|vm| vm.set_index(RawValue::Table(t), k, v))
        })
    }

    /// `rawget(t, k)`.
    pub fn raw_get<T: FromLua>(&self, lua: &mut LuaState, k: impl IntoLua) -> Result<T> {
        let t = self.raw_table(lua)?;
        let base = lua.vm.stack_top();
        let r = (|| {
            let k = k.into_raw(lua)?;
            let v = lua.vm.raw_get(t, k);
            lua.push_raw(v)?;
            T::from_raw(v, lua)
        })();
        let _ = lua.vm.set_stack_top(base);
        r
    }

    /// `rawset(t, k, v)` (a nil or NaN key is an error, as in Lua).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let t = lua.create_table().unwrap();
    /// assert!(t.raw_set(&mut lua, ferrous_lua::Nil, 1).is_err());
    /// assert!(t.raw_set(&mut lua, f64::NAN, 1).is_err());
    /// ```
    pub fn raw_set(&self, lua: &mut LuaState, k: impl IntoLua, v: impl IntoLua) -> Result<()> {
        self.with_kv(lua, k, v, |lua, t, k, v| {
            if k.is_nil() {
                return Err(Error::runtime("table index is nil"));
            }
            if matches!(k, RawValue::Number(n) if n.is_nan()) {
                return Err(Error::runtime("table index is NaN"));
            }
            lua.vm.raw_set(t, k, v).map_err(|e| lua.convert_error(e))
        })
    }

    /// True when `t[k]` (raw) is not nil.
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let t: ferrous_lua::Table = lua.load("return {a = false}").eval().unwrap();
    /// assert!(t.contains_key(&mut lua, "a").unwrap());
    /// assert!(!t.contains_key(&mut lua, "b").unwrap());
    /// ```
    pub fn contains_key(&self, lua: &mut LuaState, k: impl IntoLua) -> Result<bool> {
        let t = self.raw_table(lua)?;
        let k = k.into_raw(lua)?;
        Ok(!lua.vm.raw_get(t, k).is_nil())
    }

    /// `#t` (Lua 5.1's border; tables have no `__len` in 5.1).
    pub fn raw_len(&self, lua: &mut LuaState) -> usize {
        match self.raw_table(lua) {
            Ok(t) => lua.vm.heap.table(t).map_or(0, |t| t.border()),
            Err(_) => 0,
        }
    }

    /// Same as [`Table::raw_len`].
    pub fn len(&self, lua: &mut LuaState) -> usize {
        self.raw_len(lua)
    }

    /// True when `#t` is 0.
    pub fn is_empty(&self, lua: &mut LuaState) -> bool {
        self.raw_len(lua) == 0
    }

    /// Appends `v` at `#t + 1` (raw, as `table.insert(t, v)`).
    pub fn push(&self, lua: &mut LuaState, v: impl IntoLua) -> Result<()> {
        let n = self.raw_len(lua);
        self.raw_set(lua, n as f64 + 1.0, v)
    }

    /// Removes and returns `t[#t]` (raw, as `table.remove(t)`).
    pub fn pop<T: FromLua>(&self, lua: &mut LuaState) -> Result<T> {
        let n = self.raw_len(lua);
        if n == 0 {
            return T::from_raw(RawValue::Nil, lua);
        }
        let t = self.raw_table(lua)?;
        let k = RawValue::Number(n as f64);
        let v = lua.vm.raw_get(t, k);
        let base = lua.vm.stack_top();
        lua.push_raw(v)?;
        let r = (|| {
            lua.vm
                .raw_set(t, k, RawValue::Nil)
                .map_err(|e| lua.convert_error(e))?;
            T::from_raw(v, lua)
        })();
        let _ = lua.vm.set_stack_top(base);
        r
    }

    /// Removes every entry (the metatable stays).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let t: ferrous_lua::Table = lua.load("return {1, 2, x = 3}").eval().unwrap();
    /// t.clear(&mut lua).unwrap();
    /// assert!(t.pairs::<ferrous_lua::Value, ferrous_lua::Value>(&mut lua).unwrap().is_empty());
    /// ```
    pub fn clear(&self, lua: &mut LuaState) -> Result<()> {
        let t = self.raw_table(lua)?;
        let mut keys = Vec::new();
        let mut k = RawValue::Nil;
        while let Ok(Some((nk, _))) = lua.vm.heap.table_next(t, &k) {
            keys.push(nk);
            k = nk;
        }
        for k in keys {
            lua.vm
                .raw_set(t, k, RawValue::Nil)
                .map_err(|e| lua.convert_error(e))?;
        }
        Ok(())
    }

    /// Every entry in `next` order, converted (raw reads).
    pub fn pairs<K: FromLua, V: FromLua>(&self, lua: &mut LuaState) -> Result<Vec<(K, V)>> {
        let mut out = Vec::new();
        self.for_each(lua, |_, k: K, v: V| {
            out.push((k, v));
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` on every entry in `next` order (raw reads). Entries may
    /// be assigned or cleared from `f`, as during a Lua traversal.
    pub fn for_each<K: FromLua, V: FromLua>(
        &self,
        lua: &mut LuaState,
        mut f: impl FnMut(&mut LuaState, K, V) -> Result<()>,
    ) -> Result<()> {
        let t = self.raw_table(lua)?;
        let base = lua.vm.stack_top();
        // The table and the current key stay on the stack (rooted).
        lua.push_raw(RawValue::Table(t))?;
        lua.push_raw(RawValue::Nil)?;
        let r = (|| loop {
            let k = lua.vm.stack_get(base + 1);
            let next = lua
                .vm
                .heap
                .table_next(t, &k)
                .map_err(|_| Error::runtime("invalid key to 'next'"))?;
            let Some((nk, nv)) = next else {
                return Ok(());
            };
            lua.vm.stack_set(base + 1, nk);
            let kk = K::from_raw(nk, lua)?;
            let vv = V::from_raw(nv, lua)?;
            f(lua, kk, vv)?;
        })();
        let _ = lua.vm.set_stack_top(base);
        r
    }

    /// The values `t[1], t[2], ...` up to the first nil, converted.
    pub fn sequence_values<V: FromLua>(&self, lua: &mut LuaState) -> Result<Vec<V>> {
        let t = self.raw_table(lua)?;
        let mut out = Vec::new();
        let mut i = 1.0;
        loop {
            let v = lua.vm.raw_get(t, RawValue::Number(i));
            if v.is_nil() {
                return Ok(out);
            }
            out.push(V::from_raw(v, lua)?);
            i += 1.0;
        }
    }

    /// The metatable, if any.
    pub fn get_metatable(&self, lua: &mut LuaState) -> Option<Table> {
        let t = self.raw_table(lua).ok()?;
        let mt = lua.vm.heap.table(t)?.metatable()?;
        Some(Table(lua.pin_raw(RawValue::Table(mt))))
    }

    /// Sets or clears the metatable (raw: `__metatable` is not checked).
    ///
    /// ```
    /// let mut lua = ferrous_lua::Lua::new();
    /// let t = lua.create_table().unwrap();
    /// let mt: ferrous_lua::Table = lua.load("return {__index = function(_, k) return k * 2 end}").eval().unwrap();
    /// t.set_metatable(&mut lua, Some(&mt)).unwrap();
    /// assert_eq!(t.get::<i64>(&mut lua, 21).unwrap(), 42);
    /// assert!(t.get_metatable(&mut lua).is_some());
    /// ```
    pub fn set_metatable(&self, lua: &mut LuaState, mt: Option<&Table>) -> Result<()> {
        let t = self.raw_table(lua)?;
        let mt = match mt {
            Some(m) => match lua.raw_of(&m.0)? {
                RawValue::Table(m) => Some(m),
                _ => None,
            },
            None => None,
        };
        lua.vm
            .set_metatable(RawValue::Table(t), mt)
            .map_err(|e| lua.convert_error(e))
    }

    /// Marks the table readonly (Redis's `lua_enablereadonlytable`): writes
    /// then fail with "Attempt to modify a readonly table".
    pub fn set_readonly(&self, lua: &mut LuaState, on: bool) -> Result<()> {
        let t = self.raw_table(lua)?;
        match lua.vm.heap.table(t) {
            Some(tab) => {
                tab.set_readonly(on);
                Ok(())
            }
            None => Err(Error::DeadObject),
        }
    }
}
