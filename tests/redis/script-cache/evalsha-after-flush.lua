-- SCRIPT FLUSH empties the cache
--! cmd: SCRIPT LOAD $BODY
--! evalsha
--! cmd: SCRIPT FLUSH
--! evalsha
return "flushed"
