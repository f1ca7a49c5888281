-- i17 to i32 are accepted; i33 is over the limit
return {#struct.pack("<i17", 1), #struct.pack(">I32", 1), pcall(struct.pack, "i33", 1)}
