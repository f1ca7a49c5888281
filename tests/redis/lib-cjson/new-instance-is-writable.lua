-- an instance from cjson.new() is an ordinary table
local j = cjson.new()
j.extra = 1
return {j.extra, type(j.encode), type(j.null)}
