-- 2^53+1 is rounded by the double before the conversion
return 2^53 + 1
