-- variable kinds in error messages inside nested closures
local outer_nil
local function l1()
  local mid_nil
  return function()
    local inner_nil
    print(select(2, pcall(function() return outer_nil.x end)))
    print(select(2, pcall(function() return mid_nil.x end)))
    print(select(2, pcall(function() return inner_nil.x end)))
    print(select(2, pcall(function() return inner_nil + outer_nil end)))
  end
end
l1()()
