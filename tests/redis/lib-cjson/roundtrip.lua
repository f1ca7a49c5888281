-- encode(decode(x)) of a document with single-key objects
local doc = '{"user":{"tags":["a","b"],"score":12.5}}'
local t = cjson.decode(doc)
return {cjson.encode(t.user.tags), t.user.score}
