-- the length operator on strings counts bytes
print(#"", #"a", #"hello", #"\0\0\0", #"\n", #"\255\254")
local s = "abc"
print(#s, #s .. "", #(s .. s), -#s)
print(#string.rep("x", 1000), #tostring(12345))
print(pcall(function() return #nil end))
print(pcall(function() return #5 end))
print(pcall(function() local b = true return #b end))
