-- struct: a huge character count in pack
return struct.pack("c99999999999", "x")
