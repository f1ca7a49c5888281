-- error({err=...}) uses the err text as the whole error code and message
error({err = "MYCODE custom failure"})
