-- error({err={}}) crashes Redis 7.0.15 (err field that is a table)
--! expect-error-prefix: ERR
error({err = {}})
