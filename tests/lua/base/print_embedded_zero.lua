-- print writes strings with fputs, so output stops at an embedded NUL; io.write keeps it
print("a\0b", "c")
io.write("x\0y", "\n")
print(#"a\0b")
