-- cmsgpack: pack with 7990 arguments (CVE-2018-11218)
local t = {}
for i = 1, 7990 do t[i] = i end
return {pcall(cmsgpack.pack, unpack(t))}
