-- EVALSHA of an unknown script
--! evalsha
return "never loaded"
