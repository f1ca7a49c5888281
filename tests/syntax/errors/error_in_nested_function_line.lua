function f()
  local function g()
    x = = 1
  end
end
