-- strings up to 31 bytes are fixstr
return {cmsgpack.pack(""), cmsgpack.pack("a"), cmsgpack.pack(string.rep("x", 31))}
