f[[hello]]
