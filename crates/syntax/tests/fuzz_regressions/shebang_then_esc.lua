#!
Lua