-- error(redis.error_reply("...")) raises the error table
error(redis.error_reply("CUSTOM from error_reply"))
