x = [[
hello]]
