-- error_reply returns a table with an err field
local t = redis.error_reply("X y")
return {type(t), t.err}
