-- a #! line that is not the first line is plain Lua (a syntax error)
--! cmd: EVAL return\s1\n#!lua 0
return 1
