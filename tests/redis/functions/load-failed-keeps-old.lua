-- a failed REPLACE leaves the old library in place
--! cmd: FUNCTION LOAD REPLACE #!lua\sname=lib\nerror('broken')
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return 'still here' end)
