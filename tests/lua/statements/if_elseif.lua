-- if/elseif/else chains pick the first true branch
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  elseif n < 100 then return "medium"
  else return "large" end
end
for _, v in ipairs({ -5, 0, 3, 42, 1000 }) do print(v, classify(v)) end
if nil then print("nil is true?") elseif false then print("false?") else print("else taken") end
if 0 then print("0 is true") end
if "" then print("empty string is true") end
local x = 5
if x > 1 then if x > 3 then print("nested true") end end
