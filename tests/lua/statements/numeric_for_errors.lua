-- numeric for with non-numeric initial value, limit or step
print(pcall(function() for i = nil, 2 do end end))
print(pcall(function() for i = 1, "x" do end end))
print(pcall(function() for i = 1, 2, {} do end end))
print(pcall(function() for i = "a", 2 do end end))
print(pcall(function() local t = {} for i = 1, t.n do end end))
print(pcall(function() for i = 1, 10, false do end end))
