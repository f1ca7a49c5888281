-- replacing bit.band is refused
bit.band = nil
