local a = nil
local b
local c = 1
local d
local e
