-- a small class system built on __index chains, with super calls and tostring
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({ name = name, sound = sound }, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end
Animal.__tostring = function(a) return "Animal(" .. a.name .. ")" end
local Dog = setmetatable({}, { __index = Animal })
Dog.__index = Dog
Dog.__tostring = Animal.__tostring
function Dog.new(name) local d = Animal.new(name, "woof") return setmetatable(d, Dog) end
function Dog:kind() return "dog, an " .. Animal.kind(self) end
function Dog:fetch() return self.name .. " fetches" end
local a, d = Animal.new("cat", "meow"), Dog.new("rex")
print(a:speak(), a:kind(), tostring(a))
print(d:speak(), d:kind(), d:fetch(), tostring(d))
print(getmetatable(d) == Dog, rawget(Dog, "speak"), Dog.speak == Animal.speak)
print(pcall(function() return a:fetch() end))
