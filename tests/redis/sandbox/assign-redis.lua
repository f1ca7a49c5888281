-- assigning the redis global is refused
redis = nil
