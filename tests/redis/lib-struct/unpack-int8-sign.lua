-- i8 sign extension
return {struct.unpack(">i8", "\255\255\255\255\255\255\255\254")}
