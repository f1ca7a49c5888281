-- size with an unknown letter
return {pcall(struct.size, "w"), pcall(struct.size, "iw")}
