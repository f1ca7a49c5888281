-- struct: a huge alignment value
return struct.pack("!99999999999i", 1)
