-- every loop iteration gets a fresh local: closures created in loops see their own copy
local fs = {}
for i = 1, 3 do fs[#fs + 1] = function() return i end end
for _, v in ipairs({ "a", "b" }) do fs[#fs + 1] = function() return v end end
local j = 0
while j < 2 do
  j = j + 1
  local k = j * 10
  fs[#fs + 1] = function() return k end
end
repeat
  local r = "rep"
  fs[#fs + 1] = function() return r end
until true
local out = {}
for _, f in ipairs(fs) do out[#out + 1] = tostring(f()) end
print(table.concat(out, " "))
local shared = {}
for i = 1, 3 do
  local cell = i
  shared[i] = { get = function() return cell end, set = function(v) cell = v end }
end
shared[2].set(20)
print(shared[1].get(), shared[2].get(), shared[3].get())
