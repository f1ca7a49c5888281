-- the KEYS table itself may be modified during a call
--! keys: a b
KEYS[1] = "changed"
table.insert(KEYS, "added")
return KEYS
