-- a 32 MB string built, doubled and measured
local s = string.rep("x", 32 * 1024 * 1024)
return {#s, #(s .. s)}
