-- uncaught: print of a value whose __tostring returns a non-string
print(setmetatable({}, { __tostring = function() return true end }))
