-- without seeding, a script continues the sequence left by earlier cases
return {math.random(1000000), math.random(1000000)}
