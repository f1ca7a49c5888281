-- quotes, backslash, slash and control characters are escaped
return cjson.encode("q\" b\\ s/ \b\f\n\r\t end")
