-- cmsgpack: headers claiming four-gigabyte strings, maps and arrays
return {pcall(cmsgpack.unpack, "\219\255\255\255\255ab"), pcall(cmsgpack.unpack, "\223\255\255\255\255\1"), pcall(cmsgpack.unpack, "\221\255\255\255\255\1")}
