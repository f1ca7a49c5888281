-- argparse: build a parser and parse many command lines
local argparse = require "argparse"
local total = 0
for r = 1, 4000 do
  local p = argparse("prog", "A program.")
  p:argument("input", "Input file.")
  p:option("-o --output", "Output file.", "a.out")
  p:option("-I --include", "Include path."):count("*")
  p:flag("-v --verbose", "Verbose."):count("*")
  local c = p:command("run r", "Run it.")
  c:option("-n", "Count."):convert(tonumber)
  local args = p:parse({ "file" .. r, "-o", "x" .. r, "-I", "a", "-Ib", "-vv", "run", "-n", tostring(r) })
  total = total + #args.include + args.verbose + args.n + #p:get_help()
end
print("argparse", total)
