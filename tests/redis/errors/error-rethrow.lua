-- an error caught by pcall and raised again keeps its first position
local ok, e = pcall(function()
  error("inner")
end)
error(e, 0)
