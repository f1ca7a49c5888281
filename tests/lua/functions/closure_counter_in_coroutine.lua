-- closures created inside coroutines keep working after the coroutine is dead
local makers = {}
local co = coroutine.create(function()
  for i = 1, 3 do
    local count = i * 100
    makers[i] = function() count = count + 1 return count end
    coroutine.yield()
  end
end)
while coroutine.status(co) ~= "dead" do coroutine.resume(co) end
print(makers[1](), makers[1](), makers[2](), makers[3](), makers[3]())
