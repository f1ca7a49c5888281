-- local function names are visible inside their bodies; later locals shadow earlier ones
local function f() return "first f" end
local g = function() return f() end
local function f() return "second f" end
print(g(), f())
do
  local function f() return "block f" end
  print(f(), g())
end
print(f())
