-- a numeric key name arrives as a string
--! keys: 123
return {type(KEYS[1]), KEYS[1]}
