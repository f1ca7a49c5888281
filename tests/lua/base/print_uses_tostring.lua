-- print calls the global tostring, so replacing it changes print's output
local orig = tostring
tostring = function(v) return "<" .. orig(v) .. ">" end
print(1, "two", nil)
tostring = function(v) return 42 end
print("x")
tostring = function(v) return nil end
local ok, e = pcall(print, "y")
tostring = orig
print(ok, e)
tostring = orig
print("restored")
tostring = nil
local ok2, e2 = pcall(print, "z")
tostring = orig
print(ok2, e2)
