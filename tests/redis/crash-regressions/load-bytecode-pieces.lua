-- bytecode handed to load in one-byte pieces
local code = string.dump(function() return 1 end)
local i = 0
local f, e = load(function() i = i + 1; return code:sub(i, i) ~= "" and code:sub(i, i) or nil end)
return {tostring(f), e}
