-- strings are binary safe: NUL, CR, LF and high bytes pass unchanged
return "a\0b\r\n\255\128z"
