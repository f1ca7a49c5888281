-- xpcall passes the message to the handler
return {xpcall(function() error("oops") end, function(m) return "handled: " .. m end)}
