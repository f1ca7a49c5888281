-- closures from one call are gone in the next
--! calls: 2
local cache = {}
cache[#cache + 1] = "entry"
return #cache
