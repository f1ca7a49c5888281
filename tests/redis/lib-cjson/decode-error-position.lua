-- the character position in a decode error deep in the text
return cjson.decode('{"a": [1, 2, {"b": x}]}')
