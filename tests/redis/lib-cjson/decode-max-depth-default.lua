-- 1000 nested arrays decode; 1001 do not
local ok1 = pcall(cjson.decode, string.rep("[", 1000) .. string.rep("]", 1000))
local ok2, e2 = pcall(cjson.decode, string.rep("[", 1001) .. string.rep("]", 1001))
return {tostring(ok1), tostring(ok2), e2}
