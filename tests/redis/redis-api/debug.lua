-- redis.debug() outside the debugger returns nothing
return {select("#", redis.debug("message", 1, {})), "after"}
