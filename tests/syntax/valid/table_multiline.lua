local t = {
  1,
  a = 2,
  [3] = 4
}
