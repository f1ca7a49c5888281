-- a chunk starting with ESC is not loaded as bytecode
local f, e = loadstring("\27Lua")
return {tostring(f), e}
