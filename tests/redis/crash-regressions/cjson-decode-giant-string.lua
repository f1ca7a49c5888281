-- cjson: decoding a 20 MB string with escapes
local s = cjson.decode('"' .. string.rep("\\n", 10 * 1024 * 1024) .. '"')
return #s
