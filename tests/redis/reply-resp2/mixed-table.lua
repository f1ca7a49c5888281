-- only the array part of a mixed table is replied
return {1, 2, a = 3, [4] = 4}
