-- line events inside a while loop and an if chain
local lines = {}
local function f(n)
  local i = 0
  while i < n do
    i = i + 1
    if i % 2 == 0 then
      lines[#lines + 1] = "even"
    else
      lines[#lines + 1] = "odd"
    end
  end
end
local hooked = {}
debug.sethook(function(_, l) if debug.getinfo(2, "S").what == "Lua" then hooked[#hooked + 1] = l end end, "l")
f(3)
debug.sethook()
print(table.concat(hooked, " "))
print(table.concat(lines, " "))
