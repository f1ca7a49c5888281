-- switching byte order inside a format
return struct.pack("<h>h<i>i", 1, 1, 2, 2)
