-- i17 packs seventeen bytes
return struct.pack("i17", 1)
