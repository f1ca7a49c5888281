-- after "*n" the rest of the line (including its newline) is still unread
local f = io.tmpfile()
f:write("12 rest of line\n34\n")
f:seek("set")
print(f:read("*n"))
print(string.format("%q", f:read("*l")))
print(f:read("*n"), string.format("%q", f:read("*l")), f:read("*l"))
f:close()
