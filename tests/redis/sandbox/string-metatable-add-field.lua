-- adding a metamethod to the string metatable is refused
getmetatable("").__add = function(a, b) return 1 end
return "a" + "b"
