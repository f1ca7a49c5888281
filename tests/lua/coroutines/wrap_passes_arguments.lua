-- a wrapped coroutine receives arguments on every call
local acc = coroutine.wrap(function(first)
  local sum = first
  while true do
    local nxt = coroutine.yield(sum)
    if nxt == nil then return "final " .. sum end
    sum = sum + nxt
  end
end)
print(acc(1), acc(2), acc(3), acc())
print(pcall(acc, 1))
