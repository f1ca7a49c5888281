-- numbers inside an array are truncated one by one
return {1.9, -1.9, 0.5, -0.5, 2^31, -2^31, 2^32 + 0.75}
