-- an error raised by load's reader (or a piece that is not a string) runs the active message handler, as lua5.1's protected parser keeps it: the stand-alone interpreter's traceback, an xpcall handler, none under pcall
for _, bad in ipairs({true, {}}) do
  local n = 0
  local f, e = load(function() n = n + 1; if n == 2 then return bad end return "x" end)
  print("bad piece", n, f, e)
end
for _, at in ipairs({1, 3}) do
  local n = 0
  local f, e = load(function()
    n = n + 1
    if n == at then error("boom " .. n) end
    return "x = 1 "
  end)
  print("reader error", at, n, f, e)
end
print(xpcall(function() return load(function() error("in reader") end) end, function(m) return "H(" .. tostring(m) .. ")" end))
print(xpcall(function() return load(function() return true end) end, function(m) return "H(" .. tostring(m) .. ")" end))
print(pcall(function() return load(function() error("in reader") end) end))
print(type(select(2, load(function() error({}) end))))
