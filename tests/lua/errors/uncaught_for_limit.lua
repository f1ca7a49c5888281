-- uncaught: a numeric for with a non-number limit
for i = 1, "ten" do end
