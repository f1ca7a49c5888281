-- every numeric letter round trip
local fmt = "<bBhHiIlLfd"
local s = struct.pack(fmt, -1, 255, -300, 60000, -70000, 3000000000, -5, 7, 0.5, 0.25)
local t = {struct.unpack(fmt, s)}
for i, v in ipairs(t) do t[i] = tostring(v) end
return {#s, unpack(t)}
