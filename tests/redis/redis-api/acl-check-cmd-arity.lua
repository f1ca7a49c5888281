-- acl_check_cmd does not check the arity
return tostring(redis.acl_check_cmd("get"))
