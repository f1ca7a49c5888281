-- MessagePack (pure Lua): pack and unpack a generated document
local mp = require "MessagePack"
local doc = {}
for i = 1, 500 do
  doc[i] = { id = i, name = "n" .. i, vals = { i, i * 2.5, -i, 2^31 + i }, flag = i % 2 == 0, sub = { a = "x", b = { 1, 2, 3 } } }
end
local total = 0
for r = 1, 150 do
  local s = mp.pack(doc)
  local back = mp.unpack(s)
  total = total + #s + back[r].vals[2]
end
print("msgpack", total)
