-- EVAL caches the script, so EVALSHA finds it afterwards
--! eval
--! evalsha
return "cached by eval"
