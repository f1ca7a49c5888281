-- uncaught: a runtime error on the third iteration of a loop
local data = { 1, 2, "three", 4 }
local sum = 0
for i, v in ipairs(data) do
  print("adding", i)
  sum = sum + v
end
