//! `string.dump` and loading binary chunks.
//!
//! A dumped function is Lua 5.1's binary chunk, the bytes `luac5.1` and
//! 5.1's `string.dump` write for the same function (see
//! [`ferrous_compiler::binary`] for the format). The loaders
//! ([`load_chunk`]) take a chunk that starts with `\27` as binary, as
//! `lua_load` does: it is read back into a compiler [`Proto`], each
//! function checked by `ferrous_compiler::verify` as it is read, so a
//! damaged or hostile chunk gives 5.1's error ("CHUNKNAME: bad code in
//! precompiled chunk", "unexpected end", "bad header", ...), never
//! undefined behaviour; luac5.1's output loads and runs.

use std::sync::Arc;

pub use ferrous_compiler::binary::{undump, DumpError, UndumpError};
use ferrous_compiler::bytecode::Proto;
use ferrous_vm::{ErrorKind, Function, LuaError, LuaResult, Value, Vm};

/// Serialises a Lua function as 5.1's `string.dump`: `None` for a native
/// function, an error for one beyond 5.1's binary format (Ferrous's wider
/// registers, constants and jumps).
pub fn dump_function(vm: &Vm, f: Value) -> Option<Result<Vec<u8>, DumpError>> {
    let Value::Function(fr) = f else { return None };
    let proto = match vm.heap.functions().get(fr) {
        Some(Function::Lua(c)) => c.proto.info.clone(),
        _ => return None,
    };
    Some(dump_proto_bytes(&proto))
}

/// Serialises a prototype in `string.dump`'s format (not stripped). The
/// prototype need not be one the compiler made: [`load_chunk`] verifies
/// what it reads (tests build invalid chunks with this).
pub fn dump_proto_bytes(proto: &Proto) -> Result<Vec<u8>, DumpError> {
    ferrous_compiler::binary::dump(proto, false)
}

/// The name 5.1's undump gives a chunk in its messages: the chunk name
/// without its `@`/`=`, "binary string" for a name that is the chunk
/// itself, cut at a NUL as C's `%s` cuts it.
fn undump_name(chunkname: &[u8]) -> &[u8] {
    let name: &[u8] = match chunkname.first() {
        Some(b'@') | Some(b'=') => &chunkname[1..],
        Some(0x1b) => b"binary string",
        _ => chunkname,
    };
    match name.iter().position(|&b| b == 0) {
        Some(n) => &name[..n],
        None => name,
    }
}

/// Loads a chunk as `luaL_loadbuffer` does: binary when it starts with
/// `\27`, source text otherwise. A broken binary chunk gives 5.1's
/// message ("binary string: bad header in precompiled chunk").
pub fn load_chunk(vm: &mut Vm, bytes: &[u8], chunkname: &[u8]) -> LuaResult<Value> {
    if bytes.first() != Some(&0x1b) {
        return vm.load(bytes, chunkname);
    }
    match undump(bytes) {
        Ok(p) => {
            let env = vm.thread_globals();
            vm.load_proto(Arc::new(p), env)
        }
        Err(e) => {
            let mut msg = undump_name(chunkname).to_vec();
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(e.reason().as_bytes());
            msg.extend_from_slice(b" in precompiled chunk");
            let v = vm.str_value(&msg)?;
            let mut err = LuaError::runtime(v);
            err.kind = ErrorKind::Syntax;
            Err(err)
        }
    }
}
