-- an error inside the xpcall handler
return {xpcall(function() error("oops") end, function(m) error("again") end)}
