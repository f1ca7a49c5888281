-- the types of the redis functions
local out = {}
for _, n in ipairs({"call", "pcall", "error_reply", "status_reply", "sha1hex", "log", "setresp", "set_repl", "replicate_commands", "breakpoint", "debug", "acl_check_cmd"}) do
  out[#out + 1] = n .. ":" .. type(redis[n])
end
return out
