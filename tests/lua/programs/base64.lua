-- base64 encoding and decoding with padding, round trips over binary data
local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function enc(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local q = { math.floor(n / 262144) % 64, math.floor(n / 4096) % 64, math.floor(n / 64) % 64, n % 64 }
    out[#out + 1] = chars:sub(q[1] + 1, q[1] + 1) .. chars:sub(q[2] + 1, q[2] + 1)
      .. (b and chars:sub(q[3] + 1, q[3] + 1) or "=") .. (c and chars:sub(q[4] + 1, q[4] + 1) or "=")
  end
  return table.concat(out)
end
local rev = {}
for i = 1, #chars do rev[chars:sub(i, i)] = i - 1 end
local function dec(s)
  s = s:gsub("[^%w+/=]", "")
  if #s % 4 ~= 0 then error("invalid length " .. #s) end
  local out = {}
  for i = 1, #s, 4 do
    local q = { s:byte(i, i + 3) }
    local n, pad = 0, 0
    for j = 1, 4 do
      local ch = string.char(q[j])
      if ch == "=" then pad = pad + 1 n = n * 64 else n = n * 64 + rev[ch] end
    end
    local bytes = string.char(math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    out[#out + 1] = bytes:sub(1, 3 - pad)
  end
  return table.concat(out)
end
for _, s in ipairs({ "", "f", "fo", "foo", "foob", "fooba", "foobar", "Ferrous Lua 5.1!" }) do
  print(string.format("%-18q %-26s %s", s, enc(s), tostring(dec(enc(s)) == s)))
end
local bin = {}
for i = 0, 255 do bin[#bin + 1] = string.char((i * 7) % 256) end
bin = table.concat(bin)
print(#enc(bin), dec(enc(bin)) == bin, enc(bin):sub(1, 40))
print(pcall(dec, "abc"))
