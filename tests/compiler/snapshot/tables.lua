local t = {1, 2, 3, x = "a", ["y z"] = true, [10] = nil}
local u = {f(), g()}
local obj = {n = 0}
function obj:inc(k) self.n = self.n + (k or 1); return self end
obj:inc(2):inc()
t.x, t[1] = t[1], t.x
return #t, obj.n
