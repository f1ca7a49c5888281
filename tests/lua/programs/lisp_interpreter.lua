-- a tiny Lisp: reader, environment chain, special forms, closures and recursion
local function tokenize(s) local t = {} for tok in s:gsub("%(", " ( "):gsub("%)", " ) "):gmatch("%S+") do t[#t + 1] = tok end return t end
local function read(toks, i)
  local tok = toks[i]
  if tok == nil then error("unexpected end of input") end
  if tok == "(" then
    local list = {}
    i = i + 1
    while toks[i] ~= ")" do
      if toks[i] == nil then error("missing )") end
      local v v, i = read(toks, i) list[#list + 1] = v
    end
    return list, i + 1
  elseif tok == ")" then error("unexpected )")
  end
  return tonumber(tok) or tok, i + 1
end
local Env = {}
Env.__index = Env
local function env(vars, outer) return setmetatable({ vars = vars, outer = outer }, Env) end
function Env:find(k) if self.vars[k] ~= nil then return self end if self.outer then return self.outer:find(k) end error("unbound symbol " .. tostring(k)) end
local global = env({
  ["+"] = function(a, b) return a + b end, ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end, ["<"] = function(a, b) return a < b end,
  ["="] = function(a, b) return a == b end, list = function(...) return { ... } end,
  car = function(l) return l[1] end, cdr = function(l) return { select(2, unpack(l)) } end,
  ["null?"] = function(l) return #l == 0 end,
})
local function eval(x, e)
  if type(x) == "string" then return e:find(x).vars[x] end
  if type(x) == "number" then return x end
  local op = x[1]
  if op == "quote" then return x[2]
  elseif op == "if" then if eval(x[2], e) then return eval(x[3], e) else return eval(x[4], e) end
  elseif op == "define" then e.vars[x[2]] = eval(x[3], e) return nil
  elseif op == "lambda" then
    local params, body = x[2], x[3]
    return function(...)
      local args, vars = { ... }, {}
      for i, p in ipairs(params) do vars[p] = args[i] end
      return eval(body, env(vars, e))
    end
  end
  local f = eval(op, e)
  local args = {}
  for i = 2, #x do args[#args + 1] = eval(x[i], e) end
  if type(f) ~= "function" then error("not a procedure: " .. tostring(op)) end
  return f(unpack(args))
end
local function run(src) local ok, r = pcall(function() return eval((read(tokenize(src), 1)), global) end) if ok then return r end return "error: " .. tostring(r):gsub("^.-:%d+: ", "") end
local function show(v) if type(v) == "table" then local p = {} for i, x in ipairs(v) do p[i] = show(x) end return "(" .. table.concat(p, " ") .. ")" end return tostring(v) end
for _, src in ipairs({
  "(define fact (lambda (n) (if (< n 2) 1 (* n (fact (- n 1))))))", "(fact 10)", "(fact 20)",
  "(define fib (lambda (n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))))", "(fib 15)",
  "(define make-adder (lambda (x) (lambda (y) (+ x y))))", "((make-adder 3) 4)",
  "(define len (lambda (l) (if (null? l) 0 (+ 1 (len (cdr l))))))", "(len (list 1 2 3 4))",
  "(car (cdr (quote (a b c))))", "(quote (1 (2 3)))", "(undefined 1)", "(1 2)", "(+ 1", ")",
}) do print(src, "=>", show(run(src))) end
