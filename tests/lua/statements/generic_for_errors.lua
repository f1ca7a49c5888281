-- generic for over a non-function value
print(pcall(function() for k in nil do end end))
print(pcall(function() for k in {} do end end))
print(pcall(function() local t = {} for k, v in t do end end))
print(pcall(function() for k, v in pairs(nil) do end end))
print(pcall(function() for k, v in ipairs() do end end))
print(pcall(function() for k in 5 do end end))
