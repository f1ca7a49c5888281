-- a collection of string utilities: split, join, trim, startswith, capitalize, escape for patterns
local S = {}
function S.split(s, sep, plain)
  local out, start = {}, 1
  if sep == "" then for c in s:gmatch(".") do out[#out + 1] = c end return out end
  while true do
    local i, j = s:find(sep, start, plain)
    if not i then out[#out + 1] = s:sub(start) break end
    out[#out + 1] = s:sub(start, i - 1)
    start = j + 1
  end
  return out
end
function S.trim(s) return (s:gsub("^%s*(.-)%s*$", "%1")) end
function S.startswith(s, p) return s:sub(1, #p) == p end
function S.endswith(s, p) return p == "" or s:sub(-#p) == p end
function S.capitalize(s) return (s:gsub("(%a)(%w*)", function(a, b) return a:upper() .. b:lower() end)) end
function S.escape(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end
function S.count(s, sub) return select(2, s:gsub(S.escape(sub), "")) end
function S.pad(s, n, c) return s .. (c or " "):rep(n - #s) end
local function show(t) local q = {} for i, v in ipairs(t) do q[i] = string.format("%q", v) end return "{" .. table.concat(q, ",") .. "}" end
print(show(S.split("a,b,,c", ",")), show(S.split("a.b.c", ".", true)), show(S.split("abc", "")), show(S.split("one  two", "%s+")))
print("[" .. S.trim("  \t padded \n ") .. "]", S.startswith("ferrous", "fer"), S.endswith("ferrous", "ous"), S.endswith("x", ""))
print(S.capitalize("hello wORLD from lua5.1"), S.escape("1+1=2? (yes) [100%]"))
print(S.count("a.b.c.d", "."), S.count("aaaa", "aa"), S.pad("ab", 5, "*") .. "|")
