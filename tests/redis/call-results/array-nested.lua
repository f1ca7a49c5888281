-- nested array replies (XRANGE entries) are nested tables
--! keys: s
--! setup: XADD s 1-1 f1 v1 f2 v2
--! setup: XADD s 2-0 f3 v3
local r = redis.call("XRANGE", KEYS[1], "-", "+")
return {#r, r[1][1], #r[1][2], r[1][2][4], r[2][1], r}
