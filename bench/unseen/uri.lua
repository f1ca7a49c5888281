-- lua-uri: parse and normalise URIs
local URI = require "uri"
local total = 0
for r = 1, 40000 do
  local u = URI:new("HTTP://Example.COM:80/a/./b/../c%7e/" .. r .. "?q=" .. r .. "#frag")
  local s = tostring(u)
  local rel = URI:new("../d/e?x=1", u)
  total = total + #s + #tostring(rel) + #u:host() + (u:port() or 0)
end
print("uri", total)
