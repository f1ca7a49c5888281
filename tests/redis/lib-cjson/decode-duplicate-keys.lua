-- the last duplicate key wins
local t = cjson.decode('{"a": 1, "a": 2}')
return t.a
