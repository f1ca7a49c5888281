-- every reserved word is rejected as a variable name
local kws = { "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while" }
for _, k in ipairs(kws) do
  local f, e = loadstring("local " .. k .. " = 1")
  print(k, f == nil, e)
end
-- goto and continue are ordinary names in 5.1
local goto, continue = 1, 2
print(goto, continue)
