-- stopping and restarting the collector does not change program results
collectgarbage("stop")
local t = {}
for i = 1, 20000 do t[i] = { i } end
collectgarbage("restart")
local s = 0
for i = 1, #t, 100 do s = s + t[i][1] end
print(s)
collectgarbage("collect")
print(#t)
