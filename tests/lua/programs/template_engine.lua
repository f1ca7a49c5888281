-- a template engine with variables, filters, loops and escaping via gsub
local function render(tpl, ctx)
  local filters = { upper = string.upper, lower = string.lower, len = function(s) return tostring(#s) end,
    trim = function(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end }
  tpl = tpl:gsub("{%%%s*for (%w+) in (%w+)%s*%%}(.-){%%%s*end%s*%%}", function(var, list, body)
    local out = {}
    for i, item in ipairs(ctx[list] or {}) do
      local sub = setmetatable({ [var] = item, index = i }, { __index = ctx })
      out[#out + 1] = render(body, sub)
    end
    return table.concat(out)
  end)
  return (tpl:gsub("{{%s*([%w_.]+)%s*|?%s*(%w*)%s*}}", function(name, filter)
    local v = ctx
    for part in name:gmatch("[^.]+") do v = type(v) == "table" and v[part] or nil end
    v = v == nil and "" or tostring(v)
    if filter ~= "" then v = (filters[filter] or error("unknown filter " .. filter))(v) end
    return (v:gsub("[<>&]", { ["<"] = "&lt;", [">"] = "&gt;", ["&"] = "&amp;" }))
  end))
end
local ctx = { title = "  Report <2024>  ", user = { name = "ann" }, items = { "apples", "pears & plums" } }
print(render("Title: {{ title | trim }} for {{user.name|upper}}", ctx))
print(render("{% for it in items %}[{{index}}:{{ it }}]{% end %} missing={{nope}}", ctx))
print(render("{{ title | len }}", ctx))
print(pcall(render, "{{ title | bogus }}", ctx))
