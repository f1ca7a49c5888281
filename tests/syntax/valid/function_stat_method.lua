function a:m() return self end
