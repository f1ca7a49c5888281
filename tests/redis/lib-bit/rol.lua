-- rol rotates left
return {bit.rol(0x12345678, 4), bit.rol(0x80000000, 1), bit.rol(1, 32), bit.rol(1, -1)}
