x = [[hello]]
