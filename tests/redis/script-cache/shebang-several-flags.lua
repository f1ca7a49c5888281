-- a shebang with several flags
--! noload
--! eval
#!lua flags=no-writes,allow-oom,allow-stale,no-cluster
return "flags accepted"
