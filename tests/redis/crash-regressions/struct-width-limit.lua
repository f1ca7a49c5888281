-- struct: i32 is allowed, i33 is over the limit, i0 is empty
return {#struct.pack("i32", 1), pcall(struct.pack, "i33", 1), #struct.pack("i0", 1)}
