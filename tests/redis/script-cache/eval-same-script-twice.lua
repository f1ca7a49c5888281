-- the same script evaluated twice
--! calls: 2
return "again"
