-- a shebang naming another engine
--! noload
--! eval
#!python
return 1
