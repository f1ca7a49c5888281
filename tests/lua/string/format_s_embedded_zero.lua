-- %s copies short strings through C's sprintf (stopping at NUL) but long ones whole
local short = "ab\0cd"
local r = string.format("%s|", short)
print(#r, r:byte(1, -1))
local long = ("x"):rep(100) .. "\0tail"
local r2 = string.format("%s", long)
print(#r2, r2:sub(-5) == "\0tail")
local r3 = string.format("%.99s", long)
print(#r3)
