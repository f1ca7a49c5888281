-- acl_check_cmd with an unknown command
return redis.acl_check_cmd("nosuchcommand")
