-- EVALSHA with the SHA in upper case
--! cmd: SCRIPT LOAD return\s'upper'
--! cmd: EVALSHA B2FBC46EF771CBC79044480C76B53FC8723A96DB 0
--! cmd: EVALSHA $SHA1:return\s'upper' 0
return 1
