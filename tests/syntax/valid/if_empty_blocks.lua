if a then end
