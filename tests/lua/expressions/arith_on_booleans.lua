-- arithmetic and concatenation never convert booleans or nil
for _, op in ipairs({ "+", "-", "*", "/", "%", "^", ".." }) do
  local f = loadstring("local a, b = ... return a " .. op .. " b")
  print(op, select(2, pcall(f, true, 1)), select(2, pcall(f, 1, false)))
end
