-- a script that does not compile is not cached
--! eval
--! cmd: SCRIPT EXISTS $SHA
return +
