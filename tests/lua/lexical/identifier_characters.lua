-- identifiers are letters, digits and underscores, not starting with a digit
local _ = "underscore"
local a1_B2 = "mixed"
local ____ = "many"
print(_, a1_B2, ____)
print(loadstring("local a-b = 1"))
print(loadstring("local a.b = 1"))
print(loadstring("local $x = 1"))
print(loadstring("local é = 1"))
