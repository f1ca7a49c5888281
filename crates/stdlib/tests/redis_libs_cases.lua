-- Extra cases for crates/stdlib/tests/redis_libs.rs: each starts with a
-- "--- case: NAME" line (the NAME's prefix, cjson-/cmsgpack-/bit-/struct-,
-- says which library it counts for). Every case runs as EVAL on a real
-- redis-server 7.0 and on Ferrous; the replies must be identical.
--- case: cjson-pairs-order
local t = {} for k in pairs(cjson) do t[#t+1] = k end return t
--- case: cmsgpack-pairs-order
local t = {} for k in pairs(cmsgpack) do t[#t+1] = k end return t
--- case: bit-pairs-order
local t = {} for k in pairs(bit) do t[#t+1] = k end return t
--- case: struct-pairs-order
local t = {} for k in pairs(struct) do t[#t+1] = k end return t
--- case: cjson-fields
return {cjson._NAME, cjson._VERSION, type(cjson.null), tostring(cjson.null)}
