-- status_reply returns a table with an ok field
local t = redis.status_reply("X")
return {type(t), t.ok}
