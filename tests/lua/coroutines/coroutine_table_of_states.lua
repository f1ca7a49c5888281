-- round-robin scheduling of several tasks
local tasks, log = {}, {}
for id = 1, 3 do
  tasks[#tasks + 1] = coroutine.create(function()
    for step = 1, id + 1 do log[#log + 1] = id .. "." .. step coroutine.yield() end
  end)
end
while #tasks > 0 do
  for i = #tasks, 1, -1 do
    coroutine.resume(tasks[i])
    if coroutine.status(tasks[i]) == "dead" then table.remove(tasks, i) end
  end
end
print(table.concat(log, " "))
