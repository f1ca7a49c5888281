x = a.end
