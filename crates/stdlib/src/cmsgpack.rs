//! Not written yet.

use ferrous_vm::{LuaResult, Vm};

/// Opens the library.
pub fn open(_vm: &mut Vm) -> LuaResult<()> {
    Ok(())
}
