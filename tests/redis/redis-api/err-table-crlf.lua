-- a literal err table with CR LF
return {err = "E x\r\ny"}
