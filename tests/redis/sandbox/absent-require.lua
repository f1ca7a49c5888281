-- require is absent
return require("os")
