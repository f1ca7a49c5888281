-- io is absent
return io.open("/etc/passwd")
