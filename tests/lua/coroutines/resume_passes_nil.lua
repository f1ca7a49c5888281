-- nil values and counts survive resume/yield exactly
local co = coroutine.create(function(...)
  print(select("#", ...))
  print(select("#", coroutine.yield(nil, nil)))
  print(select("#", coroutine.yield()))
  return nil, nil, nil
end)
print(select("#", coroutine.resume(co, nil)))
print(select("#", coroutine.resume(co, nil, nil, nil)))
print(select("#", coroutine.resume(co)))
