-- string.rep of a terabyte (a megabyte 2^20 times): Redis's Lua grows the string until the machine runs out of memory; a memory error is expected
--! expect-error-prefix: ERR
return #string.rep(string.rep("x", 2^20), 2^20)
