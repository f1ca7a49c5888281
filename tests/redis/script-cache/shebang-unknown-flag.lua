-- a shebang with an unknown flag
--! noload
--! eval
#!lua flags=no-such-flag
return 1
