-- a JSON encoder with sorted object keys, string escaping, arrays and nesting
local encode
local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k <= 0 or k % 1 ~= 0 then return false end
    n = n + 1
  end
  for i = 1, n do if t[i] == nil then return false end end
  return true, n
end
function encode(v, indent, depth)
  depth = depth or 0
  local t = type(v)
  if t == "nil" then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if v ~= v or v == 1/0 or v == -1/0 then error("cannot encode " .. tostring(v)) end
    if v % 1 == 0 and v > -1e15 and v < 1e15 then return string.format("%d", v) end
    return string.format("%.14g", v)
  elseif t == "string" then return encode_string(v)
  elseif t == "table" then
    if depth > 50 then error("nesting too deep") end
    local arr, n = is_array(v)
    local parts = {}
    if arr then
      for i = 1, n do parts[i] = encode(v[i], indent, depth + 1) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do
      if type(k) ~= "string" then error("non-string key: " .. type(k)) end
      keys[#keys + 1] = k
    end
    table.sort(keys)
    for i, k in ipairs(keys) do parts[i] = encode_string(k) .. ":" .. encode(v[k], indent, depth + 1) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  error("cannot encode type " .. t)
end
print(encode({ name = "Ferrous", version = 5.1, tags = { "fast", "safe" }, nested = { a = { b = { c = true } } }, empty = {} }))
print(encode({ 1, 2.5, -3, 1e20, "x\ny\t\"z\"\\", false }))
print(encode("control \1\31 chars"))
print(pcall(encode, { [true] = 1 }))
print(pcall(encode, { 0/0 }))
print(pcall(encode, print))
local deep = {}
local cur = deep
for i = 1, 60 do cur.next = {} cur = cur.next end
print(pcall(encode, deep))
