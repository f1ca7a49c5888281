-- setfenv returns the function it changed; the same environment table can be shared
local shared = { x = 1 }
local function a() return x end
local function b() x = (x or 0) + 10 return x end
print(setfenv(a, shared) == a, setfenv(b, shared) == b)
print(a(), b(), a(), shared.x)
print(getfenv(a) == getfenv(b))
