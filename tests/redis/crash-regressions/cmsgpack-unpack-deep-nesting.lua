-- cmsgpack: 100000 nested one-element arrays
return {pcall(cmsgpack.unpack, string.rep("\145", 100000) .. "\1")}
