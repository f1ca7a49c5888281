-- getlocal of a function with only parameters, and of one inside a for loop
local function params(a, b, c) local x = debug.getlocal(1, 3) return x end
print(params(1, 2, 3))
local function loop()
  local names = {}
  for i = 1, 1 do
    local j = 1
    while true do
      local name = debug.getlocal(1, j)
      if not name then break end
      names[#names + 1] = name
      j = j + 1
    end
  end
  return table.concat(names, " ")
end
print(loop())
