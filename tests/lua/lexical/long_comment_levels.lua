-- long comments of several levels; a short comment can hide a long opener
local n = 0
--[[ n = n + 100 ]] n = n + 1
--[=[ n = n + 100 ]] n = n + 100 ]=] n = n + 1
--[==[
n = n + 100
]==]
n = n + 1
-- [[ not long ]] n = n + 100
n = n + 1
print(n)
