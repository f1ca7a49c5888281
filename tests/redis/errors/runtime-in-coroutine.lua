-- an error inside a coroutine is returned by resume
local co = coroutine.create(function() error("in coroutine") end)
return {coroutine.resume(co)}
