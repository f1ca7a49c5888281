-- redis.breakpoint() outside the debugger returns false
return {tostring(redis.breakpoint()), type(redis.breakpoint())}
