f[=x]
