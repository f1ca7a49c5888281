-- numeric strings are coerced in arithmetic
return {"10" + 5, "0x10" * 1, " 3 " * 2, "1e2" / 4}
