-- a caught error table without err raised again crashes Redis 7.0.15
--! expect-error-prefix: ERR
local ok, e = pcall(function() error({code = 1}) end)
error(e)
