-- loadfile is absent
return loadfile("/etc/passwd")
