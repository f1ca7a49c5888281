-- an error raised in a nested function reports that line
local function inner()
  return redis.call("NOSUCH")
end
local function outer()
  return inner()
end
return outer()
