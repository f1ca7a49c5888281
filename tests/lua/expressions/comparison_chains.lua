-- comparisons return booleans, which cannot be compared with numbers again
print(1 < 2, (1 < 2) == true)
print(pcall(function() return 1 < 2 < 3 end))
print(1 == 1 == true, "a" < "b" == true)
print((1 < 2) == (2 < 3), (1 > 2) ~= (2 > 3))
