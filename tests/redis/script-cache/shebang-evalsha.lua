-- SCRIPT LOAD and EVALSHA of a shebang script
--! noload
--! cmd: SCRIPT LOAD $BODY
--! evalsha
#!lua flags=no-writes
return "from shebang"
