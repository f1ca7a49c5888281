-- unsigned fields
return {struct.unpack("<I2BH", "\255\255\200\1\0")}
