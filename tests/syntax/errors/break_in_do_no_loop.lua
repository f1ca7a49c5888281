do break end
