-- runtime errors inside methods name self and its fields
local obj = {}
function obj:broken() return self.data.value end
function obj:calls() return self:nothere() end
function obj:arith() return self.count + 1 end
print(pcall(obj.broken, obj))
print(pcall(obj.calls, obj))
print(pcall(obj.arith, obj))
print(pcall(obj.broken))
