-- multi-character operators lexed greedily
print(1==1, 1~=2, 1<=2, 2>=1, 1<2, 2>1)
print("a".."b", "a" .. "b" .. "c")
print(2^3^2, -2^2)
local t = {...}
print(#t, select("#", ...))
print(1 .. 2, 1.5 .. "")
print(loadstring("return 1 ~ 2"))
print(loadstring("return a !b"))
print(loadstring("x = @"))
