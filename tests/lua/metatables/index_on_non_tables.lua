-- indexing numbers, booleans, nil and functions fails; strings index the string table
print(pcall(function() local x = 5 return x.field end))
print(pcall(function() local b = true return b[1] end))
print(pcall(function() local f = print return f.x end))
print(pcall(function() local n = nil n.x = 1 end))
print(("s").len == string.len, ("s").nosuch)
print(pcall(function() local s = "str" s.x = 1 end))
print(pcall(function() return (1).x end))
