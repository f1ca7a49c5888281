-- getfenv is absent
return getfenv(1)
