-- h and H in both byte orders
return {struct.pack("<h", -2), struct.pack(">h", -2), struct.pack("<H", 65535), struct.pack(">H", 258)}
