-- gsub with function and table replacements; false or nil keeps the original text
local vars = { name = "Lua", version = 5.1 }
print(("$name $version $missing"):gsub("%$(%w+)", vars))
print(("1 2 3"):gsub("%d", function(d) return d * 2 end))
print(("a b c"):gsub("%a", function(c) if c == "b" then return nil end return c:upper() end))
print(("a b c"):gsub("%a", function(c) return false end))
print(("abc"):gsub("%w", { a = 1, b = true == false }))
print(("x=1 y=2"):gsub("(%w)=(%w)", function(k, v) return v .. "=" .. k end))
print(("hello"):gsub("", function() return "." end))
print(("abc"):gsub("()", function(p) return p end))
print(pcall(string.gsub, "abc", "%w", function() return {} end))
print(pcall(string.gsub, "abc", "%w", true))
print(pcall(string.gsub, "abc", "%w"))
local count = 0
print(("aaa"):gsub("a", function() count = count + 1 end), count)
