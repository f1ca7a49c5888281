-- SCRIPT LOAD of a script that does not compile
--! cmd: SCRIPT LOAD return\s+
--! cmd: SCRIPT EXISTS $SHA1:return\s+
return 1
