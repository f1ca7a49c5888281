-- load(reader) with long strings, long comments, short comments and escape-heavy quoted strings read in pieces of 1 to 3 bytes: reader calls, result or message (the lexer reads such a token's pieces without lexing it again until one could end it)
local rep = string.rep
local chunks = {
  "return '" .. rep("x", 300) .. "'",
  "return '" .. rep("ab\\n", 100) .. "'",
  "return \"" .. rep("\\65", 100) .. "\"",
  "return '" .. rep("\\6", 50) .. "\\2561'",
  "return '" .. rep("\\12", 40) .. "\\999'",
  "return '" .. rep("a\\\\", 60) .. "' .. 1",
  "return 'a\\\r\nb" .. rep("c", 100) .. "'",
  "return 'a" .. rep("b", 100) .. "\nc'",
  "return '" .. rep("q", 200),
  "return '" .. rep("q", 200) .. "\\",
  "return [[" .. rep("y", 300) .. "]]",
  "return [==[" .. rep("]=]", 60) .. "]==]",
  "return [[" .. rep("z", 100) .. "[[" .. rep("z", 10) .. "]]",
  "return [=[" .. rep("z", 100) .. "[[ ]] ]=]",
  "return [[" .. rep("w", 300),
  "--[==[" .. rep("c", 300) .. "]==] return 1",
  "--[[" .. rep("c", 300),
  "-- " .. rep("z", 300) .. "\nreturn 2",
  "--" .. rep("z", 300),
  "--[=" .. rep("z", 200) .. "\nreturn 3",
  "--[==" .. rep("=", 100) .. "[ x ]" .. rep("=", 102) .. "] return 4",
  "x = " .. rep("9", 200),
  "return " .. rep("a", 200) .. " + 1",
}

local function pieces(s, k, counter)
  local pos = 1
  return function()
    counter.n = counter.n + 1
    if pos > #s then return nil end
    local piece = s:sub(pos, pos + k - 1)
    pos = pos + k
    return piece
  end
end

for i, src in ipairs(chunks) do
  for k = 1, 3 do
    local counter = { n = 0 }
    local f, e = load(pieces(src, k, counter), "=c" .. i)
    if f then
      local ok, r = pcall(f)
      print(i, k, counter.n, "ok", ok, type(r) == "string" and #r or r)
    else
      print(i, k, counter.n, "error", e)
    end
  end
end
