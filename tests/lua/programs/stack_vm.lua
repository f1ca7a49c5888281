-- a small stack-based virtual machine with variables, jumps, calls and a step limit
local function run(code, maxsteps)
  local stack, vars, pc, calls, steps, out = {}, {}, 1, {}, 0, {}
  local function push(v) stack[#stack + 1] = v end
  local function pop()
    local v = stack[#stack]
    if v == nil then error("stack underflow at " .. pc - 1, 0) end
    stack[#stack] = nil
    return v
  end
  while true do
    steps = steps + 1
    if steps > (maxsteps or 10000) then error("step limit reached", 0) end
    local ins = code[pc]
    if not ins then error("pc out of range: " .. pc, 0) end
    local op, arg = ins[1], ins[2]
    pc = pc + 1
    if op == "push" then push(arg)
    elseif op == "load" then push(vars[arg] or 0)
    elseif op == "store" then vars[arg] = pop()
    elseif op == "add" then local b, a = pop(), pop() push(a + b)
    elseif op == "mul" then local b, a = pop(), pop() push(a * b)
    elseif op == "jz" then if pop() == 0 then pc = arg end
    elseif op == "jmp" then pc = arg
    elseif op == "call" then calls[#calls + 1] = pc pc = arg
    elseif op == "ret" then pc = table.remove(calls) or error("return without call", 0)
    elseif op == "out" then out[#out + 1] = pop()
    elseif op == "halt" then return table.concat(out, " "), steps
    else error("bad opcode " .. tostring(op), 0) end
  end
end
local function factorial_program(n)
  return {
    { "push", n }, { "store", "n" }, { "push", 1 }, { "store", "acc" },
    { "load", "n" }, { "jz", 17 },                          -- 5, 6
    { "load", "acc" }, { "load", "n" }, { "mul" }, { "store", "acc" },
    { "load", "n" }, { "call", 20 }, { "store", "n" },     -- 11..13
    { "load", "acc" }, { "out" }, { "jmp", 5 },            -- 14..16
    { "load", "acc" }, { "out" }, { "halt" },              -- 17..19
    { "push", -1 }, { "add" }, { "ret" },                  -- 20: decrement
  }
end
for _, n in ipairs({ 0, 1, 5, 10 }) do print(n, run(factorial_program(n))) end
print(pcall(run, factorial_program(50), 100))
print(pcall(run, { { "add" } }))
print(pcall(run, { { "bogus" } }))
print(pcall(run, { { "ret" } }))
print(pcall(run, { { "jmp", 99 } }))
