-- a literal ok table with CR LF
return {ok = "x\r\ny"}
