local function counter()
  local count = 0
  return function() count = count + 1; return count end
end
local fs = {}
for i = 1, 3 do
  fs[i] = function() return i end
end
do
  local hidden = 42
  function reveal() return hidden end
end
return counter
