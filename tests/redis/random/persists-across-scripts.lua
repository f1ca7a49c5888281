-- the generator state carries over from one script to the next
--! cmd: EVAL math.randomseed(9) 0
--! cmd: EVAL return\smath.random(1000) 0
--! cmd: EVAL return\smath.random(1000) 0
--! cmd: EVAL math.randomseed(9)\sreturn\smath.random(1000) 0
--! eval
return math.random(1000)
