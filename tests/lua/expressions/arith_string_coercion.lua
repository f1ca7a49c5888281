-- strings that look like numbers are converted for arithmetic
print("10" + 1, "3" * "4", "10" / "4", "7" % "3", "2" ^ "3", -"5")
print(" 10 " + 0, "0x10" + 0, "1e2" + 0, ".5" + 0, "5." + 0)
print("\t\n 7 \n" * 1)
print(type("10" + 1), math.type)
local s = "12"
print(s + s, s - 2, 2 - s)
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return "10a" + 1 end))
print(pcall(function() return "" + 1 end))
print(pcall(function() return "1 2" * 1 end))
print(pcall(function() return -"x" end))
