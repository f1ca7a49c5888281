-- a script past the memory limit fails cleanly; pcall catches it; the engine keeps working
--! options: --memory-limit-mb 32
--! a: EVAL local\st\s=\s{}\sfor\si\s=\s1,\s1e8\sdo\st[i]\s=\si\send\sreturn\s#t 0
--! expect-prefix: -ERR Error running script
--! a: EVAL return\s{pcall(string.rep,\s'x',\s2^30)} 0
--! expect: *2\r\n$-1\r\n$17\r\nnot enough memory\r\n
--! a: EVAL $BODY 0
--! expect: :1000\r\n
--! a: EVAL return\s#string.rep(string.rep('x',\s2^20),\s2^20) 0
--! expect-prefix: -ERR
--! a: EVAL $BODY 0
--! expect: :1000\r\n
local t = {}
for i = 1, 1000 do t[i] = tostring(i) end
return #t
