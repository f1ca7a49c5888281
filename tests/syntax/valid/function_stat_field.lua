function a.b() end
