-- Penlight: pretty-printing, string utilities, List and tablex
local pretty = require "pl.pretty"
local stringx = require "pl.stringx"
local List = require "pl.List"
local tablex = require "pl.tablex"
local t = {}
for i = 1, 300 do t[i] = { k = "key" .. i, v = { i, i * 2, s = "s" .. i } } end
local total = 0
for r = 1, 120 do
  local s = pretty.write(t)
  total = total + #s
  local back = pretty.read(s)
  total = total + #back
  local words = stringx.split(s, ",")
  total = total + #words
  local l = List(words):map(stringx.strip):filter(function(w) return #w > 3 end)
  total = total + #l + #stringx.join(";", l)
  local keys = tablex.keys(tablex.index_map(words))
  total = total + #keys
end
print("penlight", total)
