-- an unexpected symbol
local x = = 1
