-- error() with no argument
error()
