-- replacing struct.pack is refused
struct.pack = nil
