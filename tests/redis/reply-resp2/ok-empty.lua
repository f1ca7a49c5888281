-- an empty ok string is an empty status reply
return {ok = ""}
