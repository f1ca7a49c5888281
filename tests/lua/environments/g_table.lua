-- _G is the global table and refers to itself; globals are its fields
print(_G == _G._G, _G.print == print, type(_G))
_G.via_g = "set through _G"
print(via_g)
direct = "set directly"
print(_G.direct, rawget(_G, "direct"))
print(_G["_VERSION"], _VERSION)
local count = 0
for k, v in pairs(_G) do if type(v) == "table" and k ~= "_G" then count = count + 1 end end
print(count > 5)
_G = nil
print(type(_G), type(getfenv()._G))
