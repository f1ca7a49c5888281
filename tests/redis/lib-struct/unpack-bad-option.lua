-- an unknown format letter while unpacking
return {struct.unpack("z", "abc")}
