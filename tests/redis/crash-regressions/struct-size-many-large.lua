-- struct: size of many large counts
return struct.size(string.rep("c2000000000", 10))
