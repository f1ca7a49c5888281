-- fewer values than the format needs
return struct.pack("ii", 1)
