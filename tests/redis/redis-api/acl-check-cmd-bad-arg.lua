-- acl_check_cmd with a table argument
return redis.acl_check_cmd("get", {})
