-- c0 takes its length from the previous number
return {struct.unpack("bc0", "\3xyzrest")}
