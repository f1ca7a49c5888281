-- c3 reads three bytes
return {struct.unpack("c3c2", "abcde")}
