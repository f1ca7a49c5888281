-- héllo wörld ✓
x = 1
