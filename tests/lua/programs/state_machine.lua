-- a table-driven state machine: a vending machine processing an event list
local machine = {
  idle = { coin = "ready", push = "idle", refund = "idle" },
  ready = { coin = "ready", push = "vending", refund = "idle" },
  vending = { done = "idle", coin = "vending" },
}
local actions = {
  ready = function(ctx, ev) if ev == "coin" then ctx.credit = ctx.credit + 1 end end,
  vending = function(ctx) if ctx.credit > 0 then ctx.credit = ctx.credit - 1; ctx.sold = ctx.sold + 1 end end,
  idle = function(ctx, ev) if ev == "refund" then ctx.refunded = ctx.refunded + ctx.credit; ctx.credit = 0 end end,
}
local ctx = { state = "idle", credit = 0, sold = 0, refunded = 0, rejected = 0 }
local events = { "push", "coin", "coin", "push", "done", "push", "refund", "coin", "refund", "done", "coin", "push", "coin", "done" }
for i, ev in ipairs(events) do
  local nxt = machine[ctx.state][ev]
  if nxt then
    ctx.state = nxt
    actions[nxt](ctx, ev)
  else
    ctx.rejected = ctx.rejected + 1
  end
  print(string.format("%2d %-7s -> %-8s credit=%d sold=%d", i, ev, ctx.state, ctx.credit, ctx.sold))
end
print("refunded", ctx.refunded, "rejected", ctx.rejected)
