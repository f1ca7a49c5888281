-- cjson: input that ends inside escapes
return {pcall(cjson.decode, '"\\'), pcall(cjson.decode, '"\\u12'), pcall(cjson.decode, '"\\ud83d\\u')}
