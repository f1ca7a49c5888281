-- the limit and step are evaluated once; changing their variables inside has no effect
local limit, step = 5, 1
local n = 0
for i = 1, limit, step do
  limit = 100
  step = 10
  n = n + 1
end
print(n, limit, step)
local t = { 1, 2, 3 }
local visits = 0
for i = 1, #t do
  t[#t + 1] = i
  visits = visits + 1
end
print(visits, #t)
