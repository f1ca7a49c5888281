-- load(reader): how many times the reader is called (lua5.1 asks for a piece only when its lexer needs one more character, and stops at the first error), with the result or message, over many chunks and piece sizes
local chunks = {
  "", " ", "\n", "x", "x=1", "x = 1", "*a = 123", "a = = 1", "return", "return 1",
  "return 1 +", "local a, b = 1, 2 return a + b", "x = 'abc", "x = 'ab\ncd'", "x = \"a\\",
  "x = '\\999'", "x = '\\25", "x = '\\256' .. 1", "x = [[abc", "x = [==[ a ]] ]=] ]==] return x",
  "x = [[ a [[ b ]] ]]", "x = [==x", "x = [=", "--[[ comment", "--[==[ c ]==] return 1",
  "-- line comment", "-- line\nreturn 2", "return 1e", "return 0x1g", "return 3..4", "return ...",
  "return 1 .. 2", "a.b.c = 1", "f(", "for i=1,2 do end", "for i do end", "if x then else",
  "local function f() return end end", "t = {a = 1, b = 2, [3] = 4}", "t = {a b}", "t = {x = }",
  "return 'a' 'b'", "x = 1\r\ny = 2\n\rz = 3", "x = 1 @ 2", "x = #", "return \"x\\\ny\"",
  "while true do break end", "repeat until", "repeat local x = 1 until x", "goto = 1",
  "x = 12345678901234567890", "return 1 2", ";", "do end end", "x = {", "local x <const> = 1",
  "return function(a, ...) return ... end", "x = 'a\\\r\nb'", "x = -- comment\n 5",
  "x = [[\nfirst]] return x", "return 'unterminated\\", "x = \0", "x = 1 .\0 2", "a = 1 ~ 2",
  "return not", "return (1", "local", "local 1", "function", "function a.b:c() end",
  "x = 5 -- tail", "x = 5 --[[ long ]] y = 6", "return [[a]]..[=[b]=]",
}

local function split_reader(s, k, counter)
  local pos = 1
  return function()
    counter.n = counter.n + 1
    if pos > #s then return nil end
    local piece = s:sub(pos, pos + k - 1)
    pos = pos + k
    return piece
  end
end

local function show(f, e)
  if f then return "ok" end
  return "err " .. tostring(e)
end

for ci, c in ipairs(chunks) do
  for _, k in ipairs({1, 2, 3, 4, 5, 7, 11, 1000}) do
    local counter = {n = 0}
    local f, e = load(split_reader(c, k, counter), "=c")
    print(ci, k, counter.n, show(f, e))
  end
end

-- pieces that end the stream early: an empty string ends it like nil
do
  local pieces = {"return ", "1", "", "+ 2"}
  local n = 0
  local f, e = load(function() n = n + 1; return pieces[n] end)
  print("empty piece", n, show(f, e), f and f())
end

-- a first piece that is empty: lua5.1 asks again for the lexer's first character
do
  local pieces = {"", "return 42"}
  local n = 0
  local f, e = load(function() n = n + 1; return pieces[n] end)
  print("empty first", n, show(f, e), f and f())
  n = 0
  pieces = {nil, "return 43"}
  f, e = load(function() n = n + 1; return pieces[n] end)
  print("nil first", n, show(f, e), f and f())
  n = 0
  pieces = {"", "", "return 44"}
  f, e = load(function() n = n + 1; return pieces[n] end)
  print("two empty first", n, show(f, e), f and f())
end

-- numbers are pieces too
do
  local pieces = {"return ", 12, ".5", " + ", 1}
  local n = 0
  local f, e = load(function() n = n + 1; return pieces[n] end)
  print("numbers", n, show(f, e), f and f())
end

-- (run under pcall: lua5.1 runs the active message handler, here the
-- stand-alone interpreter's traceback, on an error raised while loading)
print(pcall(function()
-- a reader returning something else, at once or later
for _, bad in ipairs({true, {}, print}) do
  for _, at in ipairs({1, 2, 4}) do
    local n = 0
    local f, e = load(function()
      n = n + 1
      if n == at then return bad end
      return "x"
    end)
    print("bad piece", type(bad), at, n, show(f, e))
  end
end

-- a reader raising an error
for _, at in ipairs({1, 2, 5}) do
  local n = 0
  local f, e = load(function()
    n = n + 1
    if n == at then error("boom " .. n) end
    return "x = 1 "
  end)
  print("reader error", at, n, show(f, e))
  n = 0
  f, e = load(function()
    n = n + 1
    if n == at then error({}) end
    return "y"
  end)
  print("reader error table", at, n, f, type(e))
end
end))

-- a binary chunk is read as far as it goes: no call for the end
do
  local bin = string.dump(function(a, b) local c = a .. b; return c, #c end)
  for _, k in ipairs({1, 2, 5, 16, 1000, #bin}) do
    local counter = {n = 0}
    local f, e = load(split_reader(bin, k, counter))
    print("binary", k, counter.n, show(f, e), f and f("ab", "cd"))
    counter.n = 0
    f, e = load(split_reader(bin .. "trailing garbage", k, counter))
    print("binary+", k, counter.n, show(f, e), f and f("x", "y"))
    counter.n = 0
    f, e = load(split_reader(bin:sub(1, 30), k, counter), "=bin")
    print("binary cut", k, counter.n, show(f, e))
  end
end

-- the chunk name in messages, and a syntax error far into a long reader
do
  local n = 0
  local f, e = load(function()
    n = n + 1
    if n < 50 then return "x = " .. n .. "\n" end
    if n == 50 then return "x = = 1\n" end
    return "y = 1\n"
  end, "long")
  print("far error", n, show(f, e))
end

-- a long source, one byte per piece
do
  local parts = {}
  for i = 1, 3000 do parts[#parts + 1] = "x" .. (i % 150) .. " = " .. i .. " -- c\n" end
  parts[#parts + 1] = "return [[" .. string.rep("long string ", 500) .. "]]"
  local src = table.concat(parts)
  local counter = {n = 0}
  local f, e = load(split_reader(src, 1, counter))
  print("long source", #src, counter.n, show(f, e), f and #f())
end
