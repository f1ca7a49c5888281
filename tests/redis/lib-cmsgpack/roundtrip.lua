-- pack then unpack a nested structure
local t = cmsgpack.unpack(cmsgpack.pack({1, {2, "x", {y = "z"}}, -3.5, true}))
return {t[1], t[2][2], t[2][3].y, tostring(t[3]), tostring(t[4])}
