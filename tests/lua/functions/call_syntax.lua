-- call forms: string and table literal arguments, chained calls
local function id(x) return x end
print(id"string arg", id[[long string arg]], id{ "table" }[1])
local function curry(a) return function(b) return function(c) return a .. b .. c end end end
print(curry "a" "b" "c")
print(curry("x")("y")("z"))
local t = { f = function(self, x) return x end }
print(t:f"m", t:f{ 1 } ~= nil)
print(type(print), (print) == print)
print(loadstring("f\n(1)"))
