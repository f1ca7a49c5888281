local M = {}
local insert, concat = table.insert, table.concat

--- Splits s on sep.
function M.split(s, sep)
  local out = {}
  for piece in string.gmatch(s, "([^" .. sep .. "]+)") do
    insert(out, piece)
  end
  return out
end

function M:join(list, sep)
  return concat(list, sep or ",")
end

local Counter = setmetatable({}, { __call = function(cls, start)
  local self = setmetatable({ n = start or 0 }, cls)
  return self
end })
Counter.__index = Counter
function Counter:inc(by) self.n = self.n + (by or 1); return self end

return M
