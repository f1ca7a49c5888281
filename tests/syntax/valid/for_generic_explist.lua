for k, v in next, t, nil do end
