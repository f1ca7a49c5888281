-- loadstring returns the syntax error instead of raising it
local f, e = loadstring("return +")
return {tostring(f), e}
