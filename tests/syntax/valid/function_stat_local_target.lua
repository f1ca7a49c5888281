local t = {}
function t.f() end
function t:g() end
