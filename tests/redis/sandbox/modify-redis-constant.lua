-- changing a redis constant is refused
redis.LOG_WARNING = 0
