-- markdown.lua: render a generated document
local markdown = require "markdown"
local parts = {}
for i = 1, 120 do
  parts[#parts + 1] = ("## Section %d\n\nSome *emphasis* and **strong** text with `code %d` and a [link](http://example.com/%d \"title\").\n"):format(i, i, i)
  parts[#parts + 1] = "* item one\n* item two with _under_\n* item three\n\n1. first\n2. second\n\n> quoted line " .. i .. "\n> more\n\n    indented code\n    block " .. i .. "\n\n"
end
local src = table.concat(parts)
local total = 0
for r = 1, 6 do
  local html = markdown(src)
  total = total + #html
end
print("markdown", total)
