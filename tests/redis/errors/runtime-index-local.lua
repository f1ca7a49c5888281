-- indexing a nil local names it
local cfg
return cfg.name
