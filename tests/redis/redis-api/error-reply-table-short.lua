-- the err field of error_reply("x") already carries ERR
local t = redis.error_reply("x")
return t.err
