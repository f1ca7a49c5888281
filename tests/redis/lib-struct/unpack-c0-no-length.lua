-- c0 with no previous number
return {struct.unpack("c0", "abc")}
