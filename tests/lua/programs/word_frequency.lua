-- word frequencies of a text, sorted by count then alphabetically
local text = [[
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness.
]]
local counts, total = {}, 0
for w in text:lower():gmatch("%a+") do counts[w] = (counts[w] or 0) + 1 total = total + 1 end
local words = {}
for w, n in pairs(counts) do words[#words + 1] = { w = w, n = n } end
table.sort(words, function(a, b) if a.n ~= b.n then return a.n > b.n end return a.w < b.w end)
for i = 1, #words do print(string.format("%-12s %3d %5.1f%%", words[i].w, words[i].n, 100 * words[i].n / total)) end
print("total", total, "distinct", #words)
