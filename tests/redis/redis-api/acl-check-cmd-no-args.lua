-- acl_check_cmd with no arguments
return redis.acl_check_cmd()
