-- uncaught: indexing a nil upvalue
local settings
local function get() return settings.value end
get()
