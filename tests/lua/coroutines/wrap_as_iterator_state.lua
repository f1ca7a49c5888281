-- a wrap iterator that ends (returns nothing) terminates the for loop
local function words(s)
  return coroutine.wrap(function()
    for w in s:gmatch("%a+") do coroutine.yield(w, #w) end
  end)
end
for w, n in words("the quick brown fox") do print(w, n) end
