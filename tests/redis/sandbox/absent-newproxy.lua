-- newproxy is absent
return newproxy(true)
