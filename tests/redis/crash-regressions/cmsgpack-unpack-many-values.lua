-- cmsgpack: 100000 top-level values overflow the Lua stack
return {pcall(cmsgpack.unpack, string.rep("\1", 100000))}
