-- the traversal order of string keys is deterministic and reproduced exactly
local t = {}
for _, k in ipairs({ "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa" }) do t[k] = #k end
local out = {}
for k, v in pairs(t) do out[#out + 1] = k .. "=" .. v end
print(table.concat(out, " "))
local u = { x = 1, y = 2, z = 3, name = "n", value = "v", [1] = "one", [2] = "two" }
out = {}
for k, v in pairs(u) do out[#out + 1] = tostring(k) end
print(table.concat(out, " "))
