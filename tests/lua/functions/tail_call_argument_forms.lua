-- tail calls with method calls, varargs and call results as arguments
local obj = { n = 0 }
function obj:step(k) if k == 0 then return self.n end self.n = self.n + 1 return self:step(k - 1) end
print(obj:step(100000))
local function count(...) return select("#", ...) end
local function fwd(...) return count(...) end
print(fwd(1, nil, 3, nil))
local function pair() return 1, 2 end
local function tail_of_call() return count(pair()) end
print(tail_of_call())
local function not_tail() return (count(1, 2)) end
print(not_tail())
