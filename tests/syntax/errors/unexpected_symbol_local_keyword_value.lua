local x = local
