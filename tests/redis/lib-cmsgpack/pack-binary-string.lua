-- strings are binary safe
return cmsgpack.pack("\0\255\r\n")
