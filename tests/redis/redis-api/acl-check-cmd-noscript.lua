-- acl_check_cmd of a command refused in scripts still checks only the ACL
return tostring(redis.acl_check_cmd("multi"))
