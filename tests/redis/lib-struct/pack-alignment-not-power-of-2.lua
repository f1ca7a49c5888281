-- an alignment that is not a power of 2
return struct.pack("!3bi", 1, 2)
