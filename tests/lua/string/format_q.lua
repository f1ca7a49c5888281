-- %q quotes a string so that Lua can read it back
print(string.format("%q", 'he said "hi"\n'))
print(string.format("%q", "back\\slash"))
print(string.format("%q", "cr\rlf\n"))
print(string.format("%q", "nul\0byte"))
print(string.format("%q", ""))
print(string.format("%q", 42), string.format("%q", 1.5))
local tricky = "\"\\\n\r\0\1\127\255 end"
local back = loadstring("return " .. string.format("%q", tricky))()
print(back == tricky, #string.format("%q", tricky))
print(string.format("%q", "\1\2\t"):byte(1, -1))
print(pcall(string.format, "%q", {}))
print(pcall(string.format, "%q"))
