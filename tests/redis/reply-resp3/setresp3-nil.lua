-- setresp(3): nil is the RESP3 null
--! resp: 3
redis.setresp(3)
return nil
