x = [[
abc
[[
]]
