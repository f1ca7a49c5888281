-- pairs and ipairs loops, which the interpreter may step without calling
-- next or ipairs' iterator: the results, the errors and what hooks see
-- must be those of the calls.

-- keys of every kind, array and hash parts, holes, fields cleared and
-- changed while traversing
local t = {10, 20, nil, 40, x = 1, y = 2, [3.5] = "f", [true] = "b"}
t[100] = 100
local seen = {}
for k, v in pairs(t) do
  seen[#seen + 1] = tostring(k) .. "=" .. tostring(v)
  if k == "x" then t.x = nil end     -- clearing the current field is allowed
  if k == "y" then t.y = "changed" end
end
table.sort(seen)
print(table.concat(seen, " "))

-- a single loop variable, and more variables than results
local n = 0
for k in pairs({a = 1, b = 2, c = 3}) do n = n + 1 end
print(n)
for k, v, extra, more in pairs({5}) do print(k, v, extra, more) end
for i, v, extra in ipairs({7, 8}) do print(i, v, extra) end

-- ipairs stops at the first nil; a table with a metatable is read raw
local mt = setmetatable({1, 2}, {__index = function(_, i) return i * 100 end})
for i, v in ipairs(mt) do print("ipairs", i, v) end
for i, v in ipairs({1, 2, nil, 4}) do print("holes", i, v) end

-- next and the ipairs iterator called by hand and through for
local iter, state, init = ipairs({"a", "b"})
print(iter(state, init), iter(state, 1), iter(state, 2))
print(next({}), next({9}), next({9}, 1))
for k, v in next, {p = 1} do print("next-for", k, v) end
-- a control value that is a numeric string goes through the iterator's
-- own conversion
for i, v in iter, {"s1", "s2"}, "0" do print("string control", i, v) end

-- errors raised by the iterator in a loop
print(pcall(function() for k in next, {}, "nokey" do end end))
print(pcall(function() for k in next, nil do end end))
print(pcall(function() for i in iter, {1}, {} do end end))
print(pcall(function() for i in iter, nil, 0 do end end))

-- call hooks see every call of the iterator
local calls = {}
debug.sethook(function(ev)
  local info = debug.getinfo(2, "n")
  if info and (info.name == "next" or info.name == "(for generator)" or info.name == "?") then
    calls[#calls + 1] = ev .. ":" .. tostring(info.name)
  end
end, "c")
for k, v in pairs({1, 2}) do end
for i, v in ipairs({1, 2}) do end
debug.sethook()
print(#calls, calls[1], calls[#calls])

-- a count hook counts the same instructions
local count = 0
debug.sethook(function() count = count + 1 end, "", 1)
for k, v in pairs({1, 2, 3, a = 4}) do end
for i, v in ipairs({1, 2, 3}) do end
debug.sethook()
print("count", count)
