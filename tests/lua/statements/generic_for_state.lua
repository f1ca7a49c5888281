-- the generic for passes the state and control variable explicitly to the iterator
local calls = {}
local function iter(state, ctrl)
  calls[#calls + 1] = state.name .. ":" .. tostring(ctrl)
  if ctrl < state.max then return ctrl + 1, ctrl * 2 end
end
for a, b in iter, { name = "s", max = 3 }, 0 do io.write(a, "/", b, " ") end
print()
print(table.concat(calls, " "))
for k, v in next, { "only" } do print(k, v) end
