-- UTF-8 and other high bytes are written as they are
return cjson.encode({"caf\195\169", "\226\130\172", "\255\254 invalid"})
