-- 1e-300 truncates to 0
return 1e-300
