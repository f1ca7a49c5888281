-- return in the middle of a block needs do ... end; functions return early
local function early(x)
  if x then do return "early" end end
  return "late"
end
print(early(true), early(false))
local function loop_return()
  for i = 1, 10 do if i == 4 then return i end end
  return "none"
end
print(loop_return())
