-- functions defined inside loops capture the loop state of their own iteration
local handlers = {}
for _, name in ipairs({ "open", "save", "close" }) do
  local calls = 0
  handlers[name] = function(arg) calls = calls + 1 return name .. "(" .. tostring(arg) .. ")#" .. calls end
end
print(handlers.open(1), handlers.save(2), handlers.open(3), handlers.close(), handlers.save(5))
local adders = {}
for i = 1, 3 do
  local function add(x) return x + i end
  adders[i] = add
end
print(adders[1](10), adders[2](10), adders[3](10))
