for k in t end
