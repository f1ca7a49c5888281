-- uncaught: comparing a number with nil
local limit
for i = 1, 3 do
  if i > limit then print("never") end
end
