-- struct: a format with 100000 padding options
local s = struct.pack(string.rep("x", 100000))
return {#s, struct.size(string.rep("x", 100000))}
