-- changing the environment of an outer function does not affect closures made earlier
local function outer()
  return function() return marker end
end
marker = "global marker"
local early = outer()
setfenv(outer, { marker = "new env" })
local late = outer()
print(early(), late())
print(getfenv(early) == _G, getfenv(late).marker)
