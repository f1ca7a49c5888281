-- dkjson: encode and decode a generated document
local json = require "dkjson"
local doc = {}
for i = 1, 400 do
  doc[i] = { id = i, name = "item" .. i, tags = { "a" .. i % 7, "b" .. i % 11, "c" }, price = i * 1.25,
             ok = i % 3 == 0, nested = { x = i, y = -i, z = { i, i + 1, i + 2 } }, text = ("line %d\n\t\"quoted\""):format(i) }
end
local total = 0
for r = 1, 60 do
  local s = json.encode(doc, { indent = (r % 2 == 0) })
  local back = json.decode(s)
  total = total + #s + #back + back[r].nested.z[3]
end
print("json", total)
