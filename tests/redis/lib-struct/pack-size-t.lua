-- T is size_t
return {struct.pack("<T", 1), struct.size("T")}
