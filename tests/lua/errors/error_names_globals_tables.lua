-- names for globals accessed through nested tables and string keys with odd characters
local function try(f) print(select(2, pcall(f))) end
cfg = { db = {} }
try(function() return cfg.db.host.name end)
try(function() return cfg["db"]["port"] + 1 end)
try(function() return cfg["with space"].x end)
try(function() return _G.cfg.missing.x end)
try(function() cfg.db.conn:close() end)
try(function() math.nosuch(1) end)
try(function() return string.len.x end)
