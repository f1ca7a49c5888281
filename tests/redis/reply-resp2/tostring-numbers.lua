-- numbers converted to strings by Lua (%.14g) before the reply
return {tostring(0.1), tostring(1/3), tostring(1e100), tostring(-0), tostring(2^53), 12 .. ""}
