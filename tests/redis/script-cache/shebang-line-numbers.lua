-- errors in a shebang script count the shebang as line 1
--! noload
--! eval
#!lua
local x = nil
return x.y
