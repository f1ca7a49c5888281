-- module is absent
module("m")
