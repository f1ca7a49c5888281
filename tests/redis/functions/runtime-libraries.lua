-- the libraries are available when a function runs
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function()
  return {type(string.format), type(math.floor), type(table.concat), type(cjson.encode), type(bit.band), type(struct.pack), type(cmsgpack.pack), tostring(pcall(error, 'x'))}
end)
