-- a script that fails at runtime is still cached
--! eval
--! cmd: SCRIPT EXISTS $SHA
error("runtime failure")
