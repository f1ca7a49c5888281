-- EVALSHA of one script with different keys and arguments
--! cmd: SCRIPT LOAD $BODY
--! cmd: EVALSHA $SHA 1 k1 a1
--! cmd: EVALSHA $SHA 2 k1 k2 a1
--! cmd: EVALSHA $SHA 0 a1 a2 a3
return {#KEYS, #ARGV, table.concat(KEYS, "+"), table.concat(ARGV, "+")}
