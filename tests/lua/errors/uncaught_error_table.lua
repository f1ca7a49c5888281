-- uncaught: an error object that is a table is reported as not a string
error({ code = 1 })
