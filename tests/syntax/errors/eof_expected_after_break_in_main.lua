while 1 do end return; return
