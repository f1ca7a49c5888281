do
  do
    x = 1
