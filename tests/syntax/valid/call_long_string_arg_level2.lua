f[==[hello]==]
