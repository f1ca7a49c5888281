-- replacing string.format is refused
string.format = nil
