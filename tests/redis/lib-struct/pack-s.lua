-- s packs a zero-terminated string
return {struct.pack("s", "abc"), struct.pack("s", "")}
