-- i and I (4 bytes by default)
return {struct.pack("<i", -1), struct.pack(">i", 1), struct.pack("<I", 4294967295), struct.pack(">I", 16909060)}
