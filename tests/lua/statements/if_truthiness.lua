-- if treats only nil and false as false, including values returned from calls
local function r(v) return v end
local vals = { 0, "", "false", {}, false, nil, r }
for i = 1, 7 do
  if vals[i] then io.write(i, ":T ") else io.write(i, ":F ") end
end
print()
if r(nil) then print("nil true") elseif r(false) then print("false true") elseif r(0) then print("0 true") end
if not r() then print("no value is false") end
