local a
local b = nil
local c, d
local e, f = nil, nil
local g, h = 1
local i, j, k = 1, nil
local l = nil
x = 1
local m
local n = nil
local o, p
do local q end
do local r = nil end
local s
local function t() local u; local v = nil; local w, z end
local function t2(a1) local u = nil; return u end
local function t3(...) local u; return u end
local aa = aa
local bb, bb = 1, 2
local cc = cc or 1
