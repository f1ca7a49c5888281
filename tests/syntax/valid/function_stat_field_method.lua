function a.b.c:m(x) return self, x end
