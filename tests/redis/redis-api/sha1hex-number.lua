-- sha1hex of a number argument (converted to its string form)
return {redis.sha1hex(42), redis.sha1hex(1.5)}
