-- EVAL_RO: is PUBLISH allowed?
--! ro
return redis.pcall("PUBLISH", "ch", "m")
