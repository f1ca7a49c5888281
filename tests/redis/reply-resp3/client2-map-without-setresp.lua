-- RESP2 client, no setresp: a map table is flattened too
return {map = {k = "v"}}
