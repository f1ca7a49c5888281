-- comparisons never convert between strings and numbers
print(10 == "10", "10" == 10, 0 == "0")
print(pcall(function() return 10 < "20" end))
print(pcall(function() return "10" <= 20 end))
print("10" + 0 == 10, tostring(10) == "10")
print(("5"):rep(2) == "55", 5 .. 5 == "55")
