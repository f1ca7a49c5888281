-- a count hook fires periodically during a long loop
local fired = 0
debug.sethook(function(ev) fired = fired + 1 end, "", 1000)
local s = 0
for i = 1, 100000 do s = s + i end
debug.sethook()
print(s, fired > 10, fired < 100000)
