-- sha1hex matches the name EVALSHA uses (SCRIPT LOAD of the same text)
--! cmd: SCRIPT LOAD return\s1
--! cmd: EVAL return\sredis.sha1hex('return\s1') 0
return 0
