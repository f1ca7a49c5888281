-- error(redis.status_reply("x")) crashes Redis 7.0.15 (ok table raised as an error)
--! expect-error-prefix: ERR
error(redis.status_reply("x"))
