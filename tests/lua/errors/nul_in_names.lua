-- Names holding a NUL are cut at it in messages, as lua5.1's %s cuts
-- them: field, method and global names, require's module name.
local function p(...) print(select(2, pcall(...))) end
p(function() local t = {} return t["ab\0cd"].x end)
p(function() return _G["gl\0ob"].x end)
p(function() local t = {} t["ab\0cd"]() end)
p(function() local t = {} return t["me\0th"](t) end)
p(function() local o = {} return o:me() end)
p(function() return #_G["le\0n"] end)
p(function() return _G["up\0"] + 1 end)
p(function() return _G["c\0c"] .. "x" end)
-- require sees the name as a C string: the key, the loaders' argument and
-- the message all use the part before the NUL.
package.preload["pre"] = function(name) return "loaded " .. name end
print(require("pre\0tail"), package.loaded["pre"], package.loaded["pre\0tail"])
local ok, msg = pcall(require, "no\0such")
print(ok, (msg:match("^[^\n]*")))
print(#msg:match("^[^\n]*"))
-- Tracebacks name functions the same way.
local t = {["tr\0ace"] = function() return debug.traceback("tb", 1) end}
print((t["tr\0ace"]():gsub("\n[^\n]*$", "")))
