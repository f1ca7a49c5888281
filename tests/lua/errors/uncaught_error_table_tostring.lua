-- uncaught: a table error with __tostring is still "not a string" for the stand-alone interpreter
error(setmetatable({}, { __tostring = function() return "custom" end }))
