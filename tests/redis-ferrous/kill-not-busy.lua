-- SCRIPT KILL and FUNCTION KILL with nothing running
--! a: SCRIPT KILL
--! expect: -NOTBUSY No scripts in execution right now.\r\n
--! a: FUNCTION KILL
--! expect: -NOTBUSY No scripts in execution right now.\r\n
--! a: SCRIPT KILL extra
--! expect: -ERR wrong number of arguments for 'script|kill' command\r\n
return 1
