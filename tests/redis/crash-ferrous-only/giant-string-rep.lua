-- string.rep of a terabyte: Redis's allocator aborts the server; a memory error is expected
--! expect-error-prefix: ERR
return #string.rep("x", 2^40)
