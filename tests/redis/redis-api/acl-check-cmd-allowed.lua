-- the default user may run GET and SET
return {tostring(redis.acl_check_cmd("get", "k")), tostring(redis.acl_check_cmd("SET", "k", "v"))}
