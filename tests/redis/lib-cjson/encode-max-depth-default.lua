-- 1000 levels encode; 1001 do not
local function nest(n) local t = {} for i = 1, n do t = {t} end return t end
local ok1 = pcall(cjson.encode, nest(999))
local ok2, e2 = pcall(cjson.encode, nest(1000))
return {tostring(ok1), tostring(ok2), e2}
