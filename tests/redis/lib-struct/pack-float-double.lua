-- f and d
return {struct.pack("<f", 1.5), struct.pack(">d", 1.5), struct.pack("<d", 0.1), struct.pack(">f", -0.25)}
