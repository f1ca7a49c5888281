-- a CRC-32 computed with bit operations (a realistic script)
local function crc32(s)
  local crc = -1
  for i = 1, #s do
    crc = bit.bxor(crc, s:byte(i))
    for _ = 1, 8 do
      local mask = -bit.band(crc, 1)
      crc = bit.bxor(bit.rshift(crc, 1), bit.band(0xEDB88320, mask))
    end
  end
  return bit.tohex(bit.bnot(crc))
end
return {crc32(""), crc32("hello"), crc32("The quick brown fox jumps over the lazy dog")}
