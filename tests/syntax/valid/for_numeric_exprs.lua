for i = f(), g() + 1, h() do end
