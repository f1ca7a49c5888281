-- the standard files can be written to but not closed
io.stdout:write("stdout write\n")
print(io.type(io.stdin), io.type(io.stdout), io.type(io.stderr))
print(io.stdout:close())
print(io.stdin:close())
print(io.type(io.stdout))
print(io.stdin:read("*l"))
