-- debug is absent
return debug.getinfo(1)
