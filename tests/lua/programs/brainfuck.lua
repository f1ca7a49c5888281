-- a Brainfuck interpreter running a hello-world program and a small computation
local function bf(src, input)
  local tape, ptr, pc, out, inp = {}, 1, 1, {}, 1
  local jump, stack = {}, {}
  for i = 1, #src do
    local c = src:sub(i, i)
    if c == "[" then stack[#stack + 1] = i
    elseif c == "]" then
      local j = table.remove(stack)
      if not j then error("unbalanced ] at " .. i) end
      jump[i], jump[j] = j, i
    end
  end
  if #stack > 0 then error("unbalanced [") end
  while pc <= #src do
    local c = src:byte(pc)
    if c == 43 then tape[ptr] = ((tape[ptr] or 0) + 1) % 256
    elseif c == 45 then tape[ptr] = ((tape[ptr] or 0) - 1) % 256
    elseif c == 62 then ptr = ptr + 1
    elseif c == 60 then ptr = ptr - 1
    elseif c == 46 then out[#out + 1] = string.char(tape[ptr] or 0)
    elseif c == 44 then tape[ptr] = (input or ""):byte(inp) or 0 inp = inp + 1
    elseif c == 91 then if (tape[ptr] or 0) == 0 then pc = jump[pc] end
    elseif c == 93 then if (tape[ptr] or 0) ~= 0 then pc = jump[pc] end
    end
    pc = pc + 1
  end
  return table.concat(out)
end
print(bf("++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++."))
print(bf(",[.,]", "echo this"))
print(bf(",>,<[->+<]>.", "\20\30"):byte())
print(pcall(bf, "[[]"))
print(pcall(bf, "]"))
