-- FCALL shares the same generator
--! fcall: draw 0
--! cmd: EVAL math.randomseed(13)\sreturn\smath.random(1000) 0
--! cmd: EVAL math.randomseed(13) 0
--! fcall: draw 0
#!lua name=rnd
redis.register_function('draw', function() return math.random(1000) end)
