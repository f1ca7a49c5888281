local a
