-- an error inside coroutine.wrap propagates
local f = coroutine.wrap(function() local x = nil; return x.y end)
return f()
