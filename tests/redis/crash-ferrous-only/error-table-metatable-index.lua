-- an error table whose err comes from __index crashes Redis 7.0.15
--! expect-error-prefix: ERR
local t = setmetatable({}, {__index = function() return "MYERR via index" end})
error(t)
