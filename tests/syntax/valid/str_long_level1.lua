x = [=[hello]]world]=]
