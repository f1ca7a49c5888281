-- an error reply cannot inject RESP through CR and LF (CVE-2025-67733)
return {redis.error_reply("ERR a\r\n:1\r\n"), redis.status_reply("OK\r\n-ERR x"), {err = "E\r\n+OK"}, {ok = "\n\r"}}
