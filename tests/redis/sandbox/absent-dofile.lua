-- dofile is absent
return dofile("/etc/passwd")
