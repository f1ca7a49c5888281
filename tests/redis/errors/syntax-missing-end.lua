-- a missing end
if true then
  return 1
