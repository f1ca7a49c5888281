-- s without a terminating NUL
return {struct.unpack("s", "abc")}
