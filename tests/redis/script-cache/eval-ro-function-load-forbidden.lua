-- EVAL_RO cannot call FUNCTION either
--! ro
return redis.pcall("FUNCTION", "FLUSH")
