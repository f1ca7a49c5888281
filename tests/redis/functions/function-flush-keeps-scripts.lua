-- FUNCTION FLUSH does not remove cached scripts
--! cmd: SCRIPT LOAD return\s'cached'
--! cmd: FUNCTION FLUSH
--! cmd: EVALSHA $SHA1:return\s'cached' 0
return 1
