-- method call syntax passes the receiver as self; colon and dot definitions
local obj = { name = "obj" }
function obj:greet(g) return g .. ", " .. self.name end
function obj.static(x) return x * 2 end
print(obj:greet("hi"), obj.greet(obj, "hey"), obj.static(21))
local other = { name = "other", greet = obj.greet }
print(other:greet("yo"))
local s = "text"
print(s:upper(), s:len(), ("%d-%d"):format(1, 2))
local calls = 0
local function get() calls = calls + 1 return obj end
print(get():greet("once"), calls)
local nested = { inner = { v = 5, get = function(self) return self.v end } }
print(nested.inner:get())
