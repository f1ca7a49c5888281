-- size of fixed formats
return {struct.size("b"), struct.size("h"), struct.size("i"), struct.size("l"), struct.size("d"), struct.size("f"), struct.size("c10"), struct.size("i7"), struct.size("")}
