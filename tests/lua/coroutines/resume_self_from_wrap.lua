-- a coroutine can create and drive other coroutines recursively
local function tree(depth)
  return coroutine.wrap(function()
    if depth == 0 then coroutine.yield("leaf") return end
    for v in tree(depth - 1) do coroutine.yield(v .. depth) end
    for v in tree(depth - 1) do coroutine.yield(v .. depth) end
  end)
end
local out = {}
for v in tree(3) do out[#out + 1] = v end
print(#out, out[1], out[#out])
