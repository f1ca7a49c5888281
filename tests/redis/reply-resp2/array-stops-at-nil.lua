-- the array ends at the first nil
return {1, 2, nil, 4}
