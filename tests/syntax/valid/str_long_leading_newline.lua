x = [[
hello]]
