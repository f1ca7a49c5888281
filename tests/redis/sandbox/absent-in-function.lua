-- the nonexistent-global error from inside a function reports that line
local function f()
  local x = 1
  return missing_global
end
return f()
