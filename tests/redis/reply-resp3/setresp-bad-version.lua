-- setresp(1) raises an error
redis.setresp(1)
