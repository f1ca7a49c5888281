-- infinity and NaN as float and double
return {struct.pack(">d", 1/0), struct.pack(">f", -1/0), struct.pack(">d", 0/0)}
