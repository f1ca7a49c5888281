-- decoding 17 digits and encoding back keeps 14
return cjson.encode(cjson.decode("[0.12345678901234567, 1234567890.12345]"))
