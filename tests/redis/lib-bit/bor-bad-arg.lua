-- bor with a non-number argument
return bit.bor(1, "x")
