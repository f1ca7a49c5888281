-- cmsgpack: 100000 nested one-entry maps
return {pcall(cmsgpack.unpack, string.rep("\129\1", 100000) .. "\1")}
