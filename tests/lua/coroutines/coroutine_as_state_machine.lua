-- a coroutine-driven lexer yielding tokens one by one
local function lexer(src)
  return coroutine.wrap(function()
    local i = 1
    while i <= #src do
      local c = src:sub(i, i)
      if c:match("%s") then i = i + 1
      elseif c:match("%d") then local n = src:match("^%d+", i) coroutine.yield("NUM", n) i = i + #n
      elseif c:match("%a") then local w = src:match("^%a+", i) coroutine.yield("WORD", w) i = i + #w
      else coroutine.yield("SYM", c) i = i + 1 end
    end
    coroutine.yield("EOF", "")
  end)
end
for kind, text in lexer("let x = 42 + y1;") do
  io.write(kind, "(", text, ") ")
  if kind == "EOF" then break end
end
print()
