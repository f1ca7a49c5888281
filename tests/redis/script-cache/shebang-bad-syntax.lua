-- a shebang with trailing garbage
--! noload
--! eval
#!lua flags=no-writes flags=allow-oom
return 1
