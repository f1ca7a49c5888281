-- c5 with a short string, c2 and c1 cutting a longer one
return {pcall(struct.pack, "c5", "ab"), struct.pack("c2", "abcdef"), struct.pack("c1", "xyz")}
