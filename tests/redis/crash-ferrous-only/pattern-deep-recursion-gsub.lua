-- the same deep pattern recursion through gsub
--! expect-error-prefix: ERR
return (string.gsub(string.rep("b", 300000), string.rep("b?", 300000), "x"))
