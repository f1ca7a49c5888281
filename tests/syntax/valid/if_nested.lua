if a then if b then c() end end
