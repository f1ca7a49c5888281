-- an event emitter with ordered listeners, once-listeners, removal during dispatch and errors
local Emitter = {}
Emitter.__index = Emitter
function Emitter.new() return setmetatable({ handlers = {} }, Emitter) end
function Emitter:on(ev, fn, once) local hs = self.handlers[ev] or {} self.handlers[ev] = hs hs[#hs + 1] = { fn = fn, once = once } return fn end
function Emitter:off(ev, fn) local hs = self.handlers[ev] or {} for i = #hs, 1, -1 do if hs[i].fn == fn then table.remove(hs, i) end end end
function Emitter:emit(ev, ...)
  local hs = self.handlers[ev]
  if not hs then return 0 end
  local snapshot = { unpack(hs) }
  local n, errors = 0, {}
  for _, h in ipairs(snapshot) do
    if h.once then self:off(ev, h.fn) end
    local ok, e = pcall(h.fn, ...)
    n = n + 1
    if not ok then errors[#errors + 1] = e end
  end
  return n, errors
end
local em = Emitter.new()
local log = {}
local function a(x) log[#log + 1] = "a" .. x end
em:on("tick", a)
em:on("tick", function(x) log[#log + 1] = "once" .. x end, true)
local bad = em:on("tick", function(x) if x == 2 then error("bad tick " .. x, 0) end log[#log + 1] = "b" .. x end)
for i = 1, 3 do
  local n, errs = em:emit("tick", i)
  print(i, n, #errs, errs[1])
end
em:off("tick", a)
local n4, e4 = em:emit("tick", 4)
print(n4, #e4)
print(em:emit("none"))
print(table.concat(log, " "))
