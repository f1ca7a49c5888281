-- short and long comments in every position
local x = 1 -- trailing comment
--[[ long
comment ]] local y = 2
--[==[ level two ]] still comment ]==] local z = 3
--[ not a long comment
print(x, y, z)
print(1 --[[inline]] + --[=[another]=] 2)
---[[ this is a short comment
print("visible")
--]]
--
print("end")
