-- files hold arbitrary bytes including NUL and high bytes
local f = io.tmpfile()
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
local data = table.concat(bytes):rep(4)
f:write(data)
f:seek("set")
local back = f:read("*a")
print(#back, back == data)
f:seek("set", 250)
print(f:read(10):byte(1, -1))
f:close()
