-- data shorter than the format
return {struct.unpack(">i4", "\1\2")}
