-- string escapes, including \/ and \u
local s = cjson.decode('"q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u0041\\u00e9\\u20ac"')
return {s, #s}
