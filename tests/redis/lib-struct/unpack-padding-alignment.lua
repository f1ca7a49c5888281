-- padding and alignment while unpacking
return {struct.unpack("!4bxi", struct.pack("!4bxi", 7, 9))}
