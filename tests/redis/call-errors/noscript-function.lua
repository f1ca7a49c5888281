-- FUNCTION and FCALL are refused in scripts
return {redis.pcall("FUNCTION", "LIST"), redis.pcall("FCALL", "f", 0)}
