-- os.date in UTC with the C99/POSIX conversions glibc supports
local t = 1234567890
for _, f in ipairs({ "%C", "%D", "%e", "%F", "%g", "%G", "%h", "%n", "%R", "%t", "%T", "%u", "%V", "%z", "%Z", "%s", "%P", "%k", "%l", "%r" }) do
  print(f, "[" .. os.date("!" .. f, t) .. "]")
end
