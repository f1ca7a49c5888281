-- uncaught: a number error gets a position like a string
error(404)
