-- calls: 3 draws different numbers each time after one seeding
--! cmd: EVAL math.randomseed(11) 0
--! eval
--! eval
--! eval
return math.random(1000)
