-- an unknown format letter
return struct.pack("q", 1)
