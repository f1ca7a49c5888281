-- a tokenizer, recursive-descent parser and evaluator for arithmetic with variables and functions
local function tokenize(src)
  local toks, i = {}, 1
  while i <= #src do
    local c = src:sub(i, i)
    if c:match("%s") then i = i + 1
    elseif c:match("%d") or (c == "." and src:sub(i + 1, i + 1):match("%d")) then
      local num = src:match("^%d*%.?%d+", i) or src:match("^%d+", i)
      toks[#toks + 1] = { "num", tonumber(num) }; i = i + #num
    elseif c:match("[%a_]") then
      local id = src:match("^[%a_][%w_]*", i)
      toks[#toks + 1] = { "id", id }; i = i + #id
    elseif c:match("[-+*/^(),=%%]") then toks[#toks + 1] = { c }; i = i + 1
    else error("unexpected character '" .. c .. "' at " .. i, 0) end
  end
  toks[#toks + 1] = { "eof" }
  return toks
end
local function parse(toks)
  local p = 1
  local function peek() return toks[p][1] end
  local function take(k) if peek() ~= k then error("expected " .. k .. " but found " .. peek(), 0) end p = p + 1 return toks[p - 1] end
  local expr
  local function primary()
    local k = peek()
    if k == "num" then return { "num", take("num")[2] }
    elseif k == "id" then
      local name = take("id")[2]
      if peek() == "(" then
        take("(")
        local args = {}
        if peek() ~= ")" then repeat args[#args + 1] = expr() until peek() ~= "," or not take(",") end
        take(")")
        return { "call", name, args }
      end
      return { "var", name }
    elseif k == "(" then take("(") local e = expr() take(")") return e
    elseif k == "-" then take("-") return { "neg", primary() } end
    error("unexpected " .. k, 0)
  end
  local function power() local b = primary() if peek() == "^" then take("^") return { "^", b, power() } end return b end
  local function term()
    local l = power()
    while peek() == "*" or peek() == "/" or peek() == "%" do local op = take(peek())[1] l = { op, l, power() } end
    return l
  end
  function expr()
    local l = term()
    while peek() == "+" or peek() == "-" do local op = take(peek())[1] l = { op, l, term() } end
    return l
  end
  local stmt
  if toks[1][1] == "id" and toks[2][1] == "=" then
    local name = take("id")[2] take("=")
    stmt = { "assign", name, expr() }
  else stmt = expr() end
  take("eof")
  return stmt
end
local env = { pi = math.pi }
local funcs = { max = math.max, min = math.min, sqrt = math.sqrt, abs = math.abs }
local function eval(n)
  local k = n[1]
  if k == "num" then return n[2]
  elseif k == "var" then local v = env[n[2]] if v == nil then error("undefined variable " .. n[2], 0) end return v
  elseif k == "neg" then return -eval(n[2])
  elseif k == "call" then
    local f = funcs[n[2]] or error("unknown function " .. n[2], 0)
    local args = {}
    for i, a in ipairs(n[3]) do args[i] = eval(a) end
    return f(unpack(args))
  elseif k == "assign" then env[n[2]] = eval(n[3]) return env[n[2]]
  else
    local a, b = eval(n[2]), eval(n[3])
    if k == "+" then return a + b elseif k == "-" then return a - b elseif k == "*" then return a * b
    elseif k == "/" then return a / b elseif k == "%" then return a % b else return a ^ b end
  end
end
local lines = { "1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "-2 ^ 2", "x = 10", "y = x * 2 + 1", "max(x, y, 7) - min(3, 4)",
  "sqrt(16) + abs(-2.5)", "10 % 4 + .5", "z + 1", "1 +", "foo(1)", "3 $ 4", "pi * 2" }
for _, l in ipairs(lines) do
  local ok, r = pcall(function() return eval(parse(tokenize(l))) end)
  print(string.format("%-28s => %s", l, ok and string.format("%.10g", r) or ("error: " .. r)))
end
