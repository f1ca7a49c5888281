-- error({err=true}) crashes Redis 7.0.15 (err field that is not a string)
--! expect-error-prefix: ERR
error({err = true})
