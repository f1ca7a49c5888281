-- debug.getinfo on a Lua function: every field of the S, l, u and n options
local function sample(a, b)
  local up = print
  return debug.getinfo(1, "nSlu")
end
local i = sample()
print(i.source, i.short_src, i.what, i.linedefined, i.lastlinedefined)
print(i.currentline, i.nups, i.name, i.namewhat)
local j = debug.getinfo(sample)
local keys = {}
for k, v in pairs(j) do keys[#keys + 1] = k .. "=" .. (type(v) == "function" and "function" or tostring(v)) end
table.sort(keys)
print(table.concat(keys, " "))
print(j.func == sample, j.currentline)
