-- a function with more than 200 locals and constants still works
local src = { "local acc = 0" }
for i = 1, 190 do src[#src + 1] = "local v" .. i .. " = " .. i end
src[#src + 1] = "acc = v1 + v190 + v95"
for i = 1, 300 do src[#src + 1] = "acc = acc + " .. (i + 0.5) end
src[#src + 1] = "return acc"
local f = assert(loadstring(table.concat(src, "\n")))
print(f())
local t = {}
for i = 1, 400 do t[#t + 1] = "k" .. i .. " = " .. i end
local g = assert(loadstring("return {" .. table.concat(t, ", ") .. "}"))
local r = g()
print(r.k1, r.k400, r.k250)
local big = {}
for i = 1, 201 do big[#big + 1] = "local x" .. i end
print(loadstring(table.concat(big, "\n")))
