-- object keys are escaped like strings
return cjson.encode({["a\"b\n"] = 1})
