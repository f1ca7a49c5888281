-- error({}) crashes Redis 7.0.15 (a table without err reaches the error reply code)
--! expect-error-prefix: ERR
error({})
