-- __newindex tables receive assignments of absent keys; existing keys are set in place
local store = {}
local proxy = setmetatable({ existing = 1 }, { __newindex = store })
proxy.existing = 2
proxy.fresh = 3
print(rawget(proxy, "existing"), rawget(proxy, "fresh"), store.fresh, store.existing)
local inner = {}
local mid = setmetatable({}, { __newindex = inner })
local outer = setmetatable({}, { __newindex = mid })
outer.deep = "x"
print(rawget(outer, "deep"), rawget(mid, "deep"), inner.deep)
proxy.existing = nil
proxy.existing = 5
print(rawget(proxy, "existing"), store.existing)
