-- a table created by one call is not seen by the next: every call counts from 1
--! calls: 3
local state = {n = 0}
state.n = state.n + 1
return state.n
