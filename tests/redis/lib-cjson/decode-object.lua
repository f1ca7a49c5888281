-- decode an object
local t = cjson.decode('{"name":"ann","age":42}')
return {t.name, t.age}
