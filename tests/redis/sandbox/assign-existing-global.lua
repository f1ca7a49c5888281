-- assigning over an existing global is refused
tostring = nil
