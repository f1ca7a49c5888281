-- and/or return one of their operands; only nil and false are false
print(1 and 2, nil and 2, false and 2, 1 or 2, nil or 2, false or nil)
print(0 and "zero is true", "" and "empty string is true")
print(nil and nil, false or false, nil or false, false and nil)
print(not nil, not false, not 0, not "", not not nil, not not 1)
local x = nil
local y = x and x.field or "default"
print(y)
print(1 and nil or 3, false or nil and 1)
print((nil or false) == false, (false or nil) == nil)
