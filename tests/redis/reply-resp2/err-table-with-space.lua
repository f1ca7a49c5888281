-- an err table keeps its text as it is
return {err = "MYCODE something went wrong"}
