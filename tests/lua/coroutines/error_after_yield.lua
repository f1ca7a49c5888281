-- an error after several yields: earlier values were delivered, the error ends it
local co = coroutine.create(function()
  coroutine.yield(1)
  coroutine.yield(2)
  local t = nil
  return t[1]
end)
for i = 1, 4 do print(coroutine.resume(co)) end
print(coroutine.status(co))
