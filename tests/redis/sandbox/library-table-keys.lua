-- the names in cjson, cmsgpack, bit and struct
local out = {}
for _, lib in ipairs({"cjson", "cmsgpack", "bit", "struct"}) do
  local t = {}
  for k, v in pairs(_G[lib]) do t[#t + 1] = k .. ":" .. type(v) end
  table.sort(t)
  out[#out + 1] = lib .. " " .. table.concat(t, " ")
end
return out
