-- pcall catches an error table unchanged
local ok, e = pcall(error, {err = "E x"})
return {type(e), e.err}
