-- setfenv is absent
return setfenv(1, {})
