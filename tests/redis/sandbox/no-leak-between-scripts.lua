-- two different scripts in a row see the same clean environment
--! cmd: EVAL pcall(function()\sleaked=1\send) 0
--! cmd: EVAL return\stostring(rawget(_G,'leaked')) 0
--! cmd: EVAL return\s#KEYS 0
--! eval
return "body"
