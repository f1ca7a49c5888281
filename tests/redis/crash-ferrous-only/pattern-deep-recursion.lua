-- a pattern whose matcher recurses 200000 levels overflows Redis's C stack
--! expect-error-prefix: ERR
return string.match(string.rep("a", 200000), string.rep("a?", 200000))
