-- equality: values of different types are never equal, tables by identity
local t = {}
local u = t
print(1 == "1", "1" == 1, 0 == false, nil == false, "" == false)
print(t == u, t == {}, {} == {}, print == print, print == tostring)
print(1 ~= "1", t ~= {}, nil ~= false)
print("abc" == "ab" .. "c", 2 == 2.0, 2 == 4 / 2)
local f1 = function() end
local f2 = function() end
print(f1 == f1, f1 == f2)
local co = coroutine.create(f1)
print(co == co, co == coroutine.create(f1))
