-- uncaught: error with a string message from a nested function
local function validate(x) if x < 0 then error("negative input: " .. x) end end
validate(5)
validate(-3)
