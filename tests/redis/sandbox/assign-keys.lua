-- assigning the KEYS global is refused
KEYS = {}
