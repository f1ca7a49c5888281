-- !1 means no alignment
return struct.pack("!1bi", 1, 2)
