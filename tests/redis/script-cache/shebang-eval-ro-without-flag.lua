-- EVAL_RO of a shebang script without no-writes
--! keys: k
--! noload
--! ro
--! eval
#!lua
return 1
