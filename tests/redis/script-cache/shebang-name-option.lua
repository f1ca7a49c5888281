-- a shebang with name= is refused by EVAL
--! noload
--! eval
#!lua name=mylib
return 1
