-- compile-time limits: syntax nesting levels, upvalues per function, locals per function
print(loadstring("return " .. ("1 .. "):rep(300) .. "1"))
print(loadstring("return " .. ("("):rep(300) .. "1" .. (")"):rep(300)))
local s = {}
for i = 1, 70 do s[#s + 1] = "local u" .. i .. " = " .. i end
s[#s + 1] = "return function() return "
for i = 1, 70 do s[#s + 1] = "u" .. i .. " + " end
s[#s + 1] = "0 end"
print(loadstring(table.concat(s, "\n")))
local t = {}
for i = 1, 300 do t[i] = "x" .. i end
print(loadstring("local " .. table.concat(t, ",")))
print(type(loadstring("return " .. ("1 .. "):rep(150) .. "1")))
print(loadstring("return " .. ("1 .. "):rep(150) .. "1")() == ("1"):rep(151))
