-- os.date hands each "%x" pair to strftime: unknown conversions come back as written
for _, f in ipairs({ "%Q", "%E", "%O", "%q", "%J", "%K", "%N", "%", "a%", "%%%", "%x%", "%Ec", "%Oy" }) do
  io.write(f, "=[", os.date("!" .. f, 0), "] ")
end
print()
