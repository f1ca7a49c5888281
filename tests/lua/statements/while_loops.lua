-- while loops: zero iterations, counting, break, condition re-evaluated each time
local i = 0
while i < 5 do i = i + 1 end
print(i)
while false do print("never") end
local n = 0
while true do
  n = n + 1
  if n == 7 then break end
end
print(n)
local t = { 3, 2, 1 }
while #t > 0 do io.write(table.remove(t), " ") end
print()
local calls = 0
local function cond() calls = calls + 1 return calls < 4 end
while cond() do end
print(calls)
