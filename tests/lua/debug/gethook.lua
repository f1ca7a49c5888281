-- debug.gethook returns the hook function, mask and count that were set
print(debug.gethook())
local function h() end
debug.sethook(h, "crl", 5)
local f, mask, count = debug.gethook()
debug.sethook()
print(f == h, mask, count)
debug.sethook(h, "", 100)
f, mask, count = debug.gethook()
debug.sethook()
print(f == h, mask, count)
print(debug.gethook())
