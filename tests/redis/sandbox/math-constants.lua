-- math.pi and math.huge
return {string.format("%.14g", math.pi), tostring(math.huge), tostring(-math.huge)}
