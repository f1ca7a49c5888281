-- err is checked before ok
return {ok = "fine", err = "bad"}
