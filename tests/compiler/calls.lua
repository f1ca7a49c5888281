local o = {}
f()
f(1)
f(1, 2, 3)
f(g())
f(g(), 1)
f(1, g())
f(g(h()))
f"str"
f[[long
str]]
f{1, 2}
f{}
o:m()
o:m(1, 2)
o:m"s"
o:m{}
o.a.b:c(1)
o.a:b():c():d()
f()()()
f()[1]();
(f)();
(f or g)(1)
local x = f()
local y = o:m()
x = f().y
x = o:m().y:n()
f(1)(2)(3)
local z = (f())
print(f(), (f()))
return f(1)
