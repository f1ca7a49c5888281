-- repeat-until: body runs at least once; locals of the body are visible in the condition
local i = 0
repeat i = i + 1 until i >= 3
print(i)
repeat print("once") until true
local n = 0
repeat
  local done = n >= 4
  n = n + 1
until done
print(n)
local k = 10
repeat
  local k = k - 1
  print("inner k", k)
until k < 10
local tries = 0
repeat
  tries = tries + 1
  if tries == 2 then break end
until false
print("tries", tries)
